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
