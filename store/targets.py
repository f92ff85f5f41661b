"""Annual targets (目标任务) per unit and indicator: edited on the 目标任务 page or imported from a sheet.

A target sheet has the shape of any wide sheet (a row per unit, a column per indicator) for one year;
it is parsed by the same loaders (so the same folding, value parsing and checks apply) and written
in one transaction, recorded as a batch of kind 'targets'. A target set again replaces the old one.

>>> with store.transaction() as con:                                   # doctest: +SKIP
...     set_targets(con, [("360424", 2025, "proposals_submitted", 180.0)])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from loaders import Issue, LoadError, parse_file
from store.connection import Store
from store.dictionary import effective_dictionary
from store.facts import new_batch
from store.read import store_units


def set_targets(
    con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, int, str, float]], batch_id: int | None = None
) -> int:
    """Insert or replace (unit, year, indicator) targets; returns how many were written."""
    data = [(u, int(y), i, float(v), batch_id) for u, y, i, v in rows]
    if data:
        con.executemany(
            "INSERT OR REPLACE INTO targets (unit_code, year, indicator, value, batch_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, current_timestamp)",
            data,
        )
    return len(data)


def clear_targets(con: duckdb.DuckDBPyConnection, keys: Iterable[tuple[str, int, str]]) -> int:
    """Remove (unit, year, indicator) targets; returns how many were asked for (none is fine)."""
    data = [(u, int(y), i) for u, y, i in keys]
    if data:  # DuckDB's executemany refuses an empty list
        con.executemany("DELETE FROM targets WHERE unit_code = ? AND year = ? AND indicator = ?", data)
    return len(data)


def save_targets(
    store: Store,
    year: int,
    changed: Sequence[tuple[str, str, float]],
    cleared: Sequence[tuple[str, str]],
    user: str | None = None,
) -> int | None:
    """What the 目标任务 page saves: (unit, indicator, value) set, (unit, indicator) cleared, one batch.

    Returns the batch id, or None when there was nothing to save.
    """
    if not changed and not cleared:
        return None
    with store.transaction() as con:
        batch = new_batch(con, "targets", user=user, note=f"{year}年目标任务（页面编辑）")
        n = set_targets(con, [(u, year, i, v) for u, i, v in changed], batch)
        m = clear_targets(con, [(u, year, i) for u, i in cleared])
        con.execute("UPDATE batches SET n_new = ?, n_changed = ? WHERE id = ?", [n, m, batch])
    return batch


def targets(
    con: duckdb.DuckDBPyConnection, year: int, units: Sequence[str], codes: Sequence[str] = ()
) -> pd.DataFrame:
    """unit_code, indicator, value for a year (only what was set)."""
    return con.execute(
        "SELECT unit_code, indicator, value FROM targets WHERE year = $year"
        " AND unit_code IN (SELECT unnest($units)) AND (len($codes) = 0 OR indicator IN (SELECT unnest($codes)))"
        " ORDER BY unit_code, indicator",
        {"year": year, "units": list(units), "codes": list(codes)},
    ).fetch_df()


@dataclass
class TargetImport:
    file: str
    year: int
    status: str  # imported | rejected | duplicate (the same file was imported for this year: batch_id)
    count: int = 0
    batch_id: int | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def import_targets(store: Store, name: str, data: bytes, year: int, user: str | None = None) -> TargetImport:
    """Parse a target sheet for `year` and store its figures as targets, all or nothing."""
    sha = hashlib.sha256(data).hexdigest()
    with store.connect() as con:
        units, dictionary = store_units(con), effective_dictionary(con)
        ((dup,),) = con.execute(
            "SELECT min(id) FROM batches WHERE kind = 'targets' AND sha256 = ? AND note = ?",
            [sha, f"{year}年目标任务"],
        ).fetchall()
    if dup is not None:  # like sheets: the same file twice is reported, not imported again
        return TargetImport(name, year, "duplicate", batch_id=int(dup))
    result = TargetImport(name, year, "rejected")
    try:
        parsed = parse_file(
            name, data, dictionary=dictionary, units=units, period=(year, None), cumulative=False
        )
    except LoadError as exc:
        result.errors = list(exc.issues)
        return result
    result.warnings = parsed.warnings
    if not parsed.ok:
        result.errors = parsed.errors
        return result
    wrong_year = [r for r in parsed.records if r.year != year]
    if wrong_year:
        r = wrong_year[0]
        result.errors = [
            Issue(
                "error",
                name,
                r.sheet,
                r.row,
                r.column,
                f"目标任务表应为{year}年，但此行是{r.year}年的数据",
                "target_year",
            )
        ]
        return result
    with store.transaction() as con:
        batch = new_batch(
            con,
            "targets",
            file_name=name,
            sha256=sha,
            size=len(data),
            user=user,
            note=f"{year}年目标任务",
        )
        result.count = set_targets(
            con, [(r.unit_code, year, r.indicator, r.value) for r in parsed.records], batch
        )
        con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [result.count, batch])
    result.status, result.batch_id = "imported", batch
    return result
