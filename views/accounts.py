"""账号管理 (admins): the accounts, adding one, resetting a password (the user changes it at the next
sign-in), disabling and enabling. The same service functions as `cppcc users`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.accounts import ROLE_ZH, ROLES
from services import accounts
from ui import auth, data
from ui.panel import show_table
from ui.text import plain

st.title("账号管理")
who = auth.actor()
store = data.get_store()
if who is None:
    st.info(
        "未启用登录：数据库中还没有账号。用 cppcc users add 名称 --role admin 建立第一个管理员账号后，看板即需要登录。"
    )
    st.stop()
if done := st.session_state.pop("_accounts_done", None):  # said after the rerun that lists the change
    st.success(done)
units_df = data.units()
names = dict(zip(units_df["code"], units_df["name"], strict=True))
rows = accounts.accounts(store, who)
show_table(
    pd.DataFrame(
        {
            "账号": [a.name for a in rows],
            "角色": [ROLE_ZH.get(a.role, a.role) for a in rows],
            "单位": ["、".join(names.get(u, u) for u in a.units) for a in rows],
            "状态": ["已停用" if a.disabled else ("须修改密码" if a.must_change else "正常") for a in rows],
        }
    ),
    width="stretch",
)
address = auth.address()
left, right = st.columns(2, gap="large")
with left, st.form("account_add", clear_on_submit=True):
    st.subheader("添加账号")
    name = st.text_input("账号名", max_chars=40)
    role = st.selectbox("角色", ROLES, format_func=lambda r: ROLE_ZH[r])
    units = st.multiselect(
        "单位（填报员）", list(names), format_func=lambda c: names[c], placeholder="选择单位"
    )
    password = st.text_input("初始密码（至少 8 位，首次登录后须修改）", type="password")
    if st.form_submit_button("添加", icon=":material/person_add:"):
        try:
            a = accounts.add_account(store, name, role, password, units, by=who, address=address)
            accounts.set_password(
                store, a.name, password, who, address
            )  # an admin-set password: changed at sign-in
        except (accounts.AccountError, accounts.PermissionDenied) as exc:
            st.error(plain(exc))
        else:
            data.clear_caches()
            st.session_state["_accounts_done"] = f"已添加账号“{plain(a.name)}”（首次登录时须修改密码）"
            st.rerun()
with right, st.form("account_change"):
    st.subheader("重设密码、停用或启用")
    pick = st.selectbox("账号", [a.name for a in rows])
    new = st.text_input("新密码（重设后该账号下次登录须修改）", type="password")
    c1, c2, c3 = st.columns(3)
    reset, off, on = (
        c1.form_submit_button("重设密码"),
        c2.form_submit_button("停用"),
        c3.form_submit_button("启用"),
    )
    if pick and (reset or off or on):
        try:
            if reset:
                accounts.set_password(store, pick, new, who, address)
            else:
                accounts.set_disabled(store, pick, bool(off), who, address)
        except (accounts.AccountError, accounts.PermissionDenied) as exc:
            st.error(plain(exc))
        else:
            data.clear_caches()
            st.session_state["_accounts_done"] = (
                f"已{'重设密码' if reset else ('停用' if off else '启用')}：{plain(pick)}"
            )
            st.rerun()
