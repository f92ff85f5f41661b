"""Shared fixtures: a fresh store per test from the real schema — a DuckDB file, and the same tests again
on a PostgreSQL database of a throwaway cluster (one per xdist worker) — and one demo database per run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.build import build_demo
from store.connection import Store
from store.open import open_store
from tests.pgcluster import Cluster, pg_bin, remove, start_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of this worker on a free loopback port, removed at the end."""
    if pg_bin() is None:
        pytest.fail(
            "PostgreSQL is not installed: run the tests with python3 dev.py test (as root it installs it)"
        )
    cluster = start_cluster()
    yield cluster
    remove(cluster)


@pytest.fixture(params=["duckdb", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store (schema created on first connect): a DuckDB file, or a new PostgreSQL database."""
    if request.param == "duckdb":
        yield Store(tmp_path / "test.duckdb", busy_timeout=2.0)
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    pg = open_store(cluster.new_database(), busy_timeout=5.0)
    yield pg
    pg.close()


@pytest.fixture
def duck_store(tmp_path: Path) -> Store:
    """A DuckDB file store, for what only a file has (its lock, a kill -9 mid-write, a file backup)."""
    return Store(tmp_path / "test.duckdb", busy_timeout=2.0)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built once per test run; tests must not write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(Store(path))
    return path
