"""PostgreSQL as the shared store: many dashboard instances and `cppcc` runs, on many machines, over one
database (`--db postgresql://USER@HOST:PORT/DB`).

PostgreSQL holds the data; each process keeps an in-memory DuckDB copy of it (the *mirror*) and runs
every query — the analysis SQL, the views, the ingest's diffs — there, in DuckDB's one dialect, as on
the embedded store. So the two backends share all of the store's SQL and cannot disagree.

Reading (`connect()`, `version()`): one query asks PostgreSQL which tables changed since the mirror
last looked (`cppcc_changes`, bumped in the writing transaction), at most every FRESH_SECONDS (0.5 s;
a page run asks many times); tables that only grew (facts, the audit log, the kept files: append-only,
by id) are brought up to date with the rows after the mirror's last id, the others are read again
whole. An import on one instance shows on another's next page run (within 0.5 s); on its own at once.

Writing (`transaction()`): one PostgreSQL transaction that first takes the store's write lock (an
advisory lock: writers of every instance and every CLI run take turns; a cumulative import reads the
quarters before it and the consistency rules read stored figures, so writes never interleave), brings
the mirror up to date, runs the caller's work on the mirror in a DuckDB transaction, then writes what
changed — new rows of the append-only tables, and for the others the rows that differ from a snapshot
taken at the start — into PostgreSQL, and commits. A failure anywhere rolls both back; a failure of
PostgreSQL's commit itself marks the mirror stale, and it is read again whole. Nothing is half-written.

The schema: the migrations in `store/migrations/` are the one source. They run on the mirror, and the
tables they make are made in PostgreSQL from the mirror's columns (`store/pg_schema.py`: PostgreSQL has no
TINYINT, so it is smallint); the documented views are in `store/sql/pg_views.sql`, PostgreSQL's
spelling of the same views. A URL's password is never printed (`redact`); PGPASSWORD and ~/.pgpass
work as for psql.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import duckdb

from store.connection import Store, StoreConflict
from store.copy import advance_sequences
from store.errors import StoreError, StoreUnavailable
from store.migrate import LATEST_VERSION, migrate
from store.pg_schema import Table, copy_in, mirror_tables, rows_to_arrow, sync_schema
from store.queries import quote_identifier
from store.sessions import PgSessions, Sessions

SCHEMES = ("postgresql://", "postgres://")
# How long what PostgreSQL said about changes is taken as current: a page run asks many times, and an
# import elsewhere then shows on this instance's pages within this time (its own writes at once).
FRESH_SECONDS = float(os.environ.get("CPPCC_PG_FRESH_SECONDS", "0.5"))
# The pool retries a lost server in the background and says so at WARNING; without a handler of its own
# Python would print that (in English) on a CLI user's terminal: our StoreUnavailable message says it.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
WRITE_LOCK = 0x63707063  # "cppc": pg_advisory_xact_lock's key for the store's writers
# Append-only tables and the key that only grows: a change there is new rows (a deletion, as when the
# demo data is removed, is seen from the row count and the table is then written whole).
APPEND_ONLY = {
    "facts": "id", "audit_log": "id", "batch_files": "batch_id", "member_roster": "id", "member_log": "id",
}  # fmt: skip


def is_url(target: str | Path | None) -> bool:
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL with its password replaced by ***, for every message and log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


@dataclass
class PgStore(Store):
    """A PostgreSQL store behind an in-memory DuckDB mirror; used exactly like `Store`."""

    url: str = ""
    pool_size: int = 4
    _mirror: duckdb.DuckDBPyConnection | None = field(default=None, init=False, repr=False)
    _pool: Any = field(default=None, init=False, repr=False)
    _known: dict[str, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)
    _sync: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _stale: bool = field(default=True, init=False, repr=False)
    _checked: float = field(default=-1e9, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path("/nonexistent/cppcc-postgresql-store")  # never a file: see exists()/label

    # -- the Store interface ------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return redact(self.url)

    @property
    def key(self) -> str:
        return self.label

    @property
    def target(self) -> str:
        return self.url

    def exists(self) -> bool:
        """Whether the database holds a store (its schema made); False when it is empty. Asked at
        every page run and service call: once this process has opened the store, the answer is known."""
        if self._migrated:
            return True
        with self._pg() as pg:
            row = pg.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        return bool(row and row[0])

    def reset(self) -> None:
        with self._sync:
            self._stale = True
            self._migrated = False
            self._checked = -1e9

    def version(self) -> tuple[int, int]:
        """The store-wide change counter of what the mirror holds: any write by any instance raises it
        (seen here within FRESH_SECONDS; this process's own writes at once)."""
        self._ready()
        self._fresh()
        return (max((v for v, _ in self._known.values()), default=0), 0)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the mirror, brought up to date first. For reading: write in `transaction()`."""
        self._ready()
        self._fresh()
        cur = self._db().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _fresh(self) -> None:
        """Ask PostgreSQL what changed, at most every FRESH_SECONDS (a page run asks many times)."""
        if time.monotonic() - self._checked < FRESH_SECONDS:
            return
        if self._sync.acquire(blocking=False):  # a writer of this process holds it: read as it was
            try:
                with self._pg() as pg, pg.transaction():
                    pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one moment's view
                    self._refresh(pg)
                self._checked = time.monotonic()
            finally:
                self._sync.release()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing across PostgreSQL and the mirror, under the store's write lock."""
        self._ready()
        with self._sync, self._pg() as pg:
            try:
                with pg.transaction():
                    pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                    self._refresh(pg)
                    cur = self._db().cursor()
                    try:
                        tables = mirror_tables(cur)
                        before = self._snapshot(cur, tables)
                        cur.begin()
                        try:
                            yield cur
                            if mirror_tables(cur).keys() != tables.keys():
                                raise StoreError("写入时改变了表结构：表结构只能由迁移改变")
                            changed = self._push(pg, cur, tables, before)
                        except BaseException:
                            cur.rollback()
                            raise
                        try:
                            cur.commit()
                        except duckdb.TransactionException as exc:
                            raise StoreConflict(
                                "另一项操作同时修改了相同的数据，本次未保存，请重试。"
                            ) from exc
                    finally:
                        cur.close()  # its temporary snapshot tables go with it
            except BaseException:
                self._stale = True  # the mirror may hold what PostgreSQL does not: read it again whole
                raise
            self._known.update(changed)

    @property
    def sessions(self) -> Sessions:
        """Signed-in sessions in the shared database: every instance honours them."""
        self._ready()
        return PgSessions(self._pg)

    def shared_secret(self) -> str | bytes:
        """The cookie-signing key, made once in the shared database (every instance signs alike)."""
        self._ready()
        with self._pg() as pg:
            pg.execute(
                "INSERT INTO cppcc_secrets (name, value) VALUES ('cookie', %s) ON CONFLICT (name) DO NOTHING",
                [secrets.token_urlsafe(48)],
            )
            row = pg.execute("SELECT value FROM cppcc_secrets WHERE name = 'cookie'").fetchone()
        return str(row[0]).encode()

    # -- PostgreSQL ---------------------------------------------------------------------------------

    def _pool_open(self) -> Any:
        if self._pool is None:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(
                self.url,
                min_size=1,
                max_size=self.pool_size,
                open=False,
                timeout=self.busy_timeout,
                check=ConnectionPool.check_connection,  # a connection broken by a restart is replaced
                kwargs={"autocommit": True, "application_name": "cppcc-dashboard"},
                name="cppcc",
            )
            self._pool.open(wait=False)
        return self._pool

    @contextmanager
    def _pg(self) -> Iterator[Any]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self._pool_open().connection() as pg:
                yield pg
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreUnavailable(
                f"数据库暂时不可用（{self.label}）：连接不上 PostgreSQL。请稍后重试；服务恢复后看板会自动重新连接。"
            ) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    # -- the mirror ---------------------------------------------------------------------------------

    def _db(self) -> duckdb.DuckDBPyConnection:
        if self._mirror is None:
            self._mirror = duckdb.connect(":memory:")
        return self._mirror

    def _ready(self) -> None:
        """Make (or upgrade) the schema in PostgreSQL and fill the mirror, once per process."""
        if self._migrated and not self._stale:
            return
        with self._sync:
            if self._migrated and not self._stale:
                return
            with self._pg() as pg, pg.transaction():
                pg.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                pg.execute(
                    "CREATE TABLE IF NOT EXISTS cppcc_changes (tbl text PRIMARY KEY,"
                    " version bigint NOT NULL, full_version bigint NOT NULL)"
                )
                pg.execute("CREATE SEQUENCE IF NOT EXISTS cppcc_change_seq")
                pg.execute(
                    "CREATE TABLE IF NOT EXISTS cppcc_sessions (key text PRIMARY KEY, account text NOT NULL,"
                    " last_seen timestamptz NOT NULL DEFAULT now())"
                )
                pg.execute(
                    "CREATE TABLE IF NOT EXISTS cppcc_secrets (name text PRIMARY KEY, value text NOT NULL)"
                )
                version = 0
                if (pg.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone() or (False,))[0]:
                    row = pg.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
                    version = int(row[0]) if row else 0
                # a new mirror (readers still holding a cursor of the old one finish on it)
                self._mirror = duckdb.connect(":memory:")
                cur = self._mirror.cursor()
                migrate(cur, upto=version)
                self._known = {}
                self._refresh(pg, whole=True)
                before_tables = mirror_tables(cur)
                before = self._snapshot(cur, before_tables)
                migrate(cur)  # the pending migrations and the dictionary, on the mirror
                after = mirror_tables(cur)
                made = sync_schema(pg, before_tables, after)
                kept = {t: table for t, table in after.items() if t in before_tables and t not in made}
                self._known.update(self._push(pg, cur, kept, before))  # usually nothing to write
                for t in sorted(set(after) - set(kept)):  # a table made or altered just now: written whole
                    self._push_table(pg, cur, after[t], None, whole=True)
                self._known.update(self._bump(pg, made, full=True))
                cur.close()
            self._migrated = True
            self._stale = False
            self._checked = time.monotonic()

    def _refresh(self, pg: Any, whole: bool = False) -> None:
        """Bring the mirror up to date with PostgreSQL (in the caller's PostgreSQL transaction)."""
        versions = {
            r[0]: (int(r[1]), int(r[2]))
            for r in pg.execute("SELECT tbl, version, full_version FROM cppcc_changes").fetchall()
        }
        if not whole and all(self._known.get(t) == v for t, v in versions.items()):
            return
        con = self._db().cursor()
        try:
            tables = mirror_tables(con)
            exists = {
                r[0]
                for r in pg.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                ).fetchall()
            }
            con.begin()
            for name, table in tables.items():
                if name not in exists:
                    continue
                seen = self._known.get(name)
                now = versions.get(name, (0, 0))
                if not whole and seen == now:
                    continue
                key = APPEND_ONLY.get(name)
                if whole or seen is None or key is None or now[1] != seen[1]:
                    con.execute(f"DELETE FROM {quote_identifier(name)}")
                    rows = pg.execute(f"SELECT {table.col_list()} FROM {quote_identifier(name)}").fetchall()
                else:
                    ((last,),) = con.execute(
                        f"SELECT coalesce(max({quote_identifier(key)}), -1) FROM {quote_identifier(name)}"
                    ).fetchall()
                    rows = pg.execute(
                        f"SELECT {table.col_list()} FROM {quote_identifier(name)} WHERE {quote_identifier(key)} > %s",
                        [last],
                    ).fetchall()
                if rows:
                    con.register("cppcc_rows", rows_to_arrow(table, rows))
                    con.execute(
                        f"INSERT INTO {quote_identifier(name)} ({table.col_list()}) SELECT * FROM cppcc_rows"
                    )
                    con.unregister("cppcc_rows")
            con.commit()
            advance_sequences(con)
        except BaseException:
            with contextlib.suppress(Exception):
                con.rollback()
            raise
        finally:
            con.close()
        self._known = versions

    def _snapshot(self, con: duckdb.DuckDBPyConnection, tables: dict[str, Table]) -> dict[str, Any]:
        """What each table holds before a write: its rows (small tables) or its last id and count."""
        out: dict[str, Any] = {}
        for name in tables:
            key = APPEND_ONLY.get(name)
            if key:
                out[name] = con.execute(
                    f"SELECT coalesce(max({quote_identifier(key)}), -1), count(*) FROM {quote_identifier(name)}"
                ).fetchall()[0]
            else:
                snap = f"_before_{name}"
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {quote_identifier(snap)} AS SELECT * FROM {quote_identifier(name)}"
                )
                out[name] = snap
        return out

    def _push(
        self, pg: Any, con: duckdb.DuckDBPyConnection, tables: dict[str, Table], before: dict[str, Any]
    ) -> dict[str, tuple[int, int]]:
        """Write what the work changed in `tables` into PostgreSQL; returns their new versions."""
        grown: set[str] = set()
        whole: set[str] = set()
        for name, table in tables.items():
            key = APPEND_ONLY.get(name)
            if key:
                last, count = before[name]
                ((n_old, n_all),) = con.execute(
                    f"SELECT count(*) FILTER (WHERE {quote_identifier(key)} <= ?), count(*)"
                    f" FROM {quote_identifier(name)}",
                    [last],
                ).fetchall()
                if n_old != count:
                    self._push_table(pg, con, table, None, whole=True)
                    whole.add(name)
                elif n_all > n_old:
                    rows = con.execute(
                        f"SELECT {table.col_list()} FROM {quote_identifier(name)} WHERE {quote_identifier(key)} > ?"
                        f" ORDER BY {quote_identifier(key)}",
                        [last],
                    ).fetchall()
                    copy_in(pg, table, rows)
                    grown.add(name)
            elif self._push_table(pg, con, table, before[name], whole=False):
                whole.add(name)
        return self._bump(pg, grown, full=False) | self._bump(pg, whole, full=True)

    def _push_table(
        self, pg: Any, con: duckdb.DuckDBPyConnection, table: Table, snapshot: str | None, whole: bool
    ) -> set[str]:
        """Write the table's changes against `snapshot` (or all of it); returns {name} if it changed."""
        ref = quote_identifier(table.name)
        if whole or snapshot is None:
            pg.execute(f"DELETE FROM {ref}")
            copy_in(pg, table, con.execute(f"SELECT {table.col_list()} FROM {ref}").fetchall())
            return {table.name}
        snap = f"temp.{quote_identifier(snapshot)}"
        cols = table.col_list()
        gone = con.execute(f"SELECT {cols} FROM {snap} EXCEPT ALL SELECT {cols} FROM {ref}").fetchall()
        new = con.execute(f"SELECT {cols} FROM {ref} EXCEPT ALL SELECT {cols} FROM {snap}").fetchall()
        if not gone and not new:
            return set()
        names = table.names
        if table.key:
            idx = [names.index(k) for k in table.key]
            cond = " AND ".join(f"{quote_identifier(k)} = %s" for k in table.key)
            with pg.cursor() as c:
                c.executemany(f"DELETE FROM {ref} WHERE {cond}", [[r[i] for i in idx] for r in gone])
        else:
            cond = " AND ".join(f"{quote_identifier(c)} IS NOT DISTINCT FROM %s" for c in names)
            for r in gone:
                pg.execute(
                    f"DELETE FROM {ref} WHERE ctid IN (SELECT ctid FROM {ref} WHERE {cond} LIMIT 1)", list(r)
                )
        copy_in(pg, table, new)
        return {table.name}

    def _bump(self, pg: Any, tables: set[str], full: bool) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for name in sorted(tables):
            row = pg.execute(
                "INSERT INTO cppcc_changes (tbl, version, full_version)"
                " VALUES (%(t)s, nextval('cppcc_change_seq'), currval('cppcc_change_seq'))"
                " ON CONFLICT (tbl) DO UPDATE SET version = excluded.version,"
                " full_version = CASE WHEN %(full)s THEN excluded.full_version ELSE cppcc_changes.full_version END"
                " RETURNING version, full_version",
                {"t": name, "full": full},
            ).fetchone()
            out[name] = (int(row[0]), int(row[1]))
        return out


__all__ = ["LATEST_VERSION", "PgStore", "StoreUnavailable", "is_url", "redact"]
