"""A provincial workbook (6,000 rows × 40 indicators) parses whole; the loaders' docstring examples hold.

How fast it parses is measured in bench/import_speed.py against bare reads of the same file, not
asserted here: a timing bound in a test fails on a busy machine without anything being wrong.
"""

from __future__ import annotations

import datetime as dt
import doctest
import importlib

import pytest
from loader_sheets import bench_units, make_big_xlsx

from loaders import parse_file

MODULES = ["loaders", "loaders.issues", "loaders.fold", "loaders.match", "loaders.values", "loaders.periods",
           "loaders.encoding", "loaders.safety", "loaders.readers", "loaders.records", "loaders.table",
           "loaders.validate", "loaders.sheet", "loaders.wide", "loaders.long", "loaders.extract", "loaders.ratios"]  # fmt: skip


def test_provincial_workbook_parses_whole(dictionary) -> None:
    units = bench_units()
    data = make_big_xlsx(dictionary, units)
    pf = parse_file("省汇总.xlsx", data, dictionary=dictionary, units=units, today=dt.date(2025, 1, 1))
    assert pf.ok, pf.issues[:5]
    assert len(pf.records) == 6000 * 34  # the 6 ratios agree with their parts: recomputed, not stored
    assert len(pf.records.runs) == 6000  # one run per table row: the wide fast path took every row
    first, last = pf.records[0], pf.records[-1]
    assert (first.row, last.row) == (3, 6002) and first.sheet == last.sheet


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
