"""A rendered deck as a PowerPoint file (.pptx, 16:9) that presenters can edit the night before.

One slide per deck slide, in order, and nothing else: the title, the chart or the KPI cards, the 数据摘要
sentence under it, a footer with the source, the period and the export date, the slide number
"N / M", and speaker notes listing the slide's numbers (`SlideContent.numbers()`).

Charts are *native* PowerPoint charts with their data embedded (python-pptx `CategoryChartData`), never
pictures, so 编辑数据 in PowerPoint and WPS opens the very figures the dashboard computed
(`charts.slide.ChartData`): bar / clustered -> clustered columns, stacked -> stacked columns, line ->
line with markers, hbar (units ranked, highest first) -> horizontal bars on a reversed category axis
(the highest on top, the data sheet in the ranking's order), doughnut -> doughnut labelled with
category and percent, funnel -> horizontal bars in stage order top to bottom. PowerPoint has no
heatmap chart: the heatmap is a native table (units as rows, indicators as columns), each cell filled
on a light blue scale computed per column (reversed for a less-is-better indicator). A missing figure
is never written as 0: a chart point is left out (a gap), a table cell shows — on grey. What a native
chart cannot carry editably goes in a caption line under it: the unit, a ranking's city figure (the
screen's dashed line) and a funnel's step rates (立案率 88.1% · 办复率 97.3%).

Fonts: a pptx names one typeface per script, and python-pptx only writes the Latin one; Chinese text
then falls to the theme's East Asian face (宋体 in python-pptx's template). Every run, every default
run property and every chart text property therefore gets `<a:latin>` and `<a:ea>` set to
`EA_FONT` ("Microsoft YaHei", present on the Windows machines where decks are edited) through lxml.
Elsewhere the viewer substitutes: LibreOffice and WPS on Linux fall back to a CJK face such as
`FALLBACK` (Noto Sans CJK SC, Debian's fonts-noto-cjk), which is what the tests' PDF rendering shows.

Text from the store (unit names, titles) is plain text: python-pptx escapes it as XML.

>>> number_format("%", [85.1]), number_format("件", [12.0, None]), number_format("人次/人", [8.4])
('0.0"%"', '#,##0', '0.00')
>>> heat_color(0.0), heat_color(0.25), heat_color(1.0)
('#F7FBFF', '#DEEBF7', '#6BAED6')
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date

from lxml import etree
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.chart import XL_TICK_LABEL_POSITION as TICKS
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from charts.compare import HEAT_SCALE, MISSING_BG
from charts.format import fmt_number, is_missing, unit_label
from charts.slide import SERIES_COLORS, ChartData, Series
from charts.theme import PALETTE, PRIMARY, TEXT
from exports.slides import Kpi, RenderedDeck, SlideContent

EA_FONT = "Microsoft YaHei"
FALLBACK = "Noto Sans CJK SC"  # what LibreOffice / WPS on Linux show instead (documented, not written)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_W = Emu(SLIDE_W - 2 * MARGIN)
# A line's height in ems: Noto Sans CJK (LibreOffice's substitute) needs 1.45, YaHei about 1.32.
LINE = 1.45
MAX_LABELLED = 16  # data labels on a series of at most this many points (more would overlap)

GOOD, BAD, NEUTRAL = "#2E7D32", "#C62828", "#6B6B6B"
MUTED = "#595959"
CARD_BG, CARD_LINE = "#F7F7F7", "#DDDDDD"
GRIDLINE = "#E0E0E0"

_WORDS = {
    "zh": {"summary": "数据摘要：", "exported": "导出于", "unit": "单位：", "lang": "zh-CN"},
    "en": {"summary": "Summary: ", "exported": "exported", "unit": "Unit: ", "lang": "en-US"},
}
# Children of a:rPr / a:defRPr that must follow a:latin, a:ea (the schema's order).
_AFTER_EA = ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")
_AFTER_LATIN = ("ea", *_AFTER_EA)
_TEXT_PROPS = ("a:rPr", "a:defRPr", "a:endParaRPr")


def number_format(unit: str, values: Iterable[float | None] = ()) -> str:
    """The Excel number format of a series: rates 0.0"%", per-member 0.00, counts #,##0."""
    if unit == "%":
        return '0.0"%"'
    if unit.endswith("/人"):
        return "0.00"
    if all(is_missing(v) or float(v).is_integer() for v in values):  # type: ignore[arg-type]
        return "#,##0"
    return "#,##0.0"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def heat_color(x: float) -> str:
    """The light blue of a heatmap cell scaled 0..1 (charts.compare.HEAT_SCALE, interpolated)."""
    x = min(1.0, max(0.0, x))
    for (x0, c0), (x1, c1) in itertools.pairwise(HEAT_SCALE):
        if x <= float(x1):  # type: ignore[arg-type]
            lo, hi = float(x0), float(x1)  # type: ignore[arg-type]
            f = 0.0 if hi == lo else (x - lo) / (hi - lo)
            a, b = str(c0).lstrip("#"), str(c1).lstrip("#")
            rgb = [
                round(int(a[i : i + 2], 16) + f * (int(b[i : i + 2], 16) - int(a[i : i + 2], 16)))
                for i in (0, 2, 4)
            ]
            return "#" + "".join(f"{v:02X}" for v in rgb)
    return str(HEAT_SCALE[-1][1])


# ---- fonts --------------------------------------------------------------------------------------


def _font_child(props: etree._Element, tag: str, successors: Sequence[str]) -> None:
    el = props.find(qn(f"a:{tag}"))
    if el is None:
        el = props.makeelement(qn(f"a:{tag}"), {})
        for name in successors:
            nxt = props.find(qn(f"a:{name}"))
            if nxt is not None:
                nxt.addprevious(el)
                break
        else:
            props.append(el)
    el.set("typeface", EA_FONT)


def set_fonts(root: etree._Element, lang_tag: str = "zh-CN") -> None:
    """`<a:latin>` and `<a:ea>` = EA_FONT on every run and default run property under `root`.

    A run without properties gets them, so no Chinese text is left to the theme's East Asian face.
    """
    for run in root.iter(qn("a:r")):
        if run.find(qn("a:rPr")) is None:
            run.insert(0, run.makeelement(qn("a:rPr"), {}))
    for tag in _TEXT_PROPS:
        for props in root.iter(qn(tag)):
            if tag == "a:rPr" or not props.get("lang"):
                props.set("lang", lang_tag)
            _font_child(props, "latin", _AFTER_LATIN)
            _font_child(props, "ea", _AFTER_EA)


# ---- text helpers -------------------------------------------------------------------------------


def _ems(text: str) -> float:
    """The width of a text in ems: a CJK character one em, Latin and digits about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.56 for ch in text)


def fit_size(text: str, width: int, height: int, sizes: Sequence[int] = (18, 16, 14, 13, 12, 11, 10)) -> int:
    """The largest point size at which `text` wraps into a box of `width` x `height` EMU (estimated)."""
    usable_w = Emu(width - Inches(0.2)).pt
    usable_h = Emu(height - Inches(0.1)).pt
    for size in sizes:
        per_line = max(1.0, usable_w / size * 0.96)
        lines = sum(max(1, math.ceil(_ems(part) / per_line)) for part in text.split("\n"))
        if lines * size * LINE <= usable_h:
            return size
    return sizes[-1]


def _style(run: _Run, size: float, color: str = TEXT, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)
    run.font.name = EA_FONT


def _textbox(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    height: int,
    parts: Sequence[tuple[str, float, str, bool]],
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    name: str = "",
) -> TextFrame:
    """A text box with one paragraph of runs (text, size, colour, bold); wraps, never auto-resizes."""
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    p = tf.paragraphs[0]
    p.alignment = align
    for text, size, color, bold in parts:
        _style(p.add_run(), size, color, bold)
        p.runs[-1].text = text
    return tf


# ---- charts -------------------------------------------------------------------------------------

_KIND_TYPE = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "clustered": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
    "funnel": XL_CHART_TYPE.BAR_CLUSTERED,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}


def _values(s: Series) -> tuple[float | None, ...]:
    return tuple(None if is_missing(v) else float(v) for v in s.values)  # type: ignore[arg-type]


def chart_data(chart: ChartData) -> CategoryChartData:
    """The chart's categories and series, in the content's order, each with its number format."""
    data = CategoryChartData(number_format=number_format(chart.unit, _values(chart.series[0])))
    data.categories = list(chart.categories)
    for s in chart.series:
        vals = _values(s)
        data.add_series(s.name, vals, number_format(s.unit, vals))
    return data


def _fill(fmt: object, color: str) -> None:
    fmt.fill.solid()  # type: ignore[attr-defined]
    fmt.fill.fore_color.rgb = _rgb(color)  # type: ignore[attr-defined]


def _no_line(fmt: object) -> None:
    fmt.line.fill.background()  # type: ignore[attr-defined]


def _add_separator(dlbls: etree._Element, text: str) -> None:
    """A data label separator (python-pptx has no API): after showBubbleSize, before showLeaderLines."""
    sep = dlbls.find(qn("c:separator"))
    if sep is None:
        sep = dlbls.makeelement(qn("c:separator"), {})
        anchor = dlbls.find(qn("c:showBubbleSize"))
        if anchor is None:
            anchor = dlbls.find(qn("c:showPercent"))
        if anchor is not None:
            anchor.addnext(sep)
        else:
            dlbls.append(sep)
    sep.text = text


def _label_box(dlbls: etree._Element) -> None:
    """Data labels on a white, slightly see-through box: readable over any slice and past its edge."""
    sp_pr = dlbls.makeelement(qn("c:spPr"), {})
    solid = etree.SubElement(sp_pr, qn("a:solidFill"))
    clr = etree.SubElement(solid, qn("a:srgbClr"), {"val": "FFFFFF"})
    etree.SubElement(clr, qn("a:alpha"), {"val": "85000"})
    num_fmt = dlbls.find(qn("c:numFmt"))
    if num_fmt is not None:
        num_fmt.addnext(sp_pr)
    else:
        dlbls.insert(0, sp_pr)


def _axes(pchart: Chart, chart: ChartData, fmt: str, reverse: bool) -> None:
    cat, val = pchart.category_axis, pchart.value_axis
    crowded = len(chart.categories) > 10
    sizes = {"funnel": 16, "hbar": 14}
    cat.tick_labels.font.size = Pt(12 if crowded else sizes.get(chart.kind, 13))
    cat.tick_labels.font.color.rgb = _rgb(TEXT)
    cat.has_major_gridlines = False
    cat.format.line.color.rgb = _rgb("#BFBFBF")
    val.tick_labels.font.size = Pt(12)
    val.tick_labels.font.color.rgb = _rgb(MUTED)
    val.tick_labels.number_format = fmt
    val.tick_labels.number_format_is_linked = False
    val.has_major_gridlines = True
    val.major_gridlines.format.line.color.rgb = _rgb(GRIDLINE)
    val.format.line.fill.background()
    val.minimum_scale = 0
    if chart.kind == "funnel":
        val.visible = False  # the labels carry the figures; the bars' lengths compare
        val.has_major_gridlines = False
    if reverse:
        cat.reverse_order = True  # the first category (highest, the first stage) on top…
        crosses = val._element.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")  # …and the value axis stays at the bottom (at the last category)
    cat.tick_label_position = TICKS.LOW
    skip = cat._element.find(qn("c:noMultiLvlLbl"))
    if skip is not None:  # every category labelled (LibreOffice otherwise drops every other one)
        lbl_skip = cat._element.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        skip.addprevious(lbl_skip)


def add_chart(slide: Slide, chart: ChartData, left: int, top: int, width: int, height: int) -> Chart:
    """A native, editable chart of `chart` (its data embedded as a worksheet)."""
    data = chart_data(chart)
    gframe = slide.shapes.add_chart(
        _KIND_TYPE[chart.kind],
        Emu(left),
        Emu(top),
        Emu(width),
        Emu(height),
        data,  # type: ignore[arg-type]
    )
    gframe.name = f"Chart {chart.kind}"  # type: ignore[attr-defined]  # a GraphicFrame, typed as Chart
    pchart: Chart = gframe.chart  # type: ignore[attr-defined]
    pchart.font.size = Pt(13)
    pchart.font.color.rgb = _rgb(TEXT)
    pchart.font.name = EA_FONT
    pchart.has_title = False
    plot = pchart.plots[0]
    many = len(chart.series) > 1
    pchart.has_legend = many  # a doughnut's labels name their slices
    if pchart.has_legend:
        pchart.legend.position = XL_LEGEND_POSITION.TOP
        pchart.legend.include_in_layout = False
        pchart.legend.font.size = Pt(14)
    plot.vary_by_categories = chart.kind == "doughnut"

    if chart.kind == "doughnut":
        for i, _ in enumerate(chart.categories):
            point = plot.series[0].points[i]
            _fill(point.format, PALETTE[i % len(PALETTE)])
            point.format.line.color.rgb = _rgb("#FFFFFF")
        plot.has_data_labels = True
        dl = plot.data_labels
        dl.show_value = False
        dl.show_category_name = True
        dl.show_percentage = True
        dl.number_format = "0.0%"
        dl.number_format_is_linked = False
        dl.font.size = Pt(13)
        dl.font.color.rgb = _rgb(TEXT)
        _label_box(dl._element)
        _add_separator(dl._element, "\n")
        hole = plot._element.find(qn("c:holeSize"))
        if hole is not None:
            hole.set("val", "45")
        set_fonts(pchart._chartSpace)
        return pchart

    fmt = number_format(chart.unit, _values(chart.series[0]))
    _axes(pchart, chart, fmt, reverse=chart.kind in ("hbar", "funnel"))
    if chart.kind != "line":
        plot.gap_width = 50 if chart.kind in ("hbar", "funnel") else 70
        if chart.kind == "clustered":
            plot.overlap = -10
    for n, (series, s) in enumerate(zip(plot.series, chart.series, strict=True)):
        color = SERIES_COLORS[n % len(SERIES_COLORS)]
        vals = _values(s)
        if chart.kind == "line":
            series.smooth = False
            series.format.line.color.rgb = _rgb(color)
            series.format.line.width = Pt(3)
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 9
            _fill(series.marker.format, color)
            series.marker.format.line.color.rgb = _rgb(color)
        else:
            _fill(series.format, color)
            _no_line(series.format)
        if chart.kind in ("hbar", "funnel"):
            for i, _ in enumerate(vals):
                if chart.kind == "hbar" and i < len(chart.colors):
                    _fill(series.points[i].format, chart.colors[i])
                elif chart.kind == "funnel":
                    _fill(series.points[i].format, SERIES_COLORS[i % len(SERIES_COLORS)])
        if len(vals) <= MAX_LABELLED:
            dl = series.data_labels
            dl.show_value = True
            dl.number_format = number_format(s.unit, vals)
            dl.number_format_is_linked = False
            dl.font.size = Pt(16 if chart.kind == "funnel" else 13)
            if chart.kind == "stacked":
                dl.position = XL_LABEL_POSITION.CENTER
                dl.font.color.rgb = _rgb("#FFFFFF")
            elif chart.kind == "line":
                dl.position = XL_LABEL_POSITION.ABOVE
                dl.font.color.rgb = _rgb(TEXT)
            else:
                dl.position = XL_LABEL_POSITION.OUTSIDE_END
                dl.font.color.rgb = _rgb(TEXT)
            dl.font.bold = chart.kind == "funnel"
    blanks = pchart._chartSpace.find(".//" + qn("c:dispBlanksAs"))
    if blanks is not None:
        blanks.set("val", "gap")  # a missing figure is a gap, never a zero
    set_fonts(pchart._chartSpace)
    return pchart


def _caption(chart: ChartData, lang: str) -> str:
    """The line under a chart: its unit, the city figure of a ranking, a funnel's step rates."""
    w = _WORDS.get(lang, _WORDS["zh"])
    parts = []
    units = list(dict.fromkeys(s.unit for s in chart.series if s.unit and s.unit != "%"))
    if units and chart.kind not in ("doughnut", "heatmap"):
        parts.append(w["unit"] + " / ".join(unit_label(u, lang) for u in units))
    if chart.reference_label:
        parts.append(chart.reference_label)
    notes = [n for n in chart.notes if n]
    if notes:
        parts.append(" · ".join(notes))
    return "　　".join(parts)


# ---- the heatmap as a table --------------------------------------------------------------------


def _scaled(s: Series) -> list[float | None]:
    vals = _values(s)
    present = [v for v in vals if v is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
    out: list[float | None] = []
    for v in vals:
        if v is None:
            out.append(None)
            continue
        x = 1.0 if hi == lo else (v - lo) / (hi - lo)
        out.append(1.0 - x if s.down else x)
    return out


def cell_text(value: float | None, unit: str, lang: str = "zh") -> str:
    """A heatmap cell as the screen writes it (two decimals per member); missing is —, never 0."""
    return fmt_number(value, unit, lang, 2 if unit.endswith("/人") else 1)


def _cell(
    cell: object, text: str, size: float, fill: str, bold: bool = False, align: PP_ALIGN = PP_ALIGN.CENTER
) -> None:
    cell.fill.solid()  # type: ignore[attr-defined]
    cell.fill.fore_color.rgb = _rgb(fill)  # type: ignore[attr-defined]
    cell.margin_left = cell.margin_right = Inches(0.05)  # type: ignore[attr-defined]
    cell.margin_top = cell.margin_bottom = Inches(0.02)  # type: ignore[attr-defined]
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE  # type: ignore[attr-defined]
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    for side in ("a:lnB", "a:lnT", "a:lnR", "a:lnL"):  # white rules between cells (the schema's order)
        line = tc_pr.makeelement(qn(side), {"w": str(Pt(1.5)), "cmpd": "sng"})
        solid = etree.SubElement(line, qn("a:solidFill"))
        etree.SubElement(solid, qn("a:srgbClr"), {"val": "FFFFFF"})
        tc_pr.insert(0, line)
    tf = cell.text_frame  # type: ignore[attr-defined]
    tf.word_wrap = True
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    _style(run, size, TEXT, bold)
    run.text = text


def add_heat_table(
    slide: Slide, chart: ChartData, left: int, top: int, width: int, height: int, lang: str = "zh"
) -> object:
    """Units as rows, indicators as columns, each cell filled on a light blue scale per column."""
    rows, cols = len(chart.categories) + 1, len(chart.series) + 1
    gframe = slide.shapes.add_table(rows, cols, Emu(left), Emu(top), Emu(width), Emu(height))
    gframe.name = "Table heatmap"
    table = gframe.table
    table.first_row = True
    table.horz_banding = False
    # No table style (python-pptx writes Medium Style 2): the fills below are the look.
    tbl_pr = table._tbl.tblPr
    style = tbl_pr.find(qn("a:tableStyleId")) if tbl_pr is not None else None
    if style is not None:
        style.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid"
    avail = Emu(height).pt
    # the largest font at which the header (two lines) and every row fit the height (margins included)
    sizes = (16, 15, 14, 13, 12, 11, 10, 9)
    size = next((z for z in sizes if 2.9 * z + 6 + (rows - 1) * (1.45 * z + 5) <= avail), 8)
    head_h, body_h = 2.9 * size + 6, 1.45 * size + 5
    table.rows[0].height = Pt(head_h)
    for r in range(1, rows):
        table.rows[r].height = Pt(body_h)
    gframe.height = Pt(head_h + body_h * (rows - 1))  # as tall as its rows, never stretched
    first_w = Inches(1.7)
    table.columns[0].width = first_w
    for c in range(1, cols):
        table.columns[c].width = Emu(int((width - first_w) / (cols - 1)))
    _cell(table.cell(0, 0), chart.category_title, size, "#E8E8E8", True, PP_ALIGN.LEFT)
    for c, s in enumerate(chart.series, start=1):
        shown = unit_label(s.unit, lang)
        head = (
            f"{s.name}（{shown}）" if lang == "zh" and shown else (f"{s.name} ({shown})" if shown else s.name)
        )
        _cell(table.cell(0, c), head, size, "#E8E8E8", True)
    scaled = [_scaled(s) for s in chart.series]
    for r, name in enumerate(chart.categories, start=1):
        _cell(table.cell(r, 0), name, size, "#FFFFFF", True, PP_ALIGN.LEFT)
        for c, s in enumerate(chart.series, start=1):
            v = _values(s)[r - 1]
            x = scaled[c - 1][r - 1]
            _cell(
                table.cell(r, c), cell_text(v, s.unit, lang), size, MISSING_BG if x is None else heat_color(x)
            )
    return table


# ---- slides -------------------------------------------------------------------------------------


def _kpi_cards(slide: Slide, kpis: Sequence[Kpi], top: int, bottom: int) -> None:
    per_row = 3
    n_rows = math.ceil(len(kpis) / per_row)
    gap = Inches(0.3)
    w = int((CONTENT_W - gap * (per_row - 1)) / per_row)
    h = int(min(Inches(1.9), (bottom - top - gap * (n_rows - 1)) / n_rows))
    for i, k in enumerate(kpis):
        r, c = divmod(i, per_row)
        in_row = min(per_row, len(kpis) - r * per_row)
        left = MARGIN + (CONTENT_W - in_row * w - (in_row - 1) * gap) // 2 + c * (w + gap)  # rows centred
        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Emu(left), Emu(top + r * (h + gap)), Emu(w), Emu(h)
        )
        shape.name = f"KPI {k.code}"
        shape.adjustments[0] = 0.08
        _fill(shape, CARD_BG)
        shape.line.color.rgb = _rgb(CARD_LINE)
        shape.shadow.inherit = False
        tf = shape.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.margin_top = tf.margin_bottom = Inches(0.05)
        label = tf.paragraphs[0]
        label.alignment = PP_ALIGN.CENTER
        _style(label.add_run(), 18, MUTED)
        label.runs[-1].text = k.label
        value = tf.add_paragraph()
        value.alignment = PP_ALIGN.CENTER
        number, sep, unit = k.text.rpartition(" ")
        if not sep or not number:
            number, unit = k.text, ""
        _style(value.add_run(), 44, TEXT, True)
        value.runs[-1].text = number
        if unit:
            _style(value.add_run(), 22, TEXT)
            value.runs[-1].text = f" {unit}"
        change = tf.add_paragraph()
        change.alignment = PP_ALIGN.CENTER
        color = NEUTRAL if k.good is None else (GOOD if k.good else BAD)
        _style(change.add_run(), 16, color, k.good is not None)
        change.runs[-1].text = k.change


def _title(slide: Slide, text: str) -> None:
    shape = slide.shapes.title
    if shape is None:  # pragma: no cover - the Title Only layout has one
        shape = slide.shapes.add_textbox(MARGIN, Inches(0.25), CONTENT_W, Inches(0.85))
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), CONTENT_W, Inches(0.85)
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.margin_left = Inches(0.05)
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    run = p.add_run()
    _style(run, fit_size(text, CONTENT_W, Inches(0.85), (32, 28, 24, 20, 18)), TEXT, True)
    run.text = text
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.1), CONTENT_W, Inches(0.04))
    bar.name = "Title rule"
    _fill(bar, PRIMARY)
    _no_line(bar)
    bar.shadow.inherit = False
    effect = bar._element.find(".//" + qn("a:effectRef"))
    if effect is not None:  # LibreOffice draws the theme's shadow despite the empty effect list
        effect.set("idx", "0")


def _footer(slide: Slide, content: SlideContent, n: int, total: int, today: date, lang: str) -> None:
    w = _WORDS.get(lang, _WORDS["zh"])
    top, h = SLIDE_H - Inches(0.5), Inches(0.35)
    parts = [p for p in (content.source, content.period_text, f"{w['exported']} {today.isoformat()}") if p]
    _textbox(
        slide, MARGIN, top, CONTENT_W - Inches(1.5), h, [(" · ".join(parts), 11, NEUTRAL, False)],
        anchor=MSO_ANCHOR.MIDDLE, name="Footer",
    )  # fmt: skip
    _textbox(
        slide, SLIDE_W - MARGIN - Inches(1.4), top, Inches(1.4), h, [(f"{n} / {total}", 12, NEUTRAL, False)],
        PP_ALIGN.RIGHT, MSO_ANCHOR.MIDDLE, name="Slide number",
    )  # fmt: skip


def _summary(slide: Slide, text: str, top: int, height: int, lang: str) -> None:
    if not text:
        return
    label = _WORDS.get(lang, _WORDS["zh"])["summary"]
    size = fit_size(label + text, CONTENT_W, height)
    tf = _textbox(
        slide, MARGIN, top, CONTENT_W, height, [(label, size, PRIMARY, True), (text, size, TEXT, False)],
        name="Summary",
    )  # fmt: skip
    tf.paragraphs[0].line_spacing = 1.1


def summary_height(text: str, lang: str = "zh", most: int = Inches(1.0)) -> int:
    """The height a summary under a chart needs: 16 pt when it takes two lines, else 14 (at most `most`)."""
    label = _WORDS.get(lang, _WORDS["zh"])["summary"]

    def lines(size: int) -> int:
        per_line = max(1.0, Emu(CONTENT_W - Inches(0.2)).pt / size * 0.96)
        return max(1, math.ceil(_ems(label + text) / per_line))

    size = 16 if lines(16) <= 2 else 14
    return int(min(most, Pt(lines(size) * size * LINE) + Inches(0.15)))


def _notes(slide: Slide, content: SlideContent) -> None:
    lines = [*content.numbers()]
    for extra in (content.summary, content.note, content.empty):
        if extra:
            lines.append(extra)
    notes = slide.notes_slide.notes_text_frame
    if notes is not None:
        notes.text = "\n".join(lines)


def _build_slide(prs: object, content: SlideContent, n: int, total: int, today: date, lang: str) -> Slide:
    slide: Slide = prs.slides.add_slide(prs.slide_layouts[5])  # type: ignore[attr-defined]  # Title Only
    _title(slide, content.title)
    body_top = Inches(1.3)
    summary_bottom = SLIDE_H - Inches(0.55)
    if content.empty:
        _textbox(
            slide, MARGIN, body_top, CONTENT_W, Inches(4.4), [(content.empty, 28, NEUTRAL, False)],
            PP_ALIGN.CENTER, MSO_ANCHOR.MIDDLE, name="Empty",
        )  # fmt: skip
    elif content.chart is not None and content.chart.series and content.chart.categories:
        chart = content.chart
        summary_h = summary_height(content.summary, lang) if content.summary else 0
        caption = _caption(chart, lang)
        caption_h = Inches(0.4) if caption else 0
        chart_bottom = summary_bottom - summary_h - caption_h - Inches(0.05)
        if chart.kind == "heatmap":
            add_heat_table(slide, chart, MARGIN, body_top, CONTENT_W, chart_bottom - body_top, lang)
        else:
            add_chart(slide, chart, MARGIN, body_top, CONTENT_W, chart_bottom - body_top)
        if caption:
            _textbox(
                slide, MARGIN, chart_bottom, CONTENT_W, caption_h, [(caption, 14, PRIMARY, False)],
                PP_ALIGN.RIGHT, MSO_ANCHOR.MIDDLE, name="Caption",
            )  # fmt: skip
        _summary(slide, content.summary, summary_bottom - summary_h, summary_h, lang)
    else:
        rows = math.ceil(len(content.kpis) / 3) if content.kpis else 0
        cards_bottom = Inches(5.05) if rows <= 2 else summary_bottom - Inches(1.0)
        if content.kpis:
            _kpi_cards(slide, content.kpis, body_top + Inches(0.1), cards_bottom)
        top = cards_bottom + Inches(0.15)
        _summary(slide, content.summary, top, summary_bottom - top, lang)
    _footer(slide, content, n, total, today, lang)
    _notes(slide, content)
    lang_tag = _WORDS.get(lang, _WORDS["zh"])["lang"]
    set_fonts(slide._element, lang_tag)
    set_fonts(slide.notes_slide._element, lang_tag)
    return slide


def _widen(prs: object) -> None:
    """The template is 4:3 (10 in): stretch the master's and layouts' shapes to the 16:9 width."""
    factor = SLIDE_W / Inches(10)
    master = prs.slide_master  # type: ignore[attr-defined]
    for shapes in [master.shapes, *(layout.shapes for layout in master.slide_layouts)]:
        for shape in shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)


def deck_pptx(rendered: RenderedDeck, lang: str = "zh", today: date | None = None) -> bytes:
    """The deck as an editable 16:9 PowerPoint file: one slide per deck slide, native charts."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _widen(prs)
    props = prs.core_properties
    props.title = f"{rendered.deck.name} {rendered.period_text}".strip()
    props.language = _WORDS.get(lang, _WORDS["zh"])["lang"]
    props.author = props.last_modified_by = "cppcc-dashboard"
    today = today or date.today()
    total = len(rendered.slides)
    for n, content in enumerate(rendered.slides, start=1):
        _build_slide(prs, content, n, total, today, lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
