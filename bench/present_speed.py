"""Benchmark: 汇报模式, from a key press to the next slide drawn in chromium, warm, against the page's
own cached render (a rerun that draws the same slide again: B pressed to blank, and again to unblank).

A clicker's PageDown is a rerun of the page; every slide's content and SVG are built once and cached
(ui.data.slide, ui.data.slide_svg), so after one lap through the deck a key press costs what any rerun
of the page costs. Run on the demo store (九江市, 14 units, 2019 Q1 on) with the ready-made deck.

    .venv/bin/python bench/present_speed.py [--laps 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--laps", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cppcc-present-bench-"))
    db = tmp / "demo.duckdb"
    subprocess.run([str(BIN / "cppcc"), "--db", str(db), "demo"], check=True, capture_output=True)
    port = _port()
    env = {**os.environ, "CPPCC_DB": str(db)}
    server = subprocess.Popen(
        [str(BIN / "streamlit"), "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for _ in range(60):
                try:
                    page.goto(f"http://127.0.0.1:{port}/present?slide=1", timeout=5_000)
                    break
                except Exception:
                    time.sleep(0.5)
            number = page.get_by_test_id("slide-number")
            number.wait_for(timeout=120_000)
            total = int(number.inner_text().split("/")[1])

            def wait(text: str) -> None:
                page.wait_for_function(
                    "w => document.querySelector('[data-testid=\"slide-number\"]')?.innerText === w",
                    arg=text, polling="raf", timeout=60_000,
                )  # fmt: skip

            cold: list[float] = []
            for n in range(2, total + 1):  # the first lap builds and caches every slide
                t = time.perf_counter()
                page.keyboard.press("PageDown")
                wait(f"{n} / {total}")
                cold.append(time.perf_counter() - t)
            page.keyboard.press("Home")
            wait(f"1 / {total}")
            time.sleep(0.5)
            nxt: list[float] = []
            same: list[float] = []
            blank = page.get_by_test_id("blank")
            for _ in range(args.laps):
                for n in range(2, total + 1):
                    t = time.perf_counter()
                    page.keyboard.press("PageDown")
                    wait(f"{n} / {total}")
                    nxt.append(time.perf_counter() - t)
                    time.sleep(0.15)
                    t = time.perf_counter()
                    page.keyboard.press("b")
                    blank.wait_for(state="attached", timeout=60_000)
                    same.append(time.perf_counter() - t)
                    page.keyboard.press("b")
                    blank.wait_for(state="detached", timeout=60_000)
                    time.sleep(0.15)
                page.keyboard.press("Home")
                wait(f"1 / {total}")
                time.sleep(0.3)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    med = statistics.median
    print(f"slides: {total}, laps: {args.laps}, 1920x1080")
    print(
        f"first lap (cold: each slide built, its SVG drawn): median {med(cold) * 1000:.0f} ms, max {max(cold) * 1000:.0f} ms"
    )
    print(
        f"key press -> next slide drawn (warm): median {med(nxt) * 1000:.0f} ms, max {max(nxt) * 1000:.0f} ms"
    )
    print(f"the same slide re-rendered from cache (B): median {med(same) * 1000:.0f} ms")
    print(f"ratio next slide / cached re-render (medians): {med(nxt) / med(same):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
