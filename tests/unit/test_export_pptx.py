"""The PowerPoint export: a 16:9 deck of native, editable charts whose data equal the metrics module's.

The default deck is built from the demo store, written to a real .pptx, read back with python-pptx and
compared slide by slide with its `SlideContent` and, independently, with `metrics.aggregate.compute`.
LibreOffice then converts the file to PDF and poppler renders its pages: the deck must open and draw
(Chinese as text, every unit on the ranking, top to bottom in rank order) outside PowerPoint too.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObj
from pptx.util import Inches, Pt

from charts.slide import ChartData, Series
from domain.decks import Deck, SlideSpec
from domain.periods import Period
from exports.pptx import BAD, EA_FONT, GOOD, NEUTRAL, cell_text, deck_pptx, heat_color
from exports.slides import (
    Kpi,
    RenderedDeck,
    SlideContent,
    default_deck,
    period_for,
    render_deck,
    store_source,
)
from metrics import aggregate
from store import read
from store.connection import Store
from store.dictionary import effective_dictionary

TODAY = date(2026, 10, 15)
EVIL = "<b>&\"'"
EXPECTED_TYPE = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "clustered": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
    "funnel": XL_CHART_TYPE.BAR_CLUSTERED,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}
PROPOSAL_STAGES = ("proposals_submitted", "proposals_registered", "proposals_answered", "proposals_satisfied")


@dataclass
class Built:
    rendered: RenderedDeck
    path: Path
    prs: PresentationObj
    ranking: dict[str, float] = field(default_factory=dict)  # unit name -> 立案率, from metrics directly
    funnel: dict[str, float | None] = field(default_factory=dict)  # stage code -> city total


@pytest.fixture(scope="module")
def built(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        deck = default_deck()
        period = period_for(deck, src)
        rendered = render_deck(src, deck, period)
        units = read.units(con)
        names = dict(zip(units["code"], units["name"], strict=True))
        codes = list(units["code"])
        rate = aggregate.compute(con, [period], codes, ["registration_rate"])
        per_unit = rate[rate["unit_code"].notna() & rate["value"].notna()]
        ranking = {names[u]: float(v) for u, v in zip(per_unit["unit_code"], per_unit["value"], strict=True)}
        stages = aggregate.compute(con, [period], codes, list(PROPOSAL_STAGES))
        city = stages[stages["unit_code"].isna() & (stages["label"] == period.label)]
        funnel = {c: _one(city[city["indicator"] == c]["value"]) for c in PROPOSAL_STAGES}
    path = tmp_path_factory.mktemp("pptx") / "deck.pptx"
    path.write_bytes(deck_pptx(rendered, today=TODAY))
    return Built(rendered, path, Presentation(str(path)), ranking, funnel)


def _one(values: object) -> float | None:
    vals = [float(v) for v in values]  # type: ignore[attr-defined]
    assert len(vals) <= 1
    return vals[0] if vals else None


def _slides(b: Built) -> list[tuple[SlideContent, object]]:
    return list(zip(b.rendered.slides, b.prs.slides, strict=True))


def _chart(slide: object):
    charts = [s for s in slide.shapes if s.has_chart]  # type: ignore[attr-defined]
    assert len(charts) == 1
    return charts[0].chart


def _slide_of(b: Built, kind: str, **params: object) -> tuple[SlideContent, object]:
    for content, slide in _slides(b):
        if content.spec.kind == kind and all(content.spec.params.get(k) == v for k, v in params.items()):
            return content, slide
    raise AssertionError(f"no {kind} slide {params}")


def _close(a: tuple | list, b: tuple | list) -> bool:
    return len(a) == len(b) and all(
        (x is None and y is None) or (x is not None and y is not None and abs(x - y) < 1e-9)
        for x, y in zip(a, b, strict=True)
    )


def _text(slide: object) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)  # type: ignore[attr-defined]


# ---- the file ----------------------------------------------------------------------------------


def test_one_slide_per_deck_slide_at_16_9(built: Built) -> None:
    assert built.rendered.slides
    assert len(built.prs.slides) == len(built.rendered.slides)
    assert built.prs.slide_width == Inches(13.333) and built.prs.slide_height == Inches(7.5)
    assert abs(built.prs.slide_width / built.prs.slide_height - 16 / 9) < 1e-3


def test_every_chart_is_native_with_the_contents_data_embedded(built: Built) -> None:
    seen = set()
    for content, slide in _slides(built):
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]  # never a picture
        if content.chart is None or content.chart.kind == "heatmap":
            assert not any(s.has_chart for s in slide.shapes)
            continue
        chart, data = _chart(slide), content.chart
        seen.add(data.kind)
        assert chart.chart_type == EXPECTED_TYPE[data.kind]
        plot = chart.plots[0]
        assert tuple(plot.categories) == data.categories
        assert [s.name for s in plot.series] == [s.name for s in data.series]
        for got, want in zip(plot.series, data.series, strict=True):
            assert _close(got.values, want.values), (content.title, got.values, want.values)
        # 编辑数据 opens a real worksheet holding the same figures
        sheet = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
        assert [sheet.cell(row=r + 2, column=1).value for r in range(len(data.categories))] == list(
            data.categories
        )
        for c, want in enumerate(data.series, start=2):
            assert sheet.cell(row=1, column=c).value == want.name
            cells = tuple(sheet.cell(row=r + 2, column=c).value for r in range(len(data.categories)))
            assert _close(cells, want.values)
    assert seen >= {"funnel", "hbar", "doughnut"}  # the default deck's kinds, each checked


def test_ranking_and_funnel_equal_the_metrics_module(built: Built) -> None:
    _, slide = _slide_of(built, "ranking")
    plot = _chart(slide).plots[0]
    got = dict(zip(plot.categories, plot.series[0].values, strict=True))
    assert set(got) == set(built.ranking) and len(got) == 14
    assert all(abs(got[u] - v) < 1e-9 for u, v in built.ranking.items())

    _, slide = _slide_of(built, "funnel", domain="proposals")
    plot = _chart(slide).plots[0]
    assert tuple(plot.categories) == ("提交", "立案", "办复", "满意")
    assert _close(plot.series[0].values, [built.funnel[c] for c in PROPOSAL_STAGES])


def test_ranking_has_the_highest_on_top_in_unit_colours(built: Built) -> None:
    content, slide = _slide_of(built, "ranking")
    chart = _chart(slide)
    values = chart.plots[0].series[0].values
    assert list(values) == sorted(values, reverse=True)  # data in rank order…
    assert chart.category_axis.reverse_order  # …drawn from the top
    val_ax = chart._chartSpace.find(".//" + qn("c:valAx"))
    assert val_ax.find(qn("c:crosses")).get("val") == "max"  # value axis at the bottom
    fills = [
        str(p.format.fill.fore_color.rgb)
        for p in (chart.plots[0].series[0].points[i] for i in range(len(values)))
    ]
    assert fills == [c.lstrip("#").upper() for c in content.chart.colors]

    _, slide = _slide_of(built, "funnel", domain="social")
    assert _chart(slide).category_axis.reverse_order  # the first stage on top


def test_doughnut_labels_carry_category_and_percent(built: Built) -> None:
    _, slide = _slide_of(built, "mix")
    labels = _chart(slide).plots[0].data_labels
    assert labels.show_percentage and labels.show_category_name and not labels.show_value
    assert labels.number_format == "0.0%"


def test_number_formats_for_rates_counts_and_per_member(built: Built) -> None:
    def formats(slide: object) -> set[str]:
        space = _chart(slide)._chartSpace
        return {e.get("formatCode") for e in space.iter(qn("c:numFmt"))} | {
            e.text for e in space.iter(qn("c:formatCode"))
        }

    _, rank = _slide_of(built, "ranking")
    assert formats(rank) == {'0.0"%"'}  # the series, its labels and the value axis
    assert _chart(rank).value_axis.tick_labels.number_format == '0.0"%"'
    assert _chart(rank).plots[0].series[0].data_labels.number_format == '0.0"%"'
    _, quarters = _slide_of(built, "quarters")
    assert formats(quarters) == {"#,##0"}
    heat, slide = _slide_of(built, "heatmap")
    per_member = next(i for i, s in enumerate(heat.chart.series) if s.unit.endswith("/人"))
    table = next(s for s in slide.shapes if s.has_table).table
    assert re.fullmatch(r"\d+\.\d\d", table.cell(1, per_member + 1).text)


def test_heatmap_is_a_native_table_of_units_and_indicators(built: Built) -> None:
    content, slide = _slide_of(built, "heatmap")
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1 and not any(s.has_chart for s in slide.shapes)
    table = tables[0].table
    chart = content.chart
    assert [table.cell(r + 1, 0).text for r in range(len(chart.categories))] == list(chart.categories)
    for c, s in enumerate(chart.series, start=1):
        assert table.cell(0, c).text.startswith(s.name)
        texts = [table.cell(r + 1, c).text for r in range(len(chart.categories))]
        assert texts == [cell_text(v, s.unit) for v in s.values]
        # the column's best cell is the darkest blue (reversed where less is better)
        present = [v for v in s.values if v is not None]
        best = s.values.index(min(present) if s.down else max(present))
        fill = table.cell(best + 1, c).fill.fore_color.rgb
        assert str(fill) == heat_color(1.0).lstrip("#")


# ---- text ----------------------------------------------------------------------------------------


def test_every_run_and_chart_text_is_set_in_the_east_asian_font(built: Built) -> None:
    for content, slide in _slides(built):
        xml = etree.tostring(slide._element, encoding="unicode")
        assert f'<a:ea typeface="{EA_FONT}"' in xml, content.title
        for run in slide._element.iter(qn("a:r")):
            rpr = run.find(qn("a:rPr"))
            assert rpr is not None
            assert rpr.find(qn("a:ea")).get("typeface") == EA_FONT
            assert rpr.find(qn("a:latin")).get("typeface") == EA_FONT
        for shape in slide.shapes:
            if shape.has_chart:
                space = shape.chart._chartSpace
                props = list(space.iter(qn("a:defRPr")))
                assert props, "the chart has text properties"
                assert all(p.find(qn("a:ea")).get("typeface") == EA_FONT for p in props)
        notes = etree.tostring(slide.notes_slide._element, encoding="unicode")
        assert f'<a:ea typeface="{EA_FONT}"' in notes


def test_titles_summary_footer_and_notes(built: Built) -> None:
    total = len(built.rendered.slides)
    for n, (content, slide) in enumerate(_slides(built), start=1):
        assert re.search(r"[\u4e00-\u9fff]", content.title)
        assert slide.shapes.title.text == content.title
        text = _text(slide)
        if content.summary:
            assert "数据摘要：" + content.summary in text
        footer = next(s for s in slide.shapes if s.name == "Footer").text_frame.text
        assert footer == f"{content.source} · {content.period_text} · 导出于 2026-10-15"
        assert next(s for s in slide.shapes if s.name == "Slide number").text_frame.text == f"{n} / {total}"
        notes = slide.notes_slide.notes_text_frame.text.split("\n")
        assert content.numbers() and notes[: len(content.numbers())] == content.numbers()
        assert content.summary in notes


def test_kpi_cards_are_editable_text_with_large_values_and_coloured_changes(built: Built) -> None:
    content, slide = _slide_of(built, "kpis")
    assert content.chart is None and len(content.kpis) >= 4
    cards = {s.name: s for s in slide.shapes if s.name.startswith("KPI ")}
    assert len(cards) == len(content.kpis)
    tops = sorted({s.top for s in cards.values()})
    assert len(tops) == -(-len(content.kpis) // 3)  # 3 per row
    colours = {True: GOOD, False: BAD, None: NEUTRAL}
    for k in content.kpis:
        label, value, change = cards[f"KPI {k.code}"].text_frame.paragraphs
        assert label.text == k.label and value.text == k.text and change.text == k.change
        assert value.runs[0].font.size >= Pt(40)
        assert str(change.runs[0].font.color.rgb) == colours[k.good].lstrip("#")
    assert {k.good for k in content.kpis} >= {True, False}


def _synthetic() -> RenderedDeck:
    period = Period(2024, 3, "ytd")

    def content(kind: str, title: str, **kw: object) -> SlideContent:
        return SlideContent(SlideSpec(kind), title, period, "2024年1-9月", "全市", source="来源：测试", **kw)  # type: ignore[arg-type]

    bar = ChartData("bar", ("2024Q1", "2024Q2", "2024Q3"), (Series("提案提交数", (5.0, None, 7.0), "件"),))
    hbar = ChartData("hbar", (EVIL, "修水县"), (Series("立案率", (90.0, 80.5), "%"),), colors=("#1F77B4",))
    heat = ChartData(
        "heatmap",
        (EVIL, "修水县"),
        (Series("提案提交数", (3.0, None), "件"), Series("人均参加活动", (1.5, 2.25), "人次/人", down=True)),
        "县（市、区）",
    )
    clustered = ChartData(
        "clustered", ("2024Q1", "2024Q2"), (Series("甲", (1.0, 2.0), "件"), Series("乙", (None, 3.0), "件"))
    )
    stacked = ChartData(
        "stacked", ("2024Q1", "2024Q2"), (Series("甲", (1.0, 2.0), "件"), Series("乙", (4.0, 3.0), "件"))
    )
    line = ChartData("line", ("2024Q1", "2024Q2", "2024Q3"), (Series("立案率", (80.0, None, 85.5), "%"),))
    kpi = Kpi("x", EVIL, None, "—", "同比 —", "", None)
    slides = (
        content("trend", EVIL, chart=bar, summary=f"摘要{EVIL}"),
        content("ranking", "排名", chart=hbar),
        content("heatmap", "县区对比", chart=heat),
        content("quarters", "分组", chart=clustered),
        content("quarters", "堆积", chart=stacked),
        content("trend", "趋势", chart=line),
        content("kpis", "主要指标", kpis=(kpi,)),
        content("funnel", "空白", empty="2024年1-9月没有这张幻灯片的数据"),
    )
    return RenderedDeck(Deck(EVIL), period, "2024年1-9月", slides)


def test_plain_text_round_trips_and_missing_stays_missing() -> None:
    prs = Presentation(io.BytesIO(deck_pptx(_synthetic(), today=TODAY)))
    slides = list(prs.slides)
    assert len(slides) == 8
    assert slides[0].shapes.title.text == EVIL and f"摘要{EVIL}" in _text(slides[0])
    assert prs.core_properties.title.startswith(EVIL)

    bar = _chart(slides[0])
    assert bar.plots[0].series[0].values == (5.0, None, 7.0)  # a gap, never 0
    sheet = openpyxl.load_workbook(io.BytesIO(bar.part.chart_workbook.xlsx_part.blob)).active
    assert [sheet.cell(row=r, column=2).value for r in (2, 3, 4)] == [5, None, 7]
    assert bar._chartSpace.find(".//" + qn("c:dispBlanksAs")).get("val") == "gap"

    hbar = _chart(slides[1])
    assert tuple(hbar.plots[0].categories) == (EVIL, "修水县")
    assert str(hbar.plots[0].series[0].points[0].format.fill.fore_color.rgb) == "1F77B4"

    table = next(s for s in slides[2].shapes if s.has_table).table
    assert table.cell(1, 0).text == EVIL
    assert table.cell(2, 1).text == "—"  # missing, on grey, not 0
    assert str(table.cell(2, 1).fill.fore_color.rgb) == "F0F0F0"
    assert table.cell(1, 2).text == "1.50" and table.cell(2, 2).text == "2.25"
    # less is better: the smaller figure is the darker cell
    assert str(table.cell(1, 2).fill.fore_color.rgb) == heat_color(1.0).lstrip("#")

    assert _chart(slides[3]).chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert _chart(slides[3]).plots[0].series[1].values == (None, 3.0)
    assert _chart(slides[3]).has_legend
    assert _chart(slides[4]).chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert _chart(slides[5]).chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert _chart(slides[5]).plots[0].series[0].values == (80.0, None, 85.5)

    card = next(s for s in slides[6].shapes if s.name == "KPI x")
    assert card.text_frame.paragraphs[0].text == EVIL
    assert str(card.text_frame.paragraphs[2].runs[0].font.color.rgb) == NEUTRAL.lstrip("#")

    empty = slides[7]
    assert empty.shapes.title.text == "空白"
    assert "2024年1-9月没有这张幻灯片的数据" in _text(empty)
    assert not any(s.has_chart or s.has_table for s in empty.shapes)
    assert "2024年1-9月没有这张幻灯片的数据" in empty.notes_slide.notes_text_frame.text


def test_english_footer_and_language_tag() -> None:
    prs = Presentation(io.BytesIO(deck_pptx(_synthetic(), "en", today=TODAY)))
    slide = prs.slides[0]
    footer = next(s for s in slide.shapes if s.name == "Footer").text_frame.text
    assert footer.endswith("exported 2026-10-15")
    assert 'lang="en-US"' in etree.tostring(slide._element, encoding="unicode")


# ---- LibreOffice ---------------------------------------------------------------------------------


@dataclass
class Rendered:
    error: str = ""
    pages: int = 0
    pngs: list[Path] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def pdf(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The deck converted once by LibreOffice (a private profile: parallel workers never share one)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    tools = {t: shutil.which(t) for t in ("pdftoppm", "pdfinfo", "pdftotext")}
    if not soffice:
        return Rendered("LibreOffice (soffice) is missing: apt-get install libreoffice-impress-nogui")
    if not all(tools.values()):
        return Rendered("poppler's pdftoppm/pdfinfo/pdftotext are missing: apt-get install poppler-utils")
    out = tmp_path_factory.mktemp("pdf")
    profile = (out / "profile").as_uri()
    run = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out),
         str(built.path)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf_path = out / "deck.pdf"
    if run.returncode or not pdf_path.exists():
        return Rendered(f"LibreOffice failed ({run.returncode}): {run.stderr[-2000:]}")
    info = subprocess.run([tools["pdfinfo"], str(pdf_path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    subprocess.run([tools["pdftoppm"], "-png", "-r", "50", str(pdf_path), str(out / "page")], check=True)
    texts = [
        subprocess.run(
            [tools["pdftotext"], "-f", str(n), "-l", str(n), "-layout", str(pdf_path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    return Rendered("", pages, sorted(out.glob("page-*.png")), texts)


def test_libreoffice_opens_and_draws_every_slide(built: Built, pdf: Rendered) -> None:
    if pdf.error:
        pytest.fail(pdf.error)
    n = len(built.rendered.slides)
    assert pdf.pages == n and len(pdf.pngs) == n
    for png in pdf.pngs:
        assert png.stat().st_size > 10_000
        with Image.open(png) as im:
            rgb = im.convert("RGB")
            assert abs(rgb.width / rgb.height - 16 / 9) < 0.01
            small = rgb.resize((160, 90))
            raw = small.tobytes()
            pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
            inked = sum(1 for p in pixels if min(p) < 200) / len(pixels)
            assert inked > 0.03, f"{png.name} is nearly blank"
            assert len(set(pixels)) > 20
    for (content, _), text in zip(_slides(built), pdf.texts, strict=True):
        flat = re.sub(r"\s+", "", text)
        assert content.title in flat  # Chinese as text (not boxes, not a picture)
        assert re.sub(r"\s+", "", content.source) in flat
    # the ranking drawn as ranked: every unit, top to bottom in the content's order, with its figure
    content, _ = _slide_of(built, "ranking")
    flat = re.sub(r"\s+", "", pdf.texts[built.rendered.slides.index(content)])
    where = [flat.find(u) for u in content.chart.categories]
    assert -1 not in where and where == sorted(where)
    assert all(f"{v:.1f}%" in flat for v in content.chart.series[0].values)
