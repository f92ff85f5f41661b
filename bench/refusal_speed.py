"""Benchmark: refusing a hostile file against parsing a small good workbook, in the same run.

A hostile file (a 1 GB zip bomb, a member lying about its size, an XML entity bomb, a cell at
XFD1048576) must be refused before any parser trusts it, so refusing it costs about what reading a
small file costs, not what its content claims. Each measurement runs several times, round-robin; the
report gives medians and each refusal's ratio to parsing the good workbook:

    .venv/bin/python bench/refusal_speed.py [--runs 5]

Target (issue #10, moved here from a `< 5 s` bound in tests/unit/loaders/test_loaders_hostile.py):
every refusal well under a second, and within a small multiple of the good parse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "loaders"))  # loader_sheets: the hostile files


def lying_member(make_xlsx: Callable[..., bytes]) -> bytes:
    """A workbook whose sheet's central-directory entry claims 100 bytes."""
    data = bytearray(make_xlsx({"S": [["县区", "立案"], *[["修水县", n] for n in range(2000)]]}))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    name = b"xl/worksheets/sheet1.xml"
    pos = data.find(b"PK\x01\x02", zf.start_dir)
    while data[pos + 46 : pos + 46 + len(name)] != name:
        pos = data.find(b"PK\x01\x02", pos + 4)
    data[pos + 24 : pos + 28] = (100).to_bytes(4, "little")
    return bytes(data)


def far_cell() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "县区"
    wb.active["XFD1048576"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from loader_sheets import BILLION_LAUGHS, make_xlsx, replace_member, zip_bomb

    import loaders

    try:
        from domain.dictionary import demo_units, load_dictionary
    except ImportError:  # before the dictionary moved to domain/
        from metrics.dictionary import demo_units, load_dictionary  # type: ignore[no-redef]

    dic, units = load_dictionary(), demo_units()
    good = make_xlsx({"2024Q1": [["县区", "立案"], ["修水县", 3]]})
    files = {
        "good workbook": good,
        "zip bomb (1 GB)": zip_bomb(),
        "lying member": lying_member(make_xlsx),
        "entity bomb": replace_member(good, "xl/workbook.xml", BILLION_LAUGHS),
        "far cell": far_cell(),
    }

    def once(what: str) -> float:
        t0 = time.perf_counter()
        try:
            loaders.parse_file(
                f"{what}.xlsx", files[what], dictionary=dic, units=units, today=dt.date(2025, 1, 15)
            )
            refused = False
        except loaders.LoadError:
            refused = True
        elapsed = time.perf_counter() - t0
        if refused == (what == "good workbook"):
            raise SystemExit(f"{what}: {'refused' if refused else 'not refused'}")
        return elapsed

    runs: dict[str, list[float]] = {what: [] for what in files}
    for _ in range(args.runs):
        for what in files:
            runs[what].append(once(what))
    base = statistics.median(runs["good workbook"])
    for what, times in runs.items():
        med = statistics.median(times)
        print(f"{what:16s} median {med * 1000:8.1f} ms  {med / base:6.2f}× the good parse"
              f"  runs {' '.join(f'{t * 1000:.1f}' for t in times)}")  # fmt: skip


if __name__ == "__main__":
    main()
