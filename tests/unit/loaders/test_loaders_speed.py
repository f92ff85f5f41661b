"""A provincial workbook (6,000 rows × 40 indicators) parses whole.

The loaders' docstring examples are run by tests/unit/test_docstrings.py.

How fast it parses is measured in bench/import_speed.py against bare reads of the same file, not
asserted here: a timing bound in a test fails on a busy machine without anything being wrong.
"""

from __future__ import annotations

import datetime as dt

from loader_sheets import bench_units, make_big_xlsx

from loaders import parse_file


def test_provincial_workbook_parses_whole(dictionary) -> None:
    units = bench_units()
    data = make_big_xlsx(dictionary, units)
    pf = parse_file("省汇总.xlsx", data, dictionary=dictionary, units=units, today=dt.date(2025, 1, 1))
    assert pf.ok, pf.issues[:5]
    assert len(pf.records) == 6000 * 34  # the 6 ratios agree with their parts: recomputed, not stored
    assert len(pf.records.runs) == 6000  # one run per table row: the wide fast path took every row
    first, last = pf.records[0], pf.records[-1]
    assert (first.row, last.row) == (3, 6002) and first.sheet == last.sheet
