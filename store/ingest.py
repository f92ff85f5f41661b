"""Imports a parsed file into the store, all or nothing (reverting lives in store/history.py).

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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.dictionary import Dictionary, Unit
from loaders import Book, Issue, Limits, LoadError, ParsedFile, Records, parse_book, read_book
from store.connection import Store
from store.cross_rules import check_import
from store.demo import demo_values, has_demo, remove_demo
from store.dictionary import effective_dictionary
from store.facts import current_user, insert_facts, new_batch
from store.flows import to_flows
from store.incoming import compare_with_store, incoming_table
from store.queries import sql
from store.read import store_units

Status = Literal["imported", "rejected", "duplicate", "ready"]
NO_UNITS = (
    "数据库中还没有填报单位，无法对应表中的单位。请先导入单位列表（cppcc units import 单位列表.csv，"
    "或在“单位管理”页添加），再导入报表"
)
DEMO_REFUSED = (
    "数据库中是演示数据：导入真实数据前须删除演示数据（演示与真实数据不能混在一起）。"
    "命令行请加 --replace-demo 确认删除演示数据并导入；或在“数据管理”页删除演示数据"
)


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
    dictionary: Dictionary | None = None  # the one the file was read with; commit turns flows with it
    replaces_demo: int = 0  # demo values the store holds: compared as if gone, removed by commit
    data: bytes | None = field(default=None, repr=False)  # the file itself, kept with its batch

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
    replaced_demo: int = 0  # demo values removed in the same transaction (the store's first real import)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # hidden and chart sheets, with why


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
    compare: bool = True,
    book: Book | None = None,
) -> Prepared:
    """Parse and (with `compare`) compare with the store; writes nothing. `book` is the file already
    read (the upload page reads it once to tell an indicator sheet from a member roster).

    Without `compare` the file is only read and checked (status 'ready' when it may be committed):
    `commit` compares in its own transaction anyway, so an import that shows no preview skips a pass.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~250,000 records alive: generational GC passes would cost more than the work itself
    try:
        return _prepare(
            store, name, data, user, period, cumulative, today, max_bytes, dictionary, compare, book
        )
    finally:
        if gc_was_enabled:
            gc.enable()


def _stored_context(
    store: Store, sha: str, dictionary: Dictionary | None
) -> tuple[int | None, list[Unit], Dictionary, int]:
    """(batch that already imported this file, units, dictionary, demo values) from one short connection."""
    with store.connect() as con:
        (dup,) = con.execute(
            "SELECT min(id) FROM batches WHERE kind = 'import' AND sha256 = ? AND reverted_by IS NULL", [sha]
        ).fetchall()
        return (
            None if dup[0] is None else int(dup[0]),
            store_units(con),
            dictionary or effective_dictionary(con),
            demo_values(con),
        )


@contextmanager
def _without_demo(store: Store, demo: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that sees the store as it will be after the import: without the demo values.

    The demo data is removed inside a transaction that is rolled back, so the preview's comparison
    and cumulative flows are computed against real figures only, and nothing is written.
    """
    with store.connect() as con:
        if not demo:
            yield con
            return
        con.begin()
        try:
            remove_demo(con)
            yield con
        finally:
            con.rollback()


def approximate_warnings(file: str, records: Records, dictionary: Dictionary) -> list[Issue]:
    """One warning per approximate figure (53余, 约1800): imported as the number, marked approximate."""
    if not any(records.approximate):
        return []
    return [
        Issue(
            "warning",
            file,
            r.sheet,
            r.row,
            r.column,
            f"“{dictionary[r.indicator].name if r.indicator in dictionary else r.indicator}”为约数"
            f"（表中写有“余”“约”“多”等字样），按 {r.value:g} 导入并标记为约数",
            "approximate",
        )
        for r in records
        if r.approximate
    ]


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
    compare: bool,
    given: Book | None = None,
) -> Prepared:
    sha = hashlib.sha256(data).hexdigest()
    base = Prepared(file=name, sha256=sha, size=len(data), user=user or current_user(), status="rejected")
    # The file is read while another thread fetches what reading it needs from the store (DuckDB and
    # zlib release the GIL): the database is held only for that short query, not while parsing.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cppcc-prepare") as pool:
        stored = pool.submit(_stored_context, store, sha, dictionary)
        try:
            book: Book | None = given or read_book(name, data, Limits(max_bytes=max_bytes))
            unreadable = None
        except LoadError as exc:
            book, unreadable = None, exc
        duplicate_of, units, dictionary, demo = stored.result()
    if duplicate_of is not None:
        base.status, base.duplicate_of = "duplicate", duplicate_of
        return base
    if unreadable is not None or book is None:
        base.errors = list(unreadable.issues) if unreadable is not None else []
        return base
    if not units:  # every row would be refused as an unknown unit, with misleading 合计 warnings
        base.errors = [Issue("error", name, None, None, None, NO_UNITS, "no_units")]
        return base
    parsed = parse_book(
        name,
        data,
        book,
        dictionary=dictionary,
        units=units,
        period=period,
        cumulative=cumulative,
        today=today,
    )
    base.parsed = parsed
    base.dictionary = dictionary
    base.replaces_demo = demo
    base.data = data
    base.warnings = list(parsed.warnings) + approximate_warnings(name, parsed.records, dictionary)
    if not parsed.ok:
        base.errors = list(parsed.errors)
        return base
    if not compare:
        base.status = "ready"
        return base
    with _without_demo(store, demo) as con:
        values, errors, warnings, depends = to_flows(con, name, parsed.records, dictionary)
        base.warnings += warnings
        if errors:
            base.errors = errors
            return base
        base.table = compare_with_store(con, values)
        base.depends_on = depends
        errors, warnings = check_import(con, name, base.table, dictionary)  # rules across files
        base.warnings += warnings
        if errors:
            base.errors = errors
            return base
    base.status = "ready"
    return base


def commit(
    store: Store, prepared: Prepared, *, replace_demo: bool = False, user: str | None = None
) -> ImportResult:
    """Write a prepared file in one transaction (see `_commit_prepared`); the result lists the sheets
    that were not read (hidden, charts), as the page does."""
    result = _commit_prepared(store, prepared, replace_demo, user)
    result.skipped_sheets = list(prepared.parsed.skipped_sheets) if prepared.parsed else []
    return result


def _commit_prepared(store: Store, prepared: Prepared, replace_demo: bool, user: str | None) -> ImportResult:
    """Write a prepared file in one transaction; anything but status 'ready' writes nothing.

    The comparison with the store is made again inside the transaction (another import may have
    landed since `prepare`), so the counts and the values written are those of the moment of writing.
    A store holding demo data takes a real import only with `replace_demo` (the page states it above
    its confirm button, the CLI wants --replace-demo): the demo values go in the same transaction,
    so demo and real figures never mix. `user` (who confirmed) overrides the name given to prepare.
    """
    if user:
        prepared.user = user
    parsed, dictionary = prepared.parsed, prepared.dictionary
    if prepared.status != "ready" or parsed is None or dictionary is None:
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
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with store.transaction() as con:
            if has_demo(con):
                if not replace_demo:
                    return ImportResult(
                        prepared.file,
                        "rejected",
                        None,
                        0,
                        prepared.counts,
                        prepared.warnings,
                        [Issue("error", prepared.file, None, None, None, DEMO_REFUSED, "demo_data")],
                    )
                removed = remove_demo(con, user=prepared.user)
                result = _commit(con, prepared, parsed, dictionary)
                if result.status != "imported":
                    raise _Undo(result)  # nothing of it stays, the demo data included
                result.replaced_demo = removed
                return result
            return _commit(con, prepared, parsed, dictionary)
    except _Undo as undo:
        return undo.result
    finally:
        if gc_was_enabled:
            gc.enable()


class _Undo(Exception):
    """Rolls the transaction back while handing its result on (an import that did not go through)."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result


def _commit(
    con: duckdb.DuckDBPyConnection, prepared: Prepared, parsed: ParsedFile, dictionary: Dictionary
) -> ImportResult:
    (dup,) = con.execute(
        "SELECT min(id) FROM batches WHERE kind = 'import' AND sha256 = ? AND reverted_by IS NULL",
        [prepared.sha256],
    ).fetchall()
    if dup[0] is not None:  # imported by someone else since prepare()
        return ImportResult(
            prepared.file, "duplicate", int(dup[0]), 0, prepared.counts, prepared.warnings, []
        )
    values, errors, warnings, depends = to_flows(con, prepared.file, parsed.records, dictionary)
    if prepared.table is None:
        prepared.warnings += warnings  # prepare did not turn the flows: their warnings are new
    if errors:  # the stored quarters a cumulative upload needs were reverted since prepare()
        return ImportResult(prepared.file, "rejected", None, 0, prepared.counts, prepared.warnings, errors)
    incoming = incoming_table(values)
    errors, warnings = check_import(con, prepared.file, incoming, dictionary)  # rules across files
    if prepared.table is None:
        prepared.warnings += warnings
    if errors:  # stored plus incoming would break a rule (landed since prepare(), or not previewed)
        return ImportResult(prepared.file, "rejected", None, 0, prepared.counts, prepared.warnings, errors)
    batch = new_batch(
        con,
        "import",
        file_name=prepared.file,
        sha256=prepared.sha256,
        size=prepared.size,
        user=prepared.user,
    )
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    con.register("_incoming", incoming)
    try:
        ((stored,),) = con.execute(sql("incoming_stored")).fetchall()
        if stored == 0:  # periods not stored yet for these units (a new quarter's figures): all new
            counts["new"] = insert_facts(con, batch, f"({sql('incoming_new')})")
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _diffed AS {sql('diff_incoming')}")
            for change, n in con.execute("SELECT change, count(*) FROM _diffed GROUP BY change").fetchall():
                counts[change] = int(n)
            insert_facts(con, batch, "_diffed", where="change <> 'unchanged'")
            con.execute("DROP TABLE _diffed")
    finally:
        con.unregister("_incoming")
    con.execute(
        "UPDATE batches SET n_new = ?, n_changed = ?, n_unchanged = ? WHERE id = ?",
        [counts["new"], counts["changed"], counts["unchanged"], batch],
    )
    for dep in sorted(depends):
        con.execute("INSERT INTO batch_dependencies VALUES (?, ?)", [batch, dep])
    if prepared.data is not None:
        con.execute("INSERT INTO batch_files VALUES (?, ?)", [batch, prepared.data])
    n_values = sum(counts.values())
    return ImportResult(prepared.file, "imported", batch, n_values, counts, prepared.warnings, [])
