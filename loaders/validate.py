"""The consistency rules of DOMAIN.md, checked over all records of one file at once.

Every error names the row and column of the cell that breaks the rule; all of them are reported.
Rules on cumulative figures compare cumulative with cumulative: the store converts them to flows.

>>> from domain.dictionary import load_dictionary
>>> from loaders.issues import IssueLog
>>> from loaders.records import Record
>>> log = IssueLog("a.xlsx")
>>> recs = [Record("360424", 2024, 1, "proposals_submitted", 35.0, False, False, "汇总", 12, "提交提案"),
...         Record("360424", 2024, 1, "proposals_registered", 40.0, False, False, "汇总", 12, "立案")]
>>> validate(recs, load_dictionary(), log, {"360424": "修水县"}, today=dt.date(2024, 5, 1))
[]
>>> print(log.finish()[0].message)
第12行“立案”列：立案数 40 大于提案提交数 35（立案数不得超过提案提交数）
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from itertools import compress, repeat
from math import isfinite, isnan
from operator import add, gt, itemgetter
from typing import Any

from domain.dictionary import Dictionary
from loaders.issues import IssueLog, Level, where
from loaders.periods import period_label, period_start
from loaders.ratios import check_parts_periods, check_parts_rows
from loaders.records import Known, Record, Records
from loaders.values import format_number

_KEY_INDICATOR = itemgetter(3)
_KEY_YEAR = itemgetter(1)
_KEY_YEAR_QUARTER = itemgetter(1, 2)


def validate(
    records: Records | Sequence[Record],
    dictionary: Dictionary,
    log: IssueLog,
    unit_names: dict[str, str],
    today: dt.date | None = None,
    known: Known | None = None,
) -> list[int]:
    """Check every rule, adding an issue per broken one to `log`; returns the indices of the ratios given
    beside their parts (loaders/ratios.py), which are not stored.

    `known` (from extract) spares the passes over all records; the issues are the same without it.
    """
    today = today or dt.date.today()
    if not isinstance(records, Records):
        records = Records(records)
    _check_values(records, known.suspects if known is not None else None, dictionary, log)
    rows = known.rows if known is not None else None
    periods = _row_periods(records, rows) if rows is not None else None
    if rows is not None and periods is not None:  # no two rows of one unit and period: no duplicates
        _check_not_above_rows(records, rows, dictionary, log)
        derived = check_parts_rows(records, rows, dictionary, log)
        _check_future(records, periods, log, today)
        if any(cumulative for _, _, cumulative in rows):
            _check_cumulative(records, dictionary, log, unit_names)
        return derived
    keys = list(zip(records.unit_code, records.year, records.quarter, records.indicator, strict=True))
    by_period = _check_keys(records, keys, dictionary, log, unit_names)
    _check_not_above(records, by_period, dictionary, log)
    derived = check_parts_periods(records, by_period.values(), dictionary, log)
    _check_future(records, keys, log, today)
    _check_cumulative(records, dictionary, log, unit_names)
    return derived


def _add(log: IssueLog, level: Level, r: Record, message: str, code: str) -> None:
    log.add(level, r.sheet, r.row, r.column, where(r.row, r.column) + message, code)


def _check_value(r: Record, dictionary: Dictionary, log: IssueLog) -> None:
    """Finite and within the indicator's bound; counts are whole and >= 0; rates lie in [0, 100%];
    other ratios are >= 0."""
    ind = dictionary[r.indicator]
    v = r.value
    if not isfinite(v):
        what = "无效（NaN，不是数字）" if isnan(v) else "过大，超出可表示的范围"
        _add(log, "error", r, f"{ind.name}的数值{what}：请填写实际数字", "not_finite")
    elif ind.is_rate:
        if not 0 <= v <= 100:
            _add(log, "error", r, f"{ind.name} {format_number(v)}% 超出 0–100% 的范围", "rate_out_of_range")
        elif v > ind.upper:
            _implausible(log, r, ind.name, v, ind.upper, "%")
    elif v > ind.upper:
        _implausible(log, r, ind.name, v, ind.upper, ind.unit)
    elif ind.is_count:
        if v < 0:
            _add(log, "error", r, f"{ind.name} {format_number(v)} 是负数，应为不小于 0 的整数", "negative")
        elif not v.is_integer():
            _add(
                log,
                "error",
                r,
                f"{ind.name} {format_number(v)} 不是整数（单位：{ind.unit}，应为整数）",
                "not_whole",
            )
    elif v < 0:
        _add(log, "error", r, f"{ind.name} {format_number(v)} 是负数，应不小于 0", "negative")


def _implausible(log: IssueLog, r: Record, name: str, v: float, upper: float, unit: str) -> None:
    _add(
        log, "error", r,
        f"{name} {format_number(v)} 超出合理范围（指标字典规定不超过 {format_number(upper)}{unit}），"
        "请核对是否多输了数位",
        "implausible",
    )  # fmt: skip


def _at(r: Record, other: Record, suffix: str = "的") -> str:
    """Where the other figure of a comparison is, when it is not in the same row."""
    if other.sheet == r.sheet and other.row == r.row:
        return ""
    sheet = f"工作表“{other.sheet}”" if other.sheet != r.sheet and other.sheet else ""
    return f"{sheet}第{other.row}行“{other.column}”列{suffix}"


def _check_values(
    records: Records, suspects: list[int] | None, dictionary: Dictionary, log: IssueLog
) -> None:
    """Each value's own rules, for the suspects (all records when not known), in record order."""
    rule = {i.code: (0 if i.is_count else 1 if i.is_rate else 2, i.upper) for i in dictionary}
    pool = records if suspects is None else [records[i] for i in sorted(set(suspects))]
    for r in pool:
        kind, upper = rule.get(r.indicator, (3, 0.0))
        v = r.value
        if kind == 0:
            if 0 <= v <= upper and v.is_integer():
                continue
        elif kind == 1:
            if 0 <= v <= 100 and v <= upper:
                continue
        elif kind == 2 and 0 <= v <= upper:
            continue
        _check_value(r, dictionary, log)


def _check_keys(
    records: Records,
    keys: list[tuple[str, int, int | None, str]],
    dictionary: Dictionary,
    log: IssueLog,
    unit_names: dict[str, str],
) -> dict[tuple[str, int, int | None], dict[str, int]]:
    """One value per (unit, period, indicator) in a file.

    Returns, by period, the index of each record the not_above rules compare. Written with C-level
    map/compress: a provincial sheet has 240,000 records, nearly all of them fine.
    """
    if len(set(keys)) != len(records):
        _report_duplicates(records, keys, dictionary, log, unit_names)
    ruled = {i.code for i in dictionary if i.not_above} | {i.not_above for i in dictionary if i.not_above}
    ruled |= {c for i in dictionary if i.kind == "ratio" for c in (i.code, i.numerator, i.denominator) if c}
    by_period: dict[tuple[str, int, int | None], dict[str, int]] = {}
    for key, i in compress(zip(keys, itertools.count()), map(ruled.__contains__, map(_KEY_INDICATOR, keys))):
        by_period.setdefault(key[:3], {}).setdefault(key[3], i)
    return by_period


def _row_periods(
    records: Records, rows: list[tuple[int, tuple[str, ...], bool]]
) -> list[tuple[str, int, int | None]] | None:
    """The (unit, year, quarter) of each row when the rows cover the records and no two share one; else None."""
    expected = 0
    for start, codes, _ in rows:
        if start != expected or not codes:
            return None
        expected += len(codes)
    if expected != len(records):
        return None
    run_of = records.run_of
    periods = [run_of(start)[:3] for start, _, _ in rows]
    return periods if len(set(periods)) == len(periods) else None


def _report_duplicates(
    records: Records,
    keys: list[tuple[str, int, int | None, str]],
    dictionary: Dictionary,
    log: IssueLog,
    unit_names: dict[str, str],
) -> None:
    seen: dict[tuple[str, int, int | None, str], Record] = {}
    for key, r in zip(keys, records, strict=True):
        first = seen.setdefault(key, r)
        if first is r or log.full("error", r.sheet, "duplicate"):
            continue
        name = dictionary[r.indicator].name
        unit = unit_names.get(r.unit_code, r.unit_code)
        _add(
            log, "error", r,
            f"{unit}{period_label(r.year, r.quarter)}的{name}重复填报（{_at(r, first, '') or '本行'}已有 "
            f"{format_number(first.value)}，此处为 {format_number(r.value)}）：同一单位同一期间每个指标只能有一个数值",
            "duplicate",
        )  # fmt: skip


def _check_not_above(
    records: Records,
    by_period: dict[tuple[str, int, int | None], dict[str, int]],
    dictionary: Dictionary,
    log: IssueLog,
) -> None:
    """立案 ≤ 提交, 办复 ≤ 立案, 被采用 ≤ 报送 ≤ 收集 …: the dictionary's not_above rules."""
    rules = [(i.code, i.not_above) for i in dictionary if i.not_above]
    values = records.value
    for bucket in by_period.values():
        if len(bucket) < 2:
            continue
        for code, limit in rules:
            i = bucket.get(code)
            j = bucket.get(limit) if i is not None else None
            if i is None or j is None or values[i] <= values[j]:
                continue
            _not_above(records[i], records[j], code, dictionary, log)


def _check_not_above_rows(
    records: Records,
    rows: list[tuple[int, tuple[str, ...], bool]],
    dictionary: Dictionary,
    log: IssueLog,
) -> None:
    """_check_not_above when each row is the whole of its unit and period: the rules by position in the row."""
    rules = [(i.code, i.not_above) for i in dictionary if i.not_above]
    values = records.value
    starts_of: dict[tuple[str, ...], list[int]] = {}  # rows by their columns: one plan per layout
    for start, codes, _ in rows:
        starts_of.setdefault(codes, []).append(start)
    broken: list[tuple[int, int, int, int, str]] = []  # (row start, rule, k, j, code)
    for codes, starts in starts_of.items():
        at = {code: k for k, code in enumerate(codes)}
        plan = [(at[c], at[lim], c) for c, lim in rules if c in at and lim in at]
        for n, (k, j, code) in enumerate(plan):  # one comparison per row, in C-level loops
            over = map(gt, map(values.__getitem__, map(add, starts, repeat(k))),
                       map(values.__getitem__, map(add, starts, repeat(j))))  # fmt: skip
            broken.extend((s, n, k, j, code) for s in compress(starts, over))
    for start, _, k, j, code in sorted(broken):  # row order, then rule order: as the sheet reads
        _not_above(records[start + k], records[start + j], code, dictionary, log)


def _not_above(r: Record, other: Record, code: str, dictionary: Dictionary, log: IssueLog) -> None:
    if r.cumulative != other.cumulative and r.quarter not in (None, 1):
        return  # a quarter's flow against a year-to-date figure: not comparable
    ind, oind = dictionary[code], dictionary[other.indicator]
    if not (r.value <= ind.upper and other.value <= oind.upper):
        return  # an impossible figure (inf, 1e308) is reported as such, not compared
    name, oname = ind.name, oind.name
    approx = r.approximate or other.approximate
    msg = (
        f"{name} {format_number(r.value)} 大于{_at(r, other)}{oname} {format_number(other.value)}"
        f"（{name}不得超过{oname}）"
    )
    if approx:
        _add(log, "warning", r, msg + "，其中含约数，请核对", "not_above")
    else:
        _add(log, "error", r, msg, "not_above")


def _check_future(records: Records, keys: Sequence[tuple[Any, ...]], log: IssueLog, today: dt.date) -> None:
    """A period may not start after today; `keys` are the (unit, year, quarter, …) of all records."""
    if not keys or max(map(_KEY_YEAR, keys)) < today.year:  # a past year's periods all started by 1 December
        return
    periods: set[tuple[int, int | None]] = set(map(_KEY_YEAR_QUARTER, keys))
    for key in sorted(p for p in periods if period_start(*p) > today):
        r = next(r for r in records if (r.year, r.quarter) == key)
        _add(
            log, "error", r,
            f"期间 {period_label(*key)} 尚未开始（今天是 {today.isoformat()}），不能导入未来期间的数据：请核对年度和季度",
            "future_period",
        )  # fmt: skip


def _check_cumulative(
    records: Records, dictionary: Dictionary, log: IssueLog, unit_names: dict[str, str]
) -> None:
    """Year-to-date figures of a flow never go down from one quarter to the next within the file."""
    series: dict[tuple[str, int, str], dict[int, Record]] = {}
    for i in compress(itertools.count(), records.cumulative):
        r = records[i]
        if r.quarter is not None:
            series.setdefault((r.unit_code, r.year, r.indicator), {})[r.quarter] = r
    for (unit, _year, code), by_q in series.items():
        ind = dictionary[code]
        if ind.kind != "flow" or len(by_q) < 2:
            continue
        quarters = sorted(by_q)
        for prev, cur in itertools.pairwise(quarters):
            a, b = by_q[prev], by_q[cur]
            if b.value < a.value:
                _add(
                    log, "error", b,
                    f"{unit_names.get(unit, unit)}{period_label(b.year, cur)}累计{ind.name} {format_number(b.value)} "
                    f"小于{_at(b, a)}{period_label(a.year, prev)}累计 {format_number(a.value)}（累计数不应减少）",
                    "cumulative_decrease",
                )  # fmt: skip
