"""A consistent copy of the whole store (`cppcc backup`), and putting one back (`cppcc restore`).

The copy is DuckDB's COPY FROM DATABASE (every table, view and sequence) made through one
connection, so it holds the file for the moment of the copy: a dashboard serving meanwhile waits,
then goes on. Each copy is verified table by table (row count and a checksum of every row) before it
is given its final name; a half-written copy never carries the name.

>>> checks = backup(store, Path("backup/2024-10-01.duckdb"))            # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from store.connection import Store
from store.copy import CopyError, copy_store
from store.errors import StoreError
from store.migrate import LATEST_VERSION
from store.pg import PgStore
from store.queries import quote_identifier

Checksums = dict[str, tuple[int, int]]


class BackupError(StoreError):
    """A copy could not be made or did not verify; nothing was replaced."""


def checksums(con: duckdb.DuckDBPyConnection, database: str) -> Checksums:
    """{table: (rows, checksum of every row)} for every table of an attached database."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND NOT temporary"
            " ORDER BY table_name",
            [database],
        ).fetchall()
    ]
    out: Checksums = {}
    for t in tables:
        ref = f"{quote_identifier(database)}.{quote_identifier(t)}"
        ((n, h),) = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {ref} t").fetchall()
        out[t] = (int(n), int(h) % (1 << 64))
    return out


def _copy(con: duckdb.DuckDBPyConnection, source: str, target: Path) -> Checksums:
    """Copy the attached database `source` into a new file `target`, verified; returns the checksums."""
    con.execute(f"ATTACH {_literal(target)} AS cppcc_copy_target")
    try:
        con.execute(f"COPY FROM DATABASE {quote_identifier(source)} TO cppcc_copy_target")
        want, got = checksums(con, source), checksums(con, "cppcc_copy_target")
    finally:
        con.execute("DETACH cppcc_copy_target")
    if want != got:
        bad = sorted(t for t in want if want[t] != got.get(t))
        raise BackupError(f"复制后核对不一致（表 {'、'.join(bad)}），未保存副本，请重试")
    return want


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def backup(store: Store, out: Path) -> Checksums:
    """Copy every table of the store into the new file `out`; returns {table: (rows, checksum)}."""
    if isinstance(store, PgStore):
        return _backup_pg(store, out)
    if not store.path.exists():
        raise BackupError(f"找不到数据库文件 {store.path}")
    if out.exists():
        raise BackupError(f"文件 {out} 已存在：请换一个文件名，备份不会覆盖已有文件")
    if out.resolve() == store.path.resolve():
        raise BackupError("备份文件不能与数据库是同一个文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = _part(out)
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        with store.connect() as con:
            ((name,),) = con.execute("SELECT current_database()").fetchall()
            sums = _copy(con, name, part)
        os.replace(part, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        raise
    return sums


def _backup_pg(store: PgStore, out: Path) -> Checksums:
    """A PostgreSQL store into a new DuckDB file: the copy-store machinery, verified, then named."""
    if not store.exists():
        raise BackupError(f"数据库 {store.label} 中还没有数据（请先运行 cppcc init）")
    if out.exists():
        raise BackupError(f"文件 {out} 已存在：请换一个文件名，备份不会覆盖已有文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = _part(out)
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        sums = copy_store(store, Store(part))
        os.replace(part, out)
    except CopyError as exc:
        raise BackupError(str(exc)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        with contextlib.suppress(FileNotFoundError):
            Path(f"{part}.wal").unlink()
    return sums


def _restore_pg(store: PgStore, source: Path, force: bool) -> Checksums:
    """A backup file into a PostgreSQL store, through a scratch copy (the backup itself is not touched,
    though an older one is migrated on the way)."""
    scratch = Path(tempfile.mkdtemp(prefix="cppcc-restore-")) / "source.duckdb"
    try:
        shutil.copyfile(source, scratch)
        return copy_store(Store(scratch), store, force=force)
    except CopyError as exc:
        raise BackupError(str(exc).replace("复制", "恢复")) from exc
    except duckdb.Error as exc:
        raise BackupError(f"无法读取备份文件 {source.name}：{exc}") from exc
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)


def restore(store: Store, source: Path, force: bool = False) -> Checksums:
    """Make the store a verified copy of `source` (a backup); refuses to replace data without `force`."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    if isinstance(store, PgStore):
        return _restore_pg(store, source, force)
    if source.resolve() == store.path.resolve():
        raise BackupError("备份文件就是当前数据库，无需恢复")
    if store.path.exists() and not force:
        with store.connect() as con:
            ((n,),) = con.execute("SELECT count(*) FROM batches").fetchall()
        if n:
            raise BackupError(
                f"数据库 {store.path} 中已有数据（{n} 个批次）：恢复会替换全部数据。确认要替换请加 --force"
                "（建议先用 cppcc backup 备份当前数据）"
            )
    store.path.parent.mkdir(parents=True, exist_ok=True)
    part = _part(store.path)
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH {_literal(source)} AS cppcc_restore_source (READ_ONLY)")
            rows = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'cppcc_restore_source'"
                " AND table_name = 'schema_version'"
            ).fetchall()
            if not rows[0][0]:
                raise BackupError(f"{source.name} 不是本系统的数据库备份（缺少 schema_version 表）")
            ((version,),) = con.execute(
                "SELECT coalesce(max(version), 0) FROM cppcc_restore_source.schema_version"
            ).fetchall()
            if int(version) > LATEST_VERSION:
                raise BackupError(
                    f"备份的结构版本 {version} 比本程序支持的 {LATEST_VERSION} 新，请升级后再恢复"
                )
            sums = _copy(con, "cppcc_restore_source", part)
        except duckdb.Error as exc:
            raise BackupError(f"无法读取备份文件 {source.name}：{exc}") from exc
        finally:
            con.close()
        if store.path.exists():
            with store.connect():  # wait for the file's lock: no import is half-way when it is replaced
                pass
        os.replace(part, store.path)
        with contextlib.suppress(FileNotFoundError):
            Path(f"{store.path}.wal").unlink()
        store.reset()  # the restored file may be of an older schema: migrate it on the next open
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        raise
    return sums
