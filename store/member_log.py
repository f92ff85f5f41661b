"""Importing an activity log (履职活动登记): check every row against the roster and what is stored, in
SQL over the whole file, then write it as one batch, all or nothing.

A row is refused (the whole file with it) when its member is not in the roster, its name is not the
roster's name for that number, its date lies outside the member's term, or the same member, date,
type and count is stored already from another batch. Each error names sheet, row and column.

>>> p = prepare_log(store, "登记.xlsx", data, user="王芳")            # doctest: +SKIP
>>> commit_log(store, p).status                                      # doctest: +SKIP
'imported'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from loaders import Book, Issue, LoadError
from loaders.activity_log import ParsedLog, parse_log
from store.connection import Store
from store.demo import remove_demo
from store.facts import current_user, new_batch
from store.ingest import ImportResult, Status
from store.member_batches import begin_write, demo_rows, duplicate_of, not_ready
from store.queries import sql

CAP = 50  # errors of one kind listed; the rest counted


@dataclass
class LogPrepared:
    file: str
    sha256: str
    size: int
    user: str
    status: Status
    parsed: ParsedLog | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    duplicate_of: int | None = None
    replaces_demo: int = 0
    units: list[str] = field(default_factory=list)  # the units of the members the file names
    by_activity: dict[str, int] = field(default_factory=dict)  # activity code → rows
    data: bytes | None = field(default=None, repr=False)

    @property
    def n_values(self) -> int:
        return self.parsed.n_rows if self.parsed else 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": self.n_values if self.status in ("ready", "imported") else 0,
            "changed": 0,
            "unchanged": 0,
        }


def _incoming(parsed: ParsedLog) -> pa.Table:
    c = parsed.columns
    return pa.table({
        "rn": pa.array(range(parsed.n_rows), pa.int64()),
        "member_id": pa.array(c["member_id"], pa.string()),
        "name": pa.array(c["name"], pa.string()),
        "date": pa.array(c["date"], pa.date32()),
        "dated": pa.array(c["dated"], pa.bool_()),
        "activity": pa.array(c["activity"], pa.string()),
        "count": pa.array(c["count"], pa.int32()),
        "note": pa.array(c["note"], pa.string()),
        "source_sheet": pa.array(c["sheet"], pa.string()),
        "source_row": pa.array(c["row"], pa.int32()),
        "source_column": pa.array(c["column"], pa.string()),
    })  # fmt: skip


_ARROW: dict[int, tuple[ParsedLog, pa.Table]] = {}


def _incoming_once(parsed: ParsedLog) -> pa.Table:
    """The rows as Arrow, made once per parsed file (prepare checks them, commit checks them again)."""
    found = _ARROW.get(id(parsed))
    if found is None or found[0] is not parsed:
        _ARROW.clear()  # one file at a time: keep only the latest (1.2 M rows for a province's year)
        found = _ARROW[id(parsed)] = (parsed, _incoming(parsed))
    return found[1]


def check_log(con: duckdb.DuckDBPyConnection, parsed: ParsedLog) -> tuple[list[Issue], list[str]]:
    """(errors, units): every row against the roster and the stored log; `_log_checked` is left as a
    temp table of the rows with their member and unit resolved, for the commit to insert."""
    con.register("_log_in", _incoming_once(parsed))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _log_checked AS {sql('member_log_check')}")
    finally:
        con.unregister("_log_in")
    errors: list[Issue] = []
    for code, n, rows in con.execute(
        "SELECT problem, count(*), list(struct_pack(sheet := source_sheet, row := source_row, col := source_column,"
        " msg := message) ORDER BY rn)[1:?] FROM _log_checked WHERE problem IS NOT NULL GROUP BY problem ORDER BY min(rn)",
        [CAP],
    ).fetchall():
        for r in rows:
            errors.append(Issue("error", parsed.file, r["sheet"], r["row"], _col(code, r["col"]),
                                f"第{r['row']}行" + (f"“{_col(code, r['col'])}”列" if _col(code, r["col"]) else "")
                                + f"：{r['msg']}", code))  # fmt: skip
        if n > CAP:
            errors.append(Issue("error", parsed.file, None, None, None,
                                f"……另有 {n - CAP} 处同类问题（{code}）未逐一列出，请先改正上面的问题", code))  # fmt: skip
    units = [u for (u,) in con.execute(
        "SELECT DISTINCT unit_code FROM _log_checked WHERE unit_code IS NOT NULL ORDER BY 1").fetchall()]  # fmt: skip
    return errors, units


def _col(code: str, col: str | None) -> str | None:
    if code in ("unknown_member", "name_mismatch", "ambiguous_name"):
        return "委员编号" if code != "ambiguous_name" else "姓名"
    return col if code == "duplicate_stored" else ("日期" if code == "outside_term" else col)


def prepare_log(
    store: Store, name: str, data: bytes, *, user: str | None = None,
    period: tuple[int, int | None] | None = None, today: dt.date | None = None,
    max_bytes: int = 20 * 1024 * 1024, book: Book | None = None,
) -> LogPrepared:  # fmt: skip
    """Read an activity log and check it against the roster and the stored log; writes nothing."""
    sha = hashlib.sha256(data).hexdigest()
    base = LogPrepared(name, sha, len(data), user or current_user(), "rejected")
    with store.connect() as con:
        dup = duplicate_of(con, "activities", sha)
        demo = demo_rows(con)
    if dup is not None:
        base.status, base.duplicate_of = "duplicate", dup
        return base
    try:
        parsed = parse_log(name, data, book=book, period=period, today=today, max_bytes=max_bytes)
    except LoadError as exc:
        base.errors = list(exc.issues)
        return base
    base.parsed, base.data, base.replaces_demo = parsed, data, demo
    base.warnings = parsed.warnings
    if parsed.errors:
        base.errors = parsed.errors
        return base
    base.by_activity = {}
    for a, n in zip(parsed.columns["activity"], parsed.columns["count"], strict=True):
        base.by_activity[a] = base.by_activity.get(a, 0) + n
    with store.connect() as con:
        con.begin()
        try:
            if demo:  # checked as the store will be once the demo roster is gone
                remove_demo(con)
            base.errors, base.units = check_log(con, parsed)
        finally:
            con.rollback()
    if base.errors:
        return base
    base.status = "ready"
    return base


def commit_log(store: Store, prepared: LogPrepared, *, replace_demo: bool = False,
               user: str | None = None) -> ImportResult:  # fmt: skip
    """Write a prepared log in one transaction, checked again inside it; 'ready' only."""
    if user:
        prepared.user = user
    if prepared.status != "ready" or prepared.parsed is None:
        return not_ready(prepared, prepared.counts)
    skipped = list(prepared.parsed.skipped_sheets)
    with store.transaction() as con:
        refused, removed = begin_write(con, "activities", prepared, prepared.counts, replace_demo)
        if refused is not None:
            return refused
        errors, _ = check_log(con, prepared.parsed)
        if errors:  # a roster revert or another log landed since prepare()
            con.execute("DROP TABLE IF EXISTS _log_checked")
            return ImportResult(
                prepared.file, "rejected", None, 0, prepared.counts, prepared.warnings, errors
            )
        batch = new_batch(con, "activities", file_name=prepared.file, sha256=prepared.sha256,
                          size=prepared.size, user=prepared.user,
                          note=f"履职活动登记：{prepared.n_values} 条")  # fmt: skip
        con.execute(
            "INSERT INTO member_log (batch_id, member_id, unit_code, date, dated, activity, count, note,"
            " source_sheet, source_row, source_column)"
            " SELECT ?, member_id, unit_code, date, dated, activity, count, note, source_sheet, source_row,"
            " source_column FROM _log_checked ORDER BY rn",
            [batch],
        )
        con.execute("DROP TABLE _log_checked")
        con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [prepared.n_values, batch])
        if prepared.data is not None:
            con.execute("INSERT INTO batch_files VALUES (?, ?)", [batch, prepared.data])
    return ImportResult(prepared.file, "imported", batch, prepared.n_values, prepared.counts, prepared.warnings,
                        [], replaced_demo=removed, skipped_sheets=skipped)  # fmt: skip
