"""The overview's KPI cards against annual targets: progress and 落后于进度."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.dictionary import demo_units
from store.targets import set_targets
from store.units import upsert_units
from tests.helpers import add_batch, fact


def test_overview_card_shows_progress_and_behind_plan(store, monkeypatch):
    with store.transaction() as con:
        upsert_units(con, demo_units()[:2])
        set_targets(
            con, [("360400", 2024, "proposals_submitted", 400), ("360402", 2024, "proposals_submitted", 100)]
        )
    add_batch(
        store,
        [fact("360400", 2024, q, "proposals_submitted", 90) for q in (1, 2, 3)]
        + [fact("360402", 2024, q, "proposals_submitted", 20) for q in (1, 2, 3)],
    )
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "views" / "overview.py"), default_timeout=60
    ).run()
    assert not at.exception
    # 1-9月: (90*3 + 20*3) = 330 of 500 = 66.0%, while 75% of the year has passed
    captions = [c.value for c in at.caption]
    assert any(
        "年度目标 500 件，已完成 66.0%（时间进度 75%）" in c and "落后于进度" in c for c in captions
    ), captions


def test_domain_page_card_shows_a_rate_target_for_one_unit(store, monkeypatch):
    with store.transaction() as con:
        upsert_units(con, demo_units()[:2])
        set_targets(con, [("360402", 2024, "registration_rate", 90.0)])
    add_batch(
        store,
        [
            fact("360402", 2024, 1, "proposals_submitted", 40),
            fact("360402", 2024, 1, "proposals_registered", 34),
        ],
    )
    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_data.clear()
    st.cache_resource.clear()
    page = str(Path(__file__).resolve().parents[2] / "views" / "proposals.py")
    at = AppTest.from_file(page, default_timeout=60)
    at.query_params.update({"year": "2024", "mode": "year", "units": "360402"})
    at.run()
    assert not at.exception
    # 立案率 34 / 40 = 85.0 % against a target of 90 %: a level, behind
    captions = [c.value for c in at.caption]
    assert any("年度目标 90.0%" in c and "落后于进度" in c for c in captions), captions
