"""报送进度 does not call a quarter that has not ended overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.dictionary import demo_units
from store.units import upsert_units
from tests.helpers import add_batch, fact

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "reporting.py")


def test_current_quarter_is_not_yet_overdue(store, monkeypatch):
    today = dt.date.today()
    year, q = today.year, (today.month - 1) // 3 + 1
    with store.transaction() as con:
        upsert_units(con, demo_units()[:3])
    add_batch(store, [fact("360400", year, q, "inspections", 2)])
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update({"year": str(year), "mode": "quarter", "q": str(q)})
    at.run()
    assert not at.exception
    assert any("尚未结束" in i.value for i in at.info), [i.value for i in at.info]
