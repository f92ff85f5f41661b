"""AppTest of 委员履职 on a hand-made database: a stock is its last quarter, per member is sum/sum.

Every expected number is written as a literal with its arithmetic, so a wrong aggregation (a stock summed
over quarters, a ratio averaged over units) fails here.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from domain.dictionary import Unit
from domain.periods import Period
from metrics.aggregate import compute, value_of
from store.units import upsert_units
from tests.helpers import add_batch, cards, fact, run_page

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "members.py")
A, B, C = "360402", "360403", "360404"  # 濂溪区, 浔阳区, 柴桑区


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
        # stock: A reports Q1-Q3 only (Q4 missing), B all four quarters; C never reports members
        fact(A, 2024, 1, "members_total", 50),
        fact(A, 2024, 2, "members_total", 52),
        fact(A, 2024, 3, "members_total", 55),
        fact(B, 2024, 1, "members_total", 30),
        fact(B, 2024, 2, "members_total", 30),
        fact(B, 2024, 3, "members_total", 31),
        fact(B, 2024, 4, "members_total", 32),
        fact(A, 2023, 4, "members_total", 50),
        fact(B, 2023, 4, "members_total", 30),
        # flow: A's Q4 is missing (not zero); B's Q2 = 50 came from a cumulative sheet (90 - 40)
        fact(A, 2024, 1, "member_participations", 100),
        fact(A, 2024, 2, "member_participations", 120),
        fact(A, 2024, 3, "member_participations", 80),
        fact(B, 2024, 1, "member_participations", 40),
        fact(B, 2024, 2, "member_participations", 50),
        fact(B, 2024, 3, "member_participations", 60),
        fact(B, 2024, 4, "member_participations", 70),
        fact(A, 2023, 2, "member_participations", 250),
        fact(B, 2023, 2, "member_participations", 230),
        fact(A, 2024, 2, "trainings", 1),
        fact(B, 2024, 3, "trainings", 1),
        fact(A, 2024, 2, "trainees", 35),
        fact(B, 2024, 3, "trainees", 25),
        fact(C, 2024, 3, "reminder_talks", 2),
        fact(A, 2024, 1, "proposals_submitted", 9),  # another domain: never on this page
    ]
    add_batch(store, rows)
    monkeypatch.setenv("CPPCC_DB", store.target)
    return store


run = functools.partial(run_page, PAGE)


def test_metrics_stock_is_last_quarter_and_ratio_is_sum_over_sum(db):
    with db.connect() as con:
        df = compute(con, [Period(2024)], [A, B], ["members_total", "participation_per_member"])
    # A's year = its last reported quarter Q3 = 55 (not 50 + 52 + 55 = 157); B's = Q4 = 32
    assert value_of(df, "2024", "members_total", A) == 55
    assert value_of(df, "2024", "members_total") == 87  # 55 + 32
    # (100+120+80 + 40+50+60+70) / (55 + 32) = 520 / 87, not the mean of 300/55 and 220/32 (6.16)
    assert value_of(df, "2024", "participation_per_member") == pytest.approx(520 / 87)


def test_year_cards_and_summary(db):
    at = run(year="2024", mode="year")
    shown = cards(at)
    assert shown["委员人数"] == "87 人"  # 55 (A, Q3) + 32 (B, Q4)
    assert shown["委员参加活动人次"] == "520 人次"  # 300 + 220
    assert shown["人均参加活动"] == "6.0 人次/人"  # 520 / 87 = 5.98
    assert shown["培训班"] == "2 期"  # 1 + 1
    assert shown["培训人次"] == "60 人次"  # 35 + 25
    assert shown["提醒谈话"] == "2 人次"
    assert shown["委员工作站"] == "未报送"
    assert "提案提交数" not in shown
    # 同比: members 87 vs 80 = +8.75%; participations 520 vs 480 = +8.3%
    yoy = {m.label: m.delta for m in at.metric}
    assert yoy["委员人数"] == "+8.8%" and yoy["委员参加活动人次"] == "+8.3%"
    assert at.code[0].value == (
        "2024年，全市政协系统委员参加活动520人次，同比增长8.3%，人均6.0人次；举办培训班2期，培训60人次。"
    )


def test_one_unit_then_quarter_with_qoq(db):
    at = run(year="2024", mode="year", units=A)
    shown = cards(at)
    assert shown["委员人数"] == "55 人"  # A's last reported quarter, Q3
    assert shown["委员参加活动人次"] == "300 人次"  # 100 + 120 + 80 (Q4 missing, not 0)
    assert shown["人均参加活动"] == "5.5 人次/人"  # 300 / 55 = 5.45
    assert at.code[0].value.startswith("2024年，濂溪区委员参加活动300人次")

    at.multiselect(key="units").set_value([]).run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(3).run()
    assert not at.exception
    shown = cards(at)
    assert shown["委员人数"] == "86 人"  # 55 + 31 at the end of Q3
    assert shown["委员参加活动人次"] == "140 人次"  # 80 + 60
    assert shown["人均参加活动"] == "1.6 人次/人"  # 140 / 86 = 1.63
    # 环比 on Q2: 170 / 82 = 2.07 -> 1.63 - 2.07 = -0.4; participations 140 vs 170 = -17.6%
    qoq = next(c.value for c in at.caption if c.value.startswith("环比"))
    assert "人均参加活动 -0.4" in qoq and "委员参加活动人次 -17.6%" in qoq


def test_ranking_table_per_member(db):
    at = run(year="2024", mode="year")
    table = next(d.value for d in at.dataframe if "县（市、区）" in d.value.columns)
    got = dict(zip(table["县（市、区）"], table["人均参加活动"].round(3), strict=True))
    assert got == {"浔阳区": round(220 / 32, 3), "濂溪区": round(300 / 55, 3)}  # 6.875, 5.455
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    lines = [a["text"] for s in specs for a in s["layout"].get("annotations", [])]
    assert lines == ["全市 6.0"]  # the ratio over every unit: (220 + 300) / (32 + 55), drawn across the bars
    notes = [s["layout"]["title"]["text"] for s in specs]
    assert all(n.endswith("来源：政协履职数据看板") for n in notes)  # drawn into every image, at its foot
    assert any("2024年" in n for n in notes)  # with its period


def test_runs_on_demo_data(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    at = run()
    assert len(at.metric) == 11 and at.code
    at.selectbox(key="m_rank").set_value("members_total").run()
    at.selectbox(key="m_trend").set_value("member_stations").run()
    assert not at.exception
    assert at.query_params["m_rank"] in ("members_total", ["members_total"])
