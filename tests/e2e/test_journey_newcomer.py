"""A newcomer starts real: an empty store (cppcc init), the unit list first on 单位管理 (preview, then
import), then a sheet on 数据上传 — in chromium at 1024×768 (issue 8, item 7)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SAMPLES, _start, _stop, no_error_boxes, open_page, settled, shot
from tests.e2e.test_journey_staff import WIDE, operator

pytestmark = pytest.mark.e2e
UNITS = Path(__file__).resolve().parents[2] / "data" / "units_jiujiang.csv"


def test_a_real_store_starts_with_its_units(browser, tmp_path):
    db = tmp_path / "real.duckdb"
    cppcc = shutil.which("cppcc", path=str(Path(sys.executable).parent))
    assert cppcc
    subprocess.run([cppcc, "--db", str(db), "init"], check=True, capture_output=True)
    proc, url = _start(db, tmp_path / "streamlit.log")
    try:
        page = open_page(browser, "projector")
        page.goto(f"{url}/units")
        settled(page)
        operator(page, "李主任")
        page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(UNITS))
        page.get_by_text(re.compile(r"列表中有 14 个单位，导入后将有 14 项变化")).wait_for(timeout=60_000)
        shot(page, "journey-newcomer-1-units-preview")
        page.get_by_role("button", name="导入这 14 个单位").click()
        # the preview lists the same lines: wait for them in the success box the import leaves
        page.get_by_test_id("stAlertContentSuccess").filter(has_text="新增单位 360424 修水县").wait_for(
            timeout=60_000
        )
        expect(page.get_by_role("button", name="导入这 14 个单位")).to_have_count(0)
        settled(page)
        no_error_boxes(page)
        shot(page, "journey-newcomer-2-units")

        page.get_by_role("link", name="数据上传").click()
        # 单位管理 has a file chooser too: under load the old page's one is still there when the link is
        # clicked, and a file set on it is lost with the page. Wait for 数据上传 itself to be drawn.
        page.wait_for_url(re.compile(r":\d+/upload"), timeout=60_000)
        page.get_by_role("heading", name="数据上传").wait_for(timeout=60_000)
        settled(page)
        try:
            page.get_by_test_id("stFileUploader").locator("input[type=file]").wait_for(
                state="attached", timeout=90_000
            )
        finally:
            shot(page, "journey-newcomer-2a-upload-page")
        page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(WIDE))
        try:
            page.get_by_text(re.compile(r"可以导入：130 个数值（新增 130")).wait_for(timeout=60_000)
        finally:
            shot(page, "journey-newcomer-2b-preview")
        expect(page.locator("body")).not_to_contain_text("演示数据")  # a real store: nothing to remove
        operator(page, "李主任")
        page.get_by_role("button", name="确认导入 1 个文件").click()
        page.get_by_text(re.compile(r"已导入 .*：批次 \d+，130 个数值")).wait_for(timeout=60_000)
        no_error_boxes(page)
        shot(page, "journey-newcomer-3-imported")
    finally:
        _stop(proc)
    assert SAMPLES.is_dir()
