"""Cell values -> numbers, the way county staff write them.

`1,800`, `１８００`, `1800余`, `约1800`, `1800多`, `51.5%`, `35件` are numbers; `—`, `-`, `/`, `无`,
`－`, `--` and empty cells are "not reported" (None), never 0; other text is an error.

Rates (立案率…) are stored as percentages in [0, 100]. A cell written with `%` is taken as written;
a bare number is a fraction when every bare number in its column is at most 1 (Excel's
percent-formatted cells arrive as 0.515), otherwise a percentage (51.5): see `rate_scale`.

>>> parse_value("1,800"), parse_value("约1800"), parse_value("—"), parse_value("51.5%")
(Parsed(value=1800.0, approximate=False, percent=False), Parsed(value=1800.0, approximate=True, \
percent=False), None, Parsed(value=51.5, approximate=False, percent=True))
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import NamedTuple

from loaders.fold import MEASURE_UNITS


class Parsed(NamedTuple):
    value: float
    approximate: bool
    percent: bool  # written with a % sign


class BadValue(Exception):
    """Text where a number belongs; the message says what was found (Chinese), `code` which issue it is."""

    def __init__(self, message: str, code: str = "not_a_number") -> None:
        super().__init__(message)
        self.code = code


_REOPEN = "在 Excel/WPS 中打开并保存后再上传"


class Uncomputed:
    """A cell whose figure the file does not hold (loaders/formulas.py puts it in the grid): a formula saved
    without its result, one whose result is an error (#DIV/0!), an error value, or a formula of a workbook
    that asks to be recalculated on opening (its saved result is not trusted). It reads as empty text and
    parse_value refuses it, naming the cell and what to do.

    >>> str(Uncomputed("C5", "SUM(C2:C4)")), Uncomputed("C5", "B5/B4", error="#DIV/0!").message
    ('', '单元格 C5 的公式“=B5/B4”计算结果是错误值 #DIV/0!：请改正公式，在 Excel/WPS 中打开并保存后再上传')
    """

    __slots__ = ("error", "formula", "ref", "stale")

    def __init__(self, ref: str, formula: str | None, error: str | None = None, stale: object = None) -> None:
        self.ref, self.formula, self.error, self.stale = ref, formula, error, stale

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"Uncomputed({self.ref!r}, {self.formula!r}, error={self.error!r}, stale={self.stale!r})"

    @property
    def code(self) -> str:
        if self.formula is None:
            return "error_value"
        return (
            "formula_error"
            if self.error
            else "formula_stale"
            if self.stale is not None
            else "formula_no_value"
        )

    @property
    def message(self) -> str:
        f = self.formula or ""
        shown = "（共享公式）" if not f else f"“={f if len(f) <= 40 else f[:40] + '…'}”"
        if self.formula is None:
            return f"单元格 {self.ref} 是错误值 {self.error}，应为数字：请改正，{_REOPEN}"
        if self.error:
            return f"单元格 {self.ref} 的公式{shown}计算结果是错误值 {self.error}：请改正公式，{_REOPEN}"
        if self.stale is not None:
            return (
                f"单元格 {self.ref} 是公式{shown}，而工作簿设置为打开时重新计算（fullCalcOnLoad），"
                f"文件中保存的结果 {self.stale} 不可信：请{_REOPEN}"
            )
        return f"单元格 {self.ref} 是公式{shown}，文件中没有保存计算结果（程序生成的表格常见）：请{_REOPEN}"


MISSING = frozenset(
    {"", "—", "——", "-", "--", "---", "/", "//", "\\", "无", "－", "―", "─", "…", "...", "n/a", "N/A", "na",
     "NA", "暂无", "未报", "不详", "空"}
)  # fmt: skip
_APPROX_PREFIX = ("约", "大约", "近", "逾", "超过")
_APPROX_SUFFIX = ("余", "多", "左右", "以上", "余场次", "余件")
_UNITS = tuple(sorted((u for u in MEASURE_UNITS if u != "%"), key=len, reverse=True))
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# A plain ASCII number (35, 51.5, -2): what the full parser would give float(text) for, without its work.
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)").fullmatch


def parse_value(cell: object) -> Parsed | None:
    """A cell's number, None when not reported; raises BadValue for text that is not a number.

    >>> parse_value("１８００余"), parse_value(35.0), parse_value("无")
    (Parsed(value=1800.0, approximate=True, percent=False), Parsed(value=35.0, approximate=False, \
percent=False), None)
    """
    kind = type(cell)
    if kind is float:
        if math.isnan(cell):  # type: ignore[arg-type]
            raise BadValue("数值无效（NaN，不是数字），应填写数字")
        return Parsed(cell, False, False)  # type: ignore[arg-type]
    if kind is int:
        return Parsed(float(cell), False, False)  # type: ignore[arg-type]
    if cell is None:
        return None
    if kind is str:
        return _parse_text(cell)  # type: ignore[arg-type]
    if kind is Uncomputed:
        raise BadValue(cell.message, cell.code)  # type: ignore[attr-defined]
    if isinstance(cell, bool):
        raise BadValue(f"应为数字，却是逻辑值 {'TRUE' if cell else 'FALSE'}")
    if isinstance(cell, (dt.date, dt.time, dt.timedelta)):
        raise BadValue(f"应为数字，却是日期或时间 {cell}")
    if isinstance(cell, (int, float)):
        return parse_value(float(cell))
    raise BadValue(f"应为数字，却是 {cell!r}")


def _parse_text(raw: str) -> Parsed | None:
    if _PLAIN(raw):
        return Parsed(float(raw), False, False)
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if text in MISSING:
        return None
    if text.startswith("#"):
        raise BadValue(f"单元格是 Excel 错误值“{raw.strip()}”，应为数字")
    body = text
    approximate = False
    for p in _APPROX_PREFIX:
        if body.startswith(p):
            body, approximate = body[len(p) :], True
            break
    for unit in _UNITS:  # 35件, 5500余场次
        if body.endswith(unit) and len(body) > len(unit):
            body = body[: -len(unit)]
            break
    for s in _APPROX_SUFFIX:
        if body.endswith(s):
            body, approximate = body[: -len(s)], True
            break
    percent = body.endswith("%")
    if percent:
        body = body[:-1]
    scale = 1.0
    if body.endswith("万"):
        body, scale = body[:-1], 10000.0
    if "," in body:
        if not _THOUSANDS.fullmatch(body):
            raise BadValue(f"“{raw.strip()}”的千位分隔符位置不对，应写作如 1,800 或 1800")
        body = body.replace(",", "")
    if not _NUMBER.fullmatch(body):
        raise BadValue(f"“{raw.strip()}”不是数字，应填写数字（未填报可写“—”或留空）")
    return Parsed(float(body) * scale, approximate, percent)


def rate_scale(parsed: list[Parsed]) -> float:
    """How a rate column's bare numbers become percentages: x100 when all of them are <= 1.

    >>> rate_scale([Parsed(0.515, False, False), Parsed(1.0, False, False)])
    100.0
    >>> rate_scale([Parsed(51.5, False, False), Parsed(1.0, False, False)])
    1.0
    """
    return bare_scale([p.value for p in parsed if not p.percent])


def bare_scale(bare: list[float]) -> float:
    """rate_scale of a column's bare numbers (those written without %).

    >>> bare_scale([0.515, 1.0]), bare_scale([51.5, 1.0]), bare_scale([])
    (100.0, 1.0, 1.0)
    """
    return 100.0 if bare and all(0 <= v <= 1 for v in bare) else 1.0


def format_number(value: float) -> str:
    """A number for a message: whole numbers without decimals.

    >>> format_number(40.0), format_number(51.5), format_number(1e308)
    ('40', '51.5', '1e+308')
    """
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
