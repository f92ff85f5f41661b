"""The mirror's tables in PostgreSQL's terms, for store/pg.py: their columns and keys as DuckDB has them,
PostgreSQL's types for DuckDB's (no TINYINT there: smallint), the DDL that makes PostgreSQL's tables
match the mirror's after a migration (and the documented views, store/sql/pg_views.sql), and rows moved
either way (Arrow into DuckDB, COPY into PostgreSQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from store.errors import StoreError
from store.queries import quote_identifier

PG_VIEWS = Path(__file__).resolve().parent / "sql" / "pg_views.sql"
VIEWS = (
    "member_activities",
    "members_current",
    "current_roster",
    "indicator_values",
    "current_facts",
)  # dropped before a schema change, in this order

_PG_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "BLOB": "bytea",
}
_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "SMALLINT": pa.int16(),
    "TINYINT": pa.int8(),
    "DOUBLE": pa.float64(),
    "FLOAT": pa.float32(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
    "DATE": pa.date32(),
    "BLOB": pa.binary(),
}


def pg_type(duck_type: str) -> str:
    if duck_type.endswith("[]"):
        return pg_type(duck_type[:-2]) + "[]"
    base = re.sub(r"\(.*\)$", "", duck_type)
    if base not in _PG_TYPES:
        raise StoreError(f"列类型 {duck_type} 没有对应的 PostgreSQL 类型")
    return _PG_TYPES[base]


def arrow_type(duck_type: str) -> pa.DataType:
    if duck_type.endswith("[]"):
        return pa.list_(arrow_type(duck_type[:-2]))
    return _ARROW_TYPES[re.sub(r"\(.*\)$", "", duck_type)]


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str, bool]]  # name, DuckDB type, nullable
    key: list[str]  # primary key columns; empty when none

    @property
    def names(self) -> list[str]:
        return [c[0] for c in self.columns]

    def col_list(self) -> str:
        return ", ".join(quote_identifier(c) for c in self.names)


def mirror_tables(con: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    """The mirror's tables (not temporary), with their columns and primary keys."""
    out: dict[str, Table] = {}
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'"
        " ORDER BY table_name"
    ).fetchall():
        cols = con.execute(
            "SELECT column_name, data_type, is_nullable FROM duckdb_columns()"
            " WHERE table_name = ? AND NOT internal AND schema_name = 'main' ORDER BY column_index",
            [name],
        ).fetchall()
        keys = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints()"
            " WHERE table_name = ? AND constraint_type = 'PRIMARY KEY' AND schema_name = 'main'",
            [name],
        ).fetchall()
        out[name] = Table(name, [(c, t, bool(n)) for c, t, n in cols], list(keys[0][0]) if keys else [])
    return out


def rows_to_arrow(table: Table, rows: list[tuple[Any, ...]]) -> pa.Table:
    arrays = [pa.array([r[i] for r in rows], type=arrow_type(t)) for i, (_, t, _) in enumerate(table.columns)]
    return pa.Table.from_arrays(arrays, names=table.names)


def sync_schema(pg: Any, before: dict[str, Table], after: dict[str, Table]) -> set[str]:
    """Make PostgreSQL's tables match the mirror's (new tables, new columns, dropped tables) and
    (re)make the views; returns the tables made."""
    exists = {
        r[0]
        for r in pg.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
    }
    made: set[str] = set()
    views_down = False

    def drop_views() -> None:
        nonlocal views_down
        if not views_down:
            for v in VIEWS:
                pg.execute(f"DROP VIEW IF EXISTS {quote_identifier(v)}")
            views_down = True

    for name, table in after.items():
        if name not in exists:
            cols = [
                f"{quote_identifier(c)} {pg_type(t)}{'' if nullable else ' NOT NULL'}"
                for c, t, nullable in table.columns
            ]
            if table.key:
                cols.append(f"PRIMARY KEY ({', '.join(quote_identifier(k) for k in table.key)})")
            pg.execute(f"CREATE TABLE {quote_identifier(name)} ({', '.join(cols)})")
            made.add(name)
            continue
        have = {
            r[0]
            for r in pg.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s",
                [name],
            ).fetchall()
        }
        for c, t, _ in table.columns:
            if c not in have:
                drop_views()
                pg.execute(
                    f"ALTER TABLE {quote_identifier(name)} ADD COLUMN {quote_identifier(c)} {pg_type(t)}"
                )
                made.add(name)
    for name in before:
        if name not in after and name in exists:
            drop_views()
            pg.execute(f"DROP TABLE {quote_identifier(name)}")
            made.add(name)
    views = pg_views(set(after))
    missing = any((pg.execute("SELECT to_regclass(%s) IS NULL", [v]).fetchone() or (True,))[0] for v in views)
    if "facts" in after and (views_down or missing):  # not at every start: DROP VIEW blocks readers
        drop_views()
        for statement in views.values():
            pg.execute(statement)
    return made


_VIEW = re.compile(r"CREATE VIEW (\w+) AS")
_SOURCES = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)\b(?!\.)")  # not extract(year FROM l.date)


def pg_views(tables: set[str]) -> dict[str, str]:
    """The documented views (store/sql/pg_views.sql) whose tables the store has, name → statement, in
    order: a store still at an older schema (upgraded step by step) gets those it can have."""
    out: dict[str, str] = {}
    for statement in PG_VIEWS.read_text(encoding="utf-8").split(";\n"):
        m = _VIEW.search(statement)
        if m and all(src in tables or src in out for src in _SOURCES.findall(statement)):
            out[m.group(1)] = statement
    return out


def copy_in(pg: Any, table: Table, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with (
        pg.cursor() as c,
        c.copy(f"COPY {quote_identifier(table.name)} ({table.col_list()}) FROM STDIN") as cp,
    ):
        for r in rows:
            cp.write_row(r)
