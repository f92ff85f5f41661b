"""The consistency rules across files: checked on the figures as they will stand after an import (stored
plus incoming) or a revert (stored less reverted), and a warning for a figure far outside its unit's own
history.

A file holding 办复 = 0 for a quarter whose 满意 = 4 came in an earlier file would leave the store
breaking 满意 ≤ 办复, though each file keeps the rule on its own (loaders/validate.py checks within a file).
Every message names both sources: the cell of this file and the stored batch (file, sheet, row, column).

>>> errors, warnings = check_import(con, "2024Q1.xlsx", incoming, dictionary)   # doctest: +SKIP
>>> problems = revert_rule_violations(con, 7, dictionary)                        # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from domain.dictionary import Dictionary
from loaders import Issue
from loaders.issues import Level
from loaders.periods import period_label
from loaders.values import format_number
from store.queries import sql

HISTORY_FACTOR = 20.0  # a figure above 20× the unit's largest stored quarter is worth a second look
HISTORY_FLOOR = 100.0  # …once it is large enough for extra digits to matter (0 → 3 is no typo)


def _rules(dictionary: Dictionary) -> dict[str, list[str]]:
    pairs = [(i.code, i.not_above) for i in dictionary if i.not_above]
    return {"codes": [c for c, _ in pairs], "limits": [lim for _, lim in pairs if lim]}


def _where(sheet: str | None, row: int | None, column: str | None) -> str:
    parts = []
    if sheet:
        parts.append(f"工作表“{sheet}”")
    if row is not None:
        parts.append(f"第{row}行")
    if column:
        parts.append(f"“{column}”列")
    return "".join(parts)


def _stored(
    batch: int | None, file: str | None, sheet: str | None, row: int | None, column: str | None
) -> str:
    """'库中批次 3（a.xlsx 工作表“汇总”第5行“满意”列）'."""
    source = " ".join(p for p in (file or "", _where(sheet, row, column)) if p)
    return f"库中批次 {batch}" + (f"（{source}）" if source else "")


def check_import(
    con: duckdb.DuckDBPyConnection, file: str, incoming: pa.Table, dictionary: Dictionary
) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) of the incoming values (store.incoming.INCOMING_SCHEMA) against the store.

    Errors: a not_above rule broken between a value of this file and a stored one (a warning when one of
    them is approximate). Warnings: a count above HISTORY_FACTOR × the unit's largest stored quarter.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    units = pc.unique(incoming["unit_code"]).cast(pa.string()).to_pylist()
    if not units or not _has_history(con, units):  # a first import of these units: nothing to compare
        return errors, warnings
    con.register("_rules_in", incoming)
    try:
        rules = _rules(dictionary)
        rows = con.execute(sql("cross_rules_import"), rules).fetchall() if rules["codes"] else []
        cols = ["unit_code", "year", "quarter", "indicator", "value", "incoming", "batch_id", "sheet", "row",
                "column", "limit_indicator", "limit_value", "limit_incoming", "limit_batch_id", "limit_sheet",
                "limit_row", "limit_column", "approximate", "stored_file", "unit_name"]  # fmt: skip
        for values in rows:
            issue = _import_issue(file, dict(zip(cols, values, strict=True)), dictionary)
            (warnings if issue.level == "warning" else errors).append(issue)
        params = {"factor": HISTORY_FACTOR, "floor": HISTORY_FLOOR}
        far = con.execute(sql("far_from_history"), params).fetchall()
    finally:
        con.unregister("_rules_in")
    for unit, unit_name, year, quarter, code, value, top, top_period, sheet, row, column in far:
        name = dictionary[code].name if code in dictionary else code
        top_at = period_label(int(top_period) // 10, int(top_period) % 10)
        message = (
            f"{unit_name or unit}{period_label(year, quarter)}的{name} {format_number(value)} 是该单位库中"
            f"最大季度值 {format_number(top)}（{top_at}）的 {value / top:.0f} 倍，请核对是否多输了数位"
        )
        warnings.append(
            Issue("warning", file, sheet, row, column, _prefix(row, column) + message, "far_from_history")
        )
    return errors, warnings


def _has_history(con: duckdb.DuckDBPyConnection, units: list[str]) -> bool:
    """Whether the store holds any fact of these units (one indexless scan of facts' unit column)."""
    ((found,),) = con.execute("SELECT EXISTS (SELECT 1 FROM facts WHERE unit_code IN (SELECT unnest($units)))",
                              {"units": units}).fetchall()  # fmt: skip
    return bool(found)


def _prefix(row: int | None, column: str | None) -> str:
    return _where(None, row, column) + "：" if row is not None or column else ""


def _import_issue(file: str, r: dict[str, Any], dictionary: Dictionary) -> Issue:
    name, lname = dictionary[r["indicator"]].name, dictionary[r["limit_indicator"]].name
    period = f"{r['unit_name'] or r['unit_code']}{period_label(r['year'], r['quarter'])}"
    if r["incoming"]:  # this file's figure is too large for the stored limit
        at = (r["sheet"], r["row"], r["column"])
        other = _stored(
            r["limit_batch_id"], r["stored_file"], r["limit_sheet"], r["limit_row"], r["limit_column"]
        )
        text = f"{name} {format_number(r['value'])} 大于{other}的{lname} {format_number(r['limit_value'])}"
    else:  # this file's limit is too small for a stored figure
        at = (r["limit_sheet"], r["limit_row"], r["limit_column"])
        other = _stored(r["batch_id"], r["stored_file"], r["sheet"], r["row"], r["column"])
        text = f"{lname} {format_number(r['limit_value'])} 小于{other}的{name} {format_number(r['value'])}"
    message = f"{text}（{name}不得超过{lname}）：导入后{period}的数据将相互矛盾，请核对本文件，或先撤销库中的那一批次"
    level: Level = "warning" if r["approximate"] else "error"
    if r["approximate"]:
        message += "；其中含约数，请核对"
    return Issue(level, file, at[0], at[1], at[2], _prefix(at[1], at[2]) + message, "not_above_stored")


def revert_rule_violations(
    con: duckdb.DuckDBPyConnection, batch_id: int, dictionary: Dictionary
) -> list[str]:
    """Chinese messages, one per not_above rule that reverting `batch_id` would break (empty: none).

    Call it in the revert's transaction before marking the batch reverted; a non-empty result is a reason
    to refuse (store.history.RevertRefused). Only pairs where one side is a value the revert brings back
    are reported; each message names both stored sources. Approximate figures are not reported.
    """
    rules = _rules(dictionary)
    if not rules["codes"]:
        return []
    rows = con.execute(sql("cross_rules_revert"), {"batch": batch_id, **rules}).fetchall()
    out = []
    for (unit, unit_name, year, quarter, code, value, batch, file_name, sheet, row, column, lcode, lvalue,
         lbatch, lfile, lsheet, lrow, lcolumn, approximate) in rows:  # fmt: skip
        if approximate:
            continue
        name, lname = dictionary[code].name, dictionary[lcode].name
        out.append(
            f"撤销批次 {batch_id} 后，{unit_name or unit}{period_label(year, quarter)}的{name} {format_number(value)}"
            f"（{_stored(batch, file_name, sheet, row, column)}）将大于{lname} {format_number(lvalue)}"
            f"（{_stored(lbatch, lfile, lsheet, lrow, lcolumn)}）：{name}不得超过{lname}"
        )
    return out
