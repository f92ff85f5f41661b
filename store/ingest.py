"""Imports a parsed file into the store, all or nothing; and reverts an import.

The CLI and the upload page both call `prepare` (parse, turn cumulative figures into quarterly
flows, compare with what is stored — no writes) and then `commit` (one transaction). A file whose
parse has any error, or whose cumulative figures cannot be turned into flows, writes nothing.

Design of history and revert (README, "History and revert"):
- facts are append-only; a value imported again is a new row in a new batch, and the current value
  of a (unit, year, quarter, indicator) is the row of the latest batch not reverted;
- only new and changed values are written; unchanged ones are counted, not duplicated;
- `revert(B)` marks B reverted (recorded as a batch of its own): for every value B wrote, what was
  current before B is current again, unless a later batch wrote the same value, which stays;
- a cumulative upload is turned into flows with values stored by earlier batches; it depends on
  them, and reverting one of those is refused while the dependent batch stands.

>>> prepared = prepare(store, "2024Q3.xlsx", data, user="王芳")        # doctest: +SKIP
>>> result = commit(store, prepared)                                   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import Issue, LoadError, ParsedFile, Record, parse_file
from metrics.dictionary import Dictionary, Unit
from store.connection import Store
from store.dictionary import effective_dictionary
from store.facts import append_facts, current_user, new_batch
from store.queries import sql

Status = Literal["imported", "rejected", "duplicate", "ready"]
QUARTER_ZH = "一二三四"


@dataclass
class Prepared:
    """A file parsed and compared with the store, ready to commit (status 'ready') or not."""

    file: str
    sha256: str
    size: int
    user: str
    status: Status
    parsed: ParsedFile | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    table: pa.Table | None = None  # values to store, with the stored value and the change (diff_incoming.sql)
    depends_on: set[int] = field(default_factory=set)
    duplicate_of: int | None = None

    @functools.cached_property
    def rows(self) -> pd.DataFrame:
        """The table as pandas, for the upload page's preview."""
        return pd.DataFrame() if self.table is None else self.table.to_pandas()

    @property
    def n_values(self) -> int:
        return 0 if self.table is None else self.table.num_rows

    @functools.cached_property
    def counts(self) -> dict[str, int]:
        found = {"new": 0, "changed": 0, "unchanged": 0}
        if self.table is not None:
            for item in pc.value_counts(self.table["change"]).to_pylist():
                found[item["values"]] = int(item["counts"])
        return found


@dataclass
class ImportResult:
    file: str
    status: Status
    batch_id: int | None
    values: int
    counts: dict[str, int]
    warnings: list[Issue]
    errors: list[Issue]


def store_units(con: duckdb.DuckDBPyConnection) -> list[Unit]:
    rows = con.execute(
        "SELECT code, name, aliases, level, sort_order FROM units ORDER BY sort_order"
    ).fetchall()
    return [Unit(r[0], r[1], tuple(r[2] or ()), r[3], r[4]) for r in rows]


def _issue(file: str, message: str, code: str, rec: Record | None = None) -> Issue:
    if rec is None:
        return Issue("error", file, None, None, None, message, code)
    return Issue("error", file, rec.sheet, rec.row, rec.column, message, code)


def _period_zh(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_ZH[quarter - 1]}季度"


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
    con: duckdb.DuckDBPyConnection, file: str, records: list[Record], dictionary: Dictionary
) -> tuple[list[tuple[Record, float]], list[Issue], list[Issue], set[int]]:
    """Cumulative flows become quarterly: Q(n) = C(n) − C(n−1), C(n−1) from the file or the store.

    Returns (records with the value to store, errors, warnings, batches depended on).
    """
    out: list[tuple[Record, float]] = []
    errors: list[Issue] = []
    warnings: list[Issue] = []
    depends: set[int] = set()
    if not any(r.cumulative for r in records):
        return [(r, r.value) for r in records], errors, warnings, depends
    kinds = {i.code: i.kind for i in dictionary}
    groups: dict[tuple[str, str, int], dict[int, Record]] = defaultdict(dict)
    for r in records:
        kind = kinds.get(r.indicator, "flow")
        if not r.cumulative or r.quarter is None or kind == "stock":
            out.append((r, r.value))
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
            out.append((rec, flow))
            prev_cum, prev_q = rec.value, q
    return out, errors, warnings, depends


INCOMING_SCHEMA = pa.schema(
    [
        ("unit_code", pa.string()),
        ("year", pa.int16()),
        ("quarter", pa.int8()),
        ("indicator", pa.string()),
        ("value", pa.float64()),
        ("approximate", pa.bool_()),
        ("source_sheet", pa.string()),
        ("source_row", pa.int32()),
        ("source_column", pa.string()),
    ]
)


def _diff(con: duckdb.DuckDBPyConnection, values: list[tuple[Record, float]]) -> pa.Table:
    """The values to store, each with the current stored value and 'new' / 'changed' / 'unchanged'.

    Built column-wise into Arrow and compared in DuckDB: a provincial file has ~250,000 values.
    """
    rows = [
        (r.unit_code, r.year, r.quarter, r.indicator, v, r.approximate, r.sheet, r.row, r.column)
        for r, v in values
    ]
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in INCOMING_SCHEMA]
    incoming = pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, INCOMING_SCHEMA, strict=True)], schema=INCOMING_SCHEMA
    )
    con.register("_incoming", incoming)
    try:
        return con.sql(sql("diff_incoming")).to_arrow_table()
    finally:
        con.unregister("_incoming")


def prepare(
    store: Store,
    name: str,
    data: bytes,
    *,
    user: str | None = None,
    period: tuple[int, int | None] | None = None,
    cumulative: bool | None = None,
    today: dt.date | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    dictionary: Dictionary | None = None,
) -> Prepared:
    """Parse and compare with the store; writes nothing."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~250,000 records alive: generational GC passes would cost more than the work itself
    try:
        return _prepare(store, name, data, user, period, cumulative, today, max_bytes, dictionary)
    finally:
        if gc_was_enabled:
            gc.enable()


def _prepare(
    store: Store,
    name: str,
    data: bytes,
    user: str | None,
    period: tuple[int, int | None] | None,
    cumulative: bool | None,
    today: dt.date | None,
    max_bytes: int,
    dictionary: Dictionary | None,
) -> Prepared:
    sha = hashlib.sha256(data).hexdigest()
    base = Prepared(file=name, sha256=sha, size=len(data), user=user or current_user(), status="rejected")
    with store.connect() as con:  # short: the file is parsed without holding the database
        dup = con.execute(
            "SELECT min(id) FROM batches WHERE kind = 'import' AND sha256 = ? AND reverted_by IS NULL", [sha]
        ).fetchone()
        if dup and dup[0] is not None:
            base.status, base.duplicate_of = "duplicate", int(dup[0])
            return base
        units = store_units(con)
        dictionary = dictionary or effective_dictionary(con)
    try:
        parsed = parse_file(
            name,
            data,
            dictionary=dictionary,
            units=units,
            period=period,
            cumulative=cumulative,
            today=today,
            max_bytes=max_bytes,
        )
    except LoadError as exc:
        base.errors = list(exc.issues)
        return base
    base.parsed = parsed
    base.warnings = list(parsed.warnings)
    if not parsed.ok:
        base.errors = list(parsed.errors)
        return base
    with store.connect() as con:
        values, errors, warnings, depends = to_flows(con, name, parsed.records, dictionary)
        base.warnings += warnings
        if errors:
            base.errors = errors
            return base
        base.table = _diff(con, values)
        base.depends_on = depends
    base.status = "ready"
    return base


def commit(store: Store, prepared: Prepared) -> ImportResult:
    """Write a prepared file in one transaction; anything but status 'ready' writes nothing."""
    if prepared.status != "ready" or prepared.table is None:
        status: Status = "duplicate" if prepared.status == "duplicate" else "rejected"
        return ImportResult(
            prepared.file,
            status,
            prepared.duplicate_of,
            0,
            prepared.counts,
            prepared.warnings,
            prepared.errors,
        )
    counts = prepared.counts
    with store.transaction() as con:
        dup = con.execute(
            "SELECT min(id) FROM batches WHERE kind = 'import' AND sha256 = ? AND reverted_by IS NULL",
            [prepared.sha256],
        ).fetchone()
        if dup and dup[0] is not None:  # imported by someone else since prepare()
            return ImportResult(prepared.file, "duplicate", int(dup[0]), 0, counts, prepared.warnings, [])
        batch = new_batch(
            con,
            "import",
            file_name=prepared.file,
            sha256=prepared.sha256,
            size=prepared.size,
            user=prepared.user,
        )
        append_facts(con, batch, prepared.table, where="change <> 'unchanged'")
        con.execute(
            "UPDATE batches SET n_new = ?, n_changed = ?, n_unchanged = ? WHERE id = ?",
            [counts["new"], counts["changed"], counts["unchanged"], batch],
        )
        for dep in sorted(prepared.depends_on):
            con.execute("INSERT INTO batch_dependencies VALUES (?, ?)", [batch, dep])
    return ImportResult(prepared.file, "imported", batch, prepared.n_values, counts, prepared.warnings, [])


class RevertRefused(RuntimeError):
    """The batch cannot be reverted; the message says why."""


def revert(store: Store, batch_id: int, user: str | None = None) -> int:
    """Undo an import (recorded as a batch of kind 'revert'); returns the new batch's id."""
    with store.transaction() as con:
        row = con.execute(
            "SELECT kind, reverted_by, file_name FROM batches WHERE id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise RevertRefused(f"没有编号为 {batch_id} 的导入批次，请用 cppcc history 查看批次编号")
        kind, reverted_by, file_name = row
        if kind != "import":
            what = {"revert": "撤销记录", "demo": "演示数据"}.get(kind, kind)
            raise RevertRefused(f"批次 {batch_id} 是{what}，不是导入批次，不能撤销")
        if reverted_by is not None:
            raise RevertRefused(f"批次 {batch_id}（{file_name}）已于批次 {reverted_by} 撤销")
        deps = con.execute(
            "SELECT d.batch_id, b.file_name FROM batch_dependencies d JOIN batches b ON b.id = d.batch_id"
            " WHERE d.depends_on = ? AND b.reverted_by IS NULL ORDER BY d.batch_id",
            [batch_id],
        ).fetchall()
        if deps:
            names = "、".join(f"批次 {b}（{f}）" for b, f in deps)
            raise RevertRefused(
                f"不能撤销批次 {batch_id}（{file_name}）：{names}的累计数是据它换算为单季度数的。"
                "请先撤销这些批次，再撤销本批次"
            )
        new = new_batch(
            con, "revert", file_name=file_name, user=user, reverts=batch_id, note=f"撤销批次 {batch_id}"
        )
        con.execute("UPDATE batches SET reverted_by = ? WHERE id = ?", [new, batch_id])
    return new


@dataclass(frozen=True)
class BatchRow:
    id: int
    kind: str
    file_name: str | None
    user_name: str | None
    created_at: dt.datetime
    n_new: int
    n_changed: int
    n_unchanged: int
    reverts: int | None
    reverted_by: int | None
    sha256: str | None
    size_bytes: int | None
    note: str | None


def history(store: Store) -> list[BatchRow]:
    """Every batch, newest first."""
    with store.connect() as con:
        rows = con.execute(
            "SELECT id, kind, file_name, user_name, created_at, n_new, n_changed, n_unchanged, reverts,"
            " reverted_by, sha256, size_bytes, note FROM batches ORDER BY id DESC"
        ).fetchall()
    return [BatchRow(*r) for r in rows]
