"""Shared fixtures: a fresh DuckDB file per test from the real schema, and one demo database per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.build import build_demo
from store.connection import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store (schema created on first connect)."""
    return Store(tmp_path / "test.duckdb", busy_timeout=2.0)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built once per test run; tests must not write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(Store(path))
    return path
