"""汇报材料 (issue 11): periods as people type them, decks saved and refused, what a slide shows equals
the metrics module, the Excel of a deck (one sheet per slide, formula-safe), and `cppcc export`."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from cli.main import main
from domain.decks import Deck, DeckError, SlideSpec, latest_period, parse_period_text, resolve_period
from domain.periods import Period
from exports.slides import build_slide, default_deck, render_deck, store_source
from metrics.aggregate import compute, value_of
from services import decks
from store.connection import Store
from store.dictionary import effective_dictionary


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2024", Period(2024)),
        ("2024年", Period(2024)),
        ("2024Q3", Period(2024, 3, "quarter")),
        ("2024 q3", Period(2024, 3, "quarter")),
        ("2024年第三季度", Period(2024, 3, "quarter")),
        ("2024Q1-Q3", Period(2024, 3, "ytd")),
        ("2024年1-9月", Period(2024, 3, "ytd")),
        ("2024年1－6月", Period(2024, 2, "ytd")),
        ("2024YTD1", Period(2024, 1, "ytd")),
        ("2024年1-12月", Period(2024)),
        ("2024Q1-Q4", Period(2024)),
    ],
)
def test_periods_as_people_type_them(text, want):
    assert parse_period_text(text) == want


@pytest.mark.parametrize("text", ["2024Q5", "2024年1-8月", "去年", "24Q1", "2024-13", ""])
def test_a_period_nobody_can_read_is_refused_in_chinese(text):
    with pytest.raises(DeckError, match="无法识别"):
        parse_period_text(text)


def test_relative_periods_follow_the_data():
    qs = [(2023, 1), (2023, 2), (2023, 3), (2023, 4), (2024, 1), (2024, 2)]
    assert resolve_period("latest", qs, [2023, 2024]) == Period(2024, 2, "ytd")
    assert resolve_period("latest_quarter", qs, [2023, 2024]) == Period(2024, 2, "quarter")
    assert resolve_period("ytd", qs, [2023, 2024]) == Period(2024, 2, "ytd")
    assert resolve_period("2023Q3", qs, [2023, 2024]) == Period(2023, 3, "quarter")
    assert latest_period(qs[:4], [2023]) == Period(2023)
    assert resolve_period("latest", [], []) is None


def test_decks_are_saved_checked_and_the_default_stays_built_in(demo_db, tmp_path):
    store = Store(shutil.copy(demo_db, tmp_path / "s.duckdb"))
    assert [d.name for d in decks.decks(store)] == ["default"]
    d = decks.add_slide(store, "  常委会  ", SlideSpec("funnel", {"domain": "social"}), "王芳")
    d = decks.add_slide(store, "常委会", SlideSpec("ranking", {"code": "reply_rate", "units": ["360424"]}))
    assert d.name == "常委会" and [s.kind for s in d.slides] == ["funnel", "ranking"]
    assert decks.get(store, "常委会").slides[1].units() == ["360424"]
    copy = decks.duplicate(store, "default", "季度例会", "王芳")
    assert len(copy.slides) == len(default_deck().slides)
    with pytest.raises(DeckError, match="已有名为"):
        decks.duplicate(store, "常委会", "季度例会")
    with pytest.raises(DeckError, match="内置"):
        decks.save(store, Deck("default", "latest", ()))
    with pytest.raises(DeckError, match="内置"):
        decks.delete(store, "default")
    with pytest.raises(DeckError, match="不能为空"):
        decks.add_slide(store, " ", SlideSpec("kpis"))
    with pytest.raises(DeckError, match="无法识别"):
        decks.save(store, Deck("坏期间", "2024Q9", ()))
    saved = decks.save(store, Deck("季度例会", "2024年1-9月", copy.slides))
    assert saved.period == "2024YTD3"
    decks.delete(store, "常委会")
    with pytest.raises(DeckError, match="没有名为"):
        decks.get(store, "常委会")
    assert [d.name for d in decks.decks(store)] == ["default", "季度例会"]


def test_a_deck_is_in_every_backup(demo_db, tmp_path):
    store = Store(shutil.copy(demo_db, tmp_path / "s.duckdb"))
    decks.add_slide(store, "例会", SlideSpec("kpis"))
    assert main(["--db", str(store.path), "backup", "--out", str(tmp_path / "b.duckdb")]) == 0
    assert [d.name for d in decks.decks(Store(tmp_path / "b.duckdb"))] == ["default", "例会"]


def test_every_slide_of_the_default_deck_shows_the_metrics_modules_figures(demo_db):
    store = Store(demo_db)
    rendered = decks.render(store, "default", "2024年1-9月")
    period = Period(2024, 3, "ytd")
    assert rendered.period == period and rendered.period_text == "2024年1-9月"
    with store.connect() as con:
        units = list(store_source(con, effective_dictionary(con)).unit_codes)
        by_kind = {s.spec.kind + str(s.spec.params.get("domain", "")): s for s in rendered.slides}
        kpis = by_kind["kpis"]
        frame = compute(con, [period], units, [k.code for k in kpis.kpis])
        assert [k.value for k in kpis.kpis] == [value_of(frame, period.label, k.code) for k in kpis.kpis]
        funnel = by_kind["funnelproposals"].chart
        codes = ["proposals_submitted", "proposals_registered", "proposals_answered", "proposals_satisfied"]
        frame = compute(con, [period], units, codes)
        assert funnel is not None and list(funnel.series[0].values) == [
            value_of(frame, period.label, c) for c in codes
        ]
        ranking = by_kind["ranking"].chart
        frame = compute(con, [period], units, ["registration_rate"])
        per_unit = frame[frame["unit_code"].notna()].sort_values("value", ascending=False)
        assert ranking is not None and list(ranking.series[0].values) == list(per_unit["value"])
        assert ranking.reference == value_of(frame, period.label, "registration_rate")
    for s in rendered.slides:
        assert s.title and s.summary and not s.empty and s.source.startswith("来源")
        assert s.period_text == "2024年1-9月"


def test_a_slide_of_chosen_units_covers_only_them(demo_db):
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        s = build_slide(
            src,
            SlideSpec("ranking", {"code": "proposals_submitted", "units": ["360424", "360402"]}),
            Period(2024),
        )
    assert s.chart is not None and len(s.chart.categories) == 2 and "、" in s.scope


def test_a_period_without_data_gives_an_empty_slide_and_a_refused_export(demo_db):
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        r = render_deck(src, default_deck(), Period(2001))
    assert all(s.empty and "2001年" in s.empty for s in r.slides)
    with pytest.raises(DeckError, match="没有任何数据"):
        decks.render(Store(demo_db), "default", "2001")


def test_the_excel_of_a_deck_has_a_sheet_per_slide_and_no_formula(demo_db, tmp_path):
    store = Store(shutil.copy(demo_db, tmp_path / "s.duckdb"))
    with store.transaction() as con:
        con.execute("UPDATE units SET name = '=HYPERLINK(\"http://x\",\"点我\")' WHERE code = '360424'")
    rendered = decks.render(store, "default", "2024Q2")
    book = openpyxl.load_workbook(__import__("io").BytesIO(decks.export(rendered, "xlsx")))
    assert len(book.sheetnames) == len(rendered.slides)
    assert book.sheetnames[0].startswith("01 ")
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in c for c in cells)
    assert not any(c.startswith("=") for c in cells)


def test_cppcc_export_writes_the_file_and_refuses_in_chinese(demo_db, tmp_path, capsys):
    db = str(shutil.copy(demo_db, tmp_path / "s.duckdb"))  # an export is written to the audit log
    out = tmp_path / "deck.xlsx"
    assert main(["--db", db, "export", "--format", "xlsx", "--period", "2024Q1-Q3", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "2024年1-9月" in said and "7 张幻灯片" in said and out.stat().st_size > 0
    assert main(["--db", db, "export", "--format", "xlsx", "--deck", "没有这份", "--out", str(out)]) == 1
    assert "没有名为“没有这份”的汇报材料" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "xlsx", "--period", "2001", "--out", str(out)]) == 1
    assert "2001年没有任何数据" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "xlsx", "--period", "2024Q7", "--out", str(out)]) == 1
    assert "无法识别" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "xlsx", "--out", str(tmp_path / "no" / "x.xlsx")]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "export", "--format", "docx", "--out", str(out)])
    assert usage.value.code == 2
    assert not list(tmp_path.glob(".*.part"))


def test_a_slide_naming_a_code_or_unit_the_store_lost_says_so_instead_of_other_figures(demo_db):
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        gone = build_slide(src, SlideSpec("ranking", {"code": "no_such_code"}), Period(2024))
        unit = build_slide(src, SlideSpec("kpis", {"units": ["360424", "999999"]}), Period(2024))
    assert gone.chart is None and "no_such_code" in gone.empty and "指标字典" in gone.empty
    assert not unit.kpis and "999999" in unit.empty and "单位列表" in unit.empty
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        odd = build_slide(src, SlideSpec("funnel", {"domain": "members"}), Period(2024))
    assert odd.empty == "没有“members”的漏斗图"


def test_the_index_and_the_trend_by_year_keep_the_pages_choices(demo_db):
    from metrics.composite import composite

    weights = {"proposals_submitted": 2.0, "registration_rate": 1.0}
    period = Period(2024)
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        index = build_slide(src, SlideSpec("index", {"weights": weights}), period)
        frame = compute(con, [period, Period(2023)], list(src.unit_codes), sorted(weights))
        years = build_slide(
            src, SlideSpec("quarters", {"codes": ["proposals_submitted"], "by": "year"}), period
        )
        yearly = compute(
            con, [Period(y) for y in range(2019, 2025)], list(src.unit_codes), ["proposals_submitted"]
        )
    want = composite(frame, "2024", "2023", list(src.unit_codes), weights)
    assert index.chart is not None
    assert list(index.chart.series[0].values) == [round(float(v), 1) for v in want["score"]]
    assert index.chart.categories[0] == src.unit_names[want["unit_code"].iloc[0]]
    assert years.chart is not None and years.chart.categories == tuple(f"{y}年" for y in range(2019, 2025))
    assert list(years.chart.series[0].values) == [
        value_of(yearly, str(y), "proposals_submitted") for y in range(2019, 2025)
    ]
