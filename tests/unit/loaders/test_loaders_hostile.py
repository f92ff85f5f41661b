"""Files that must be refused, with a Chinese message, before any parser trusts them.

How quickly they are refused is measured in bench/refusal_speed.py, not asserted here.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from loader_sheets import BILLION_LAUGHS, codes, make_xlsx, replace_member, zip_bomb

from loaders import LoadError
from loaders.safety import OLE_MAGIC

GOOD = make_xlsx({"2024Q1": [["县区", "立案"], ["修水县", 3]]})


def refused(parse, name: str, data: bytes, **kw: object) -> LoadError:
    with pytest.raises(LoadError) as info:
        parse(name, data, **kw)
    [issue] = info.value.issues
    assert issue.level == "error" and issue.file == name and issue.row is None
    return info.value


def test_zip_bomb(parse) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 3 * 1024 * 1024
    err = refused(parse, "bomb.xlsx", bomb)
    assert err.issues[0].code == "zip_bomb"
    assert err.issues[0].message.startswith("文件结构异常（疑似“压缩炸弹”），已拒绝读取")


def test_member_lying_about_its_size(parse) -> None:
    """A member whose header claims fewer bytes than it holds is refused, not trusted."""
    data = bytearray(make_xlsx({"S": [["县区", "立案"], *[["修水县", n] for n in range(2000)]]}))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    name = b"xl/worksheets/sheet1.xml"  # shrink its declared size in the central directory
    pos = data.find(b"PK\x01\x02", zf.start_dir)
    while data[pos + 46 : pos + 46 + len(name)] != name:
        pos = data.find(b"PK\x01\x02", pos + 4)
    data[pos + 24 : pos + 28] = (100).to_bytes(4, "little")
    err = refused(parse, "lying.xlsx", bytes(data))
    assert err.issues[0].code == "truncated"


def test_xml_entity_bomb(parse) -> None:
    err = refused(parse, "laughs.xlsx", replace_member(GOOD, "xl/workbook.xml", BILLION_LAUGHS))
    assert err.issues[0].code == "xml_entity"
    assert err.issues[0].message == (
        "文件中的 XML 部件 xl/workbook.xml 含有 DOCTYPE/ENTITY 声明（可能是“实体炸弹”攻击），"
        "已拒绝读取：请用 Excel 重新另存为 .xlsx 后上传"
    )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_xml_entity_bomb_in_utf16(parse, encoding: str) -> None:
    """A part written in UTF-16 (with or without a byte-order mark) is searched in its own width."""
    text = BILLION_LAUGHS.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    err = refused(parse, "laughs16.xlsx", replace_member(GOOD, "xl/workbook.xml", text.encode(encoding)))
    assert err.issues[0].code == "xml_entity"


def test_encrypted_xlsx(parse) -> None:
    fake = OLE_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2000
    err = refused(parse, "secret.xlsx", fake)
    assert err.issues[0].code == "encrypted"
    assert "设有打开密码" in err.issues[0].message


def test_ole_header_with_garbage(parse) -> None:
    err = refused(parse, "odd.xls", OLE_MAGIC + b"\x00\x01" * 300)
    assert err.issues[0].code == "unreadable"


def test_truncated_xlsx(parse) -> None:
    err = refused(parse, "cut.xlsx", GOOD[: len(GOOD) // 2])
    assert err.issues[0].code == "truncated"
    assert (
        err.issues[0].message == "文件不完整或已损坏（可能上传中断或未保存完整），无法打开：请重新保存后上传"
    )


@pytest.mark.parametrize("data", [b"", b"   \r\n"])
def test_empty_file(parse, data: bytes) -> None:
    err = refused(parse, "empty.xlsx", data)
    assert err.issues[0].code == "empty_file"
    assert err.issues[0].message == "文件是空的（0 字节或只有空白），请检查是否选错了文件"


def test_png_renamed_xlsx(parse) -> None:
    err = refused(parse, "photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert err.issues[0].message == "文件实际是PNG 图片，不是 Excel 或 CSV 表格：请上传 .xlsx 或 .csv 文件"


def test_html_saved_as_xls(parse) -> None:
    err = refused(parse, "export.xls", "<html><table><tr><td>修水县</td></tr></table></html>".encode())
    assert "内容是网页（HTML）" in err.issues[0].message


def test_word_document_is_not_a_workbook(parse) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    assert refused(parse, "report.xlsx", buf.getvalue()).issues[0].code == "not_spreadsheet"


def test_too_big(parse) -> None:
    err = refused(parse, "big.csv", b"a,b\n" * 1000, max_bytes=1000)
    assert err.issues[0].code == "too_big"


def test_csv_in_neither_utf8_nor_gb18030(parse) -> None:
    err = refused(parse, "latin.csv", "单位".encode("utf-16-be")[:3] + b"\xff\xfe\xff,\x80\n")
    assert err.issues[0].code in ("bad_encoding", "not_text")


def test_far_away_cell_is_refused_before_calamine_allocates_it(parse) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "县区"
    wb.active["XFD1048576"] = 1  # 17 billion cells if the grid were built
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(parse, "far.xlsx", buf.getvalue())
    assert err.issues[0].code == "range_too_big"
    assert "1048576 行 × 16384 列" in err.issues[0].message


def test_header_without_rows(parse) -> None:
    pf = parse("2024Q1.xlsx", make_xlsx({"S": [["县区", "提交提案", "立案"]]}))
    assert not pf.ok
    assert codes(pf) == ["no_data"]
    assert pf.issues[-1].message == "文件中没有找到可导入的数据（“S”：表头下没有数据行）"


def test_workbook_without_any_table(parse) -> None:
    pf = parse("notes.xlsx", make_xlsx({"说明": [["本表由各县区填报"]]}))
    assert not pf.ok and codes(pf) == ["no_data"]
    assert (
        pf.issues[0].message
        == "文件中没有找到可导入的数据（“说明”：未找到数据表（没有可识别的表头或指标名称））"
    )
