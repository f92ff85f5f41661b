"""Accounts in chromium (issue 12): a link while signed out leads to sign-in and back to the view with
its filters; county staff upload a sheet holding another county's row and are refused, the row named;
a viewer has no upload page, not even by URL; five wrong passwords lock; sign-out; a tampered cookie
and a sign-in posted from another origin are refused; names holding HTML stay text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS, _start, _stop, no_error_boxes, open_page, settled
from tests.helpers import make_xlsx

pytestmark = pytest.mark.e2e
CPPCC = Path(sys.executable).parent / "cppcc"


def _user(db: Path, *args: str, password: str, by: str | None = None) -> None:
    cmd = [
        str(CPPCC),
        "--db",
        str(db),
        *(["--user", by] if by else []),
        "users",
        "add",
        *args,
        "--password-stdin",
    ]
    done = subprocess.run(cmd, input=password + "\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def signed(demo_db, tmp_path_factory):
    """A server on a demo store with accounts (sign-in on)."""
    tmp = tmp_path_factory.mktemp("signin")
    db = tmp / "signin.duckdb"
    shutil.copy(demo_db, db)
    _user(db, "管理员", "--role", "admin", password="admin-pass-1")
    _user(db, "修水填报员", "--role", "staff", "--unit", "360424", password="staff-pass-1", by="管理员")
    _user(db, "王主席<b>", "--role", "viewer", password="viewer-pass-1", by="管理员")
    _user(db, "试错", "--role", "viewer", password="right-pass-1", by="管理员")
    proc, url = _start(db, tmp / "streamlit.log")
    yield url, db, tmp
    _stop(proc)


def _sign_in(page, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#name").wait_for(timeout=60_000)
    page.fill("#name", name)
    page.fill("#password", password)
    page.get_by_role("button", name="登录").click()


def test_a_link_while_signed_out_signs_in_and_comes_back_with_its_filters(signed, browser):
    url, _, _ = signed
    page = open_page(browser, "desktop")
    page.goto(f"{url}/proposals?year=2024&mode=quarter&q=2")
    _sign_in(page, "王主席<b>", "viewer-pass-1")
    page.get_by_role("heading", name="提案工作").wait_for(timeout=60_000)
    settled(page)
    no_error_boxes(page)
    assert "year=2024" in page.url and "q=2" in page.url and "/proposals" in page.url
    assert "2024年第二季度" in page.locator("body").inner_text()
    assert "王主席<b>" in page.get_by_test_id("stSidebar").inner_text()  # the name shown as written
    cookie = next(c for c in page.context.cookies() if c["name"] == "cppcc_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "数据上传" not in nav and "数据管理" not in nav and "单位管理" not in nav
    page.goto(f"{url}/upload")  # no upload page for a viewer, not even by its address
    page.get_by_text("页面不存在").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stFileUploader").count() == 0
    page.get_by_role("link", name="退出登录").click()
    page.locator("#name").wait_for(timeout=30_000)
    page.goto(f"{url}/")
    page.locator("#name").wait_for(timeout=30_000)  # signed out: back to the form
    page.context.close()


def test_county_staff_are_refused_another_countys_row(signed, browser, tmp_path):
    url, db, _ = signed
    sheet = make_xlsx(
        tmp_path / "修水县2024年第一季度.xlsx",
        {
            "汇总": [
                ["县（市、区）", "提交提案", "立案", "办复"],
                ["修水县", 35, 30, 20],
                ["武宁县", 20, 18, 10],
            ]
        },
        title="九江市政协系统2024年第一季度履职数据统计表",
    )
    page = open_page(browser, "desktop")
    page.goto(f"{url}/upload")
    _sign_in(page, "修水填报员", "staff-pass-1")
    page.get_by_test_id("stFileUploader").wait_for(timeout=60_000)
    settled(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
    refusal = page.get_by_text(
        "只能导入修水县的报表"
    ).first  # the error list (a data grid: its cells are text)
    refusal.wait_for(state="attached", timeout=60_000)
    settled(page)
    assert "武宁县" in (refusal.text_content() or "")
    assert page.get_by_role("button", name="确认导入 1 个文件").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signin-staff-refused.png"), full_page=True)
    done = subprocess.run([str(CPPCC), "--db", str(db), "history", "--json"], capture_output=True, text=True)
    assert '"file": "修水县2024年第一季度.xlsx"' not in done.stdout  # nothing imported
    page.context.close()


def test_five_wrong_passwords_lock_the_account(signed, browser):
    url, _, _ = signed
    page = open_page(browser, "phone")
    page.goto(f"{url}/auth/signin")
    messages = set()
    for _ in range(5):
        _sign_in(page, "试错", "wrong-guess")
        page.locator(".err").wait_for(timeout=30_000)
        messages.add(page.locator(".err").inner_text())
    _sign_in(page, "试错", "right-pass-1")  # right, but locked now
    page.locator(".err").wait_for(timeout=30_000)
    messages.add(page.locator(".err").inner_text())
    _sign_in(page, "没有这个人", "whatever-1")
    page.locator(".err").wait_for(timeout=30_000)
    messages.add(page.locator(".err").inner_text())
    assert len(messages) == 1, "the message must not tell a locked or unknown name apart"
    assert "锁定" in messages.pop()
    assert not [c for c in page.context.cookies() if c["name"] == "cppcc_session"]
    page.screenshot(path=str(ARTIFACTS / "signin-locked-390.png"))
    page.context.close()


def test_a_tampered_cookie_and_a_cross_origin_sign_in_are_refused(signed, browser):
    url, _, _ = signed
    page = open_page(browser, "desktop")
    page.goto(f"{url}/auth/signin")
    _sign_in(page, "管理员", "admin-pass-1")
    page.get_by_role("heading", name="总览").wait_for(timeout=60_000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "cppcc_session")
    token, sig = cookie["value"].rsplit(".", 1)
    page.context.clear_cookies()
    page.context.add_cookies([{**cookie, "value": f"{token[:-1]}{'A' if token[-1] != 'A' else 'B'}.{sig}"}])
    page.goto(f"{url}/")
    page.locator("#name").wait_for(timeout=30_000)  # refused: signed in again only with a password
    form = urllib.parse.urlencode({"name": "管理员", "password": "admin-pass-1", "next": "/"}).encode()
    request = urllib.request.Request(
        f"{url}/auth/signin", data=form, headers={"Origin": "http://evil.example"}, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400 and "set-cookie" not in {k.lower() for k in refused.value.headers}
    page.context.close()


def test_an_admin_adds_an_account_and_reads_the_audit_log(signed, browser):
    url, _, _ = signed
    page = open_page(browser, "desktop")
    page.goto(f"{url}/accounts")
    _sign_in(page, "管理员", "admin-pass-1")
    page.get_by_role("heading", name="账号管理").wait_for(timeout=60_000)
    settled(page)
    form = page.get_by_test_id("stForm").first
    form.get_by_label("账号名").fill("武宁<i>填报员")
    form.get_by_label("初始密码（至少 8 位，首次登录后须修改）").fill("wuning-pass-1")
    form.get_by_role("button", name="添加").click()
    try:
        page.get_by_text("已添加账号").wait_for(timeout=60_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "signin-add-account.png"), full_page=True)
    settled(page)
    no_error_boxes(page)
    page.get_by_role("link", name="操作日志").click()
    page.get_by_role("heading", name="操作日志").wait_for(timeout=60_000)
    settled(page)
    page.locator('[data-testid="stDataFrame"] td', has_text="添加账号").first.wait_for(
        state="attached", timeout=30_000
    )
    cells = " ".join(t or "" for t in page.locator('[data-testid="stDataFrame"] td').all_text_contents())
    assert "添加账号" in cells and "登录" in cells and "武宁<i>填报员" in cells
    assert "admin-pass-1" not in cells and "wuning-pass-1" not in cells and "$argon2" not in cells
    page.screenshot(path=str(ARTIFACTS / "signin-audit.png"))
    page.context.close()
    first = open_page(browser, "desktop")  # the new account must change its password at first sign-in
    first.goto(f"{url}/")
    _sign_in(first, "武宁<i>填报员", "wuning-pass-1")
    first.locator("#old").wait_for(timeout=30_000)
    first.fill("#old", "wuning-pass-1")
    first.fill("#new", "wuning-pass-2")
    first.fill("#again", "wuning-pass-2")
    first.get_by_role("button", name="修改密码").click()
    first.get_by_role("heading", name="总览").wait_for(timeout=60_000)
    first.context.close()


def _handshake(url: str, origin: str) -> str:
    """The first line of the server's answer to a websocket handshake from `origin`."""
    import socket

    host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(
            (
                f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: {origin}\r\n\r\n"
            ).encode()
        )
        return s.recv(200).decode(errors="replace").splitlines()[0]


def test_uploads_and_page_actions_cannot_come_from_another_origin(signed):
    """Imports and reverts go through Streamlit's websocket and its upload endpoint: another site's page
    can open neither (the websocket checks the Origin, an upload needs the XSRF token only this site's
    pages can read)."""
    url, _, _ = signed
    assert " 101 " in _handshake(url, url)  # this site: accepted, so the refusal below means something
    assert " 403 " in _handshake(url, "http://evil.example")
    upload = urllib.request.Request(
        f"{url}/_stcore/upload_file/session/file", data=b"x", method="PUT",
        headers={"Origin": "http://evil.example", "Content-Type": "application/octet-stream"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(upload, timeout=30)
    assert refused.value.code == 403


def test_without_accounts_the_server_will_not_listen_beyond_loopback(demo_db, tmp_path):
    db = tmp_path / "open.duckdb"
    shutil.copy(demo_db, db)
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.address", "0.0.0.0",
           "--server.port", "0", "--server.headless", "true"]  # fmt: skip
    import os

    done = subprocess.run(
        run, cwd=root, env={**os.environ, "CPPCC_DB": str(db)}, capture_output=True, text=True, timeout=60
    )
    assert (
        done.returncode != 0
        and "未启用登录" in done.stdout + done.stderr
        and "cppcc users add" in done.stdout + done.stderr
    )
