"""Serving many users: two dashboard instances over one PostgreSQL store, nginx in front (the
repository's deploy/nginx.conf), all on 127.0.0.1 and started here. A browser pinned to instance A,
a CLI import from another process, the figure on A's same session and on a new session on B, then A
killed with SIGKILL: nothing lost, and the balancer sends the next browser to B."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import expect

from tests.balancer import start_balancer
from tests.e2e.conftest import _start, _stop, no_error_boxes, open_page, settled, shot
from tests.e2e.test_overview_browser import wait_ready
from tests.e2e.test_upload_browser import metric, metric_value
from tests.helpers import make_xlsx

pytestmark = pytest.mark.e2e
VIEW = "?year=2024&mode=quarter&q=2&units=360423"
CPPCC = Path(sys.executable).parent / "cppcc"


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _pinned(browser, balancer, cookie: str):  # type: ignore[no-untyped-def]
    """A new browser (a new Streamlit session) with this balancer cookie (it picks the instance)."""
    page = open_page(browser, "desktop")
    page.context.add_cookies([{"name": "cppcc_node", "value": cookie, "url": balancer.url}])
    return page


def test_two_instances_behind_nginx_share_one_postgresql_store(pg_cluster, browser, tmp_path):
    db = pg_cluster.new_database()
    subprocess.run([str(CPPCC), "--db", db, "demo"], check=True, capture_output=True)
    a, a_url = _start(db, tmp_path / "a.log")
    b, b_url = _start(db, tmp_path / "b.log")
    balancer = start_balancer([_port(a_url), _port(b_url)])
    try:
        to_a, to_b = balancer.cookie_for(_port(a_url)), balancer.cookie_for(_port(b_url))
        on_a = _pinned(browser, balancer, to_a)
        response = on_a.goto(f"{balancer.url}/{VIEW}")
        assert response is not None and response.headers["x-cppcc-instance"].endswith(f":{_port(a_url)}")
        wait_ready(on_a)
        assert metric(on_a, "提案提交数") != "7,777 件"
        no_error_boxes(on_a)

        sheet = make_xlsx(
            tmp_path / "2024年第二季度-武宁县.xlsx",
            {"汇总": [["县（市、区）", "提交提案", "立案"], ["武宁县", 7777, 7000]]},
        )
        done = subprocess.run(
            [str(CPPCC), "--db", db, "import", "--replace-demo", "--user", "终端", str(sheet)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "postgresql://" not in done.stderr

        # the same session on A, without a reload: to another page and back (the session's next run)
        on_a.get_by_test_id("stSidebarNav").get_by_role("link", name="提案工作").click()
        on_a.wait_for_url(re.compile(r"/proposals"), timeout=60_000)
        settled(on_a)
        on_a.get_by_test_id("stSidebarNav").get_by_role("link", name="总览").click()
        on_a.wait_for_url(re.compile(r":\d+/\?|:\d+/$"), timeout=60_000)
        expect(metric_value(on_a, "提案提交数")).to_have_text("7,777 件", timeout=60_000)
        shot(on_a, "scale-out-1-instance-a")

        on_b = _pinned(browser, balancer, to_b)  # a new session, on B
        response = on_b.goto(f"{balancer.url}/{VIEW}")
        assert response is not None and response.headers["x-cppcc-instance"].endswith(f":{_port(b_url)}")
        wait_ready(on_b)
        expect(metric_value(on_b, "提案提交数")).to_have_text("7,777 件")
        no_error_boxes(on_b)
        shot(on_b, "scale-out-2-instance-b")

        a.send_signal(signal.SIGKILL)  # instance A dies
        a.wait(timeout=30)
        again = _pinned(browser, balancer, to_a)  # a browser the balancer would send to A…
        response = again.goto(f"{balancer.url}/{VIEW}")
        assert response is not None and response.headers["x-cppcc-instance"].endswith(f":{_port(b_url)}")
        wait_ready(again)  # … is served by B, with every figure there
        expect(metric_value(again, "提案提交数")).to_have_text("7,777 件")
        no_error_boxes(again)
        shot(again, "scale-out-3-after-a-died")
        with psycopg.connect(db) as pg:  # nothing lost: the batch is in the store
            (n,) = pg.execute("SELECT count(*) FROM batches WHERE file_name = %s", [sheet.name]).fetchone()  # type: ignore[misc]
        assert n == 1
    finally:
        balancer.stop()
        for proc in (a, b):
            if proc.poll() is None:
                _stop(proc)
