"""Numbers as Chinese reports write them: 1,234; 1.2万; 3.4亿; 85.1%; missing as —.

>>> fmt_number(12345, "件")
'1.23万'
>>> fmt_number(85.123, "%")
'85.1%'
>>> fmt_number(None, "件")
'—'
>>> unit_label("件", "en"), unit_label("件"), with_unit("Proposals submitted", "件", "en"), with_unit("提案提交数", "件")
('items', '件', 'Proposals submitted (items)', '提案提交数（件）')
"""

from __future__ import annotations

import math

from domain.dictionary import UNIT_EN

MISSING = "—"


def unit_label(unit: str, lang: str = "zh") -> str:
    """The unit as the reader's language writes it (件 → items); "%" stays; 个 has no English word."""
    return UNIT_EN.get(unit, unit) if lang == "en" else unit


def with_unit(name: str, unit: str, lang: str = "zh") -> str:
    """A column header with its unit: 提案提交数（件） / Proposals submitted (items); no brackets for none."""
    shown = unit_label(unit, lang)
    if not shown:
        return name
    return f"{name} ({shown})" if lang == "en" else f"{name}（{shown}）"


def is_missing(value: object) -> bool:
    """None or NaN: a figure nobody reported (never drawn or written as 0)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, unit: str = "", lang: str = "zh", digits: int = 1) -> str:
    """Counts get thousands separators (万/亿 from 10,000 in Chinese); rates one decimal and %."""
    if is_missing(value):
        return MISSING
    assert value is not None
    if unit == "%":
        return f"{value:.{digits}f}%"
    if lang == "zh" and abs(value) >= 1e8:
        return f"{value / 1e8:.3g}亿"
    if lang == "zh" and abs(value) >= 1e4:
        return f"{value / 1e4:.3g}万"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}" if abs(value) < 100 else f"{value:,.0f}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A relative change, always with one decimal: 5.2%."""
    if is_missing(value):
        return MISSING
    assert value is not None
    return f"{abs(value):.{digits}f}%"


def fmt_pp(value: float | None, digits: int = 1) -> str:
    """A difference between two rates in 百分点, without sign."""
    if is_missing(value):
        return MISSING
    assert value is not None
    return f"{abs(value):.{digits}f}"
