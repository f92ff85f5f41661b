"""AppTest of 县区对比 on a small hand-made database: the heatmap's measures, the composite index, presets."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.dictionary import Unit
from store.connection import Store
from store.presets import list_presets
from store.units import upsert_units
from tests.helpers import add_batch, fact

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "compare.py")
U1, U2, U3, U4 = "360400", "360402", "360403", "360404"
UNITS = [
    Unit(U1, "市本级", (), "city", 0),
    Unit(U2, "濂溪区", (), "district", 1),
    Unit(U3, "浔阳区", (), "district", 2),
    Unit(U4, "柴桑区", (), "district", 3),
]


def build_fixture(store: Store) -> None:
    """2023 Q1 and 2024 Q1–Q2 in three batches with known times; 柴桑区 never reports.

    A stock (members_total), a rate over different denominators (registration_rate: 27/30 and 42/60,
    the city 69/90), missing values (浔阳区 has no registered count, no Q2 at all), and 浔阳区's Q1
    members figure stands for a value derived from a cumulative sheet (just a fact here).
    """
    with store.transaction() as con:
        upsert_units(con, UNITS)
    b1 = add_batch(
        store,
        [
            fact(U1, 2023, 1, "proposals_submitted", 10),
            fact(U2, 2023, 1, "proposals_submitted", 5),
            fact(U3, 2023, 1, "proposals_submitted", 50),
        ],
    )
    b2 = add_batch(
        store,
        [
            fact(U1, 2024, 1, "proposals_submitted", 10),
            fact(U1, 2024, 1, "proposals_registered", 9),
            fact(U1, 2024, 1, "members_total", 100),
            fact(U2, 2024, 1, "proposals_submitted", 40),
            fact(U2, 2024, 1, "proposals_registered", 30),
            fact(U2, 2024, 1, "members_total", 50),
            fact(U2, 2024, 1, "info_adopted", 3),
            fact(U3, 2024, 1, "proposals_submitted", 10),
            fact(U3, 2024, 1, "members_total", 20),
        ],
    )
    b3 = add_batch(
        store,
        [
            fact(U1, 2024, 2, "proposals_submitted", 20),
            fact(U1, 2024, 2, "proposals_registered", 18),
            fact(U1, 2024, 2, "members_total", 120),
            fact(U1, 2024, 2, "info_adopted", 6),
            fact(U2, 2024, 2, "proposals_submitted", 20),
            fact(U2, 2024, 2, "proposals_registered", 12),
            fact(U2, 2024, 2, "members_total", 60),
        ],
    )
    with store.transaction() as con:
        for b, at in ((b1, "2023-04-10 09:00"), (b2, "2024-04-08 10:30"), (b3, "2024-07-05 16:00")):
            con.execute("UPDATE batches SET created_at = CAST(? AS TIMESTAMP) WHERE id = ?", [at, b])


@pytest.fixture
def app(store, monkeypatch):
    build_fixture(store)
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["ind"] = "proposals_submitted,registration_rate,members_total"
    return at


def heat(at) -> dict[str, list]:
    """The heatmap's data table: {column: values} (rows 市本级, 濂溪区, 浔阳区, 柴桑区)."""
    df = at.dataframe[0].value
    return {
        c: [None if v != v else round(float(v), 4) if not isinstance(v, str) else v for v in df[c]]
        for c in df
    }


def ranking(at) -> list[tuple]:
    df = at.dataframe[-1].value
    return [
        (r["排名"], r["单位"], r["综合指数"], r["较上年同期"])
        for _, r in df.iterrows()
        if r["综合指数"] == r["综合指数"]  # scored units
    ]


def test_heatmap_measures_follow_the_radio(app):
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="year").value == 2024 and app.radio(key="mode").value == "ytd"
    h = heat(app)  # 2024 1-6月
    assert h["单位"] == ["市本级", "濂溪区", "浔阳区", "柴桑区"]
    assert h["提案提交数"] == [30.0, 60.0, 10.0, None]  # 10+20, 40+20, 10, missing
    assert h["立案率"] == [90.0, 70.0, None, None]  # 27/30, 42/60, no registered count
    assert h["委员人数"] == [120.0, 60.0, 20.0, None]  # stock: last quarter of the window (浔阳区: Q1)

    app.radio(key="measure").set_value("share").run()
    h = heat(app)
    assert h["提案提交数"] == [30.0, 60.0, 10.0, None]  # of 30+60+10 = 100
    assert h["委员人数"] == [60.0, 30.0, 10.0, None]  # of 120+60+20 = 200
    assert h["立案率"] == [90.0, 70.0, None, None]  # a rate stays a rate

    app.radio(key="measure").set_value("per_member").run()
    h = heat(app)
    assert h["提案提交数"] == [0.25, 1.0, 0.5, None]  # 30/120, 60/60, 10/20
    assert h["委员人数"] == [120.0, 60.0, 20.0, None]  # a stock is not divided
    assert app.query_params["measure"] in ("per_member", ["per_member"])


def test_composite_index_rank_and_change(app):
    app.run()
    # default weights 1 each; only 提案提交数, 立案率, 被采用 have data:
    # submitted 30, 60, 10 -> 40, 100, 0; rate 90, 70 -> 100, 0; adopted 6, 3 -> 100, 0
    # 市本级 (40+100+100)/3 = 80.0; 濂溪区 (100+0+0)/3 = 33.3; 浔阳区 0/1 = 0.0; 柴桑区 unscored
    # 2023 1-6月 (submitted only): 浔阳区 50 #1, 市本级 10 #2, 濂溪区 5 #3
    assert ranking(app) == [(1, "市本级", 80.0, "↑1"), (2, "濂溪区", 33.3, "↑1"), (3, "浔阳区", 0.0, "↓2")]
    assert app.dataframe[-1].value["较上年同期"].iloc[-1] == "无上年排名"

    app.number_input(key="w_registration_rate").set_value(3.0).run()
    # 市本级 (40 + 3·100 + 100)/5 = 88.0; 濂溪区 (100+0+0)/5 = 20.0
    assert ranking(app)[:2] == [(1, "市本级", 88.0, "↑1"), (2, "濂溪区", 20.0, "↑1")]

    app.multiselect(key="units").set_value([U2, U3]).run()
    # among two units: submitted 60, 10 -> 100, 0; rate and adopted only 濂溪区 -> 100
    # 濂溪区 (100 + 3·100 + 100)/5 = 100; 浔阳区 0; 2023: 浔阳区 50 #1, 濂溪区 5 #2
    assert ranking(app) == [(1, "濂溪区", 100.0, "↑1"), (2, "浔阳区", 0.0, "↓1")]
    assert heat(app)["单位"] == ["濂溪区", "浔阳区"]


def test_quarter_mode_and_empty_period(app):
    app.run()
    app.radio(key="mode").set_value("quarter").run()
    app.selectbox(key="q").set_value(1).run()
    assert heat(app)["提案提交数"] == [10.0, 40.0, 10.0, None]  # 2024 Q1 only
    app.selectbox(key="q").set_value(4).run()
    assert not app.exception
    assert "2024年第四季度没有任何数据" in app.warning[0].value
    assert "2024年第二季度" in app.warning[0].value


def test_presets_save_load_delete(app, store):
    app.run()
    app.number_input(key="w_info_adopted").set_value(2.5).run()
    app.text_input(key="preset_name").input("社情为主")
    next(b for b in app.button if b.label == "保存当前权重").click().run()
    assert not app.exception
    store.reset()  # the page wrote through a store object of its own (PostgreSQL: another mirror)
    with store.connect() as con:
        presets = list_presets(con)
    assert [p.name for p in presets] == ["社情为主"]
    assert presets[0].weights["info_adopted"] == 2.5 and presets[0].weights["proposals_submitted"] == 1.0

    app.number_input(key="w_info_adopted").set_value(0.0).run()
    app.selectbox(key="preset_pick").set_value("社情为主")
    next(b for b in app.button if b.label == "载入").click().run()
    assert app.number_input(key="w_info_adopted").value == 2.5
    assert any("已载入" in s.value for s in app.success)

    app.selectbox(key="preset_pick").set_value("社情为主")
    next(b for b in app.button if b.label == "删除").click().run()
    store.reset()  # the page wrote through a store object of its own: read what the store holds now
    with store.connect() as con:
        assert list_presets(con) == []


def test_english_and_domain_columns(app):
    app.run()
    app.selectbox(key="cols").set_value("proposals").run()
    assert not app.exception
    assert "立案数" in heat(app)
    assert app.query_params["cols"] in ("proposals", ["proposals"])


def test_demo_database_runs(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert len(at.dataframe) >= 3
    at.radio(key="measure").set_value("per_member").run()
    assert not at.exception
