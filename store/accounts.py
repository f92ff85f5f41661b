"""Accounts, sessions and the audit log in the store. Hashing and the rules live in services.accounts;
here rows go in and out. The audit log is only ever appended to.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    units: tuple[str, ...]
    password_hash: str | None
    must_change: bool
    disabled: bool
    failed: int
    locked_until: dt.datetime | None
    created_at: dt.datetime | None = None


_COLS = "name, role, units, password_hash, must_change, disabled, failed, locked_until, created_at"


def _account(row: tuple) -> Account:
    units = tuple(str(u) for u in json.loads(row[2] or "[]"))
    return Account(
        str(row[0]), str(row[1]), units, row[3], bool(row[4]), bool(row[5]), int(row[6]), row[7], row[8]
    )


def count(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.execute("SELECT count(*) FROM accounts").fetchall()
    return int(rows[0][0])


def get(con: duckdb.DuckDBPyConnection, name: str) -> Account | None:
    rows = con.execute(f"SELECT {_COLS} FROM accounts WHERE name = ?", [name]).fetchall()
    return _account(rows[0]) if rows else None


def all_accounts(con: duckdb.DuckDBPyConnection) -> list[Account]:
    return [_account(r) for r in con.execute(f"SELECT {_COLS} FROM accounts ORDER BY name").fetchall()]


def insert(
    con: duckdb.DuckDBPyConnection, name: str, role: str, units: list[str], password_hash: str
) -> None:
    con.execute(
        "INSERT INTO accounts (name, role, units, password_hash) VALUES (?, ?, ?, ?)",
        [name, role, json.dumps(units), password_hash],
    )


def update(con: duckdb.DuckDBPyConnection, name: str, **fields: Any) -> None:
    """Set these columns of one account (names from the code, never from input)."""
    allowed = {"role", "units", "password_hash", "must_change", "disabled", "failed", "locked_until"}
    assert set(fields) <= allowed, fields
    values = [json.dumps(v) if k == "units" else v for k, v in fields.items()]
    sets = ", ".join(f"{k} = ?" for k in fields)
    con.execute(f"UPDATE accounts SET {sets}, updated_at = current_timestamp WHERE name = ?", [*values, name])


def append_audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
    outcome: str = "ok",
) -> None:
    """One line of the 操作日志 (the only statement that writes it)."""
    con.execute(
        "INSERT INTO audit_log (id, actor, address, action, outcome, detail)"
        " SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ? FROM audit_log",
        [actor, address, action, outcome, json.dumps(detail or {}, ensure_ascii=False, default=str)],
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str
    address: str | None
    action: str
    outcome: str
    detail: dict[str, Any]


def audit(
    con: duckdb.DuckDBPyConnection,
    since: dt.datetime | None = None,
    by: str | None = None,
    limit: int = 10_000,
) -> list[AuditRow]:
    rows = con.execute(
        "SELECT id, logged_at, actor, address, action, outcome, detail FROM audit_log"
        " WHERE (?::TIMESTAMP IS NULL OR logged_at >= ?::TIMESTAMP) AND (?::VARCHAR IS NULL OR actor = ?::VARCHAR)"
        " ORDER BY id DESC LIMIT ?",
        [since, since, by, by, limit],
    ).fetchall()
    return [
        AuditRow(int(r[0]), r[1], str(r[2]), r[3], str(r[4]), str(r[5]), json.loads(r[6] or "{}"))
        for r in rows
    ]
