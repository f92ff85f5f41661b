"""AppTest: every page runs on the demo data, and the overview shows the metrics module's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from charts.format import fmt_number
from domain.dictionary import load_dictionary
from domain.periods import Period
from metrics.aggregate import compute, value_of
from store import read
from store.connection import Store
from ui.navigation import PAGES as ALL_PAGES

# Sign-in off (the demo store) lists every page but 账号管理 (tests/app/test_accounts_page.py runs it signed in).
PAGES = [p for p in ALL_PAGES if p.needs != "accounts"]

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")
DIC = load_dictionary()
KPI = [
    "proposals_submitted",
    "registration_rate",
    "reply_rate",
    "consult_total",
    "info_adopted",
    "member_participations",
]


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    return at


def shown_cards(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def expected_cards(demo_db, period: Period, units: list[str] | None = None) -> dict[str, str]:
    with Store(demo_db).connect() as con:
        all_units = list(read.units(con)["code"])
        df = compute(con, [period], units or all_units, KPI)
    out = {}
    for code in KPI:
        v = value_of(df, period.label, code)
        text = fmt_number(v, DIC[code].unit)
        out[DIC[code].name] = text if DIC[code].unit == "%" else f"{text} {DIC[code].unit}"
    return out


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception(app, page):
    app.run()
    app.switch_page(page.path).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_in_english_runs_and_its_cards_carry_no_chinese_unit(app, page):
    app.run()
    app.switch_page(page.path).run()
    app.selectbox(key="lang").set_value("en").run()
    assert not app.exception, [e.value for e in app.exception]
    values = [m.value for m in app.metric]
    assert not any(re.search(r"[\u4e00-\u9fff]", v) for v in values), values


def test_no_download_button_re_runs_the_page(app):
    """A file made on click is withdrawn by the re-run the click would start; under load the download
    then failed ("Deferred file … not found" in the server log, an error under the button)."""
    app.run()
    seen = []
    for page in PAGES:
        app.switch_page(page.path).run()
        seen += [(page.url_path, b.proto.label, b.proto.ignore_rerun) for b in app.get("download_button")]
    # the charts' four, the decks' three, the audit's, the template's…
    assert len({(path, label) for path, label, _ in seen}) >= 8, seen
    assert [s for s in seen if not s[2]] == []


def test_overview_defaults_to_latest_year_to_date_and_shows_metric_values(app, demo_db):
    app.run()
    assert not app.exception
    with Store(demo_db).connect() as con:
        y, q = read.reported_quarters(con)[-1]
    period = Period(y, q, "ytd") if q < 4 else Period(y)
    assert shown_cards(app) == expected_cards(demo_db, period)
    assert app.query_params["year"] in (str(y), [str(y)])
    assert any("演示数据" in m.value for m in app.markdown), "the demo badge is shown"


def test_overview_follows_filters(app, demo_db):
    app.run()
    app.selectbox(key="year").set_value(2023).run()
    app.radio(key="mode").set_value("year").run()
    assert shown_cards(app) == expected_cards(demo_db, Period(2023))
    app.radio(key="mode").set_value("quarter").run()
    app.selectbox(key="q").set_value(2).run()
    app.multiselect(key="units").set_value(["360424", "360402"]).run()
    assert not app.exception
    assert shown_cards(app) == expected_cards(demo_db, Period(2023, 2, "quarter"), ["360424", "360402"])
    assert app.query_params["units"] in ("360424,360402", ["360424,360402"])
    assert app.query_params["mode"] in ("quarter", ["quarter"])


def test_overview_reopens_the_view_in_the_url(app, demo_db):
    app.query_params.update({"year": "2022", "mode": "quarter", "q": "1", "units": "360423", "lang": "zh"})
    app.run()
    assert not app.exception
    assert app.selectbox(key="year").value == 2022
    assert shown_cards(app) == expected_cards(demo_db, Period(2022, 1, "quarter"), ["360423"])


def test_english_is_selectable(app):
    app.run()
    app.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    values = [m.value for m in app.metric]
    assert values and not any(re.search(r"[\u4e00-\u9fff]", v) for v in values), values  # no 件 left
    assert all(re.fullmatch(r"[\d,.]+%?|—", v) for v in values), values  # bare figures: they fit a card


def test_empty_database_says_what_to_do(monkeypatch, tmp_path):
    with Store(tmp_path / "empty.duckdb").connect():
        pass  # cppcc init
    monkeypatch.setenv("CPPCC_DB", str(tmp_path / "empty.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "还没有任何数据" in at.info[0].value


def test_a_missing_database_is_named_and_not_created(monkeypatch, tmp_path):
    missing = tmp_path / "typo" / "cppcc.duckdb"
    monkeypatch.setenv("CPPCC_DB", str(missing))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "找不到数据库文件" in at.error[0].value and not missing.parent.exists()


def test_overview_quarter_mode_shows_quarter_on_quarter(app, demo_db):
    app.query_params.update({"year": "2024", "mode": "quarter", "q": "2"})
    app.run()
    assert not app.exception
    with Store(demo_db).connect() as con:
        units = list(read.units(con)["code"])
        df = compute(
            con, [Period(2024, 2, "quarter"), Period(2024, 1, "quarter")], units, ["proposals_submitted"]
        )
    cur, old = value_of(df, "2024Q2", "proposals_submitted"), value_of(df, "2024Q1", "proposals_submitted")
    expected = f"提案提交数 {'+' if cur > old else '-'}{abs(cur - old) / old * 100:.1f}%"
    captions = [c.value for c in app.caption]
    assert any(c.startswith("环比（较2024年第一季度）：") and expected in c for c in captions), captions


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_on_an_empty_store(monkeypatch, tmp_path, page):
    """A store just made by cppcc init (no units, no data): every page says what to do, none crashes."""
    db = tmp_path / "empty.duckdb"
    with Store(db).connect():
        pass
    monkeypatch.setenv("CPPCC_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page(page.path).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", ["views/proposals.py", "views/social.py", "views/members.py"])
def test_the_summary_is_english_in_english_mode(demo_db, monkeypatch, page):
    """数据摘要 follows the language (issue 8, item 13): the same figures, in English."""
    from tests.helpers import run_page

    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    at = run_page(str(Path(DASHBOARD).parent / page), lang="en", year="2024", mode="year")
    text = at.code[0].value
    assert text.startswith("2024, all units: ") and "YoY" in text
    assert not re.search(r"[\u4e00-\u9fff]", text), text


def test_a_bug_on_a_page_reads_chinese_and_is_logged(app, monkeypatch, caplog):
    """No traceback reaches a user (issue 10): an unexpected error shows a Chinese message, and its
    traceback goes to the server log."""
    import ui.sections

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(ui.sections, "domain_page", broken)
    app.run()
    with caplog.at_level("ERROR", logger="cppcc"):
        app.switch_page("views/proposals.py").run()
    assert not app.exception
    assert "页面出现了意外错误" in app.error[0].value
    assert any("ZeroDivisionError" in (r.exc_text or "") or r.exc_info for r in caplog.records)
