"""The one place that opens the DuckDB file.

DuckDB lets one process hold a database file for writing, and a second process cannot open it at
all meanwhile. So every caller (the dashboard's queries, the `cppcc` command, the upload page)
opens the file for a short unit of work and closes it again, and an open that meets another
process's lock is retried for a while before failing with a message that says what to do. DuckDB
itself keeps the file consistent (write-ahead log, atomic checkpoints), so a killed process never
corrupts it; an unfinished transaction is simply not there when the file is opened again.

>>> store = Store(Path("data/cppcc.duckdb"))            # doctest: +SKIP
>>> with store.connect() as con:                         # doctest: +SKIP
...     con.sql("SELECT count(*) FROM indicator_values").fetchone()
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from store.errors import StoreError
from store.migrate import migrate
from store.sessions import MemorySessions, Sessions

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cppcc.duckdb"
DEFAULT_BUSY_TIMEOUT = 15.0  # seconds an open waits for another process's lock

_LOCK_RE = re.compile(r"(Could not set lock|Conflicting lock|database is locked)", re.I)
_PID_RE = re.compile(r"PID (\d+)")


# DuckDB shares one database instance among a process's connections to a file, and opening while
# another thread closes the last connection races ("Unique file handle conflict"): opens and closes
# in this process take turns. Both are quick; the work in between runs concurrently.
_OPEN_CLOSE = threading.Lock()


@cache
def _memory_sessions(path: str) -> MemorySessions:
    return MemorySessions()


class StoreBusy(StoreError):
    """Another process held the database file for longer than the busy timeout."""


class StoreConflict(StoreError):
    """Two writers in this process changed the same rows at once; the caller may retry."""


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--db PATH wins, then the CPPCC_DB environment variable, then data/cppcc.duckdb."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("CPPCC_DB")
    return Path(env) if env else DEFAULT_DB


def resolve_target(cli_value: str | os.PathLike[str] | None = None) -> str | Path:
    """As resolve_db_path, but a `scheme://` value stays a URL (PostgreSQL), never a path."""
    value = str(cli_value) if cli_value else os.environ.get("CPPCC_DB")
    if value and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        return value
    return resolve_db_path(cli_value)


def busy_message(path: Path, detail: str) -> str:
    pid = _PID_RE.search(detail)
    who = f"（进程号 {pid.group(1)}）" if pid else ""
    return (
        f"数据库文件 {path} 正被另一个程序{who}占用，等待后仍未释放。"
        "请稍后重试；若是看板或另一条 cppcc 命令正在导入数据，请等它完成后再运行。"
    )


@dataclass
class Store:
    """A DuckDB file, opened per unit of work. The schema is created or upgraded on first use."""

    path: Path
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    _migrated: bool = field(default=False, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.busy_timeout
        delay = 0.02
        while True:
            try:
                with _OPEN_CLOSE:
                    return duckdb.connect(str(self.path))
            except (duckdb.IOException, duckdb.ResourceInUseException) as exc:
                if isinstance(exc, duckdb.IOException) and not _LOCK_RE.search(str(exc)):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(busy_message(self.path, str(exc))) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    @property
    def label(self) -> str:
        """What messages call the store: the file's path (a PostgreSQL URL without its password)."""
        return str(self.path)

    @property
    def target(self) -> str:
        """What `--db` takes to open this store again (a path, or the PostgreSQL URL)."""
        return str(self.path)

    @property
    def key(self) -> str:
        """A string naming the store, for cache keys."""
        return str(self.path)

    def exists(self) -> bool:
        """Whether the store is there (the file; for PostgreSQL, its schema)."""
        return self.path.exists()

    def close(self) -> None:
        """Nothing to close: each unit of work opens and closes the file."""

    @property
    def sessions(self) -> Sessions:
        """Signed-in sessions: in this process (one server holds a DuckDB file)."""
        return _memory_sessions(str(self.path))

    def shared_secret(self) -> str | bytes:
        """The key that signs session cookies: random, kept in `<file>.secret` (mode 0600)."""
        path = Path(f"{self.path}.secret")
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()

    def reset(self) -> None:
        """Forget that the file was migrated (it was replaced, e.g. by a restore)."""
        self._migrated = False

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one short unit of work; closed (and the lock released) on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._open()
        try:
            if not self._migrated:
                with self._lock:
                    if not self._migrated:
                        migrate(con)
                        self._migrated = True
            yield con
        finally:
            with _OPEN_CLOSE:
                con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commits on success, rolls back on any exception."""
        with self.connect() as con:
            con.begin()
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            try:
                con.commit()
            except duckdb.TransactionException as exc:
                raise StoreConflict("另一项导入同时修改了相同的数据，本次未保存，请重试。") from exc

    def version(self) -> tuple[int, int]:
        """A cheap change marker (no open): the file's and its WAL's modification times.

        Any write by any process changes it, so cached query results keyed on it stay right.
        """
        marks = []
        for p in (self.path, Path(f"{self.path}.wal")):
            try:
                marks.append(p.stat().st_mtime_ns)
            except FileNotFoundError:
                marks.append(0)
        return marks[0], marks[1]
