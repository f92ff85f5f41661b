"""AppTest of 社情民意 on a small hand-made database: cards, funnel, by-unit tables and the summary show
the numbers worked out by hand below (采用率 recomputed from its parts, an approximate count kept as 余)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.dictionary import Unit
from store.connection import Store
from store.units import upsert_units
from tests.helpers import add_batch, fact

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "social.py")
A, B, C = "360402", "360424", "360400"  # 濂溪区, 修水县, 市本级


def facts() -> list[dict]:
    rows = []
    for unit, year, q, values in [
        # collected, submitted, adopted, instructions (None = not reported)
        (A, 2023, 1, (1500, 250, 50, 4)),
        (B, 2023, 1, (30, 20, 5, 0)),
        (A, 2024, 1, (1800, 300, 60, 5)),  # 1800 is "1800余": approximate, below
        # A's Q2 came from a cumulative sheet (1-6月 2000 collected, 340 submitted, 68 adopted): stored as
        # the Q2 flow; its 领导批示 is missing (not zero).
        (A, 2024, 2, (200, 40, 8, None)),
        (B, 2024, 1, (30, 20, 10, 1)),
    ]:
        codes = ["collected", "submitted", "adopted", "instructions"]
        rows += [
            fact(unit, year, q, f"info_{c}", v, approximate=(unit, year, q, c) == (A, 2024, 1, "collected"))
            for c, v in zip(codes, values, strict=True)
            if v is not None
        ]
    # 市本级 reported only a 采用率 without its parts: shown for itself, never in a total.
    rows.append(fact(C, 2024, 1, "adoption_rate", 40.0, reported_ratio=True))
    rows += [fact(A, 2024, 1, "members_total", 50), fact(A, 2024, 2, "members_total", 52)]  # a stock
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


def tables(at: AppTest, first_column: str) -> list[list[list]]:
    """The data tabs of the charts whose tables start with this column, in page order."""
    return [
        [[_plain(v) for v in row] for row in df.value.values.tolist()]
        for df in at.dataframe
        if df.value.columns[0] == first_column
    ]


def test_default_view_is_year_to_date_with_hand_computed_figures(app):
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "社情民意"
    assert cards(at) == {
        "社情民意信息收集": ("2,030余 篇", "+32.7%"),  # 1800余+200+30 against 1500+30: 500/1530
        "报送上级": ("360 篇", "+33.3%"),  # 300+40+20 against 250+20
        "被采用": ("78 篇", "+41.8%"),  # 60+8+10 against 50+5
        "采用率": ("21.7%", "+1.3 个百分点"),  # 78/360 = 21.67% against 55/270 = 20.37% (市本级's 40% apart)
        "领导批示": ("6 次", "+50.0%"),  # 5+1 against 4+0
    }
    assert tables(at, "环节")[0] == [
        ["收集", 2030.0, "", None],
        ["报送上级", 360.0, "", None],
        ["被采用", 78.0, "采用率", 21.667],
    ]
    assert any(m.value == "另获领导批示 **6 次**。" for m in at.markdown)
    assert at.code[0].value == (
        "2024年1-6月，全市政协系统收集社情民意信息2,030余篇，同比增长32.7%，报送上级360篇，被采用78篇，"
        "采用率21.7%，较上年提高1.3个百分点；获领导批示6次。"
    )
    # by quarter: 2023Q1 and 2024Q1-Q2 have data; 2023Q2-Q4 stay empty rows (missing, never zero)
    trend = tables(at, "季度")[0]
    assert trend[0] == ["2023Q1", 1530.0, 270.0, 55.0, 20.37]  # 55/270
    assert trend[1] == ["2023Q2", None, None, None, None]
    assert trend[-1] == ["2024Q2", 200.0, 40.0, 8.0, 20.0]  # 8/40
    assert trend[-2] == ["2024Q1", 1830.0, 320.0, 70.0, 21.875]  # 70/320


def test_quarter_mode_by_unit_and_qoq(app):
    at = app.run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(1).run()
    assert not at.exception
    rate, count = tables(at, "县（市、区）")
    assert rate == [  # 采用率 by unit, highest first; 市本级's reported rate kept apart
        ["修水县", 50.0, 10.0, 20.0, ""],
        ["市本级", 40.0, None, None, "单位直接报送的比率，不计入合计"],
        ["濂溪区", 20.0, 60.0, 300.0, ""],
    ]
    assert count == [["濂溪区", 1800.0], ["修水县", 30.0]]
    assert cards(at)["采用率"] == ("21.9%", "+1.5 个百分点")  # 70/320 = 21.875% against 55/270 = 20.370%
    at.selectbox(key="s_count").set_value("info_instructions").run()
    assert tables(at, "县（市、区）")[1] == [["濂溪区", 5.0], ["修水县", 1.0]]
    assert at.query_params["s_count"] in ("info_instructions", ["info_instructions"])
    at.selectbox(key="q").set_value(2).run()
    qoq = next(x.value for x in at.caption if x.value.startswith("环比"))
    # Q2 against Q1: 200/1830 -> -89.1%; 40/320 -> -87.5%; 8/70 -> -88.6%; 20.0% - 21.875% -> -1.9 pp;
    # 批示 missing in Q2 -> —
    assert qoq == (
        "环比（较2024年第一季度）：社情民意信息收集 -89.1%；报送上级 -87.5%；被采用 -88.6%；"
        "采用率 -1.9 个百分点；领导批示 —"
    )
    assert not [m for m in at.markdown if "领导批示" in m.value], "no sentence about a missing figure"


def test_unit_filter(app):
    at = app.run()
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(1).run()
    at.multiselect(key="units").set_value([A]).run()
    assert not at.exception
    c = cards(at)
    assert c["社情民意信息收集"] == ("1,800余 篇", "+20.0%")  # 1800余 against 1500
    assert c["采用率"] == ("20.0%", "0.0 个百分点")  # 60/300 against 50/250
    assert at.code[0].value.startswith("2024年第一季度，濂溪区收集社情民意信息1,800余篇，同比增长20.0%")
    assert at.query_params["units"] in (A, [A])


def test_an_empty_period_names_the_nearest_one_with_data(app):
    app.query_params.update({"year": "2023", "mode": "ytd", "q": "4"})
    at = app.run()
    assert not at.exception
    # 2023年1-12月 does have Q1 data, so it shows; 2023 Q3 alone has none, and 2023Q1 and 2024Q1 are
    # both two quarters away: the earlier one is named (domain.periods.nearest_with_data)
    assert at.metric
    at.radio(key="mode").set_value("quarter").run()
    at.selectbox(key="q").set_value(3).run()
    assert at.warning[0].value == "2023年第三季度没有社情民意数据。最近有数据的期间是2023年第一季度。"
    assert not at.metric


def test_demo_database_runs(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    assert len(at.metric) == 5 and at.code[0].value.startswith("20")
    at.radio(key="mode").set_value("quarter").run()
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception and at.title[0].value == "Social-condition reports"
