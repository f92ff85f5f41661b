"""The presenter journey (汇报人) in chromium at 1024×768: print a page to A4 (browser print: the
beforeprint event, print media, then the PDF) — nothing interactive is printed and no chart runs off
the paper — and save a chart image named after the chart (issue 8, items 17 and 18)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS, no_error_boxes, open_page, settled

pytestmark = pytest.mark.e2e
A4_CONTENT_PX = 703  # 210 mm less 2 × 12 mm margins, at 96 dpi


@pytest.mark.parametrize(
    ("path", "kind"), [("", "desktop"), ("proposals", "projector"), ("compare", "desktop")]
)
def test_printing_a_page_shows_the_figures_and_nothing_interactive(server, browser, path, kind):
    """At 1440×900 the charts are drawn ~1000 px wide: only the zoom before printing fits them on A4."""
    page = open_page(browser, kind)
    page.goto(f"{server}/{path}?year=2024&mode=quarter&q=2")
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=90_000)
    settled(page)
    no_error_boxes(page)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # what the browser's print does
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['stSidebar', 'stSelectbox', 'stButton', 'stDownloadButton', 'stHeader']
            .map(id => [...document.querySelectorAll(`[data-testid="${id}"]`)])
            .flat().filter(e => getComputedStyle(e).display !== 'none').length"""
    )
    assert hidden == 0, "widgets or the sidebar would be printed"
    tabs = page.evaluate(
        """() => [...document.querySelectorAll('[role="tablist"], [data-testid="stTooltipIcon"]')]
            .filter(e => getComputedStyle(e).display !== 'none').length"""
    )
    assert tabs == 0
    widest = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            const zoom = parseFloat(main.style.zoom || '1');
            return Math.max(...[...document.querySelectorAll('.js-plotly-plot .main-svg')]
                .map(e => e.getBoundingClientRect().width * zoom));
        }"""
    )
    assert widest <= A4_CONTENT_PX + 2, f"a chart {widest:.0f}px wide runs off A4"
    assert page.get_by_test_id("stMetric").count() >= 1 or path == "compare"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"print-{path or 'overview'}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 20_000
    if Path("/usr/bin/pdftoppm").exists():  # a PNG of the first page, for people to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))],
            check=False,
        )


def test_a_chart_image_is_named_after_the_chart_and_period(server, browser):
    page = open_page(browser, "desktop")
    page.goto(f"{server}/?year=2024&mode=quarter&q=2")
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=90_000)
    settled(page)
    chart = page.get_by_test_id("stPlotlyChart").last  # the ranking of units, for the chosen period
    chart.scroll_into_view_if_needed()
    chart.hover()
    with page.expect_download(timeout=60_000) as dl:
        chart.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    name = dl.value.suggested_filename
    assert name != "plot-image.png" and name.endswith(".png")
    assert "2024年第二季度" in name, name
