"""The overview in a real browser: charts render, no exception box, filters change the URL, links reopen views."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import download, settled, shot

pytestmark = pytest.mark.e2e


def wait_ready(page) -> None:
    """A chart drawn and the KPI cards shown, then Streamlit's run over (no fixed sleep)."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg', timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    settled(page)


def choose(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.locator("input").first.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_overview_renders_and_year_filter_goes_into_the_url(server, page):
    page.goto(server)
    wait_ready(page)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("演示数据").first.is_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2
    assert page.get_by_test_id("stMetric").count() == 6
    shot(page, "overview-default")

    choose(page, "年度", "2024年")
    page.wait_for_url(re.compile(r"year=2024"), timeout=30_000)
    wait_ready(page)
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "overview-2024")


def test_a_copied_link_reopens_the_same_view(server, page, browser):
    page.goto(f"{server}/?year=2023&mode=quarter&q=2&units=360424&rank=info_adopted")
    wait_ready(page)
    assert "q=2" in page.url and "units=360424" in page.url
    other = browser.new_page(viewport={"width": 1400, "height": 1600})
    other.goto(page.url)
    wait_ready(other)
    cards = lambda p: p.get_by_test_id("stMetric").all_inner_texts()  # noqa: E731
    assert cards(other) == cards(page)
    assert other.get_by_test_id("stMultiSelect").first.inner_text().count("修水县") == 1
    other.close()


def test_clicking_a_unit_bar_filters_the_page_to_it(server, page):
    page.goto(f"{server}/?year=2024&mode=year")
    wait_ready(page)
    bars = page.locator('[data-testid="stPlotlyChart"]').nth(1).locator(".barlayer .point path")
    assert bars.count() >= 10
    bars.last.click(force=True)  # the top bar: the highest value
    page.wait_for_url(re.compile(r"units=\d{6}"), timeout=30_000)
    wait_ready(page)
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "overview-unit-click")


def test_chart_data_downloads_as_excel_and_csv(server, page, tmp_path):
    page.goto(f"{server}/?year=2024&mode=year")
    wait_ready(page)
    xlsx = download(page, page.get_by_role("button", name="下载 Excel").first)
    data = tmp_path / "x.xlsx"
    xlsx.save_as(data)
    assert data.read_bytes()[:2] == b"PK" and xlsx.suggested_filename.endswith(".xlsx")
    csv = download(page, page.get_by_role("button", name="下载 CSV").first)
    path = tmp_path / "x.csv"
    csv.save_as(path)
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "提案提交数".encode() in text
