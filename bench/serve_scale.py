"""Benchmark: many sessions through nginx, one dashboard instance against two, over one PostgreSQL store.

In one run: a throwaway PostgreSQL cluster, the provincial store of bench/pages_speed.py (150 units × 10
years) moved into it with `copy-store`, two `streamlit run app.py` instances each pinned to a core of
its own (taskset), and nginx from deploy/nginx.conf — first with instance A alone, then with A and B.
At 1, 5, 10 and 20 concurrent sessions, each session opens the overview as a browser does — a light
WebSocket client speaking Streamlit's own protocol (BackMsg rerun, ForwardMsg deltas), since a browser
per session would starve the servers on this machine — and the time to the first chart and to the end
of the page's run is taken. Every level runs for a bounded time; each instance's CPU (user + system
seconds from /proc) and memory are read around it.

    .venv/bin/python bench/serve_scale.py [--seconds 15] [--levels 1,5,10,20]

Reports medians and worst cases, sessions per second, and the ratio two instances / one at each level.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (children included, they are kaleido's chromium)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def one_session(ws_url: str) -> tuple[float, float]:
    """Open the overview as a new browser session would; (seconds to the first chart, to the run's end)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    first = None
    cookie = f"cppcc_node={uuid.uuid4().hex}"  # a new browser: the balancer picks its instance
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit"],
        additional_headers={"Cookie": cookie},
        max_size=None,  # type: ignore[list-item]
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        async for raw in ws:
            fm = ForwardMsg()
            fm.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = fm.WhichOneof("type")
            if (
                first is None
                and kind == "delta"
                and fm.delta.WhichOneof("type") == "new_element"
                and fm.delta.new_element.WhichOneof("type") == "plotly_chart"
            ):
                first = time.perf_counter() - t0
            if kind == "script_finished":
                break
    end = time.perf_counter() - t0
    return (first if first is not None else end), end


async def level(ws_url: str, sessions: int, seconds: float) -> list[tuple[float, float]]:
    """`sessions` concurrent users, each opening a new session after the last, for `seconds`."""
    out: list[tuple[float, float]] = []
    stop = time.monotonic() + seconds

    async def user() -> None:
        while time.monotonic() < stop:
            out.append(await one_session(ws_url))

    await asyncio.gather(*(user() for _ in range(sessions)))
    return out


def start_instance(db: str, core: int, log: Path) -> tuple[subprocess.Popen, int]:
    from tests.e2e.conftest import _start

    proc, url = _start(db, log)
    if shutil.which("taskset"):
        subprocess.run(
            ["taskset", "-a", "-p", "-c", str(core), str(proc.pid)], check=True, capture_output=True
        )
    return proc, int(url.rsplit(":", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--levels", default="1,5,10,20")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    from bench.pages_speed import build_store
    from tests.balancer import start_balancer
    from tests.e2e.conftest import _stop
    from tests.pgcluster import remove, start_cluster

    work = Path(tempfile.mkdtemp(prefix="cppcc-bench-"))
    cluster = start_cluster()
    procs: list[subprocess.Popen] = []
    try:
        duck = work / "provincial.duckdb"
        t = time.perf_counter()
        build_store(duck)
        db = cluster.new_database()
        cppcc = Path(sys.executable).parent / "cppcc"
        subprocess.run([str(cppcc), "--db", db, "copy-store", "--from", str(duck)], check=True)
        print(f"provincial store into PostgreSQL (build + copy-store): {time.perf_counter() - t:.1f} s")
        a, port_a = start_instance(db, 0, work / "a.log")
        b, port_b = start_instance(db, 1, work / "b.log")
        procs += [a, b]
        results: dict[str, dict[int, tuple[list[tuple[float, float]], dict[int, tuple[float, float]]]]] = {}
        for name, ports in (("one instance", [port_a]), ("two instances", [port_a, port_b])):
            balancer = start_balancer(ports)
            ws = balancer.url.replace("http://", "ws://") + "/_stcore/stream"
            try:
                asyncio.run(level(ws, len(ports) * 2, 3.0))  # warm every instance's caches first
                results[name] = {}
                for n in levels:
                    pids = {p: pr.pid for p, pr in ((port_a, a), (port_b, b)) if p in ports}
                    before = {p: cpu_seconds(pid) for p, pid in pids.items()}
                    t0 = time.perf_counter()
                    times = asyncio.run(level(ws, n, args.seconds))
                    wall = time.perf_counter() - t0
                    usage = {
                        p: ((cpu_seconds(pid) - before[p]) / wall, rss_mb(pid)) for p, pid in pids.items()
                    }
                    results[name][n] = (times, usage)
                    firsts = sorted(x for x, _ in times)
                    ends = sorted(y for _, y in times)
                    cpu = ", ".join(f":{p} CPU {c:.0%} of a core, {m:.0f} MB" for p, (c, m) in usage.items())
                    print(
                        f"{name:14s} {n:3d} sessions: {len(times) / wall:6.1f} sessions/s, first chart median"
                        f" {statistics.median(firsts) * 1000:6.0f} ms worst {firsts[-1] * 1000:6.0f} ms;"
                        f" page run median {statistics.median(ends) * 1000:6.0f} ms; {cpu}",
                        flush=True,
                    )
            finally:
                balancer.stop()
        print("\nratio two instances / one (same run, same store):")
        for n in levels:
            one, _ = results["one instance"][n]
            two, _ = results["two instances"][n]
            thr = (len(two) / len(one)) if one else float("nan")
            med = statistics.median(x for x, _ in two) / statistics.median(x for x, _ in one)
            print(f"  {n:3d} sessions: throughput ×{thr:.2f}, median time to first chart ×{med:.2f}")
    finally:
        for p in procs:
            _stop(p)
        remove(cluster)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
