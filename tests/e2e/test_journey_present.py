"""The presenter at the meeting (issue 11) in chromium: 汇报模式 moved with the keys a clicker sends, the
URL following and F5 staying on the slide, the screen blanked (B and .), every slide fitting 1920×1080,
1280×720 and 1024×768 without anything cut or overlapping, the kiosk loop advancing by itself; a chart
added to a deck from 总览 and the deck exported as PowerPoint and PDF; the phone brief at 390×844."""

from __future__ import annotations

import io
import itertools
import re
import time

import pytest

from tests.e2e.conftest import ARTIFACTS, download, no_error_boxes, open_page, settled

pytestmark = pytest.mark.e2e
SLIDES = 7  # the ready-made deck


def _screen(browser, width: int, height: int):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True
    )
    return ctx.new_page()


def _number(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_by_test_id("slide-number").inner_text()


def _wait_number(page, want: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "w => document.querySelector('[data-testid=\"slide-number\"]')?.innerText === w",
        arg=want,
        timeout=30_000,
    )


def _layout(page) -> dict:  # type: ignore[no-untyped-def]
    """Where the slide's parts are drawn, and whether any text is cut (scrolls inside its box)."""
    return page.evaluate(
        """() => {
            const s = document.querySelector('.cppcc-slide');
            const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const parts = ['header', 'main', '.summary', 'footer'].map(q => s.querySelector(q)).filter(Boolean);
            const cut = [...s.querySelectorAll('h1, .value, .label, .change, footer span, .summary')]
                .filter(e => e.scrollWidth > e.clientWidth + 1
                    || (getComputedStyle(e).overflowY === 'hidden' && e.scrollHeight > e.clientHeight + 2))
                .map(e => `${e.className || e.tagName}: ${e.innerText.slice(0, 30)}`);
            const img = s.querySelector('main img');
            const value = s.querySelector('.kpi .value');
            return {parts: parts.map(box), cut, img: img ? box(img) : null, main: box(s.querySelector('main')),
                    value_px: value ? parseFloat(getComputedStyle(value).fontSize) : null,
                    w: innerWidth, h: innerHeight, page_w: document.documentElement.scrollWidth};
        }"""
    )


def test_a_clicker_moves_the_slides_and_the_url_keeps_them(server, browser):
    page = _screen(browser, 1920, 1080)
    page.goto(f"{server}/present?deck=default&slide=1")
    _wait_number(page, f"1 / {SLIDES}")
    settled(page)
    no_error_boxes(page)
    first = _layout(page)
    assert first["value_px"] >= 48, "headline figures must be read from the back of the room"
    title = page.locator(".cppcc-slide h1").inner_text()
    for key, want in [("PageDown", 2), ("ArrowRight", 3), ("Space", 4), ("PageUp", 3), ("ArrowLeft", 2),
                      ("End", SLIDES), ("Home", 1), ("PageDown", 2)]:  # fmt: skip
        page.keyboard.press(key)
        _wait_number(page, f"{want} / {SLIDES}")
        assert re.search(rf"[?&]slide={want}(&|$)", page.url), (key, page.url)
    assert page.locator(".cppcc-slide h1").inner_text() != title
    assert page.locator(".cppcc-slide main img").count() == 1  # the funnel, as a vector image
    page.keyboard.press("End")
    _wait_number(page, f"{SLIDES} / {SLIDES}")
    page.keyboard.press("PageDown")  # the last slide stays the last
    time.sleep(1.5)
    assert _number(page) == f"{SLIDES} / {SLIDES}"
    page.keyboard.press("PageUp")
    _wait_number(page, f"{SLIDES - 1} / {SLIDES}")
    page.reload()  # F5, which clickers send for "start": the same slide again
    _wait_number(page, f"{SLIDES - 1} / {SLIDES}")
    settled(page)
    blank = page.get_by_test_id("blank")
    page.keyboard.press("b")
    blank.wait_for(state="attached", timeout=20_000)
    assert blank.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
    page.keyboard.press("b")
    blank.wait_for(state="detached", timeout=20_000)
    page.keyboard.press(".")  # what a clicker's "hide" button sends
    blank.wait_for(state="attached", timeout=20_000)
    page.keyboard.press(".")
    blank.wait_for(state="detached", timeout=20_000)
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="汇报材料").wait_for(timeout=30_000)
    settled(page)
    no_error_boxes(page)
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720), (1024, 768)])
def test_every_slide_fits_the_projector(server, browser, width, height):
    page = _screen(browser, width, height)
    ARTIFACTS.mkdir(exist_ok=True)
    for n in range(1, SLIDES + 1):
        page.goto(f"{server}/present?slide={n}&year=2024&mode=ytd&q=3")
        _wait_number(page, f"{n} / {SLIDES}")
        settled(page)
        got = _layout(page)
        assert not got["cut"], (n, got["cut"])
        assert got["page_w"] <= width, f"slide {n} scrolls sideways at {width}"
        boxes = got["parts"]
        for a, b in itertools.pairwise(boxes):
            assert a[3] <= b[1] + 1, f"slide {n}: parts overlap at {width}×{height}"
        for left, top, right, bottom in boxes:
            assert left >= 0 and top >= 0 and right <= width + 1 and bottom <= height + 1, (n, boxes)
        if got["img"] is not None:  # the chart inside its area, not under the summary
            m, i = got["main"], got["img"]
            assert i[1] >= m[1] - 1 and i[3] <= m[3] + 1, (n, i, m)
        assert "2024年1-9月" in page.locator(".cppcc-slide footer").inner_text()
        if n in (1, 2, 7):
            page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}-{n}.png"))
    page.context.close()


def test_the_kiosk_loop_advances_by_itself(server, browser):
    page = _screen(browser, 1280, 720)
    page.goto(f"{server}/present?slide={SLIDES}&auto=3")
    _wait_number(page, f"{SLIDES} / {SLIDES}")
    _wait_number(page, f"1 / {SLIDES}")  # it loops from the last slide to the first
    assert re.search(r"[?&]slide=1(&|$)", page.url)
    _wait_number(page, f"2 / {SLIDES}")
    page.context.close()


def test_the_kiosk_shows_a_new_import_without_a_restart(fresh_server, browser):
    """大屏轮播 in a lobby: the counties' first real sheet is imported from a terminal while it loops."""
    import subprocess
    import sys
    from pathlib import Path

    page = _screen(browser, 1280, 720)
    page.goto(f"{fresh_server.url}/present?slide=1&auto=4")
    _wait_number(page, f"1 / {SLIDES}")
    footer = page.locator(".cppcc-slide footer")
    assert "2026年" in footer.inner_text()  # the demo data, to its latest quarter
    sheet = (
        Path(__file__).resolve().parents[1] / "samples" / "九江市政协系统2024年第三季度履职数据统计表.xlsx"
    )
    cppcc = Path(sys.executable).parent / "cppcc"
    done = subprocess.run(
        [str(cppcc), "--db", str(fresh_server.db), "import", "--replace-demo", "--user", "值班员", str(sheet)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page.wait_for_function(
        "() => /2024年/.test(document.querySelector('.cppcc-slide footer')?.innerText || '')", timeout=60_000
    )
    page.context.close()


def test_a_chart_goes_into_a_deck_and_the_deck_into_powerpoint_and_pdf(fresh_server, browser):
    from pptx import Presentation

    page = open_page(browser, "desktop")
    page.goto(f"{fresh_server.url}/?year=2024&mode=ytd&q=3")
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=90_000)
    settled(page)
    buttons = page.get_by_role("button", name="加入汇报")
    assert buttons.count() == 3  # the KPI cards, the trend, the ranking
    buttons.nth(2).click()  # the ranking chart's
    name = page.locator(".st-key-rank_chart_deck_name input")
    name.fill("常委会 <b>三季度 &amp")
    name.press("Tab")
    settled(page)
    page.locator(".st-key-rank_chart_deck_add button").first.click()
    try:
        page.get_by_text("已加入“常委会 <b>三季度 &amp”（共 1 张幻灯片）").wait_for(timeout=30_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "add-to-deck.png"))
    settled(page)
    page.get_by_role("link", name="打开汇报材料").click()  # the deck's page, the new deck chosen
    page.get_by_text("1. 各单位立案率").wait_for(timeout=60_000)
    settled(page)
    no_error_boxes(page)
    pptx = download(page, page.get_by_role("button", name="导出 PowerPoint"), timeout=60_000)
    deck = Presentation(io.BytesIO(pptx.path().read_bytes()))
    slides = list(deck.slides)
    assert len(slides) == 1
    charts = [s for s in slides[0].shapes if s.has_chart]
    assert charts and len(charts[0].chart.plots[0].categories) == 14
    pdf = download(page, page.get_by_role("button", name="导出 PDF 报告"), timeout=90_000)
    assert pdf.path().read_bytes()[:5] == b"%PDF-"
    page.context.close()


def test_the_phone_brief_reads_without_scrolling_sideways(server, browser):
    page = open_page(browser, "phone")
    page.goto(f"{server}/?year=2024&mode=ytd&q=3")
    page.get_by_role("link", name="手机简报").first.wait_for(timeout=90_000)
    settled(page)
    page.get_by_role("link", name="手机简报").first.click()
    page.get_by_role("heading", name="手机简报").wait_for(timeout=60_000)
    page.get_by_test_id("stPlotlyChart").nth(4).wait_for(timeout=60_000)
    settled(page)
    no_error_boxes(page)
    assert "year=2024" in page.url
    got = page.evaluate(
        """() => {
            const cards = [...document.querySelectorAll('.cppcc-brief-kpis .k')].map(e => e.getBoundingClientRect());
            return {n: cards.length, rows: new Set(cards.map(r => Math.round(r.top))).size,
                    right: Math.max(...cards.map(r => r.right)), page_w: document.documentElement.scrollWidth,
                    modebars: document.querySelectorAll('.modebar-btn').length,
                    values: [...document.querySelectorAll('.cppcc-brief-kpis .v')].map(e => e.innerText),
                    cut_labels: [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => {
                        const edge = p.querySelector('.main-svg').getBoundingClientRect().right;
                        return [...p.querySelectorAll('text.bartext')]
                            .filter(t => t.getBoundingClientRect().right > edge + 0.5).map(t => t.textContent);
                    })};
        }"""
    )
    assert got["n"] == 6 and got["rows"] == 3, "headline numbers two to a row"
    assert got["page_w"] <= 390 and got["right"] <= 390, "nothing may scroll sideways on a phone"
    assert got["modebars"] == 0
    assert not got["cut_labels"], f"value labels cut at the right edge: {got['cut_labels']}"
    assert all(re.search(r"\d", v) for v in got["values"])
    body = page.locator("body").inner_text()
    for domain in ("提案工作", "协商议政", "社情民意", "委员履职"):
        assert domain in body
    assert "2024年1-9月，全市政协系统共提交提案" in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "brief-390x844.png"), full_page=True)
    page.context.close()
