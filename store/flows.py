"""Cumulative (year-to-date) figures become quarterly flows: Q(n) = C(n) − C(n−1).

C(n−1) comes from the same file or, for the first quarter a file gives, from the quarters already
stored; the batches that stored them are returned, so that reverting one of them can be refused.
A cumulative figure that goes down is an error in the sheet, never a negative quarter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import duckdb
import pandas as pd

from domain.dictionary import Dictionary
from domain.periods import period_label
from loaders import Issue, Record, Records


def _issue(file: str, message: str, code: str, rec: Record | None = None) -> Issue:
    if rec is None:
        return Issue("error", file, None, None, None, message, code)
    return Issue("error", file, rec.sheet, rec.row, rec.column, message, code)


def _period_zh(year: int, quarter: int) -> str:
    return period_label(year, quarter)


def _stored_flows(
    con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str, int]]
) -> dict[tuple[str, str, int], dict[int, tuple[float, int]]]:
    """Current quarterly values for (unit, indicator, year) keys: {key: {quarter: (value, batch)}}."""
    if not keys:
        return {}
    df = pd.DataFrame(keys, columns=["unit_code", "indicator", "year"])
    con.register("_keys", df)
    try:
        rows = con.execute(
            "SELECT c.unit_code, c.indicator, c.year, c.quarter, c.value, c.batch_id FROM current_facts c"
            " JOIN _keys k USING (unit_code, indicator, year) WHERE c.quarter IS NOT NULL"
        ).fetchall()
    finally:
        con.unregister("_keys")
    out: dict[tuple[str, str, int], dict[int, tuple[float, int]]] = defaultdict(dict)
    for unit, ind, year, q, value, batch in rows:
        out[(unit, ind, int(year))][int(q)] = (float(value), int(batch))
    return out


def to_flows(
    con: duckdb.DuckDBPyConnection, file: str, records: Records, dictionary: Dictionary
) -> tuple[Records, list[Issue], list[Issue], set[int]]:
    """Cumulative flows become quarterly: Q(n) = C(n) − C(n−1), C(n−1) from the file or the store.

    Returns (records holding the value to store, errors, warnings, batches depended on); without
    cumulative figures the records are returned as they are.
    """
    out = Records()
    errors: list[Issue] = []
    warnings: list[Issue] = []
    depends: set[int] = set()
    if not any(records.cumulative):
        return records, errors, warnings, depends
    kinds = {i.code: i.kind for i in dictionary}
    groups: dict[tuple[str, str, int], dict[int, Record]] = defaultdict(dict)
    for r in records:
        kind = kinds.get(r.indicator, "flow")
        if not r.cumulative or r.quarter is None or kind == "stock":
            out.append(r)
        elif kind == "ratio":
            warnings.append(
                Issue(
                    "warning",
                    file,
                    r.sheet,
                    r.row,
                    r.column,
                    f"“{dictionary[r.indicator].name}”是累计口径的比率，不能换算为单季度数值，已略过"
                    "（比率会由其分子、分母重新计算）",
                    "cumulative_ratio",
                )
            )
        else:
            groups[(r.unit_code, r.indicator, r.year)][r.quarter] = r
    need = [k for k, qs in groups.items() if min(qs) > 1]
    stored = _stored_flows(con, need)
    for key, by_q in groups.items():
        prev_cum = 0.0
        prev_q = 0
        first = min(by_q)
        if first > 1:
            have = stored.get(key, {})
            missing = [q for q in range(1, first) if q not in have]
            rec = by_q[first]
            if missing:
                gaps = "、".join(_period_zh(key[2], q) for q in missing)
                errors.append(
                    _issue(
                        file,
                        f"“{dictionary[rec.indicator].name}”是{key[2]}年1-{first * 3}月的累计数，换算为单季度数需要此前各季度的数据，"
                        f"但库中缺少{gaps}的数据。请先导入这些季度，或改按本期（当季）口径填报",
                        "cumulative_gap",
                        rec,
                    )
                )
                continue
            prev_cum = sum(have[q][0] for q in range(1, first))
            depends.update(have[q][1] for q in range(1, first))
            prev_q = first - 1
        for q in sorted(by_q):
            rec = by_q[q]
            if q != prev_q + 1:
                errors.append(
                    _issue(
                        file,
                        f"累计数缺少{_period_zh(key[2], prev_q + 1)}，无法换算{_period_zh(key[2], q)}的单季度数",
                        "cumulative_gap",
                        rec,
                    )
                )
                break
            flow = rec.value - prev_cum
            if flow < 0:
                errors.append(
                    _issue(
                        file,
                        f"累计数 {rec.value:g} 小于截至上季度的累计数 {prev_cum:g}，累计数不应减少，请核对",
                        "cumulative_decrease",
                        rec,
                    )
                )
                break
            out.append(replace(rec, value=flow, cumulative=False))
            prev_cum, prev_q = rec.value, q
    return out, errors, warnings, depends
