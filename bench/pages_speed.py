"""Benchmark: each page's server-side run (AppTest) cold and warm, next to its raw DuckDB queries alone.

A provincial-scale store: 150 units, 10 years of quarters, every indicator (demo generator). In one run,
for each page of the navigation: the first AppTest run (cold caches), then warm reruns (median), and
the time of the page's raw queries (metrics.aggregate.compute on the same windows, uncached). Targets
(issue #4): every page warm ≤ 300 ms and ≤ 3× its raw query time.

    .venv/bin/python bench/pages_speed.py [--runs 5]
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
    from metrics.dictionary import load_dictionary
    from store.connection import Store
    from store.facts import append_facts, new_batch
    from store.units import upsert_units

    us = units()
    df = generate(us, load_dictionary(), first=(2016, 1), last=(2025, 4))
    with Store(path).transaction() as con:
        upsert_units(con, us)
        b = new_batch(con, "import", file_name="provincial.xlsx", user="bench")
        append_facts(con, b, df)


KPI = (
    "proposals_submitted",
    "registration_rate",
    "reply_rate",
    "consult_total",
    "info_adopted",
    "member_participations",
)


def raw_queries(path: Path) -> float:
    """What the overview asks of DuckDB for its default view, uncached: KPI periods, sparklines, trend, ranking."""
    from metrics.aggregate import compute
    from metrics.periods import Period, quarters_between
    from store import read
    from store.connection import Store

    store = Store(path)
    t0 = time.perf_counter()
    with store.connect() as con:
        units = list(read.units(con)["code"])
        quarters = read.reported_quarters(con)
        read.reported_years(con)
        read.is_demo(con)
        y, q = quarters[-1]
        period = Period(y, q, "ytd") if q < 4 else Period(y)
        compute(con, [period, period.previous_year()], units, KPI)
        spark = quarters_between((y - 2, q), (y, q))[-8:]
        compute(con, [Period(a, b, "quarter") for a, b in spark], units, KPI)
        compute(con, [Period(a, b, "quarter") for a, b in quarters], units, ["proposals_submitted"])
        compute(con, [period], units, ["registration_rate"])
    return time.perf_counter() - t0


def page_times(path: Path, page: str, runs: int) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CPPCC_DB"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    assert not at.exception, at.exception
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from ui.navigation import PAGES

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "provincial.duckdb"
        build_store(path)
        raw = statistics.median(raw_queries(path) for _ in range(args.runs))
        print(f"{'page':24s} {'cold ms':>8s} {'warm ms':>8s} {'raw ms':>8s} {'warm/raw':>8s}")
        for p in PAGES:
            cold, warm = page_times(path, p.path, args.runs)
            print(f"{p.path:24s} {cold * 1000:8.0f} {warm * 1000:8.0f} {raw * 1000:8.0f} {warm / raw:8.2f}")


if __name__ == "__main__":
    main()
