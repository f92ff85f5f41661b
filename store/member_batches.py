"""What both member imports (store/roster.py, store/member_log.py) do around their own work: find the
same file imported already, count the demo rows a first real import removes, refuse what is not
ready, and — first thing in the write transaction — refuse a file that landed meanwhile or a demo
store without `replace_demo`, else remove the demo (demo and real records never mix)."""

from __future__ import annotations

from typing import Any

import duckdb

from loaders import Issue
from store.demo import has_demo, remove_demo
from store.ingest import DEMO_REFUSED, ImportResult, Status


def duplicate_of(con: duckdb.DuckDBPyConnection, kind: str, sha: str) -> int | None:
    """The batch of this kind that imported the same file (not reverted), or None."""
    ((dup,),) = con.execute(
        "SELECT min(id) FROM batches WHERE kind = ? AND sha256 = ? AND reverted_by IS NULL", [kind, sha]
    ).fetchall()
    return None if dup is None else int(dup)


def demo_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Demo values and roster rows a first real import removes (0: the store holds no demo)."""
    if not has_demo(con):
        return 0
    ((n,),) = con.execute(
        "SELECT (SELECT count(*) FROM facts WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo'))"
        " + (SELECT count(*) FROM member_roster WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo'))"
    ).fetchall()
    return int(n)


def not_ready(p: Any, counts: dict[str, int]) -> ImportResult:
    """The result of committing a file that was refused (or is a duplicate) at prepare: nothing written."""
    status: Status = "duplicate" if p.status == "duplicate" else "rejected"
    skipped = list(p.parsed.skipped_sheets) if p.parsed else []
    return ImportResult(
        p.file, status, p.duplicate_of, 0, counts, p.warnings, p.errors, skipped_sheets=skipped
    )


def begin_write(
    con: duckdb.DuckDBPyConnection, kind: str, p: Any, counts: dict[str, int], replace_demo: bool
) -> tuple[ImportResult | None, int]:
    """(refusal, None) when the same file landed since prepare or the store holds the demo and
    `replace_demo` is not given; else (None, demo rows removed)."""
    dup = duplicate_of(con, kind, p.sha256)
    if dup is not None:
        return ImportResult(p.file, "duplicate", dup, 0, counts, p.warnings, []), 0
    if not has_demo(con):
        return None, 0
    if not replace_demo:
        err = Issue("error", p.file, None, None, None, DEMO_REFUSED, "demo_data")
        return ImportResult(p.file, "rejected", None, 0, counts, p.warnings, [err]), 0
    return None, remove_demo(con, user=p.user)
