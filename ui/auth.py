"""Who is using the pages. With sign-in off (no account in the store) nobody is asked, and the pages
say 未启用登录; with it on, dashboard.py calls `gate()` first: the session cookie (set by the sign-in
routes, ui.signin) gives the account, or the browser goes to the sign-in form and comes back to the
same view. The actor is passed to every service call (`actor()`), where the rights are decided."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode, urlparse

import streamlit as st

from domain.accounts import Actor, may
from services import accounts
from store.connection import Store
from ui.signin import COOKIE

_KEY = "_actor"


def actor() -> Actor | None:
    """The signed-in account, or None with sign-in off (the services then act for anyone)."""
    value = st.session_state.get(_KEY)
    return value if isinstance(value, Actor) else None


def _here() -> str:
    """The view asked for, to come back to after signing in: its path and its parameters (filters)."""
    path = urlparse(st.context.url or "/").path or "/"
    query = urlencode(st.query_params.to_dict())
    return path + (f"?{query}" if query else "")


def _go(target: str, text: str) -> None:
    """Leave the page for a sign-in route (a link too, should scripts be off), and stop the run."""
    st.html(
        f'<p><a href="{escape(target)}" target="_self">{escape(text)}</a></p>'
        f"<script>window.location.replace({target!r});</script>",
        unsafe_allow_javascript=True,
    )
    st.stop()


def gate(store: Store, signin_on: bool) -> Actor | None:
    """With sign-in on: the session's account (kept for this run), else off to the sign-in form."""
    if not signin_on:
        st.session_state.pop(_KEY, None)
        return None
    found = accounts.session_actor(store, st.context.cookies.get(COOKIE))
    if found is None:
        st.session_state.pop(_KEY, None)
        _go(f"/auth/signin?next={quote(_here())}", "请先登录")
    assert found is not None
    who, must_change = found
    if must_change:
        _go(f"/auth/password?next={quote(_here())}", "请先修改密码")
    st.session_state[_KEY] = who
    return who


def allowed(who: Actor | None, action: str) -> bool:
    """Whether a page needing `action` is listed (and reachable) for this actor."""
    return who is None or may(who, action, who.units if who.role == "staff" else ())


def sidebar(who: Actor | None, names: dict[str, str] | None = None) -> None:
    """Who is signed in, with 修改密码 and 退出登录; or that sign-in is off."""
    if who is None:
        st.sidebar.caption("未启用登录：能打开本页的人都可以操作。启用方法见 README（cppcc users add）。")
        return
    units = f"（{'、'.join((names or {}).get(u, u) for u in who.units)}）" if who.units else ""
    st.sidebar.html(
        f'<div style="font-size:14px">已登录：<b>{escape(who.name)}</b> · {escape(who.role_zh)}{escape(units)}<br>'
        '<a href="/auth/password" target="_self">修改密码</a> · '
        '<a href="/auth/signout" target="_self">退出登录</a></div>'
    )


def address() -> str | None:
    """The client's address for the audit log (None on localhost, and outside a browser session)."""
    value = st.context.ip_address
    return value if isinstance(value, str) else None
