"""Staff upload a county's roster and a quarter's activity log (../shared/samples/members) through the
file chooser on a fresh demo store: each is recognised for what it is, previewed, confirmed; a log
row naming an unknown member is refused with its row; 数据管理 lists both batches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import settled, shot
from tests.e2e.test_journey_staff import operator
from tests.helpers import make_xlsx

pytestmark = pytest.mark.e2e
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "members"
ROSTER = SAMPLES / "修水县政协委员名册_第十六届.xlsx"
LOG = SAMPLES / "修水县政协委员履职活动登记_2024年第三季度.xlsx"


def choose(page, server: str, path: Path) -> None:
    page.goto(f"{server}/upload")
    expect(page.get_by_role("heading", name="数据上传")).to_be_visible(timeout=60_000)
    settled(page)
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(path))


def test_roster_then_log_through_the_upload_page(fresh_server, page, tmp_path):
    server = fresh_server.url
    choose(page, server, ROSTER)
    page.get_by_text(re.compile(r"委员名册，可以导入：新增 40 名")).wait_for(timeout=60_000)
    expect(page.get_by_text(re.compile(r"其中 1 名任职终止"))).to_be_visible()
    expect(page.get_by_text("名册与库中委员记录的对比（新增和变更在前）")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_contain_text("XS16017")
    operator(page, "王芳")
    shot(page, "members-roster-ready")
    page.get_by_role("button", name=re.compile("确认导入 1 个文件")).click()
    page.get_by_text(
        re.compile(r"已导入委员名册 修水县政协委员名册_第十六届.xlsx：批次 \d+，40 名委员")
    ).wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0

    # a log with a member the roster does not have: refused, the row named
    bad = make_xlsx(
        tmp_path / "履职登记_有误.xlsx",
        {
            "登记": [
                ["委员编号", "姓名", "日期", "活动类型", "次数"],
                ["XS16001", "赵海燕", "2024-07-05", "参加会议", 1],
                ["XS99999", "钱多多", "2024-07-06", "调研视察", 1],
            ]
        },
        title="修水县政协委员履职活动登记表",
    )
    choose(page, server, bad)
    page.get_by_text(re.compile("不能导入：发现 1 个错误")).wait_for(timeout=60_000)
    expect(
        page.get_by_text("工作表“登记”（出错的单元格已标红）")
    ).to_be_visible()  # the table is a canvas grid
    shot(page, "members-log-refused")

    choose(page, server, LOG)
    page.get_by_text(re.compile(r"履职活动登记，可以导入：86 条记录，涉及 \d+ 名委员")).wait_for(
        timeout=60_000
    )
    operator(page, "王芳")
    page.get_by_role("button", name=re.compile("确认导入 1 个文件")).click()
    page.get_by_text(re.compile(r"已导入履职活动登记 .*：批次 \d+，86 条记录")).wait_for(timeout=60_000)
    shot(page, "members-log-imported")

    page.goto(f"{server}/history")
    grid = page.get_by_test_id(
        "stDataFrame"
    ).first  # the batches' grid: its cells are in the page's a11y tree
    for text in (
        "履职活动登记",
        "修水县政协委员履职活动登记_2024年第三季度.xlsx",
        "委员名册",
        "修水县政协委员名册_第十六届.xlsx",
    ):
        expect(grid.locator("td", has_text=re.compile(f"^{re.escape(text)}$")).first).to_be_attached(
            timeout=60_000
        )
    assert page.get_by_test_id("stException").count() == 0
