"""Builds (or rebuilds) the embedded demo data: 九江市's units, 2019 Q1 to the latest complete quarter.

Refuses to touch a database holding real imports, so `cppcc demo` can never destroy staff's work.
"""

from __future__ import annotations

import datetime as dt

from demo.generate import generate, latest_complete_quarter
from demo.member_rows import demo_members, write_demo_members
from domain.dictionary import demo_units, load_dictionary
from store.connection import Store
from store.errors import StoreError
from store.facts import append_facts, new_batch
from store.units import upsert_units


class NotDemoDatabase(StoreError):
    """The database holds imported data; demo data would mix with it."""


def build_demo(store: Store, today: dt.date | None = None) -> tuple[int, int]:
    """Replace the demo batch in one transaction; returns (batch id, number of values).

    The batch holds the county figures and, agreeing with them, a roster and an activity log
    (demo.members, demo.member_rows) for the same units and quarters.
    """
    last = latest_complete_quarter(today or dt.date.today())
    units = demo_units()
    frame = generate(units, load_dictionary(), last=last)
    members = demo_members(units, frame)
    with store.transaction() as con:
        row = con.execute("SELECT count(*) FROM batches WHERE kind <> 'demo'").fetchone()
        if row and row[0]:
            raise NotDemoDatabase(
                f"数据库 {store.path} 中已有导入的数据（{row[0]} 个批次），不能在其中生成演示数据。"
                "请用 --db 指定另一个文件，例如 cppcc --db data/demo.duckdb demo"
            )
        for table in ("facts", "member_log", "member_roster"):
            con.execute(f"DELETE FROM {table} WHERE batch_id IN (SELECT id FROM batches WHERE kind = 'demo')")
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
        write_demo_members(con, batch, members)
        con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [n, batch])
    return batch, n
