"""Hostile workbooks written by hand, part by part, as a generator or an attacker would: formula cells with
or without a cached result, error values, `<v>NaN</v>`, `<v>1e309</v>`, a workbook asking to be recalculated.

openpyxl cannot write a cached formula result or a raw value such as NaN, so these are zipped from XML.

>>> data = raw_xlsx({"S": [["县区", "立案"], ["修水县", F("1+1", cached=2)]]})
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from loaders.issues import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class F:
    """A formula cell: `cached` is the result saved with it (None: none saved), `error` a saved error value."""

    formula: str
    cached: float | str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Raw:
    """A cell written as given: `<v>` text and an optional t= type ("e" for an error value)."""

    v: str
    t: str | None = None


def _cell(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, F):
        f = f"<f>{escape(value.formula)}</f>"
        if value.error is not None:
            return f'<c r="{ref}" t="e">{f}<v>{escape(value.error)}</v></c>'
        if value.cached is None:
            return f'<c r="{ref}">{f}</c>'
        if isinstance(value.cached, str):
            return f'<c r="{ref}" t="str">{f}<v>{escape(value.cached)}</v></c>'
        return f'<c r="{ref}">{f}<v>{value.cached!r}</v></c>'
    if isinstance(value, Raw):
        t = f' t="{value.t}"' if value.t else ""
        return f'<c r="{ref}"{t}><v>{escape(value.v)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list[object]]) -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{"".join(body)}</sheetData></worksheet>'


def raw_xlsx(sheets: dict[str, list[list[object]]], full_calc_on_load: bool = False) -> bytes:
    """An xlsx of inline-string sheets, one per entry; `full_calc_on_load` sets what openpyxl and XlsxWriter write."""
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for k in range(1, n + 1)
    )
    calc = (
        '<calcPr calcId="124519" fullCalcOnLoad="1"/>' if full_calc_on_load else '<calcPr calcId="191029"/>'
    )
    names = "".join(
        f'<sheet name="{escape(name)}" sheetId="{k}" r:id="rId{k}"/>'
        for k, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{k}" Type="{REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
        for k in range(1, n + 1)
    )
    pkg = "http://schemas.openxmlformats.org/package/2006"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f"<sheets>{names}</sheets>{calc}</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">{rels}</Relationships>',
        )
        for k, rows in enumerate(sheets.values(), start=1):
            z.writestr(f"xl/worksheets/sheet{k}.xml", sheet_xml(rows))
    return buf.getvalue()
