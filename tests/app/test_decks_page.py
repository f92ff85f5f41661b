"""汇报材料 and 汇报模式 as AppTests (issue 11): the default deck listed with its slides, a copy made,
edited, reordered and deleted through the page; the slide moved by the buttons the clicker keys are
bound to; where chromium is missing the image and PDF buttons say in Chinese what to install, and
PowerPoint, Excel and the presentation still work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from services import decks
from store.connection import Store
from tests.helpers import run_page

ROOT = Path(__file__).resolve().parents[2]
DECKS, PRESENT, OVERVIEW = (str(ROOT / "views" / f) for f in ("decks.py", "present.py", "overview.py"))


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("CPPCC_DB", str(path))
    return path


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_the_default_deck_is_listed_and_a_copy_is_edited_reordered_and_deleted(db):
    at = run_page(DECKS)
    assert at.selectbox(key="deck_pick").value == "default"
    body = " ".join(m.value for m in at.markdown)
    assert "1. 主要指标" in body and "7. 县区对比" in body
    at.sidebar.text_input(key="operator_input").input("王芳").run()
    at.text_input(key="deck_copy_name").input("常委会")  # the copy's name, in the form
    form_button = next(b for b in at.button if "复制为新的汇报材料" in str(b.label))
    form_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="deck_pick").value == "常委会"
    _button(at, "slide_down_0").click().run()
    deck = decks.get(Store(db), "常委会")
    assert [s.kind for s in deck.slides[:2]] == ["funnel", "kpis"]
    _button(at, "slide_del_6").click().run()
    assert len(decks.get(Store(db), "常委会").slides) == 6
    _button(at, "deck_delete").click().run()
    _button(at, "deck_delete_yes").click().run()
    assert [d.name for d in decks.decks(Store(db))] == ["default"]
    assert not at.exception


def test_the_buttons_the_clicker_keys_press_move_the_slide(db):
    at = run_page(PRESENT, deck="default", slide="2")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "2 / 7" in html and "提案办理情况" in html
    _button(at, "present_next").click().run()
    assert at.query_params["slide"] in ("3", ["3"])
    _button(at, "present_last").click().run()
    _button(at, "present_next").click().run()  # stays on the last
    assert at.query_params["slide"] in ("7", ["7"])
    _button(at, "present_first").click().run()
    _button(at, "present_prev").click().run()  # stays on the first
    assert at.query_params["slide"] in ("1", ["1"])
    _button(at, "present_blank").click().run()
    assert "cppcc-blank" in " ".join(h.proto.body for h in at.get("html"))
    assert not at.exception


def test_an_unknown_deck_or_a_slide_out_of_range_is_answered_in_chinese(db):
    at = run_page(PRESENT, deck="没有这份")
    assert "没有名为“没有这份”的汇报材料" in at.error[0].value
    at = run_page(PRESENT, slide="99")
    assert "7 / 7" in " ".join(h.proto.body for h in at.get("html"))


def test_without_chromium_the_image_and_pdf_buttons_say_what_to_install(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium to be found
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    at = run_page(DECKS)
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["deck_export_pdf"].proto.disabled
    assert (
        "chromium" in buttons["deck_export_pdf"].proto.help
        and "apt-get" in buttons["deck_export_pdf"].proto.help
    )
    assert not buttons["deck_export_pptx"].proto.disabled and not buttons["deck_export_xlsx"].proto.disabled
    at = run_page(OVERVIEW)
    png = next(
        b
        for b in at.get("download_button")
        if b.proto.id.endswith("rank_chart_png") or "rank_chart_png" in b.proto.id
    )
    assert png.proto.disabled and "chromium" in png.proto.help
    at = run_page(PRESENT, slide="2")  # the chart drawn by the page instead of an image
    assert len(at.get("plotly_chart")) == 1


def test_a_deck_fixed_to_a_period_without_data_cannot_be_exported_and_says_why(db):
    from domain.decks import Deck, SlideSpec

    decks.save(Store(db), Deck("旧材料", "2001", (SlideSpec("kpis"),)))
    at = run_page(DECKS, deck="旧材料")
    assert "2001年没有任何数据" in at.warning[0].value
    buttons = {b.key: b for b in at.get("download_button")}
    assert all(buttons[f"deck_export_{f}"].proto.disabled for f in ("pptx", "pdf", "xlsx"))
    assert "2001年没有任何数据" in buttons["deck_export_pptx"].proto.help
