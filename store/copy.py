"""`cppcc copy-store`: a whole store — every table: history, batches, kept files, targets, presets,
decks, dictionary additions, accounts, audit log — from one store into another, DuckDB file or
PostgreSQL either way, verified table by table (row count and a checksum of every row, computed by
DuckDB on both sides: the target is read back from where it was written, not from what was sent).

The copy is one transaction of the target: a refusal or a failure while copying leaves it as it was.
"""

from __future__ import annotations

import re

import duckdb

from store.connection import Store
from store.errors import StoreError
from store.queries import quote_identifier

Checksums = dict[str, tuple[int, int]]


class CopyError(StoreError):
    """The copy was refused or did not verify; the target is unchanged."""


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()"
            " AND schema_name = 'main' ORDER BY table_name"
        ).fetchall()
    ]


def store_checksums(con: duckdb.DuckDBPyConnection) -> Checksums:
    """{table: (rows, checksum of every row)} of the connection's database, in column-name order."""
    out: Checksums = {}
    for t in table_names(con):
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = current_database()"
                " AND schema_name = 'main' ORDER BY column_name",
                [t],
            ).fetchall()
        ]
        row = ", ".join(quote_identifier(c) for c in cols)
        ((n, h),) = con.execute(
            f"SELECT count(*), coalesce(sum(hash(({row}))), 0) FROM {quote_identifier(t)}"
        ).fetchall()
        out[t] = (int(n), int(h) % (1 << 64))
    return out


def advance_sequences(con: duckdb.DuckDBPyConnection) -> None:
    """Every sequence past the largest id of the column it fills (after rows were written with ids)."""
    for table, column, default in con.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns()"
        " WHERE column_default LIKE 'nextval(%' AND database_name = current_database() AND schema_name = 'main'"
    ).fetchall():
        m = re.search(r"nextval\('([A-Za-z_][A-Za-z0-9_]*)'", default)
        if not m:
            continue
        seq = m.group(1)
        ((top,),) = con.execute(
            f"SELECT coalesce(max({quote_identifier(column)}), 0) FROM {quote_identifier(table)}"
        ).fetchall()
        ((nxt,),) = con.execute(f"SELECT nextval('{seq}')").fetchall()
        if int(nxt) <= int(top):
            con.execute(f"SELECT max(nextval('{seq}')) FROM range({int(top) - int(nxt)})")


def copy_store(source: Store, target: Store, force: bool = False) -> Checksums:
    """Make `target` a verified copy of `source`; refuses to replace a target's data without `force`."""
    if source.key == target.key:
        raise CopyError("源和目标是同一个数据库")
    if not source.exists():
        raise CopyError(f"找不到源数据库 {source.label}")
    with source.connect() as src:
        want = store_checksums(src)
        with target.transaction() as dst:
            ((n,),) = dst.execute("SELECT count(*) FROM batches").fetchall()
            if n and not force:
                raise CopyError(
                    f"目标数据库 {target.label} 中已有数据（{n} 个批次）：复制会替换全部数据。确认要替换请加 --force"
                )
            theirs, mine = set(want), set(table_names(dst))
            if theirs != mine:
                raise CopyError(
                    "两个数据库的表不一致（"
                    + "、".join(sorted(theirs ^ mine))
                    + "）：请先用同一版本的 cppcc 打开两边，使结构都是最新"
                )
            for t in sorted(mine):
                ref = quote_identifier(t)
                dst.execute(f"DELETE FROM {ref}")
                rows = src.sql(f"SELECT * FROM {ref}").to_arrow_table()
                if rows is not None and rows.num_rows:
                    cols = ", ".join(quote_identifier(c) for c in rows.column_names)
                    dst.register("cppcc_copy_rows", rows)
                    dst.execute(f"INSERT INTO {ref} ({cols}) SELECT {cols} FROM cppcc_copy_rows")
                    dst.unregister("cppcc_copy_rows")
            advance_sequences(dst)
    target.reset()
    with target.connect() as dst:  # read back from where it was written
        got = store_checksums(dst)
    if got != want:
        bad = sorted(t for t in want if want[t] != got.get(t))
        raise CopyError(f"复制后核对不一致（表 {'、'.join(bad)}），请重试")
    return want
