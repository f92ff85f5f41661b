"""Versioned schema migrations: `store/migrations/NNN_name.sql`, applied in order, each once.

A newer release opens an older file and upgrades it in place; each migration runs in its own
transaction together with its row in `schema_version`, so a failed upgrade leaves the file as it was.
After the schema, the indicator dictionary from `data/indicators.csv` is synced into `indicators`.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from domain.dictionary import Dictionary, load_dictionary
from store.errors import SchemaTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME_RE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, Path]]:
    """All migration files, by version number."""
    found = []
    for p in MIGRATIONS_DIR.iterdir():
        m = _NAME_RE.match(p.name)
        if m:
            found.append((int(m.group(1)), p))
    return sorted(found)


LATEST_VERSION = migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """0 for an empty file."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(
    con: duckdb.DuckDBPyConnection, upto: int | None = None, dictionary: Dictionary | None = None
) -> int:
    """Apply the pending migrations (up to `upto`, for tests) and sync the dictionary; returns the version."""
    current = schema_version(con)
    if current > LATEST_VERSION:
        raise SchemaTooNew(
            f"数据库的结构版本 {current} 比本程序支持的 {LATEST_VERSION} 新，"
            "请升级 cppcc-dashboard 后再打开。"
        )
    for version, path in migrations():
        if version <= current or (upto is not None and version > upto):
            continue
        con.begin()
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [version])
            con.commit()
        except Exception:
            con.rollback()
            raise
        current = version
    if current >= 1:
        sync_dictionary(con, dictionary or load_dictionary())
    return current


def sync_dictionary(con: duckdb.DuckDBPyConnection, dictionary: Dictionary) -> None:
    """Insert new indicators and update changed ones; indicators only in the file are kept."""
    rows = [
        (
            i.code,
            i.name,
            i.domain,
            i.unit,
            i.kind,
            list(i.aliases),
            i.numerator,
            i.denominator,
            i.not_above,
            list(i.parts),
            i.description,
            i.sort_order,
        )
        for i in dictionary
    ]
    existing = {
        r[0]: tuple(r)
        for r in con.execute(
            "SELECT code, name, domain, unit, kind, aliases, numerator, denominator, not_above, parts,"
            " description, sort_order FROM indicators"
        ).fetchall()
    }
    todo = [r for r in rows if existing.get(r[0]) != r]
    if not todo:
        return
    con.begin()
    con.executemany(
        "INSERT OR REPLACE INTO indicators (code, name, domain, unit, kind, aliases, numerator, denominator,"
        " not_above, parts, description, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        todo,
    )
    con.commit()
