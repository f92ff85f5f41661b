"""AppTest of 协商议政 on a hand-made database: cards, 环比, the ranking and the summary equal hand sums."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from domain.dictionary import Unit
from store.units import upsert_units
from tests.helpers import add_batch, cards, fact, run_page

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "consultation.py")
A, B, C = "360402", "360403", "360404"  # 濂溪区, 浔阳区, 柴桑区 (C reports nothing on consultation)


@pytest.fixture
def db(store, monkeypatch):
    with store.transaction() as con:
        upsert_units(
            con,
            [
                Unit(A, "濂溪区", (), "district", 1),
                Unit(B, "浔阳区", (), "district", 2),
                Unit(C, "柴桑区", (), "district", 3),
            ],
        )
    rows = [
        fact(A, 2024, 1, "consult_plenary", 1),
        fact(A, 2024, 1, "consult_standing", 2),
        fact(B, 2024, 2, "consult_standing", 1),
        fact(A, 2024, 1, "consult_topic", 3),
        fact(A, 2024, 2, "consult_topic", 2),
        fact(B, 2024, 1, "consult_topic", 4),
        fact(B, 2024, 2, "consult_counterpart", 2),
        fact(A, 2024, 2, "consult_proposal", 1),
        # consult_sector: reported by no one (missing, not zero)
        fact(A, 2024, 1, "consult_grassroots", 300),
        fact(A, 2024, 2, "consult_grassroots", 350),  # from a cumulative sheet: 650 - 300
        fact(B, 2024, 1, "consult_grassroots", 500, approximate=True),  # "500余"
        fact(B, 2024, 2, "consult_grassroots", 450),
        fact(A, 2024, 1, "consult_outcomes", 20),
        fact(B, 2024, 2, "consult_outcomes", 30),
        fact(A, 2024, 1, "suggestions_made", 40),
        fact(A, 2024, 2, "suggestions_made", 60),
        fact(B, 2024, 1, "suggestions_made", 25),
        fact(A, 2023, 1, "consult_topic", 6),
        fact(A, 2023, 1, "consult_grassroots", 400),
        fact(A, 2023, 2, "consult_grassroots", 400),
        fact(A, 2023, 2, "suggestions_made", 100),
        # other domains (a stock and a ratio's parts): never on this page
        fact(A, 2024, 2, "members_total", 50),
        fact(A, 2024, 2, "member_participations", 70),
    ]
    add_batch(store, rows)
    monkeypatch.setenv("CPPCC_DB", store.target)
    return store


run = functools.partial(run_page, PAGE)


def test_year_to_date_cards_summary_and_ranking(db):
    at = run()  # latest year 2024, last quarter 2 -> 1-6月
    assert cards(at) == {
        "协商活动": "16 次",  # plenary 1 + standing 2+1 + topic 3+2+4 + counterpart 2 + proposal 1
        "专题协商": "9 次",  # 3 + 2 + 4
        "基层协商议事": "1,600余 场次",  # 300 + 350 + 500余 + 450: an approximate part makes the total 余
        "协商成果转化": "50 件",  # 20 + 30
        "意见建议": "125 条",  # 40 + 60 + 25
    }
    yoy = {m.label: m.delta for m in at.metric}
    # 同比 over the units that reported in both years: 2023 has 濂溪区 only, so 濂溪区 against itself
    assert yoy["协商活动"] == "+50.0%"  # 濂溪区 9 vs 6 (not all units' 16 vs 6: +166.7%)
    assert yoy["基层协商议事"] == "-18.8%"  # 濂溪区 650 vs 800 (not 1600 vs 800)
    assert not yoy["协商成果转化"]  # nothing a year earlier: no delta
    assert at.code[0].value == (
        "2024年1-6月，全市政协系统开展协商活动16次，同比增长50.0%，其中专题协商9次；"
        "基层协商议事1,600余场次，同比下降18.8%；提出意见建议125条，推动成果转化50件。"
        "同比按两年均有数据的单位计算。"
    )
    table = next(d.value for d in at.dataframe if "县（市、区）" in d.value.columns)
    # A: 1 + 2 + 3 + 2 + 1 = 9; B: 1 + 4 + 2 = 7; C reported nothing and is absent
    assert dict(zip(table["县（市、区）"], table["协商活动"], strict=True)) == {"濂溪区": 9, "浔阳区": 7}
    assert not any("环比" in c.value for c in at.caption)  # only a single quarter has a 环比


def test_quarter_with_qoq_then_one_unit(db):
    at = run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(2).run()
    assert cards(at)["协商活动"] == "6 次"  # standing 1 + topic 2 + counterpart 2 + proposal 1
    # 环比 on Q1 (1 + 2 + 3 + 4 = 10): -40.0%; 专题 2 vs 7: -71.4%
    qoq = next(c.value for c in at.caption if c.value.startswith("环比"))
    assert "协商活动 -40.0%" in qoq and "专题协商 -71.4%" in qoq
    at.multiselect(key="units").set_value([B]).run()
    assert not at.exception
    assert cards(at)["协商活动"] == "3 次"  # B in Q2: standing 1 + counterpart 2
    assert cards(at)["基层协商议事"] == "450 场次"
    assert at.code[0].value.startswith("2024年第二季度，浔阳区开展协商活动3次")
    assert at.query_params["units"] in (B, [B])


def test_empty_period_names_the_nearest(db):
    at = run(year="2024", mode="quarter", q="4")
    assert "2024年第四季度没有协商议政数据" in at.warning[0].value
    assert "最近有数据的期间是2024年第二季度" in at.warning[0].value
    assert not at.metric


def test_runs_on_demo_data(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    at = run()
    assert len(at.metric) == 5 and at.code
    at.selectbox(key="c_rank").set_value("consult_grassroots").run()
    at.radio(key="mode").set_value("quarter").run()
    assert not at.exception


def test_the_ranking_data_tab_marks_approximate_figures(db):
    """浔阳区's 1-6月 基层协商议事 holds a 500余: its row says 约数 (issue 8, item 5)."""
    at = run(c_rank="consult_grassroots")
    table = next(d.value for d in at.dataframe if "县（市、区）" in d.value.columns)
    marks = dict(zip(table["县（市、区）"], table["约数"], strict=True))
    assert marks == {"浔阳区": "约数", "濂溪区": ""}
