"""The store a `--db` value (or CPPCC_DB) names: a DuckDB file by path, PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path

from store.connection import DEFAULT_BUSY_TIMEOUT, Store, resolve_target
from store.errors import StoreError
from store.pg import PgStore, is_url, redact

_STORES: dict[tuple[str, float], Store] = {}


def open_store(
    value: str | os.PathLike[str] | None = None,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    shared: bool = False,
) -> Store:
    """`Store` for a path, `PgStore` for postgresql://…; any other scheme is refused (never a path).

    `shared`: one store object per target in this process (the dashboard: one pool, one mirror)."""
    target = resolve_target(value)
    if isinstance(target, str):
        if not is_url(target):
            raise StoreError(
                f"不支持的数据库地址 {redact(target)}：请用文件路径或 postgresql://用户@主机:端口/库名"
            )
        key = (target, busy_timeout)
        if shared and key in _STORES:
            return _STORES[key]
        store: Store = PgStore(Path("/nonexistent"), busy_timeout, url=target)
        if shared:
            _STORES[key] = store
        return store
    return Store(Path(target), busy_timeout=busy_timeout)
