"""Text from the data never becomes markup (issue 9, item 5): unit names, an indicator staff added,
a preset and a file name holding markdown images, links and HTML are imported, then every page is
opened in chromium with every request logged — not one goes to a host other than the server."""

from __future__ import annotations

import shutil

import pytest

from domain.dictionary import Unit
from store.connection import Store
from store.dictionary import add_indicator
from store.presets import save_preset
from store.units import upsert_units
from tests.e2e.conftest import _start, _stop, no_error_boxes, open_page, settled
from tests.e2e.test_journey_staff import operator
from tests.helpers import add_batch, fact
from ui.navigation import PAGES

pytestmark = pytest.mark.e2e
IMG = "![x](http://evil.example/md.png)"
HTML = '<img src="http://evil2.example/h.png">'
LINK = "[点我](http://evil3.example/)"


def test_no_page_requests_a_host_named_by_the_data(demo_db, browser, tmp_path):
    db = tmp_path / "hostile.duckdb"
    shutil.copy(demo_db, db)
    store = Store(db)
    with store.transaction() as con:
        upsert_units(
            con,
            [
                Unit("360424", f"修水县{IMG}", (), "county", 5),
                Unit("360425", f"永修县{HTML}", (), "county", 6),
                Unit("360426", f"德安县{LINK}<b>粗</b>", (), "county", 7),
            ],
        )
        code = add_indicator(con, f"走访{IMG}", "件", "flow", "members", user=HTML)
        save_preset(con, f"方案{IMG}", {"proposals_submitted": 1.0}, HTML)
    add_batch(store, [fact("360424", 2024, 1, code, 5)], file_name=f"{IMG}.xlsx")
    proc, url = _start(db, tmp_path / "streamlit.log")
    foreign: list[str] = []
    try:
        for kind in ("desktop", "phone"):
            page = open_page(browser, kind, foreign)
            for n, p in enumerate(PAGES):
                path = "" if n == 0 else p.url_path  # the default page lives at /
                page.goto(f"{url}/{path}?year=2024&units=360424,360425,360426")
                page.get_by_test_id("stMain").wait_for(timeout=90_000)
                settled(page)
                no_error_boxes(page)
            page.goto(f"{url}/history")
            settled(page)
            if kind == "desktop":  # the revert dialog shows the file name
                operator(page, "张科员")
                page.get_by_role("button", name="撤销所选批次…").click()
                dialog = page.get_by_role("dialog")
                dialog.get_by_text("确定撤销批次").wait_for(timeout=30_000)
                assert IMG in dialog.inner_text()  # shown as written, not as an image
                dialog.get_by_role("button", name="取消").click()
            page.context.close()
    finally:
        _stop(proc)
    assert foreign == []
