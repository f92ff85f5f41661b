"""AppTest of 报送进度 on the same hand-made database as 县区对比: the matrix, the reminder list, last reports."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.test_compare_page import build_fixture

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "reporting.py")


@pytest.fixture
def app(store, monkeypatch):
    build_fixture(store)
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(PAGE, default_timeout=60)


def matrix(at) -> dict[str, list[str]]:
    df = at.dataframe[0].value
    return {c: list(df[c]) for c in df}


def test_matrix_missing_list_and_last_reports(app):
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    m = matrix(app)
    assert m["单位"] == ["市本级", "濂溪区", "浔阳区", "柴桑区"]
    # of the 40 importable indicators (data/indicators.csv); a rate counts when both its parts are there
    # 市本级 Q1: submitted, registered, members, registration_rate = 4; Q2: + info_adopted = 5
    # 濂溪区 Q1: submitted, registered, members, adopted, rate = 5; Q2: submitted, registered, members, rate = 4
    # 浔阳区 Q1: submitted, members = 2, Q2 nothing; 柴桑区 nothing
    assert m["第1季度"] == ["4/40", "5/40", "2/40", "✗ 0/40"]
    assert m["第2季度"] == ["5/40", "4/40", "✗ 0/40", "✗ 0/40"]
    assert m["第3季度"] == ["尚无数据"] * 4  # after the latest quarter with data (2024Q2)
    # the current quarter: 1-6月 -> Q2
    assert app.code[0].value == "以下单位尚未报送2024年第二季度数据：\n浔阳区\n柴桑区"
    assert any("部分报送（2个单位）：市本级、濂溪区" in c.value for c in app.caption)
    last = app.dataframe[1].value
    assert list(last["最近导入时间"]) == [
        "2024-07-05 16:00",
        "2024-07-05 16:00",
        "2024-04-08 10:30",
        "从未报送",
    ]
    assert list(last["最近报送季度"]) == ["2024年第二季度", "2024年第二季度", "2024年第一季度", "—"]


def test_domain_and_quarter_filters(app):
    app.run()
    app.selectbox(key="domain").set_value("proposals").run()
    m = matrix(app)
    # proposals has 11 importable indicators (7 counts, 4 rates): 市本级 Q1 submitted, registered, rate = 3
    assert m["第1季度"] == ["3/11", "3/11", "1/11", "✗ 0/11"]
    assert app.query_params["domain"] in ("proposals", ["proposals"])
    app.selectbox(key="domain").set_value("social").run()
    # 社情民意 in Q2: only 市本级's 被采用 (1 of 5)
    assert matrix(app)["第2季度"] == ["1/5", "✗ 0/5", "✗ 0/5", "✗ 0/5"]
    assert app.code[0].value == "以下单位尚未报送2024年第二季度社情民意数据：\n濂溪区\n浔阳区\n柴桑区"

    app.selectbox(key="domain").set_value("all").run()
    app.radio(key="mode").set_value("quarter").run()
    app.selectbox(key="q").set_value(1).run()
    assert app.code[0].value == "以下单位尚未报送2024年第一季度数据：\n柴桑区"
    app.multiselect(key="units").set_value(["360400", "360402"]).run()
    assert not app.code  # both reported Q1
    assert "2024年第一季度所有单位均已报送" in app.success[0].value
    assert matrix(app)["单位"] == ["市本级", "濂溪区"]


def test_demo_database_runs(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    at.selectbox(key="domain").set_value("members").run()
    assert not at.exception
    assert "✓" in at.dataframe[0].value.iloc[0, 1]
