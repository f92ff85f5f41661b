"""Every analysis page in a real browser: charts render, a click on a unit's bar filters the page, a copied
link reopens the same view; screenshots for people to look at."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import settled, shot
from ui.navigation import PAGES

pytestmark = pytest.mark.e2e
ANALYSIS = [p for p in PAGES if p.section == "nav.section_analysis" and p.url_path != "overview"]
WITH_UNIT_BARS = {"proposals", "consultation", "research", "social", "members", "compare"}


def wait_charts(page) -> None:
    """A chart drawn, then Streamlit's run over (no fixed sleep)."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg', timeout=60_000)
    settled(page)


def click_a_unit_bar(page) -> bool:
    """Click the top bar of each chart in turn until one filters the page to a unit."""
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for n in range(charts.count()):
        bars = charts.nth(n).locator(".barlayer .point path")
        if bars.count() < 5:
            continue
        bars.last.scroll_into_view_if_needed()
        bars.last.click(force=True)
        try:
            page.wait_for_url(re.compile(r"units=\d{6}"), timeout=5_000)
            return True
        except Exception:
            continue
    return False


@pytest.mark.parametrize("spec", ANALYSIS, ids=[p.url_path for p in ANALYSIS])
def test_page_charts_unit_click_and_link(server, page, browser, spec):
    page.goto(f"{server}/{spec.url_path}?year=2024&mode=year")
    wait_charts(page)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("演示数据").first.is_visible()
    shot(page, f"page-{spec.url_path}")

    if spec.url_path in WITH_UNIT_BARS:
        assert click_a_unit_bar(page), "a click on a unit's bar filters the page"
        wait_charts(page)
        assert page.get_by_test_id("stException").count() == 0
        assert page.get_by_test_id("stMultiSelect").first.inner_text().count("×") <= 1
    url = page.url
    other = browser.new_page(viewport={"width": 1400, "height": 1600})
    other.goto(url)
    wait_charts(other)
    assert same_view(page, other)
    other.close()


def same_view(page, other, within: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    """Both pages show the same text once both runs are over. The click's run may start only after the
    URL changed (settled() then saw the old run's end), so the texts are compared until they agree."""
    deadline = time.monotonic() + within
    while True:
        settled(page)
        settled(other)
        mine, theirs = (p.get_by_test_id("stMain").inner_text() for p in (page, other))
        if mine == theirs:
            return True
        if time.monotonic() > deadline:
            assert theirs == mine  # pytest shows the difference
        page.wait_for_timeout(500)
