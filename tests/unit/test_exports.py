"""Downloads of chart data: BOM-prefixed CSV and XLSX, with formula-looking text escaped in both."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from exports.tables import to_csv_bytes, to_xlsx_bytes

FRAME = pd.DataFrame(
    {"单位": ["修水县", '=HYPERLINK("x")', "+1", "-2", "@SUM(A1)"], "数值": [35, -3, 1.5, 0, None]}
)


def test_csv_has_bom_and_escapes_formulas_but_not_numbers():
    raw = to_csv_bytes(FRAME)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig").splitlines()
    assert text[0] == "单位,数值"
    assert text[2].startswith("\"'=HYPERLINK") and text[3] == "'+1,1.5" and text[4] == "'-2,0.0"
    assert text[1] == "修水县,35.0" and ",-3.0" in text[2]


def test_xlsx_escapes_formulas_and_keeps_numbers_numeric():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(FRAME)))
    ws = wb.active
    assert [c.value for c in ws[1]] == ["单位", "数值"]
    assert ws["A3"].value == '\'=HYPERLINK("x")' and ws["A3"].data_type == "s"
    assert ws["A6"].value == "'@SUM(A1)"
    assert ws["B2"].value == 35 and ws["B3"].value == -3 and ws["B6"].value is None
    assert ws.freeze_panes == "A2"


def test_downloads_write_numbers_as_the_page_shows_them():
    """3202, not 3202.0; 2.24, not 2.2432854465958774 (issue 8, item 15); raw data keeps every digit."""
    import pandas as pd

    from exports.tables import to_csv_bytes

    df = pd.DataFrame(
        {"单位": ["修水县", "=HYPERLINK()"], "数值": [3202.0, 12.0], "人均": [2.2432854465958774, 1.5]}
    )
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert "修水县,3202,2.24" in text and "'=HYPERLINK()" in text
    assert "2.2432854465958774" in to_csv_bytes(df, raw=True).decode("utf-8-sig")


def test_template_never_writes_a_name_as_a_live_formula(tmp_path):
    """A unit or indicator named =HYPERLINK(…) is text in the template, not a formula (issue 9, item 6)."""
    import zipfile

    from domain.dictionary import Dictionary, Indicator, Unit, load_dictionary
    from exports.template import write_template

    dic = load_dictionary()
    evil = Indicator("custom_001", '=HYPERLINK("http://evil.example","点我")', "members", "件", "flow")
    dictionary = Dictionary((*dic, evil))
    out = tmp_path / "t.xlsx"
    write_template(out, dictionary, [Unit("360424", "=1+2", (), "county", 1)], 2025)
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in x for x in sheets)
    import openpyxl

    wb = openpyxl.load_workbook(out)
    names = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert "=1+2" in names and evil.name in names
