"""Checks made before any parser sees the bytes: size, format, zip bombs, XML entity bombs.

Python's zipfile and calamine do not bound what a member expands to, and calamine builds a dense
grid from the last cell's address (a 5 KB file with cells at A1 and Z200000 costs 160 MB), so every
XML part is streamed once here, with a byte budget and a deadline, before calamine opens it.

>>> sniff(b"PK\\x03\\x04rest"), sniff(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1"), sniff(b"a,b")
('zip', 'ole', 'text')
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from loaders.issues import LoadError, file_error

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGIC = {
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"%PDF": "PDF 文档",
    b"GIF8": "GIF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_BAD_XML_UTF8 = (b"<!DOCTYPE", b"<!ENTITY")
_BAD_XML_WIDE = (
    *_BAD_XML_UTF8,
    *(w.decode().encode(e) for w in _BAD_XML_UTF8 for e in ("utf-16-le", "utf-16-be")),
)
_ROW_REF = re.compile(rb'<row r="(\d+)"')
_WIDE_REF = re.compile(rb'<c r="[A-Z]{3}')
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>/]*>')
_CHUNK = 1 << 20
# A formula (<f>, <f t="shared" …/>; <x:f> where the part names its namespace x:) or an error value
# (t="e"): two substring searches per megabyte (~1 ms each). `<f` also finds <formula> of conditional
# formats, which costs a needless (cheap) read of that sheet's cells, never a miss.
_ERROR_MARK = b't="e"'
_ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet[\s>]")
_FULL_CALC = re.compile(rb'fullCalcOnLoad\s*=\s*["\'](?:1|true)["\']')


@dataclass(frozen=True)
class Limits:
    """Bounds on what one upload may cost; generous for a provincial workbook (6,000 × 40 ≈ 9 MB XML)."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed: int = 300 * 1024 * 1024
    max_ratio: float = 100.0  # per member, above 1 MB uncompressed; real sheets compress 5-20x
    max_members: int = 2000
    max_cells: int = 5_000_000  # per sheet: calamine allocates the full rectangle
    seconds: float = 20.0


def sniff(data: bytes) -> str:
    """What the bytes are, by their first bytes: zip, ole, binary or text."""
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if any(data.startswith(m) for m in _BINARY_MAGIC):
        return "binary"
    return "text"


def binary_kind(data: bytes) -> str:
    """A name for a non-spreadsheet binary (PNG 图片…), for the message."""
    return next((v for k, v in _BINARY_MAGIC.items() if data.startswith(k)), "二进制文件")


def check_size(file: str, data: bytes, limits: Limits) -> None:
    """Refuse empty and oversized files before anything else."""
    if not data or not data.strip():
        raise file_error(file, "empty_file", "文件是空的（0 字节或只有空白），请检查是否选错了文件")
    if len(data) > limits.max_bytes:
        mb = limits.max_bytes / 1024 / 1024
        raise file_error(
            file, "too_big", f"文件大小 {len(data) / 1024 / 1024:.1f} MB 超过上限 {mb:g} MB，请拆分后分别上传"
        )


def is_encrypted_ole(data: bytes) -> bool:
    """An OLE file holding an EncryptedPackage stream is a password-protected xlsx."""
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def encrypted_error(file: str) -> LoadError:
    return file_error(
        file,
        "encrypted",
        "文件设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿），"
        "或在 LibreOffice 中另存时不勾选“使用密码保存”，然后重新上传",
    )


@dataclass
class ZipScan:
    """What the scan of a zip saw on its way: its kind, the sheet parts that hold formulas or error values
    (`<f>`, `t="e"`; loaders/formulas.py reads those cells), and whether the workbook asks to be
    recalculated when opened (`fullCalcOnLoad`, as openpyxl and XlsxWriter write), which makes the results
    saved with its formulas untrustworthy."""

    kind: str  # "xlsx" or "ods"
    formula_parts: list[str] = field(default_factory=list)
    full_calc_on_load: bool = False


def check_zip(file: str, data: bytes, limits: Limits) -> ZipScan:
    """Check an xlsx/xlsm/ods zip before parsing; returns what the scan saw, or raises LoadError."""
    deadline = time.monotonic() + limits.seconds
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise file_error(
            file, "truncated", "文件不完整或已损坏（可能上传中断或未保存完整），无法打开：请重新保存后上传"
        ) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        kind = "xlsx"
    elif "content.xml" in names and b"opendocument.spreadsheet" in data[:200]:
        kind = "ods"
    else:
        raise file_error(
            file, "not_spreadsheet", "文件是压缩包但不是 Excel 工作簿（例如 Word 文档），请上传 .xlsx 文件"
        )
    if kind == "ods" and "META-INF/manifest.xml" in names:
        manifest = zf.open("META-INF/manifest.xml").read(256 * 1024)
        if b"encryption-data" in manifest:  # LibreOffice's 设有打开密码: the parts are encrypted
            raise encrypted_error(file)
    if len(infos) > limits.max_members:
        raise _bomb(file, f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_members}")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise encrypted_error(file)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise _bomb(
                file, f"部件 {info.filename} 压缩比 {ratio:.0f}:1 异常（上限 {limits.max_ratio:g}:1）"
            )
    if total > limits.max_uncompressed:
        raise _bomb(
            file,
            f"解压后共 {total / 1024 / 1024:.0f} MB，超过上限 {limits.max_uncompressed / 1024 / 1024:g} MB",
        )
    scan = ZipScan(kind)
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            if _scan_member(file, zf, info, limits, deadline):
                scan.formula_parts.append(info.filename)
            if info.filename == "xl/workbook.xml":
                scan.full_calc_on_load = _FULL_CALC.search(zf.read(info)) is not None
    return scan


def _bomb(file: str, detail: str) -> LoadError:
    return file_error(file, "zip_bomb", f"文件结构异常（疑似“压缩炸弹”），已拒绝读取：{detail}")


def _scan_member(
    file: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, deadline: float
) -> bool:
    """Stream one XML part: refuse DOCTYPE/ENTITY, a lying size, a corrupt member, a huge cell range.

    Returns True for a sheet part that may hold formulas or error values (looked for in the same pass:
    a few substring searches per megabyte, no parsing)."""
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    max_row = 0
    wide = False
    formulas = not is_sheet  # True once seen (or when not looked for)
    formula_mark = b"<f"
    tail = b""
    seen = 0
    bad_xml: tuple[bytes, ...] = _BAD_XML_UTF8
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                if not seen and (b"\x00" in chunk[:4] or chunk.startswith((b"\xff\xfe", b"\xfe\xff"))):
                    bad_xml = _BAD_XML_WIDE  # a UTF-16 part (Excel writes UTF-8): look for both widths
                    formulas = True  # not searched in that width: read its cells
                if not seen and is_sheet and (root := _ROOT_PREFIX.search(chunk[:4096])) and root.group(1):
                    formula_mark = b"<" + root.group(1) + b"f"
                seen += len(chunk)
                if seen > info.file_size or time.monotonic() > deadline:
                    raise _bomb(file, f"部件 {info.filename} 解压超出声明大小或耗时过长")
                window = tail + chunk
                if any(bad in window for bad in bad_xml):
                    raise file_error(
                        file,
                        "xml_entity",
                        f"文件中的 XML 部件 {info.filename} 含有 DOCTYPE/ENTITY 声明（可能是“实体炸弹”攻击），"
                        "已拒绝读取：请用 Excel 重新另存为 .xlsx 后上传",
                    )
                if is_sheet:
                    rows = _ROW_REF.findall(window)
                    if rows:
                        max_row = max(max_row, max(map(int, rows)))
                    wide = wide or _WIDE_REF.search(window) is not None
                    formulas = formulas or formula_mark in window or _ERROR_MARK in window
                tail = window[-32:]
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise file_error(
            file, "truncated", f"文件已损坏（部件 {info.filename} 无法解压或校验失败），请重新保存后上传"
        ) from exc
    if is_sheet and max_row * (16384 if wide else 702) > limits.max_cells:
        _check_cell_range(file, zf, info, limits)
    return is_sheet and formulas


def _check_cell_range(file: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """The exact extent of the cells that hold something (calamine's grid), when the cheap bound failed."""
    max_row = max_col = 0
    with zf.open(info) as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            for col, row in _VALUE_CELL.findall(window):
                max_row = max(max_row, int(row))
                n = 0
                for ch in col:
                    n = n * 26 + ch - 64
                max_col = max(max_col, n)
            tail = window[-256:]  # a reference cut by the chunk boundary is seen whole next time
    if max_row * max_col > limits.max_cells:
        raise file_error(
            file,
            "range_too_big",
            f"工作表部件 {info.filename} 的数据范围过大（{max_row} 行 × {max_col} 列），超过 "
            f"{limits.max_cells} 个单元格的上限：请删除远处的多余单元格或拆分后上传",
        )
