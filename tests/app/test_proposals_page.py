"""AppTest of 提案工作 on a small hand-made database: the cards, funnel, tables and summary show the
numbers worked out by hand below (ratios recomputed from their parts, a reported rate kept apart)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.dictionary import Unit
from store.connection import Store
from store.units import upsert_units
from tests.helpers import add_batch, fact

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "proposals.py")
A, B, C = "360402", "360424", "360400"  # 濂溪区, 修水县, 市本级


def facts() -> list[dict]:
    rows = []
    for unit, year, q, values in [
        # submitted, registered, answered, satisfied, collective, key, livelihood (None = not reported)
        (A, 2023, 1, (30, 24, 20, 18, None, None, None)),
        (A, 2023, 2, (10, 8, None, None, None, None, None)),
        (B, 2023, 1, (10, 8, 8, 8, None, None, None)),
        (A, 2024, 1, (40, 30, 24, 20, 5, 3, 16)),
        # A's Q2 came from a cumulative sheet (1-6月 60 submitted, 48 registered): stored as the Q2 flow;
        # its 办复数 is missing (not zero).
        (A, 2024, 2, (20, 18, None, None, None, None, None)),
        (B, 2024, 1, (10, 9, 9, 9, None, None, 6)),
        (B, 2024, 2, (5, 4, 4, 4, None, None, None)),
    ]:
        codes = ["submitted", "registered", "answered", "satisfied", "collective", "key", "livelihood"]
        rows += [
            fact(unit, year, q, f"proposals_{c}", v)
            for c, v in zip(codes, values, strict=True)
            if v is not None
        ]
    # 市本级 reported only a 立案率 without its parts: shown for itself, never in a total.
    rows.append(fact(C, 2024, 1, "registration_rate", 50.0, reported_ratio=True))
    # a stock of another domain, which this page must ignore
    rows += [fact(A, 2024, 1, "members_total", 50), fact(A, 2024, 2, "members_total", 52)]
    return rows


@pytest.fixture
def app(store: Store, monkeypatch) -> AppTest:
    with store.transaction() as con:
        upsert_units(
            con,
            [
                Unit(C, "市本级", (), "city", 0),
                Unit(A, "濂溪区", (), "district", 1),
                Unit(B, "修水县", (), "county", 2),
            ],
        )
    add_batch(store, facts())
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(PAGE, default_timeout=60)


def cards(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _plain(v):
    """NaN as None and floats to 3 decimals, so rows compare with hand-written literals."""
    if isinstance(v, float):
        return None if v != v else round(v, 3)
    return v


def table(at: AppTest, first_column: str) -> list[list]:
    """The data tab of the chart whose table starts with this column."""
    for df in at.dataframe:
        if df.value.columns[0] == first_column:
            return [[_plain(v) for v in row] for row in df.value.values.tolist()]
    raise AssertionError(f"no table starting with {first_column}")


def test_default_view_is_year_to_date_with_hand_computed_figures(app):
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "提案工作"
    c = cards(at)
    # 2024年1-6月: submitted 40+20+10+5 = 75; a year earlier 30+10+10 = 50 -> +50.0%
    assert c["提案提交数"] == ("75 件", "+50.0%")
    # 立案率 (30+18+9+4) / 75 = 81.33%; 2023: (24+8+8) / 50 = 80.0% -> +1.3 pp (市本级's 50% not counted)
    assert c["立案率"] == ("81.3%", "+1.3 个百分点")
    # 办复率 (24+9+4) / 61 = 60.66% (A's missing Q2 answered is not a zero... and not invented);
    # 2023: (20+8) / (32+8) = 70.0% -> -9.3 pp
    assert c["办复率"] == ("60.7%", "-9.3 个百分点")
    # 满意率 (20+9+4) / 37 = 89.19%; 2023: (18+8) / 28 = 92.86% -> -3.7 pp
    assert c["满意率"] == ("89.2%", "-3.7 个百分点")
    assert c["集体提案数"][0] == "5 件" and c["重点提案数"][0] == "3 件"
    # 民生类占比 (16+6) / (60+15) = 29.33%: each unit's parts summed over the window, then divided
    assert c["民生类占比"][0] == "29.3%"
    # funnel table: stage, count, rate name, rate
    assert table(at, "环节") == [
        ["提交", 75.0, "", None],
        ["立案", 61.0, "立案率", 81.333],  # 61/75
        ["办复", 37.0, "办复率", 60.656],  # 37/61
        ["满意", 33.0, "满意率", 89.189],  # 33/37
    ]
    summary = at.code[0].value
    assert summary == (
        "2024年1-6月，全市政协系统共提交提案75件，同比增长50.0%；立案61件，立案率81.3%，较上年提高1.3个百分点；"
        "办复37件，办复率60.7%，较上年降低9.3个百分点；满意率89.2%；其中重点提案3件，集体提案5件。"
    )
    assert not [c for c in at.caption if c.value.startswith("环比")], "no 环比 outside quarter mode"


def test_quarter_mode_shows_qoq_and_the_reported_rate_apart(app):
    at = app.run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(1).run()
    assert not at.exception
    c = cards(at)
    assert c["提案提交数"] == ("50 件", "+25.0%")  # 40+10 against 30+10
    assert c["立案率"] == ("78.0%", "-2.0 个百分点")  # (30+9)/50 against (24+8)/40 = 80.0%
    qoq = [x.value for x in at.caption if x.value.startswith("环比")]
    assert qoq[0] == "环比（较2023年第四季度）：提案提交数 —；立案率 —；办复率 —；满意率 —"  # 2023Q4 empty
    rows = table(at, "县（市、区）")  # 立案率 by unit, highest first; 市本级 is its own reported rate
    assert rows == [
        ["修水县", 90.0, 9.0, 10.0, ""],
        ["濂溪区", 75.0, 30.0, 40.0, ""],
        ["市本级", 50.0, None, None, "单位直接报送的比率，不计入合计"],
    ]
    at.selectbox(key="q").set_value(2).run()
    qoq = [x.value for x in at.caption if x.value.startswith("环比")]
    # Q2 25 (20+5) against Q1 50 -> -50.0%; 立案率 22/25 = 88.0% against 78.0% -> +10.0 pp
    assert qoq[0].startswith("环比（较2024年第一季度）：提案提交数 -50.0%；立案率 +10.0 个百分点")


def test_unit_filter_rate_choice_and_trend_by_year_are_kept(app):
    at = app.run()
    at.multiselect(key="units").set_value([B]).run()
    at.selectbox(key="p_rate").set_value("reply_rate").run()
    at.radio(key="p_trend").set_value("year").run()
    assert not at.exception
    c = cards(at)
    assert c["提案提交数"] == ("15 件", "+50.0%")  # 修水县 10+5 against 10
    assert c["办复率"] == ("100.0%", "0.0 个百分点")  # 13/13 against 8/8
    # by year: the fixture holds Q1-Q2 of each year only, so each year is labelled as such
    assert table(at, "期间") == [["2023年1-6月", 10.0, 8.0, 8.0], ["2024年1-6月", 15.0, 13.0, 13.0]]
    assert table(at, "县（市、区）") == [["修水县", 100.0, 13.0, 13.0, ""]]
    assert at.code[0].value.startswith("2024年1-6月，修水县共提交提案15件，同比增长50.0%")
    assert at.query_params["p_rate"] in ("reply_rate", ["reply_rate"])
    assert at.query_params["p_trend"] in ("year", ["year"])
    assert at.query_params["units"] in (B, [B])


def test_the_url_reopens_the_view(app):
    app.query_params.update({"year": "2024", "mode": "quarter", "q": "2", "p_rate": "satisfaction_rate"})
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="p_rate").value == "satisfaction_rate"
    assert cards(at)["满意率"][0] == "100.0%"  # Q2: only 修水县 has both parts, 4/4


def test_an_empty_period_names_the_nearest_one_with_data(app):
    at = app.run()
    at.selectbox(key="year").set_value(2023).run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(4).run()
    assert not at.exception
    assert at.warning[0].value == "2023年第四季度没有提案工作数据。最近有数据的期间是2024年第一季度。"
    assert not at.metric


def test_english(app):
    app.query_params["lang"] = "en"
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Proposals"
    assert "Proposals submitted" in cards(at)


def test_demo_database_runs(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    assert len(at.metric) == 8 and at.code[0].value.startswith("20")
    at.radio(key="mode").set_value("quarter").run()
    at.radio(key="p_trend").set_value("year").run()
    assert not at.exception
