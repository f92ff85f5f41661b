"""AppTest of 调研视察与民主监督 on a hand-made database: cards and summary equal hand sums; no sentence
about a figure nobody reported; an empty quarter names the nearest one with data."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from domain.dictionary import Unit
from store.units import upsert_units
from tests.helpers import add_batch, cards, fact, run_page

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "research.py")
A, B = "360402", "360403"  # 濂溪区, 浔阳区


@pytest.fixture
def db(store, monkeypatch):
    with store.transaction() as con:
        upsert_units(con, [Unit(A, "濂溪区", (), "district", 1), Unit(B, "浔阳区", (), "district", 2)])
    rows = [
        fact(A, 2024, 1, "research_topics", 3),
        fact(B, 2024, 1, "research_topics", 2),
        fact(A, 2024, 2, "research_topics", 1),
        fact(A, 2024, 1, "problems_found", 4),
        fact(A, 2024, 2, "problems_found", 6),  # from a cumulative sheet: 10 - 4
        fact(B, 2024, 2, "inspections", 4),
        # supervision_activities: reported by no one (missing, not zero)
        fact(A, 2023, 1, "research_topics", 4),
        fact(A, 2024, 2, "members_total", 50),  # another domain's stock: never on this page
        fact(B, 2024, 2, "info_submitted", 8),  # another domain's ratio part
    ]
    add_batch(store, rows)
    monkeypatch.setenv("CPPCC_DB", store.target)
    return store


run = functools.partial(run_page, PAGE)


def test_year_to_date_cards_and_summary(db):
    at = run()
    assert cards(at) == {
        "调研课题": "6 个",  # 3 + 2 + 1
        "发现问题": "10 个",  # 4 + 6
        "视察": "4 次",
        "民主监督活动": "未报送",
    }
    # 同比 like with like: only 濂溪区 reported in 2023, so 濂溪区's 4 against its 4 (not 6 against 4)
    assert {m.label: m.delta for m in at.metric}["调研课题"] == "0.0%"
    assert at.code[0].value == (
        "2024年1-6月，全市政协系统开展调研课题6个，发现问题10个；组织视察4次。同比按两年均有数据的单位计算。"
    )


def test_filters_change_the_numbers(db):
    at = run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(1).run()
    assert cards(at)["调研课题"] == "5 个"  # Q1: 3 + 2
    at.multiselect(key="units").set_value([A]).run()
    assert cards(at)["调研课题"] == "3 个"
    assert cards(at)["视察"] == "未报送"
    assert at.code[0].value == "2024年第一季度，濂溪区开展调研课题3个，发现问题4个。"


def test_empty_period_names_the_nearest(db):
    at = run(year="2024", mode="quarter", q="3")
    assert "最近有数据的期间是2024年第二季度" in at.warning[0].value
    assert not at.metric


def test_runs_on_demo_data(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    at = run()
    assert len(at.metric) == 4 and at.code
    at.selectbox(key="r_rank").set_value("problems_found").run()
    at.selectbox(key="year").set_value(2023).run()
    assert not at.exception
