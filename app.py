"""The server: `streamlit run app.py [-- --db PATH]` (what `python3 dev.py serve` runs). Streamlit's
ASGI app serving dashboard.py, plus the sign-in routes (ui.signin), which set the session cookie.

With no account in the store sign-in is off, and the server refuses to listen beyond 127.0.0.1 unless
CPPCC_OPEN_SERVER=1 says that is intended (README: "Serving the office network")."""

from __future__ import annotations

import os
import sys

import streamlit as st

from ui.signin import ROUTES, _store

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_address() -> None:
    address = str(st.get_option("server.address") or "")
    if address in _LOOPBACK or os.environ.get("CPPCC_OPEN_SERVER") == "1":
        return
    from services.accounts import signin_enabled

    if not signin_enabled(_store()):
        sys.exit(
            f"未启用登录（数据库中还没有账号），看板不能在 {address or '所有网络地址'} 上提供：请先用 "
            "cppcc users add 名称 --role admin 建立管理员账号；确需不登录开放，请设置 CPPCC_OPEN_SERVER=1"
        )


_check_address()
app = st.App("dashboard.py", routes=ROUTES)
