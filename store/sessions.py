"""Where signed-in sessions live: in the process for a DuckDB file (one server holds the file), in the
shared PostgreSQL database for PostgreSQL (any instance behind the balancer honours any session, and a
sign-out or a disabled account ends it everywhere).

A session is the SHA-256 of its token (the cookie holds the token; the store never does), the account,
and when it was last used.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol


class Sessions(Protocol):
    def put(self, key: str, account: str) -> None: ...
    def get(self, key: str) -> tuple[str, float] | None:
        """(account, seconds since last used), or None."""
        ...

    def touch(self, key: str) -> None: ...
    def drop(self, key: str) -> str | None:
        """Ends the session; returns its account (None: there was none)."""
        ...

    def drop_account(self, account: str) -> None: ...


class MemorySessions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._map: dict[str, tuple[str, float]] = {}

    def put(self, key: str, account: str) -> None:
        with self._lock:
            self._map[key] = (account, time.monotonic())

    def get(self, key: str) -> tuple[str, float] | None:
        with self._lock:
            found = self._map.get(key)
        return None if found is None else (found[0], time.monotonic() - found[1])

    def touch(self, key: str) -> None:
        with self._lock:
            if key in self._map:
                self._map[key] = (self._map[key][0], time.monotonic())

    def drop(self, key: str) -> str | None:
        with self._lock:
            found = self._map.pop(key, None)
        return found[0] if found else None

    def drop_account(self, account: str) -> None:
        with self._lock:
            for key in [k for k, (name, _) in self._map.items() if name == account]:
                del self._map[key]


class PgSessions:
    """The `cppcc_sessions` table of the PostgreSQL store (made by store/pg.py), read and written directly."""

    def __init__(self, pg: Any) -> None:
        self._pg = pg  # a context manager factory giving a pooled connection

    def put(self, key: str, account: str) -> None:
        with self._pg() as pg:
            pg.execute(
                "INSERT INTO cppcc_sessions (key, account, last_seen) VALUES (%s, %s, now())"
                " ON CONFLICT (key) DO UPDATE SET account = excluded.account, last_seen = now()",
                [key, account],
            )

    def get(self, key: str) -> tuple[str, float] | None:
        with self._pg() as pg:
            row = pg.execute(
                "SELECT account, extract(epoch FROM now() - last_seen) FROM cppcc_sessions WHERE key = %s",
                [key],
            ).fetchone()
        return None if row is None else (str(row[0]), float(row[1]))

    def touch(self, key: str) -> None:
        with self._pg() as pg:
            pg.execute("UPDATE cppcc_sessions SET last_seen = now() WHERE key = %s", [key])

    def drop(self, key: str) -> str | None:
        with self._pg() as pg:
            row = pg.execute("DELETE FROM cppcc_sessions WHERE key = %s RETURNING account", [key]).fetchone()
        return None if row is None else str(row[0])

    def drop_account(self, account: str) -> None:
        with self._pg() as pg:
            pg.execute("DELETE FROM cppcc_sessions WHERE account = %s", [account])
