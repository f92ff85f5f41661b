"""Benchmark: each page's server-side run (AppTest) cold and warm, next to its raw DuckDB queries alone.

A provincial-scale store: 150 units, 10 years of quarters, every indicator (demo generator). In one run,
for each page of the navigation: the first AppTest run (cold caches), then warm reruns (median), and
the time of the page's raw queries: every call the cold run made to the query functions
(QUERY_FUNCTIONS: metrics.aggregate.compute, store.read …) replayed uncached on a fresh connection. Targets
(issue #4): every page warm ≤ 300 ms and ≤ 3× its raw query time.

    .venv/bin/python bench/pages_speed.py [--runs 5] [--postgres]

With --postgres every page runs a second time on a PostgreSQL store holding the same data (copy-store into
a throwaway cluster): its cold and warm times, and warm PostgreSQL ÷ warm DuckDB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_store(path: Path) -> None:
    from bench.import_speed import units
    from demo.generate import generate
    from domain.dictionary import load_dictionary
    from store.connection import Store
    from store.facts import append_facts, new_batch
    from store.units import upsert_units

    us = units()
    df = generate(us, load_dictionary(), first=(2016, 1), last=(2025, 4))
    with Store(path).transaction() as con:
        upsert_units(con, us)
        b = new_batch(con, "import", file_name="provincial.xlsx", user="bench")
        append_facts(con, b, df)


# The functions through which pages ask DuckDB (module, attribute): recorded during a page's cold run
# and replayed uncached on one fresh connection — the page's raw queries alone.
QUERY_FUNCTIONS = (
    ("metrics.aggregate", "compute"),
    ("store.read", "units"),
    ("store.read", "reported_quarters"),
    ("store.read", "reported_years"),
    ("store.read", "is_demo"),
    ("store.reporting", "status"),
    ("store.targets", "targets"),
    ("store.presets", "list_presets"),
    ("store.history", "history"),
    ("ui.data", "effective_dictionary"),
)


class Recorder:
    """Wraps the query functions; each call made with a connection is kept (function, args) for replay."""

    def __init__(self) -> None:
        import importlib

        self.calls: list[tuple[object, tuple, dict]] = []
        self.saved: list[tuple[object, str, object]] = []
        for mod_name, attr in QUERY_FUNCTIONS:
            mod = importlib.import_module(mod_name)
            fn = getattr(mod, attr, None)
            if fn is None:
                continue
            self.saved.append((mod, attr, fn))
            setattr(mod, attr, self._wrap(fn))

    def _wrap(self, fn):  # type: ignore[no-untyped-def]
        import duckdb

        def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
            if args and isinstance(args[0], duckdb.DuckDBPyConnection):
                self.calls.append((fn, args[1:], kwargs))
            return fn(*args, **kwargs)

        return recorded

    def restore(self) -> None:
        for mod, attr, fn in self.saved:
            setattr(mod, attr, fn)

    def replay(self, path: Path) -> float:
        """The recorded calls, uncached, on one fresh connection (opening it included)."""
        from store.connection import Store

        t0 = time.perf_counter()
        with Store(path).connect() as con:
            for fn, args, kwargs in self.calls:
                fn(con, *args, **kwargs)  # type: ignore[operator]
        return time.perf_counter() - t0


def page_times(
    path: Path, page: str, runs: int, target: str | None = None
) -> tuple[float, float, float | None]:
    """(cold, warm median, raw queries median or None when the page asks DuckDB nothing). `target`: the
    page runs on that store (PostgreSQL) instead; its raw queries are still timed on the file."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CPPCC_DB"] = target or str(path)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    recorder = Recorder()
    try:
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
    finally:
        recorder.restore()
    assert not at.exception, at.exception
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    raw = statistics.median(recorder.replay(path) for _ in range(runs)) if recorder.calls else None
    return cold, statistics.median(warm), raw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--postgres",
        action="store_true",
        help="also run every page on a PostgreSQL store holding the same data (a throwaway cluster)",
    )
    args = ap.parse_args()
    import logging

    from streamlit.logger import get_logger

    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api"):
        get_logger(name).setLevel(logging.ERROR)  # bare-mode warnings on every run, not news
    from ui.navigation import PAGES

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "provincial.duckdb"
        build_store(path)
        cluster, url = None, None
        if args.postgres:
            from store.copy import copy_store
            from store.open import open_store
            from tests.pgcluster import start_cluster

            cluster = start_cluster()
            url = cluster.new_database()
            target = open_store(url)
            copy_store(open_store(str(path)), target)
            target.close()
        head = f"{'page':24s} {'cold ms':>8s} {'warm ms':>8s} {'raw ms':>8s} {'warm/raw':>8s}"
        print(head + (f" {'pg cold':>8s} {'pg warm':>8s} {'pg/duck':>8s}" if url else ""))
        try:
            for p in PAGES:
                cold, warm, raw = page_times(path, p.path, args.runs)
                raw_ms, ratio = (
                    (f"{raw * 1000:8.0f}", f"{warm / raw:8.2f}") if raw else (f"{'—':>8s}", f"{'—':>8s}")
                )
                line = f"{p.path:24s} {cold * 1000:8.0f} {warm * 1000:8.0f} {raw_ms} {ratio}"
                if url:
                    pg_cold, pg_warm, _ = page_times(path, p.path, args.runs, target=url)
                    line += f" {pg_cold * 1000:8.0f} {pg_warm * 1000:8.0f} {pg_warm / warm:8.2f}"
                print(line, flush=True)
        finally:
            if cluster is not None:
                from tests.pgcluster import remove

                remove(cluster)


if __name__ == "__main__":
    main()
