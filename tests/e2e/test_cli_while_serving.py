"""`cppcc import` from a terminal while the dashboard serves: both work, and the page shows the new figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_overview_browser import wait_ready
from tests.e2e.test_upload_browser import metric, metric_value
from tests.helpers import make_xlsx

pytestmark = pytest.mark.e2e
VIEW = "?year=2024&mode=quarter&q=2&units=360423"


def test_cli_import_lands_while_pages_load(fresh_server, page, tmp_path):
    server, server_db = fresh_server.url, fresh_server.db
    page.goto(f"{server}/{VIEW}")
    wait_ready(page)
    assert metric(page, "提案提交数") != "7,777 件"
    sheet = make_xlsx(
        tmp_path / "2024年第二季度-武宁县.xlsx",
        {"汇总": [["县（市、区）", "提交提案", "立案"], ["武宁县", 7777, 7000]]},
    )
    cppcc = Path(sys.executable).parent / "cppcc"
    cli = subprocess.Popen(
        [str(cppcc), "--db", str(server_db), "import", "--replace-demo", "--user", "终端", str(sheet)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(3):  # the server keeps answering while the CLI imports
        page.reload()
        wait_ready(page)
        assert page.get_by_test_id("stException").count() == 0
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert "已导入 2024年第二季度-武宁县.xlsx" in out
    page.reload()
    wait_ready(page)
    expect(metric_value(page, "提案提交数")).to_have_text("7,777 件")  # the cache follows the file
