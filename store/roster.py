"""Importing a roster (委员名册): preview what it changes, then write it as one batch, all or nothing.

A member's record is never updated in place: a roster that adds a member or changes one (a move to
another unit, a resignation's end date, a new sector) writes a new version of that record, and the
current roster is the latest version of a batch not reverted — so every change keeps its date (the
batch's) and a revert brings the earlier record back. Members the file does not list stay as they
were: leaving is an end date (任职终止), never a missing row.

>>> p = prepare_roster(store, "名册.xlsx", data, user="王芳")         # doctest: +SKIP
>>> commit_roster(store, p).status                                   # doctest: +SKIP
'imported'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from loaders import Book, Issue, LoadError
from loaders.roster import ROSTER_FIELDS, Member, ParsedRoster, parse_roster
from store.connection import Store
from store.facts import current_user, new_batch
from store.ingest import NO_UNITS, ImportResult, Status
from store.member_batches import begin_write, demo_rows, duplicate_of, not_ready
from store.read import store_units

FIELD_ZH = {
    "name": "姓名", "gender": "性别", "birth": "出生年月", "sector": "界别", "unit_code": "所在单位",
    "party": "党派", "term": "届次", "standing": "常委", "start_date": "任职起始", "end_date": "任职终止",
    "end_reason": "终止原因", "station": "委员工作站",
}  # fmt: skip
_COLS = ("member_id", *ROSTER_FIELDS)


@dataclass(frozen=True)
class RosterChange:
    """What a roster row does to the stored record: new, changed (field → (stored, file)), unchanged."""

    member: Member
    action: str  # new | changed | unchanged
    fields: dict[str, tuple[Any, Any]]


@dataclass
class RosterPrepared:
    file: str
    sha256: str
    size: int
    user: str
    status: Status
    parsed: ParsedRoster | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[RosterChange] = field(default_factory=list)
    duplicate_of: int | None = None
    replaces_demo: int = 0
    data: bytes | None = field(default=None, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "unchanged": 0, "ended": 0}
        for c in self.changes:
            out[c.action] += 1
            ends = c.action == "new" or (c.action == "changed" and "end_date" in c.fields)
            if ends and c.member.end_date is not None:
                out["ended"] += 1
        return out

    @property
    def units(self) -> list[str]:
        return sorted({c.member.unit_code for c in self.changes})

    @property
    def n_values(self) -> int:
        return len(self.changes)


def prepare_roster(store: Store, name: str, data: bytes, *, user: str | None = None, book: Book | None = None,
                   max_bytes: int = 20 * 1024 * 1024) -> RosterPrepared:  # fmt: skip
    """Read a roster and compare it with the stored one; writes nothing."""
    sha = hashlib.sha256(data).hexdigest()
    base = RosterPrepared(name, sha, len(data), user or current_user(), "rejected")
    with store.connect() as con:
        dup = duplicate_of(con, "roster", sha)
        units = store_units(con)
        demo = demo_rows(con)
    if dup is not None:
        base.status, base.duplicate_of = "duplicate", dup
        return base
    if not units:
        base.errors = [Issue("error", name, None, None, None, NO_UNITS, "no_units")]
        return base
    try:
        parsed = parse_roster(name, data, units=units, book=book, max_bytes=max_bytes)
    except LoadError as exc:
        base.errors = list(exc.issues)
        return base
    base.parsed, base.data, base.replaces_demo = parsed, data, demo
    base.warnings = parsed.warnings
    if parsed.errors:
        base.errors = parsed.errors
        return base
    with store.connect() as con:
        base.changes = compare_roster(con, parsed.members, without_demo=bool(demo))
    base.status = "ready"
    return base


def _stored(con: duckdb.DuckDBPyConnection, ids: list[str], without_demo: bool) -> dict[str, tuple]:
    con.register("_roster_ids", pa.table({"member_id": pa.array(ids or [""], pa.string())}))
    try:
        demo = " AND batch_id NOT IN (SELECT id FROM batches WHERE kind = 'demo')" if without_demo else ""
        rows = con.execute(
            f"SELECT {', '.join(_COLS)} FROM ("
            "  SELECT r.*, row_number() OVER (PARTITION BY r.member_id ORDER BY r.batch_id DESC, r.id DESC) AS rn"
            "  FROM member_roster r JOIN batches b ON b.id = r.batch_id"
            f"  WHERE b.reverted_by IS NULL AND b.kind <> 'revert'{demo}"
            "    AND r.member_id IN (SELECT member_id FROM _roster_ids)"
            ") WHERE rn = 1"
        ).fetchall()
    finally:
        con.unregister("_roster_ids")
    return {r[0]: r for r in rows}


def compare_roster(
    con: duckdb.DuckDBPyConnection, members: list[Member], without_demo: bool = False
) -> list[RosterChange]:
    """Each member of the file against its stored record (the demo's left out when it will go)."""
    stored = _stored(con, [m.member_id for m in members], without_demo)
    out = []
    for m in members:
        old = stored.get(m.member_id)
        if old is None:
            out.append(RosterChange(m, "new", {}))
            continue
        diff = {}
        for i, f in enumerate(ROSTER_FIELDS, start=1):
            new = getattr(m, f)
            if old[i] != new and not (old[i] in (None, "") and new in (None, "")):
                diff[f] = (old[i], new)
        out.append(RosterChange(m, "changed" if diff else "unchanged", diff))
    return out


def commit_roster(store: Store, prepared: RosterPrepared, *, replace_demo: bool = False,
                  user: str | None = None) -> ImportResult:  # fmt: skip
    """Write a prepared roster in one transaction (compared again inside it); 'ready' only."""
    if user:
        prepared.user = user
    if prepared.status != "ready" or prepared.parsed is None:
        return not_ready(prepared, prepared.counts)
    with store.transaction() as con:
        refused, removed = begin_write(con, "roster", prepared, prepared.counts, replace_demo)
        if refused is not None:
            return refused
        changes = compare_roster(con, prepared.parsed.members)
        prepared.changes = changes
        counts = prepared.counts
        batch = new_batch(con, "roster", file_name=prepared.file, sha256=prepared.sha256, size=prepared.size,
                          user=prepared.user, note=f"委员名册：新增 {counts['new']}，变更 {counts['changed']}")  # fmt: skip
        write = [c for c in changes if c.action != "unchanged"]
        if write:
            table = {col: [getattr(c.member, col) for c in write] for col in _COLS}
            table["changed"] = [",".join(c.fields) for c in write]
            table["source_sheet"] = [c.member.sheet for c in write]
            table["source_row"] = [c.member.row for c in write]
            con.register("_roster_new", pa.table(table))
            try:
                cols = ", ".join([*_COLS, "changed", "source_sheet", "source_row"])
                con.execute(
                    f"INSERT INTO member_roster (batch_id, {cols}) SELECT ?, {cols} FROM _roster_new", [batch]
                )
            finally:
                con.unregister("_roster_new")
        con.execute("UPDATE batches SET n_new = ?, n_changed = ?, n_unchanged = ? WHERE id = ?",
                    [counts["new"], counts["changed"], counts["unchanged"], batch])  # fmt: skip
        if prepared.data is not None:
            con.execute("INSERT INTO batch_files VALUES (?, ?)", [batch, prepared.data])
    result = ImportResult(prepared.file, "imported", batch, len(changes), counts, prepared.warnings, [],
                          replaced_demo=removed, skipped_sheets=_skipped(prepared))  # fmt: skip
    return result


def _skipped(p: RosterPrepared) -> list[tuple[str, str]]:
    return list(p.parsed.skipped_sheets) if p.parsed else []


def member_history(con: duckdb.DuckDBPyConnection, member_id: str) -> list[dict[str, Any]]:
    """Every version of a member's record, oldest first, with its batch, date and what changed."""
    cur = con.execute(
        f"SELECT r.batch_id, b.created_at, b.file_name, r.changed, r.source_sheet, r.source_row, {', '.join('r.' + c for c in _COLS)}"
        " FROM member_roster r JOIN batches b ON b.id = r.batch_id"
        " WHERE r.member_id = ? AND b.reverted_by IS NULL AND b.kind <> 'revert' ORDER BY r.batch_id, r.id",
        [member_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def fmt_field(f: str, value: Any) -> str:
    """A roster field for a preview line."""
    if value is None or value == "":
        return "（空）"
    if f == "standing":
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
