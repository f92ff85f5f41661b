"""Sign-in outside Streamlit's pages: routes of the ASGI app (app.py) that set and clear the session
cookie, which a Streamlit script cannot set itself. The cookie is HttpOnly, SameSite=Strict, signed
(services.accounts), Secure behind HTTPS; every POST must come from this origin (Origin/Referer), so
sign-in and password changes cannot be driven from another site. The pages read the cookie through
`st.context.cookies` (ui.auth).

    GET  /auth/signin?next=/proposals?year=2024   the form (Chinese); POST signs in, back to `next`
    GET  /auth/signout                             ends the session (SameSite=Strict: not cross-site)
    GET  /auth/password                            change one's own password (forced after a reset)
"""

from __future__ import annotations

import os
import sys
from html import escape
from urllib.parse import quote, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from services import accounts
from store.connection import Store
from store.open import open_store

COOKIE = "cppcc_session"
_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · 政协履职数据看板</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; background: #F6F4F0;
  color: #262730; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; }}
main {{ background: #fff; padding: 32px 28px; border-radius: 12px; border-top: 6px solid #B22222;
  width: min(360px, 86vw); box-shadow: 0 2px 12px rgba(0,0,0,.08); }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} p.sub {{ color: #666; margin: 0 0 18px; font-size: 14px; }}
label {{ display: block; font-size: 14px; margin: 12px 0 4px; }}
input {{ width: 100%; box-sizing: border-box; font: inherit; padding: 8px 10px; border: 1px solid #ccc; border-radius: 8px; }}
button {{ margin-top: 18px; width: 100%; font: inherit; padding: 9px; border: 0; border-radius: 8px;
  background: #B22222; color: #fff; cursor: pointer; }}
.err {{ color: #B22222; background: #FBECEC; padding: 8px 10px; border-radius: 8px; font-size: 14px; margin-top: 12px; }}
.ok {{ color: #1B7F3A; font-size: 14px; margin-top: 12px; }}
</style></head><body><main><h1>{title}</h1><p class="sub">政协履职数据看板</p>{body}</main></body></html>"""


def _store() -> Store:
    argv = sys.argv[1:]
    db = None
    for n, a in enumerate(argv):
        if a == "--db" and n + 1 < len(argv):
            db = argv[n + 1]
        elif a.startswith("--db="):
            db = a.split("=", 1)[1]
    return open_store(db, shared=True)


def client_address(request: Request) -> str | None:
    """The client's address; behind a reverse proxy its X-Forwarded-For, trusted only when the request
    comes from a proxy named in CPPCC_TRUSTED_PROXIES (comma separated addresses)."""
    peer = request.client.host if request.client else None
    trusted = {p.strip() for p in os.environ.get("CPPCC_TRUSTED_PROXIES", "").split(",") if p.strip()}
    forwarded = request.headers.get("x-forwarded-for")
    if peer in trusted and forwarded:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _same_origin(request: Request) -> bool:
    """A POST from a page of this site: its Origin (or Referer) names this host."""
    host = request.headers.get("host", "")
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    return bool(source) and urlparse(source).netloc == host


def safe_next(target: str | None) -> str:
    """Only a path of this site (never //other or http://other): back to the linked view after sign-in.

    >>> safe_next("/proposals?year=2024"), safe_next("//evil.example/x"), safe_next("https://evil.example")
    ('/proposals?year=2024', '/', '/')
    """
    t = (target or "/").strip()
    if not t.startswith("/") or t.startswith("//") or "\\" in t:
        return "/"
    return t


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _form(title: str, fields: str, action: str, message: str = "", ok: str = "") -> HTMLResponse:
    note = (f'<div class="err" role="alert">{escape(message)}</div>' if message else "") + (
        f'<div class="ok">{escape(ok)}</div>' if ok else ""
    )
    body = f'<form method="post" action="{escape(action)}">{fields}<button type="submit">{title}</button></form>{note}'
    return HTMLResponse(
        _PAGE.format(title=escape(title), body=body),
        status_code=400 if message else 200,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"},
    )  # fmt: skip


def _signin_form(next_path: str, message: str = "", name: str = "") -> HTMLResponse:
    fields = (
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        f'<label for="name">账号</label><input id="name" name="name" autocomplete="username" value="{escape(name)}" required autofocus>'
        '<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>'
    )  # fmt: skip
    return _form("登录", fields, f"/auth/signin?next={quote(next_path)}", message)


async def signin(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return _signin_form(next_path)
    if not _same_origin(request):
        return _signin_form(next_path, "登录请求不是从本站页面发出的，已拒绝")
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    next_path = safe_next(str(form.get("next") or next_path))
    store, address = _store(), client_address(request)
    try:
        account = await run_in_threadpool(accounts.authenticate, store, name, password, address)
    except accounts.SignInFailed as exc:
        return _signin_form(next_path, str(exc), name)
    cookie = await run_in_threadpool(accounts.start_session, store, account.name)
    target = f"/auth/password?next={quote(next_path)}" if account.must_change else next_path
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", secure=_secure(request), path="/")
    return response


async def signout(request: Request) -> Response:
    store = _store()
    await run_in_threadpool(accounts.end_session, store, request.cookies.get(COOKIE), client_address(request))
    response = RedirectResponse("/auth/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _password_form(next_path: str, message: str = "", ok: str = "") -> HTMLResponse:
    fields = (
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<label for="old">原密码</label><input id="old" name="old" type="password" autocomplete="current-password" required>'
        '<label for="new">新密码（至少 8 位）</label><input id="new" name="new" type="password" autocomplete="new-password" required>'
        '<label for="again">再输入一次</label><input id="again" name="again" type="password" autocomplete="new-password" required>'
    )  # fmt: skip
    return _form("修改密码", fields, "/auth/password", message, ok)


async def password(request: Request) -> Response:
    store = _store()
    found = await run_in_threadpool(accounts.session_actor, store, request.cookies.get(COOKIE))
    next_path = safe_next(request.query_params.get("next"))
    if found is None:
        return RedirectResponse(f"/auth/signin?next={quote('/auth/password')}", status_code=303)
    if request.method == "GET":
        return _password_form(next_path, "", "管理员重设了您的密码：请先修改密码" if found[1] else "")
    if not _same_origin(request):
        return _password_form(next_path, "请求不是从本站页面发出的，已拒绝")
    form = await request.form()
    next_path = safe_next(str(form.get("next") or next_path))
    new, again = str(form.get("new", "")), str(form.get("again", ""))
    if new != again:
        return _password_form(next_path, "两次输入的新密码不一致")
    actor = found[0]
    try:
        await run_in_threadpool(
            lambda: accounts.set_password(
                store, actor.name, new, actor, client_address(request), str(form.get("old", ""))
            )
        )
    except accounts.AccountError as exc:
        return _password_form(next_path, str(exc))
    cookie = await run_in_threadpool(accounts.start_session, store, actor.name)  # every old session ended
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", secure=_secure(request), path="/")
    return response


ROUTES = [
    Route("/auth/signin", signin, methods=["GET", "POST"]),
    Route("/auth/signout", signout, methods=["GET"]),
    Route("/auth/password", password, methods=["GET", "POST"]),
]
