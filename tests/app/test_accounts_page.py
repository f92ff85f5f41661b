"""账号管理 as an AppTest, signed in as an admin on a store with accounts: the accounts listed, one added
(it must change its password at first sign-in), one disabled; names shown as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from domain.accounts import Actor
from services import accounts
from store.connection import Store

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "accounts.py")


def test_an_admin_adds_and_disables_accounts(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("CPPCC_DB", str(db))
    store = Store(db)
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["_actor"] = Actor("管理员", "admin")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input[0].input("县里的**填报员**")
    at.selectbox[0].set_value("staff")
    at.multiselect[0].set_value(["360424"])
    at.text_input[1].input("county-pass-1")
    next(b for b in at.button if b.label == "添加").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = {a.name: a for a in accounts.accounts(store)}["县里的**填报员**"]
    assert added.role == "staff" and added.units == ("360424",) and added.must_change
    at.selectbox[1].set_value("县里的**填报员**")
    next(b for b in at.button if b.label == "停用").click().run()
    assert {a.name: a for a in accounts.accounts(store)}["县里的**填报员**"].disabled
    assert any("县里的\\*\\*填报员\\*\\*" in s.value or "县里的**填报员**" in s.value for s in at.success)


def test_the_audit_log_page_says_when_nothing_matches(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(shutil.copy(demo_db, tmp_path / "s.duckdb")))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(PAGE).with_name("audit.py")), default_timeout=60)
    at.run()
    assert not at.exception
    assert "没有符合条件的记录" in at.info[0].value and not at.dataframe
