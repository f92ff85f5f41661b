"""Ratios as a file gives them: bare rates scaled by one rule per indicator over the whole file, and a
ratio given beside its numerator and denominator checked against them.

*Scale.* A rate written with `%` is taken as written. The bare numbers of one indicator, over every
sheet and shape of the file, are fractions when all of them are at most 1 (Excel's percent-formatted
cells arrive as 0.515), else percentages (values.bare_scale). A file mixing both (51.5 and 0.8) is
imported as percentages, with a warning naming the cells that looked like fractions.

*Parts.* A ratio beside its parts (same unit and period) must agree with them to the rounding it is
written with, else it is an error naming both cells; when it agrees it is not stored, since the
dashboard recomputes every ratio from its parts (DOMAIN.md) — only a ratio given without its parts
is kept, as a reported one.

>>> from domain.dictionary import load_dictionary
>>> from loaders.issues import IssueLog
>>> from loaders.records import Records
>>> recs, log = Records(), IssueLog("a.xlsx")
>>> recs.add_row("360424", 2024, 1, ("proposals_submitted", "proposals_registered", "registration_rate"),
...              (40.0, 30.0, 60.0), (False,) * 3, "S", 3, ("提交提案", "立案", "立案率"))
>>> check_parts_rows(recs, [(0, tuple(recs.indicator), False)], load_dictionary(), log)
[2]
>>> print(log.finish()[0].message)
第3行“立案率”列：立案率 60% 与本行“提交提案”列的提案提交数 40、“立案”列的立案数 30 不符（30 ÷ 40 = 75%）：\
请核对比率或其分子、分母
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from domain.dictionary import Dictionary, Indicator
from loaders.issues import IssueLog, where
from loaders.records import Record, Records
from loaders.values import bare_scale, format_number

Found = dict[str, list[tuple[int, float, bool]]]  # code -> (record index, value as written, with %)
Rows = list[tuple[int, tuple[str, ...], bool]]  # records.Known.rows
_LISTED = 8  # cells a warning lists
_DECIMALS = 8  # the finest rounding a written ratio is taken to have


def settle_scale(
    records: Records, found: Found, dictionary: Dictionary, log: IssueLog, suspects: list[int]
) -> None:
    """Scale each rate indicator's bare numbers by one rule over the file; out-of-range ones become suspects."""
    values = records.value
    for code, obs in found.items():
        bare = [v for _, v, percent in obs if not percent]
        scale = bare_scale(bare)
        if scale != 1.0:
            for i, v, percent in obs:
                if not percent:
                    values[i] = v * scale
        elif bare and min(bare) <= 1 < max(bare):
            small = [i for i, v, percent in obs if not percent and 0 < v <= 1]
            large = next(i for i, v, percent in obs if not percent and v > 1)
            if small:
                _warn_ambiguous(records, dictionary[code], small, large, log)
        suspects.extend(i for i, _, _ in obs if not 0 <= values[i] <= 100)  # NaN too


def _cell(at: Record, other: Record) -> str:
    """Where `other` is, seen from the message about `at`."""
    if other.sheet == at.sheet and other.row == at.row:
        return f"本行“{other.column}”列"
    sheet = f"工作表“{other.sheet}”" if other.sheet != at.sheet and other.sheet else ""
    return f"{sheet}第{other.row}行“{other.column}”列"


def _warn_ambiguous(records: Records, ind: Indicator, small: list[int], large: int, log: IssueLog) -> None:
    first, big = records[small[0]], records[large]
    cells = "、".join(
        f"{_cell(first, records[i])} {format_number(records.value[i])}" for i in small[:_LISTED]
    )
    more = f"等 {len(small)} 处" if len(small) > _LISTED else ""
    ex = records.value[small[0]]
    message = (
        f"{ind.name}不带 % 的数值写法不一：{cells}{more}像小数，而{_cell(first, big)} {format_number(big.value)} "
        f"像百分数。全文件按百分数导入（{format_number(ex)} 即 {format_number(ex)}%）；如这些数值是小数"
        f"（{format_number(ex)} 表示 {format_number(ex * 100)}%），请改写为带 % 的百分数后重新上传"
    )
    log.add("warning", first.sheet, first.row, first.column, where(first.row, first.column) + message,
            "ambiguous_rate")  # fmt: skip


def _plan(dictionary: Dictionary) -> list[Indicator]:
    return [i for i in dictionary if i.kind == "ratio" and i.numerator and i.denominator]


def check_parts_rows(records: Records, rows: Rows, dictionary: Dictionary, log: IssueLog) -> list[int]:
    """Ratios beside their parts when each table row is the whole of its unit and period (records.Known);
    returns the ratios to leave out of the store (those that agree, and those that do not: the file is refused)."""
    ratios = _plan(dictionary)
    starts_of: dict[tuple[str, ...], list[int]] = {}
    for start, codes, _ in rows:
        starts_of.setdefault(codes, []).append(start)
    triples: dict[str, list[np.ndarray]] = {}
    for codes, starts in starts_of.items():
        at = {code: k for k, code in enumerate(codes)}
        base = np.asarray(starts, dtype=np.int64)
        for ind in ratios:
            k, n, d = at.get(ind.code), at.get(ind.numerator or ""), at.get(ind.denominator or "")
            if k is not None and n is not None and d is not None:
                triples.setdefault(ind.code, []).append(np.stack([base + k, base + n, base + d]))
    if not triples:
        return []
    return _compare(records, {c: np.concatenate(t, axis=1) for c, t in triples.items()}, dictionary, log)


def check_parts_periods(
    records: Records, by_period: Iterable[dict[str, int]], dictionary: Dictionary, log: IssueLog
) -> list[int]:
    """check_parts_rows for records grouped by unit and period (code -> record index), as in a long table."""
    ratios = _plan(dictionary)
    triples: dict[str, list[tuple[int, int, int]]] = {}
    for bucket in by_period:
        if len(bucket) < 3:
            continue
        for ind in ratios:
            i = bucket.get(ind.code)
            if i is None:
                continue
            n, d = bucket.get(ind.numerator or ""), bucket.get(ind.denominator or "")
            if n is not None and d is not None:
                triples.setdefault(ind.code, []).append((i, n, d))
    if not triples:
        return []
    return _compare(
        records, {c: np.asarray(t, dtype=np.int64).T for c, t in triples.items()}, dictionary, log
    )


def _compare(
    records: Records, triples: dict[str, np.ndarray], dictionary: Dictionary, log: IssueLog
) -> list[int]:
    """Each (ratio, numerator, denominator) index triple (3 × n per indicator) checked in numpy."""
    values = np.asarray(records.value, dtype=np.float64)
    approx = np.asarray(records.approximate, dtype=np.bool_)
    drop: list[int] = []
    for code, t in triples.items():
        ind = dictionary[code]
        scale = 100.0 if ind.is_rate else 1.0
        r, n, d = values[t[0]], values[t[1]], values[t[2]]
        with np.errstate(
            divide="ignore", invalid="ignore", over="ignore"
        ):  # inf and NaN are the value rules'
            e = np.where(d > 0, n / d * scale, np.nan)
            unit = _unit_of(r)
            diff = r - e
            ok = (np.abs(diff) <= unit / 2 + 1e-9) | ((diff <= 1e-9) & (-diff < unit))  # rounded, or cut
        ok |= approx[t[1]] | approx[t[2]] | ((d == 0) & (n == 0))  # 约 parts; 0 of 0: nothing to check
        num, den = dictionary[ind.numerator or ""], dictionary[ind.denominator or ""]
        sane = (r <= ind.upper) & (n >= 0) & (n <= num.upper) & (d >= 0) & (d <= den.upper)  # NaN fails
        ok |= ~sane  # an impossible figure is the value rules' to report
        drop.extend(t[0].tolist())
        for k in np.flatnonzero(~ok).tolist():
            _mismatch(records, ind, dictionary, int(t[0][k]), int(t[1][k]), int(t[2][k]), float(e[k]), log)
    return drop


def _unit_of(r: np.ndarray) -> np.ndarray:
    """One unit of the last decimal place each value is written with (1 for 75, 0.1 for 51.5)."""
    unit = np.full(r.shape, 10.0**-_DECIMALS)
    left = np.ones(r.shape, dtype=np.bool_)
    for d in range(_DECIMALS):
        x = r * 10.0**d
        whole = left & (np.abs(x - np.round(x)) < 1e-6)
        unit[whole] = 10.0**-d
        left &= ~whole
    return unit


def _mismatch(
    records: Records,
    ind: Indicator,
    dictionary: Dictionary,
    i: int,
    n: int,
    d: int,
    expected: float,
    log: IssueLog,
) -> None:
    rate, num, den = records[i], records[n], records[d]
    if log.full("error", rate.sheet, "ratio_mismatch"):
        return
    unit = "%" if ind.is_rate else ""
    nname, dname = dictionary[num.indicator].name, dictionary[den.indicator].name
    got = f"{format_number(num.value)} ÷ {format_number(den.value)} = {round(expected, 2):g}{unit}"
    why = f"{dname}为 0，{ind.name}应留空或填“—”" if den.value == 0 else got
    second = _cell(rate, num)
    if num.sheet == den.sheet and num.row == den.row:
        second = f"“{num.column}”列"
    message = (
        f"{ind.name} {format_number(rate.value)}{unit} 与{_cell(rate, den)}的{dname} {format_number(den.value)}、"
        f"{second}的{nname} {format_number(num.value)} 不符（{why}）：请核对比率或其分子、分母"
    )
    log.add(
        "error", rate.sheet, rate.row, rate.column, where(rate.row, rate.column) + message, "ratio_mismatch"
    )
