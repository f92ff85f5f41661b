"""The staff journey in a real browser: upload a messy workbook, see the error, fix it, confirm, see the overview change."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import settled, shot
from tests.e2e.test_journey_staff import operator
from tests.e2e.test_overview_browser import wait_ready

pytestmark = pytest.mark.e2e
VIEW = "?year=2025&mode=quarter&q=1&units=360424"


def messy_workbook(path: Path, registered: int) -> Path:
    """A city summary as counties send it: title, unit line, merged two-level header, 合计, a note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.merge_cells("A1:E1")
    ws["A1"] = "九江市政协系统2025年第一季度履职数据统计表"
    ws["A2"] = "填报单位：市政协办公室    单位：件"
    ws.merge_cells("A3:A4")
    ws["A3"] = "序号"
    ws.merge_cells("B3:B4")
    ws["B3"] = "县（市、区）"
    ws.merge_cells("C3:E3")
    ws["C3"] = "提案工作"
    ws["C4"], ws["D4"], ws["E4"] = "提交提案（件）", "立案", "办复"
    ws.append([1, "修水縣", 4321, registered, 4000])
    ws.append([2, "武宁县", 40, 35, 30])
    ws.append(["", "合计", 4361, registered + 35, 4030])
    ws.append([])
    ws.append(["注：数据截至2025年3月31日。"])
    wb.save(path)
    return path


def metric_value(page, label: str):
    """The value of the KPI card with this label, as a locator (for a self-retrying `expect`)."""
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def metric(page, label: str) -> str:
    return metric_value(page, label).inner_text()


def test_upload_fix_confirm_and_overview_changes(fresh_server, page, tmp_path):
    server = fresh_server.url
    page.goto(f"{server}/{VIEW}")
    wait_ready(page)
    before = metric(page, "提案提交数")
    assert before != "4,321 件"

    page.goto(f"{server}/upload")
    uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    uploader.set_input_files(str(messy_workbook(tmp_path / "2025年一季度统计表.xlsx", registered=5000)))
    page.get_by_text("不能导入：发现 1 个错误").wait_for(timeout=60_000)
    page.get_by_text("工作表“汇总”（出错的单元格已标红）").wait_for(timeout=30_000)
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "upload-error")

    page.goto(f"{server}/upload")  # the fixed file, uploaded afresh
    uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    uploader.set_input_files(str(messy_workbook(tmp_path / "2025年一季度统计表-更正.xlsx", registered=4100)))
    page.get_by_text(re.compile("可以导入：6 个数值")).wait_for(timeout=60_000)
    operator(page, "王芳")
    shot(page, "upload-ready")
    page.get_by_role("button", name=re.compile("确认导入 1 个文件")).click()
    page.get_by_text(re.compile("已导入 2025年一季度统计表-更正.xlsx：批次 \\d+，6 个数值")).wait_for(
        timeout=60_000
    )

    page.goto(f"{server}/{VIEW}")
    wait_ready(page)
    expect(metric_value(page, "提案提交数")).to_have_text("4,321 件")
    expect(metric_value(page, "立案率")).to_have_text("94.9%")  # 4100 / 4321, recomputed from the parts


def test_unknown_column_can_be_added_as_a_new_indicator(fresh_server, page, tmp_path):
    server = fresh_server.url
    from tests.helpers import make_xlsx

    f = make_xlsx(
        tmp_path / "2023年第一季度-走访.xlsx",
        {"汇总": [["县（市、区）", "提交提案", "走访群众（人次）"], ["湖口县", 33, 120]]},
    )
    page.goto(f"{server}/upload")
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(f))
    page.get_by_text("1 个列名未对应任何指标：请选择如何处理").wait_for(timeout=60_000)
    assert page.get_by_text(re.compile("可以导入：1 个数值")).is_visible()
    page.get_by_label("处理方式").first.click()
    page.get_by_role("option", name="新增为指标").click()
    page.get_by_role("button", name="保存 1 项到指标字典并重新检查").click()
    page.get_by_text(re.compile("可以导入：2 个数值")).wait_for(timeout=60_000)
    shot(page, "upload-new-indicator")


AFTER = """(selector) => getComputedStyle(document.querySelector(selector), '::after').content"""


def test_the_file_chooser_speaks_the_page_language(server, page):
    """Streamlit draws "Upload" and "20MB per file" in English whatever the page's language."""
    page.goto(f"{server}/upload")
    page.get_by_test_id("stFileUploader").wait_for(timeout=60_000)
    settled(page)
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    limit = '[data-testid="stFileUploaderDropzoneInstructions"] > div'
    assert page.evaluate(AFTER, button) == '"选择文件"'
    assert page.evaluate(AFTER, limit) == '"每个文件不超过 20 MB"'
    assert page.evaluate("(s) => getComputedStyle(document.querySelector(s)).fontSize", button) == "0px"
    shot(page, "upload-chooser-zh")
    page.goto(f"{server}/upload?lang=en")
    page.get_by_test_id("stFileUploader").wait_for(timeout=60_000)
    settled(page)
    assert page.evaluate(AFTER, button) in ("none", "normal")  # English: Streamlit's own words
    expect(page.get_by_test_id("stFileUploaderDropzone")).to_contain_text("per file")
