"""CSV text decoding: strictly UTF-8 (with or without BOM), else GB18030, never garbled silently.

Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset. A file valid in neither is refused.

>>> decode_csv("地区".encode("gbk"), "a.csv")
('地区', 'gb18030')
>>> decode_csv("\\ufeff地区".encode("utf-8"), "a.csv")
('地区', 'utf-8-sig')
"""

from __future__ import annotations

from loaders.issues import file_error


def decode_csv(data: bytes, file: str) -> tuple[str, str]:
    """(text, encoding used); raises LoadError when the bytes are neither UTF-8 nor GB18030 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise file_error(file, "not_text", "文件含有二进制内容，不是 CSV 文本文件：请上传 .xlsx 或 CSV 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\ufffd" not in text:
            return text, encoding
    raise file_error(
        file,
        "bad_encoding",
        "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传",
    )
