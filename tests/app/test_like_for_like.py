"""A partial year is labelled so and compared with the same quarters of the year before; the 同比 of
units that reported in only one of the years leaves them out and says so (issue 8, item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.dictionary import Unit
from store.units import upsert_units
from tests.helpers import add_batch, cards, fact, run_page

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "research.py")
A, B = "360402", "360403"


@pytest.fixture
def db(store, monkeypatch):
    with store.transaction() as con:
        upsert_units(con, [Unit(A, "濂溪区", (), "district", 1), Unit(B, "浔阳区", (), "district", 2)])
    rows = [fact(A, 2025, q, "inspections", 10) for q in (1, 2, 3, 4)]  # 2025: all four quarters
    rows += [fact(A, 2026, q, "inspections", 12) for q in (1, 2, 3)]  # 2026: through Q3
    rows += [fact(B, 2026, 1, "inspections", 100)]  # B reported only in 2026
    add_batch(store, rows)
    monkeypatch.setenv("CPPCC_DB", store.target)
    return store


def test_partial_year_is_labelled_and_compared_like_with_like(db):
    at = run_page(PAGE, year="2026", mode="year")
    assert any("2026年（截至第三季度）" in c.value for c in at.caption)
    assert cards(at)["视察"] == "136 次"  # the headline: every unit chosen (A 36 + B 100)
    (card,) = [m for m in at.metric if m.label == "视察"]
    # A's 36 in 2026 Q1-Q3 against A's 30 in 2025 Q1-Q3: +20.0% (not 136 vs 40, nor vs the whole 2025)
    assert card.delta == "+20.0%"
    summary = at.code[0].value
    assert summary.startswith("2026年（截至第三季度），") and "同比按两年均有数据的单位计算" in summary


def test_a_complete_year_is_not_labelled_partial(db):
    at = run_page(PAGE, year="2025", mode="year")
    assert not any("（截至" in c.value for c in at.caption)
    assert any(c.value.startswith("数据截至2026年第三季度，最近导入 ") for c in at.caption)
