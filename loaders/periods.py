"""Periods: which (year, quarter) a figure belongs to, and whether it is year-to-date (累计).

A sheet states its period in a 年度/季度 column, in its name or title, or the uploader states it.
`1-N月` means the year so far through quarter N/3 (cumulative); `1-12月` is cumulative through Q4.

>>> find_period("县（市、区）政协履职工作统计表（2024年1-9月累计）")
Hint(year=2024, quarter=3, whole_year=False, cumulative=True)
>>> find_period("2024年一季度"), find_period("2023年度")
(Hint(year=2024, quarter=1, whole_year=False, cumulative=None), \
Hint(year=2023, quarter=None, whole_year=True, cumulative=None))
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from domain.periods import period_label  # the one Chinese label of a period; callers import it here too
from loaders.fold import cell_text

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "两": 2}
_YEAR = r"((?:19|20)\d{2})"
_DASH = re.compile(r"[—–―－~〜～至到]")
_QUARTER_PATTERNS = (
    re.compile(_YEAR + r"(?:年)?[qQ]([1-4])(?!\d)"),  # 2024Q1
    re.compile(r"[qQ]([1-4])(?!\d)"),
    re.compile(r"第?([一二三四1-4])季度?(?!度)"),  # 第一季度 一季度 1季度 (not 季度度)
)
_MONTHS = re.compile(r"(\d{1,2})月?-(\d{1,2})月")
_YEAR_ONLY = re.compile(_YEAR + r"(?:年|年度|(?![\d]))")
_CUM_WORDS = ("累计", "年初至今", "以来")
_FLOW_WORDS = ("本期", "当季", "当期", "本季", "本季度", "单季")
_WHOLE_YEAR = ("全年", "年度", "全年度", "年报")


class Hint(NamedTuple):
    """What a piece of text says about the period; None where it says nothing."""

    year: int | None = None
    quarter: int | None = None
    whole_year: bool = False
    cumulative: bool | None = None


def _norm(text: str) -> str:
    return _DASH.sub("-", unicodedata.normalize("NFKC", text)).replace(" ", "")


def find_period(text: str) -> Hint:
    """Search a title, sheet name or file name for a period; an empty Hint if there is none.

    >>> find_period("2024年1-6月"), find_period("2024上半年"), find_period("汇总")
    (Hint(year=2024, quarter=2, whole_year=False, cumulative=True), \
Hint(year=2024, quarter=2, whole_year=False, cumulative=True), \
Hint(year=None, quarter=None, whole_year=False, cumulative=None))
    """
    t = _norm(text)
    year: int | None = None
    quarter: int | None = None
    whole = False
    cum: bool | None = None
    m = _QUARTER_PATTERNS[0].search(t)
    if m:
        year, quarter = int(m.group(1)), int(m.group(2))
    else:
        ym = _YEAR_ONLY.search(t)
        year = int(ym.group(1)) if ym else None
        months = _MONTHS.search(t)
        if months and int(months.group(1)) == 1 and 1 <= int(months.group(2)) <= 12:
            end = int(months.group(2))
            cum = True  # 1-8月 is year-to-date too, but ends inside a quarter: refused where it is used
            if end % 3 == 0:
                quarter = end // 3
        elif "上半年" in t:
            quarter, cum = 2, True
        elif (m3 := re.search(r"前([一二三两2-3])个?季度", t)) is not None:
            quarter, cum = _CN[m3.group(1)], True
        else:
            for pat in _QUARTER_PATTERNS[1:]:
                qm = pat.search(t)
                if qm:
                    quarter = _CN[qm.group(1)]
                    break
            if quarter is None and year is not None and any(w in t for w in _WHOLE_YEAR):
                whole = True
    if cum is None:
        if any(w in t for w in _CUM_WORDS):
            cum = True
        elif any(w in t for w in _FLOW_WORDS):
            cum = False
    return Hint(year, quarter, whole, cum)


def parse_year(cell: object) -> int:
    """A 年度/年份 cell: 2024, 2024.0, `2024年`, `2024年度`; raises ValueError (Chinese) otherwise.

    >>> parse_year("2024年"), parse_year(2023.0)
    (2024, 2023)
    """
    text = _norm(cell_text(cell))
    m = re.fullmatch(_YEAR + r"(?:\.0)?(?:年度?)?", text)
    if not m:
        raise ValueError(f"年度“{cell_text(cell)}”无法识别，应写作如 2024 或 2024年")
    return int(m.group(1))


def parse_quarter(cell: object) -> tuple[int | None, bool | None]:
    """A 季度 cell -> (quarter or None for the whole year, cumulative hint).

    >>> parse_quarter(1.0), parse_quarter("Q2"), parse_quarter("第三季度"), parse_quarter("全年")
    ((1, None), (2, None), (3, None), (None, None))
    >>> parse_quarter("1-6月")
    (2, True)
    """
    text = _norm(cell_text(cell))
    if text in ("1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"):
        return int(float(text)), None
    if text in _WHOLE_YEAR:
        return None, None
    hint = find_period(text)
    if hint.quarter is not None and len(text) <= 12:  # 一季度, Q2, 2024年第三季度, 1-6月, 上半年
        return hint.quarter, hint.cumulative
    raise ValueError(f"季度“{cell_text(cell)}”无法识别，应写作 1–4、Q1 或 第一季度（全年数据写“全年”）")


def parse_basis(cell: object) -> bool | None:
    """A 口径 cell: 累计 -> True, 本期/当季 -> False, empty -> None; raises ValueError otherwise.

    >>> parse_basis("累计"), parse_basis("当季"), parse_basis("")
    (True, False, None)
    """
    text = _norm(cell_text(cell))
    if not text:
        return None
    cum = find_period(text).cumulative
    if cum is None:
        raise ValueError(f"口径“{cell_text(cell)}”无法识别，应为“本期”（当季）或“累计”")
    return cum


def parse_period_option(text: str) -> tuple[int, int | None]:
    """The period given with an upload (--period): a quarter or a whole year.

    >>> parse_period_option("2024Q1"), parse_period_option("2024年第一季度"), parse_period_option("2023年度")
    ((2024, 1), (2024, 1), (2023, None))
    """
    t = _norm(text or "")
    if re.fullmatch(_YEAR + r"(?:年|年度|全年)?", t):
        return int(t[:4]), None
    m = re.fullmatch(_YEAR + r"(?:年|-)?(?:[qQ]([1-4])|第?([一二三四1-4])季度)", t)
    if m:
        return int(m.group(1)), _CN[m.group(2) or m.group(3)]
    raise ValueError(f"期间“{text}”无法识别，应写作如 2024Q1、2024年第一季度、2023 或 2023年度")


def period_start(year: int, quarter: int | None) -> dt.date:
    """First day of a period, for the "no future period" rule."""
    return dt.date(year, 1 if quarter is None else 3 * quarter - 2, 1)


def merge_hints(*hints: Hint) -> Hint:
    """Combine hints, earlier ones winning field by field (title, then sheet name, then file name).

    >>> merge_hints(Hint(None, 3), Hint(2024, 1, cumulative=True))
    Hint(year=2024, quarter=3, whole_year=False, cumulative=None)
    """
    year = next((h.year for h in hints if h.year is not None), None)
    source = next((h for h in hints if h.quarter is not None or h.whole_year), None)
    if source is None:
        cum = next((h.cumulative for h in hints if h.cumulative is not None), None)
        return Hint(year, None, False, cum)
    cum = source.cumulative
    if cum is None:
        cum = next((h.cumulative for h in hints if h.cumulative is not None and h.quarter is None), None)
    return Hint(year, source.quarter, source.whole_year, cum)


class PeriodError(ValueError):
    """A row's period cannot be settled; `role` names the column at fault (year, quarter, …) or None."""

    def __init__(self, message: str, role: str | None = None) -> None:
        super().__init__(message)
        self.role = role


def _cell(parse: Callable[[object], Any], cells: dict[str, object], role: str) -> Any:
    try:
        return parse(cells[role])
    except ValueError as exc:
        raise PeriodError(str(exc), role) from exc


def resolve_period(
    hint: Hint,
    cells: dict[str, object],
    option: tuple[int, int | None] | None = None,
    option_cumulative: bool | None = None,
) -> tuple[int, int | None, bool]:
    """(year, quarter, cumulative) of one row: its period/year/quarter/basis cells over the sheet's hint,
    the uploader's option filling gaps; a disagreement with the option is an error, never a silent pick.

    >>> resolve_period(Hint(2024, 3, False, True), {}), resolve_period(Hint(), {"year": "2024年", "quarter": "Q2"})
    ((2024, 3, True), (2024, 2, False))
    """
    year, quarter, cum, whole = hint.year, hint.quarter, hint.cumulative, hint.whole_year
    ptext = cell_text(cells.get("period"))
    if ptext:
        ph = find_period(ptext)
        if ph.year is None:
            raise PeriodError(f"期间“{ptext}”无法识别，应写作如 2024年第一季度 或 2024Q1", "period")
        year, quarter, whole = ph.year, ph.quarter, ph.whole_year
        cum = ph.cumulative if ph.cumulative is not None else cum
    if cell_text(cells.get("year")):
        year = _cell(parse_year, cells, "year")
    if "quarter" in cells:
        if not cell_text(cells["quarter"]):
            raise PeriodError("季度为空：请填写 1–4、Q1 或 第一季度（全年数据写“全年”）", "quarter")
        quarter, qcum = _cell(parse_quarter, cells, "quarter")
        whole = quarter is None
        cum = qcum if qcum is not None else cum
    if cell_text(cells.get("basis")):
        cum = _cell(parse_basis, cells, "basis")
    if year is None and option is not None:
        year = option[0]
        if quarter is None and not whole:
            quarter = option[1]
    if year is None:
        raise PeriodError(
            "无法确定数据所属年度：请在标题或工作表名中写明期间（如“2024年第一季度”），或导入时指定期间"
        )
    if option is not None and (
        option[0] != year or ((quarter is not None or whole) and option[1] != quarter)
    ):
        raise PeriodError(
            f"表中期间为{period_label(year, quarter)}，与导入时指定的{period_label(*option)}不一致，请核对"
        )
    if quarter is None and option is not None:
        quarter = option[1]
    if option_cumulative is not None and cum is not None and option_cumulative != cum:
        said = "累计" if cum else "本期（当季）"
        raise PeriodError(f"表中口径为“{said}”，与导入时指定的口径不一致，请核对")
    if cum is None:
        cum = bool(option_cumulative)
    if quarter is None and cum and not whole:
        raise PeriodError("累计期间须截至季度末（如 1-3月、1-6月、1-9月、1-12月），无法对应到季度")
    return year, quarter, bool(cum) and quarter is not None
