"""The shared filters stay exactly as set across every page, pages without filters included, and
a link naming something unknown says what it ignored (issue 8, items 9, 13 and 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.navigation import PAGES

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
ANALYSIS = [p.path for p in PAGES if p.section == "nav.section_analysis"]


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(DASHBOARD, default_timeout=60)


def _state(app) -> tuple:
    return (
        app.selectbox(key="year").value,
        app.radio(key="mode").value,
        app.selectbox(key="q").value,
        tuple(app.multiselect(key="units").value),
    )


def test_filters_survive_every_page_and_a_page_without_them(app):
    app.run()
    app.selectbox(key="year").set_value(2023).run()
    app.radio(key="mode").set_value("quarter").run()
    app.selectbox(key="q").set_value(2).run()
    app.multiselect(key="units").set_value(["360424", "360402"]).run()
    want = (2023, "quarter", 2, ("360424", "360402"))
    assert _state(app) == want
    for path in [*ANALYSIS, "views/upload.py", *reversed(ANALYSIS), "views/history.py", ANALYSIS[0]]:
        app.switch_page(path).run()
        assert not app.exception, (path, [e.value for e in app.exception])
        if path in ANALYSIS:
            assert _state(app) == want, path
            assert app.query_params["year"] in ("2023", ["2023"]), path
            assert app.query_params["units"] in ("360424,360402", ["360424,360402"]), path


def test_language_switch_keeps_the_period(app):
    """(Switching back is walked in the browser journey: AppTest evaluates format functions outside
    the script, always in Chinese, so it cannot run an English page twice.)"""
    app.run()
    app.radio(key="mode").set_value("year").run()
    app.selectbox(key="year").set_value(2023).run()
    app.selectbox(key="lang").set_value("en").run()
    assert (app.radio(key="mode").value, app.selectbox(key="year").value) == ("year", 2023)
    assert not app.exception


def test_unknown_link_parameters_are_named(app):
    app.query_params.update({"year": "1900", "units": "360424,999999"})
    app.run()
    warnings = " ".join(w.value for w in app.warning)
    assert "year=1900" in warnings and "999999" in warnings
    assert app.multiselect(key="units").value == ["360424"]  # the known code is kept
