"""The leadership journey (领导) in chromium: a shared link on a phone (390×844) and a laptop at
1024×768 — filters stay exactly as set across pages, language switches back cleanly, odd links are
explained in Chinese, KPI figures are never cut (issue 8, items 9, 12, 13, 14)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import no_error_boxes, open_page, settled, shot

pytestmark = pytest.mark.e2e
LINK = "?year=2024&mode=quarter&q=2"


def sidebar_value(page, label: str) -> str:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    return box.inner_text()


def open_sidebar(page) -> None:
    control = page.get_by_test_id("stExpandSidebarButton")
    if control.count() and control.first.is_visible():
        control.first.click()
        page.get_by_test_id("stSidebar").wait_for(state="visible")


def cut_metric_values(page) -> list[str]:
    """KPI values wider than their box (what showed as '2.7万 …')."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""
    )


@pytest.mark.parametrize("kind", ["phone", "projector"])
def test_filters_stay_as_set_across_pages(server, browser, kind):
    foreign: list[str] = []
    page = open_page(browser, kind, foreign)
    page.goto(f"{server}/{LINK}")
    page.get_by_test_id("stMetric").first.wait_for(timeout=90_000)
    settled(page)
    expect(page.get_by_text("2024年第二季度").first).to_be_visible()
    assert cut_metric_values(page) == []
    shot(page, f"journey-leader-{kind}-1-overview")
    for name, path in (("提案工作", "proposals"), ("社情民意", "social"), ("总览", "")):
        open_sidebar(page)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
        page.wait_for_url(re.compile(rf":\d+/{path}\?.*q=2"), timeout=60_000)
        page.get_by_test_id("stMetric").first.wait_for(timeout=90_000)
        settled(page)
        assert "mode=quarter" in page.url and "q=2" in page.url, page.url
        if kind == "phone":  # the menu closes once a page is chosen: the page is what one wants to see
            expect(page.get_by_test_id("stExpandSidebarButton").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("2024年第二季度").first).to_be_visible()
        assert cut_metric_values(page) == [], name
        no_error_boxes(page)
        shot(page, f"journey-leader-{kind}-2-{path or 'overview'}")
    assert foreign == []


def test_language_switch_and_back_keeps_the_view(server, browser):
    page = open_page(browser, "projector")
    page.goto(f"{server}/proposals{LINK}")
    page.get_by_test_id("stMetric").first.wait_for(timeout=90_000)
    settled(page)
    box = page.get_by_test_id("stSelectbox").filter(has_text="语言").first
    box.scroll_into_view_if_needed()  # below the fold of the sidebar at 1024×768: a click that scrolls closes the list
    box.locator("input").first.click()
    page.get_by_role("option", name="English").click()
    page.get_by_text("Q2 2024").first.wait_for(timeout=60_000)
    settled(page)
    assert "2024年" not in sidebar_value(page, "Year")
    shot(page, "journey-leader-english")
    box = page.get_by_test_id("stSelectbox").filter(has_text="Language").first
    box.scroll_into_view_if_needed()
    box.locator("input").first.click()
    page.get_by_role("option", name="简体中文").click()
    page.get_by_text("2024年第二季度").first.wait_for(timeout=60_000)
    settled(page)
    checked = page.get_by_test_id("stRadio").first.locator("input:checked")
    expect(checked).to_have_count(1)  # 统计期间 keeps its choice
    assert "mode=quarter" in page.url
    no_error_boxes(page)


def test_odd_links_are_explained_in_chinese(server, browser):
    page = open_page(browser, "phone")
    page.goto(f"{server}/?year=1900&units=999999")
    page.get_by_text(re.compile("链接中的参数无法识别，已忽略：.*year=1900")).wait_for(timeout=90_000)
    expect(page.get_by_text(re.compile("999999")).first).to_be_visible()
    page.goto(f"{server}/no-such-page")
    page.get_by_text("页面不存在").first.wait_for(timeout=90_000)
    settled(page)
    body = page.locator("body").inner_text()
    assert "Page not found" not in body and "You have requested" not in body
    shot(page, "journey-leader-not-found")


def _click_copy_link(page, server: str):  # type: ignore[no-untyped-def]
    page.goto(f"{server}/proposals{LINK}")
    page.get_by_test_id("stMetric").first.wait_for(timeout=90_000)
    settled(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="复制链接").click()
    return sidebar


def test_copy_link_copies_the_view_or_selects_it(server, browser):
    page = open_page(browser, "desktop")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    frame = _click_copy_link(page, server)
    frame.get_by_text("已复制").wait_for(timeout=10_000)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url and "year=2024" in copied and "/proposals" in copied

    other = open_page(browser, "desktop")  # plain HTTP: the browser offers no clipboard at all
    other.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    frame = _click_copy_link(other, server)
    frame.get_by_text("请按 Ctrl+C 复制").wait_for(timeout=10_000)
    assert "year=2024" in frame.locator("#cppcc-copy input").input_value()
