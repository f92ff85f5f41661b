"""What the upload page draws is bounded by what a person can use, not by the file: a sheet of
16,384 unknown headers offers the first 20 and summarises the rest (issue 9, item 9). The widgets
drawn are counted, not the seconds."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page(db: str) -> None:

    from store.ingest import prepare
    from store.open import open_store
    from ui.unknown_columns import offer_additions

    store = open_store(db)
    head = ["县（市、区）", "提交提案"] + [f"未知列{n}" for n in range(16384)]
    row = ["修水县", "35"] + ["1"] * 16384
    data = (",".join(head) + "\n" + ",".join(row) + "\n").encode()
    p = prepare(store, "2024年第一季度.csv", data)
    offer_additions(p, "f1", p.dictionary, "张科员")


def test_sixteen_thousand_unknown_headers_draw_twenty_choices(store, monkeypatch):
    import streamlit as st

    from domain.dictionary import demo_units
    from store.units import upsert_units

    monkeypatch.setenv("CPPCC_DB", store.target)
    st.cache_resource.clear()
    with store.transaction() as con:
        upsert_units(con, demo_units())
    at = AppTest.from_function(_page, args=(store.target,), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.selectbox) == 20
    assert any("其余 16364 个列名将跳过" in c.value for c in at.caption)
    assert any("16384 个列名未对应任何指标" in e.label for e in at.expander)


def test_a_bad_period_says_so_once_and_keeps_the_file_chooser(demo_db, monkeypatch):
    from pathlib import Path

    import streamlit as st

    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    page = str(Path(__file__).resolve().parents[2] / "views" / "upload.py")
    at = AppTest.from_file(page, default_timeout=60).run()
    at.text_input(key="up_period").set_value("张科员").run()
    assert not at.exception
    (err,) = [e.value for e in at.error]
    assert err.count("无法识别") == 1 and "张科员" in err  # not 期间“张科员”无法识别：期间“张科员”无法识别…
    assert "2024Q1" in err  # and what to write instead
    assert at.get("file_uploader"), "the file chooser stays while the period is corrected"
