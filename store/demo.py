"""The demo data in the store: whether it is there, and removing it when a store starts real (demo and
real figures never mix). Building it is `demo.build` (the demo package sits above the store).
"""

from __future__ import annotations

import duckdb

from store.facts import new_batch


def demo_values(con: duckdb.DuckDBPyConnection) -> int:
    """How many stored values come from the generated demo data (0 once it was removed)."""
    ((n,),) = con.execute(
        "SELECT count(*) FROM facts WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo')"
    ).fetchall()
    return int(n)


def has_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store still holds the demo batch (real imports must remove it first)."""
    ((n,),) = con.execute("SELECT count(*) FROM batches WHERE kind = 'demo'").fetchall()
    return bool(n)


def remove_demo(con: duckdb.DuckDBPyConnection, user: str | None = None) -> int:
    """Delete the demo values and batch inside the caller's transaction; returns how many values went.

    Units stay (the demo's are 九江市's real ones); the removal is recorded as a batch of kind
    'demo_removed', so 数据管理 shows when and by whom the store started real.
    """
    if not has_demo(con):
        return 0
    n = demo_values(con)
    con.execute("DELETE FROM facts WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo')")
    for table in ("member_log", "member_roster"):  # the demo roster and activity log go with it
        con.execute(f"DELETE FROM {table} WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo')")
    con.execute("DELETE FROM batches WHERE kind = 'demo'")
    new_batch(con, "demo_removed", user=user, note=f"删除演示数据 {n} 个数值")
    return n
