"""Numbers as Chinese reports write them: 1,234; 1.2万; 3.4亿; 85.1%; missing as —.

>>> fmt_number(12345, "件")
'1.23万'
>>> fmt_number(85.123, "%")
'85.1%'
>>> fmt_number(None, "件")
'—'
"""

from __future__ import annotations

import math

MISSING = "—"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, unit: str = "", lang: str = "zh", digits: int = 1) -> str:
    """Counts get thousands separators (万/亿 from 10,000 in Chinese); rates one decimal and %."""
    if _is_missing(value):
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
    if _is_missing(value):
        return MISSING
    assert value is not None
    return f"{abs(value):.{digits}f}%"


def fmt_pp(value: float | None, digits: int = 1) -> str:
    """A difference between two rates in 百分点, without sign."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    return f"{abs(value):.{digits}f}"
