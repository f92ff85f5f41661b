"""The PDF report of a period: cover, one section per domain with its charts and 数据摘要, a table
appendix with every slide's data, A4 portrait, "第 N 页 / 共 M 页" in the footer.

Made with WeasyPrint from HTML written here, not by printing a page in Chromium: WeasyPrint embeds the
fonts it uses as subsets of the real font ("Noto Sans CJK SC" as CID-keyed CFF, so the Chinese forms of
the glyphs on any reader's machine), never as Type 3 fonts, and its text stays text (searchable,
copyable). Chromium's print-to-PDF writes the same Noto CJK text, of the page and of SVG charts alike,
as Type 3 fonts (pdffonts shows one Type 3 font per few glyphs), which some readers, printers and
archiving checks handle badly.

The charts are the slides' own figures (charts.slide.slide_figure with the REPORT look) as vector SVG
drawn by the local chromium (exports.images), embedded as data: images; KPI slides are a grid of cards
and the unit comparison a coloured table, both plain HTML. Every text from the store is escaped
(`html.escape`): a unit named `<b>…</b>` or holding `&` is printed as written. Nothing is fetched:
the only URLs in the document are data: URIs, and the URL fetcher refuses any other (`_no_network`).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape

import pandas as pd

from charts.compare import HEAT_SCALE, MISSING_BG
from charts.format import fmt_number, is_missing
from charts.slide import REPORT, ChartData, slide_figure
from domain.decks import DEFAULT_DECK
from exports import images
from exports.slides import Kpi, RenderedDeck, SlideContent
from i18n import t

CHART_WIDTH = 680  # CSS px: the A4 text width (178 mm), so the chart's 13 px labels print at ~10 pt
TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "政协履职数据报告",
        "period": "统计期间",
        "scope": "统计范围",
        "date": "导出日期",
        "source": "数据来源",
        "deck": "汇报材料",
        "contents": "目录",
        "appendix": "附录：数据表",
        "no_slides": "这份汇报材料没有幻灯片。",
        "page": '"第 " counter(page) " 页 / 共 " counter(pages) " 页"',
        "made": "由政协履职数据看板生成",
    },
    "en": {
        "title": "CPPCC performance data report",
        "period": "Period",
        "scope": "Scope",
        "date": "Exported",
        "source": "Source",
        "deck": "Deck",
        "contents": "Contents",
        "appendix": "Appendix: data tables",
        "no_slides": "This deck has no slides.",
        "page": '"Page " counter(page) " of " counter(pages)',
        "made": "Made by the CPPCC performance dashboard",
    },
}

CSS = """
@page {
  size: A4 portrait;
  margin: 20mm 16mm 18mm 16mm;
  @top-left { content: string(report-head); font-size: 8.5pt; color: #666666; }
  @bottom-center { content: %(page)s; font-size: 9pt; color: #444444; }
}
@page :first { @top-left { content: none; } }
html { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10.5pt; line-height: 1.55; color: #1A1A1A; }
body { margin: 0; }
h1, h2, h3 { font-weight: 700; line-height: 1.3; }
.cover { string-set: report-head attr(data-head); }
.cover .band { border-top: 6mm solid #B22222; margin-bottom: 28mm; }
.cover h1 { font-size: 30pt; margin: 0 0 4mm 0; color: #111111; }
.cover .period { font-size: 18pt; color: #B22222; margin: 0 0 16mm 0; }
.cover table.meta { border-collapse: collapse; font-size: 11pt; }
.cover table.meta th { text-align: left; font-weight: 400; color: #666666; padding: 1.6mm 8mm 1.6mm 0;
  white-space: nowrap; vertical-align: top; }
.cover table.meta td { padding: 1.6mm 0; }
.cover .toc { margin-top: 18mm; }
.cover .toc h2 { font-size: 13pt; margin: 0 0 3mm 0; border-bottom: 0.4mm solid #DDDDDD; padding-bottom: 1.5mm; }
.cover .toc ol { list-style: none; margin: 0; padding: 0; }
.cover .toc li { margin: 1.2mm 0; }
.cover .toc a { color: #1A1A1A; text-decoration: none; }
.cover .toc a::after { content: leader(".") target-counter(attr(href), page); color: #666666; }
.cover .made { margin-top: 14mm; color: #888888; font-size: 9pt; }
section.domain { margin-top: 10mm; }
section.first, section.appendix { break-before: page; margin-top: 0; }
h2.section { font-size: 17pt; margin: 0 0 5mm 0; padding-left: 3mm; border-left: 2mm solid #B22222;
  break-after: avoid; }
.slide { break-inside: avoid; margin: 0 0 8mm 0; }
.slide h3 { font-size: 12.5pt; margin: 0 0 1mm 0; }
.slide .sub { font-size: 9pt; color: #666666; margin: 0 0 2.5mm 0; }
.slide img.chart { width: 100%%; height: auto; display: block; }
.slide .empty { border: 0.3mm dashed #BBBBBB; color: #555555; padding: 8mm; text-align: center; }
.summary { background: #F7F4F0; border-left: 1.2mm solid #C9962B; padding: 2.5mm 4mm; margin: 3mm 0 0 0;
  font-size: 10pt; text-align: justify; }
.summary b { display: block; font-size: 9pt; color: #7A5C12; margin-bottom: 0.5mm; }
.kpis { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 4mm; }
.kpi { border: 0.3mm solid #D0D0D0; border-top: 1.4mm solid #B22222; border-radius: 1.5mm; padding: 3mm 3.5mm;
  background: #FAFAFA; }
.kpi .label { font-size: 9.5pt; color: #333333; }
.kpi .value { font-size: 19pt; font-weight: 700; line-height: 1.25; white-space: nowrap; }
.kpi .change { font-size: 9pt; color: #555555; }
.kpi .change.good { color: #1B7F3A; }
.kpi .change.bad { color: #B22222; }
table.data { width: 100%%; border-collapse: collapse; font-size: 8.5pt; line-height: 1.35; }
table.data th, table.data td { border: 0.25mm solid #D5D5D5; padding: 1.1mm 1.5mm; }
table.data thead th { background: #F2E6E6; font-weight: 700; text-align: center; vertical-align: bottom; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data th.cat, table.data th .unit { white-space: nowrap; }
table.data td.cat { overflow-wrap: anywhere; }
table.data th .unit { font-weight: 400; color: #555555; }
table.data.w2 { width: 50%%; }
table.data.w3 { width: 66%%; }
table.data.w4 { width: 82%%; }
table.heat td.num { text-align: center; }
.appendix h3 { font-size: 11pt; margin: 6mm 0 2mm 0; break-after: avoid; }
.appendix .block { break-inside: avoid; }
"""


def _no_network() -> object:
    """A WeasyPrint URL fetcher serving data: URIs only: any other URL stops the rendering (the report
    is written here and names none; one appearing is a bug, not a picture to leave out)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> object:
            if not url.startswith("data:"):
                raise FatalURLFetchingError(f"PDF 报告不允许引用外部地址：{url[:80]}")
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols=("data",))


def _texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["zh"])


def _today(lang: str) -> str:
    d = dt.date.today()
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def _domain_name(domain: str, lang: str) -> str:
    try:
        return t(f"domain.{domain}", lang)
    except KeyError:  # a domain the catalogue does not name: shown as stored
        return domain


def _groups(slides: Sequence[SlideContent], lang: str) -> list[tuple[str, list[SlideContent]]]:
    """Consecutive slides of one domain make a section, named by the domain (a slide of no domain,
    the headline figures or the unit comparison, is a section of its own under its title)."""
    groups: list[tuple[str, str, list[SlideContent]]] = []
    for s in slides:
        key = s.domain or f"#{len(groups)}"
        if groups and groups[-1][0] == key and s.domain:
            groups[-1][2].append(s)
        else:
            groups.append((key, _domain_name(s.domain, lang) if s.domain else s.title, [s]))
    return [(name, members) for _, name, members in groups]


def _kpi(k: Kpi) -> str:
    tone = "" if k.good is None else (" good" if k.good else " bad")
    return (
        f'<div class="kpi"><div class="label">{escape(k.label)}</div>'
        f'<div class="value">{escape(k.text)}</div>'
        f'<div class="change{tone}">{escape(k.change)}</div></div>'
    )


def _hex(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _heat_color(x: float) -> str:
    """The heatmap's colour for a cell scaled to 0..1 (charts.compare.HEAT_SCALE, linearly)."""
    x = min(max(x, 0.0), 1.0)
    stops = [(float(str(p)), str(c)) for p, c in HEAT_SCALE]
    for (a, ca), (b, cb) in itertools.pairwise(stops):
        if x <= b:
            f = 0.0 if b == a else (x - a) / (b - a)
            lo, hi = _hex(ca), _hex(cb)
            return "#" + "".join(f"{round(p + (q - p) * f):02X}" for p, q in zip(lo, hi, strict=True))
    return stops[-1][1]


def _heat_table(chart: ChartData, lang: str) -> str:
    """The unit comparison as a table: a row per unit, a column per indicator, each column coloured from
    its lowest to its highest figure (the other way for an indicator where less is better)."""
    head = "".join(f"<th>{escape(s.name)}</th>" for s in chart.series)
    scaled: list[list[float | None]] = []
    for s in chart.series:
        vals = [None if is_missing(v) else float(v) for v in s.values]  # type: ignore[arg-type]
        present = [v for v in vals if v is not None]
        lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
        col = [None if v is None else (1.0 if hi == lo else (v - lo) / (hi - lo)) for v in vals]
        scaled.append([None if v is None else (1.0 - v if s.down else v) for v in col])
    rows = []
    for i, cat in enumerate(chart.categories):
        cells = [f'<td class="cat">{escape(cat)}</td>']
        for j, s in enumerate(chart.series):
            v = s.values[i] if i < len(s.values) else None
            x = scaled[j][i] if i < len(scaled[j]) else None
            bg = MISSING_BG if x is None else _heat_color(x)
            text = fmt_number(None if is_missing(v) else v, s.unit, lang, 2 if s.unit.endswith("/人") else 1)
            cells.append(f'<td class="num" style="background:{bg}">{escape(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    first = escape(chart.category_title)
    return (
        f'<table class="data heat"><thead><tr><th class="cat">{first}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _number(value: object) -> float | None:
    """A cell's value as a number, None for text; NaN for a missing figure."""
    if value is None or value is pd.NA:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _column_texts(values: Sequence[object]) -> tuple[list[str], bool]:
    """A column's cells as text, and whether it is a column of numbers (right-aligned). Numbers keep
    thousands separators; a column holding any fraction shows every figure with two decimals (88.09,
    7.00), so a column's figures line up; a missing figure is —."""
    nums = [_number(v) for v in values]
    if any(n is None for n in nums):
        return ["" if v is None or v is pd.NA else str(v) for v in values], False
    present = [n for n in nums if n is not None and not math.isnan(n)]
    fraction = any(not n.is_integer() for n in present)
    texts = []
    for n in nums:
        if n is None or math.isnan(n):
            texts.append("—")
        else:
            texts.append(f"{n:,.2f}" if fraction else f"{int(n):,}")
    return texts, True


def _header(text: str) -> str:
    """A column header, its unit on a line of its own: 基层协商议事 / （场次）, never （场 / 次）."""
    m = re.fullmatch(r"(.+?)\s*([（(][^（()）]{1,12}[）)])", text)
    if not m:
        return escape(text)
    return f'{escape(m[1])}<br><span class="unit">{escape(m[2])}</span>'


def _data_table(frame: pd.DataFrame) -> str:
    """A slide's data (SlideContent.table()) as an HTML table, every header and cell escaped."""
    head = "".join(
        f'<th class="cat">{escape(str(c))}</th>' if n == 0 else f"<th>{_header(str(c))}</th>"
        for n, c in enumerate(frame.columns)
    )
    columns = []
    for n, col in enumerate(frame.columns):
        texts, numeric = _column_texts([v.item() if hasattr(v, "item") else v for v in frame[col]])
        cls = "num" if numeric else ("cat" if n == 0 else "")
        columns.append([f'<td class="{cls}">{escape(x)}</td>' for x in texts])
    rows = "".join(f"<tr>{''.join(cells)}</tr>" for cells in zip(*columns, strict=True)) if columns else ""
    width = f" w{len(frame.columns)}" if len(frame.columns) <= 4 else ""  # narrow tables: figures near labels
    return f'<table class="data{width}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def chart_height(chart: ChartData) -> int:
    """The chart's height on the page (CSS px at CHART_WIDTH): lower than the slide's, so two charts
    share a page; a ranking grows with its units (22 px a bar), a funnel with its stages."""
    if chart.kind == "hbar":
        return max(240, 22 * len(chart.categories) + 80)
    if chart.kind == "funnel":
        return 80 + 55 * len(chart.categories)
    return 300


def _draw(chart: ChartData, lang: str) -> bytes:
    h = chart_height(chart)
    return images.svg(slide_figure(chart, lang, REPORT, height=h), width=CHART_WIDTH, height=h)


_drawn = lru_cache(maxsize=64)(_draw)


def chart_svg(chart: ChartData, lang: str = "zh") -> bytes:
    """The slide's chart as the report draws it (SVG at the text width). Kept for the next export of
    the same deck (a chart's data is frozen), so downloading it again needs no chromium time."""
    try:
        hash(chart)
    except TypeError:  # a chart built with lists: drawn every time
        return _draw(chart, lang)
    return _drawn(chart, lang)


def _chart_img(chart: ChartData, lang: str) -> str:
    data = base64.b64encode(chart_svg(chart, lang)).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}">'


def _summary(text: str, lang: str) -> str:
    return f'<div class="summary"><b>{escape(t("summary.title", lang))}</b>{escape(text)}</div>'


def _slide(s: SlideContent, lang: str, said: set[str], section: str) -> str:
    """One slide: its title (unless it is the section's), what it covers, the chart (or cards, or
    table), and its 数据摘要 unless an earlier slide of the section said the same."""
    if s.empty:
        body = f'<div class="empty">{escape(s.empty)}</div>'
    elif s.kpis:
        body = '<div class="kpis">' + "".join(_kpi(k) for k in s.kpis) + "</div>"
    elif s.chart is not None and s.chart.kind == "heatmap":
        body = _heat_table(s.chart, lang)
    elif s.chart is not None and not s.chart.is_empty():
        body = _chart_img(s.chart, lang)
    else:  # a chart without a figure to draw
        body = f'<div class="empty">{escape(t("present.empty", lang, period=s.period_text))}</div>'
    summary = ""
    if s.summary and s.summary not in said:
        said.add(s.summary)
        summary = _summary(s.summary, lang)
    sub = " · ".join(escape(x) for x in (s.scope, s.period_text, s.source) if x)
    head = "" if s.title == section else f"<h3>{escape(s.title)}</h3>"
    return f'<div class="slide">{head}<div class="sub">{sub}</div>{body}{summary}</div>'


def _cover(rendered: RenderedDeck, lang: str, title: str, sections: Sequence[str]) -> str:
    tx = _texts(lang)
    first = rendered.slides[0] if rendered.slides else None
    scope = first.scope if first else t("summary.scope_all", lang)
    meta = [(tx["period"], rendered.period_text), (tx["scope"], scope), (tx["date"], _today(lang))]
    if first and first.source:
        meta.append((tx["source"], re.sub(r"^[^：:]{1,8}[：:]\s*", "", first.source)))  # 来源：… → …
    if rendered.deck.name and rendered.deck.name != DEFAULT_DECK:
        meta.append((tx["deck"], rendered.deck.name))
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in meta)
    toc = "".join(f'<li><a href="#s{n}">{escape(name)}</a></li>' for n, name in enumerate(sections, 1))
    return (
        f'<div class="cover" data-head="{escape(title)} · {escape(rendered.period_text)}">'
        f'<div class="band"></div><h1>{escape(title)}</h1>'
        f'<div class="period">{escape(rendered.period_text)}</div>'
        f'<table class="meta">{rows}</table>'
        f'<div class="toc"><h2>{escape(tx["contents"])}</h2><ol>{toc}</ol></div>'
        f'<div class="made">{escape(tx["made"])}</div></div>'
    )


def report_html(rendered: RenderedDeck, lang: str = "zh", title: str | None = None) -> str:
    """The report as one HTML document (what report_pdf lays out); charts drawn through chromium."""
    tx = _texts(lang)
    title = title or tx["title"]
    groups = _groups(rendered.slides, lang)
    sections = [name for name, _ in groups]
    parts = []
    for n, (name, members) in enumerate(groups, 1):
        said: set[str] = set()
        slides = "".join(_slide(s, lang, said, name) for s in members)
        cls = "domain first" if n == 1 else "domain"
        parts.append(
            f'<section class="{cls}" id="s{n}"><h2 class="section">{escape(name)}</h2>{slides}</section>'
        )
    if rendered.slides:
        blocks = []
        for s in rendered.slides:
            table = _data_table(s.table()) if not s.empty else f"<p>{escape(s.empty)}</p>"
            blocks.append(f'<div class="block"><h3>{escape(s.title)}</h3>{table}</div>')
        parts.append(
            f'<section class="appendix" id="s{len(groups) + 1}"><h2 class="section">'
            f"{escape(tx['appendix'])}</h2>{''.join(blocks)}</section>"
        )
        sections.append(tx["appendix"])
    else:
        parts.append(f"<p>{escape(tx['no_slides'])}</p>")
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · {escape(rendered.period_text)}</title>"
        f"<style>{CSS % {'page': tx['page']}}</style></head>"
        f"<body>{_cover(rendered, lang, title, sections)}{''.join(parts)}</body></html>"
    )


def report_pdf(rendered: RenderedDeck, lang: str = "zh", title: str | None = None) -> bytes:
    """The PDF report of the rendered deck (A4 portrait). Raises images.ImageError when the charts
    cannot be drawn (no chromium)."""
    import weasyprint

    html = report_html(rendered, lang, title)
    pdf = weasyprint.HTML(string=html, url_fetcher=_no_network()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
