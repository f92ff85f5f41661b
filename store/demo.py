"""Builds (or rebuilds) the embedded demo data: 九江市's units, 2019 Q1 to the latest complete quarter,
and removes it when a store starts real (demo and real figures never mix).

Refuses to touch a database holding real imports, so `cppcc demo` can never destroy staff's work.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from demo.generate import generate, latest_complete_quarter
from metrics.dictionary import demo_units, load_dictionary
from store.connection import Store
from store.errors import StoreError
from store.facts import append_facts, new_batch
from store.units import upsert_units


class NotDemoDatabase(StoreError):
    """The database holds imported data; demo data would mix with it."""


def build_demo(store: Store, today: dt.date | None = None) -> tuple[int, int]:
    """Replace the demo batch in one transaction; returns (batch id, number of values)."""
    last = latest_complete_quarter(today or dt.date.today())
    units = demo_units()
    frame = generate(units, load_dictionary(), last=last)
    with store.transaction() as con:
        row = con.execute("SELECT count(*) FROM batches WHERE kind <> 'demo'").fetchone()
        if row and row[0]:
            raise NotDemoDatabase(
                f"数据库 {store.path} 中已有导入的数据（{row[0]} 个批次），不能在其中生成演示数据。"
                "请用 --db 指定另一个文件，例如 cppcc --db data/demo.duckdb demo"
            )
        con.execute("DELETE FROM facts WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo')")
        con.execute("DELETE FROM batches WHERE kind = 'demo'")
        upsert_units(con, units)
        batch = new_batch(
            con,
            "demo",
            file_name="演示数据",
            user="cppcc demo",
            note=f"九江市演示数据 2019Q1–{last[0]}Q{last[1]}",
        )
        n = append_facts(con, batch, frame)
        con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [n, batch])
    return batch, n


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
    con.execute("DELETE FROM batches WHERE kind = 'demo'")
    new_batch(con, "demo_removed", user=user, note=f"删除演示数据 {n} 个数值")
    return n
