"""手机简报: what a leader opening a link on a phone reads in seconds — the period's headline numbers
two to a row, one short horizontal bar chart per domain (nothing to hover, no toolbar), and the
数据摘要 sentences. Nothing needs a wide screen: at 390×844 nothing is cut or scrolls sideways."""

from __future__ import annotations

from dataclasses import replace
from html import escape

import streamlit as st

from charts.slide import ChartData, Look, slide_figure
from domain.decks import SlideSpec
from exports.slides import CONSULT_TYPES, OVERVIEW_KPIS
from ui import data, filters
from ui.i18n import lang, tr
from ui.text import plain

BRIEF = Look(font=14, value_font=15, height=240)
CSS = """
<style>
.cppcc-brief-kpis { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
.cppcc-brief-kpis .k { border: 1px solid #ddd; border-top: 4px solid #B22222; border-radius: 8px; padding: 8px 10px; min-width: 0; }
.cppcc-brief-kpis .l { font-size: 14px; color: #333; }
.cppcc-brief-kpis .v { font-size: clamp(22px, 6.4vw, 34px); font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.cppcc-brief-kpis .c { font-size: 13px; color: #555; } .cppcc-brief-kpis .c.good { color: #1B7F3A; }
.cppcc-brief-kpis .c.bad { color: #B22222; }
@media (min-width: 900px) { .cppcc-brief-kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
</style>
"""
DOMAINS: tuple[tuple[str, SlideSpec], ...] = (
    ("proposals", SlideSpec("funnel", {"domain": "proposals"})),
    ("consultation", SlideSpec("mix", {"codes": list(CONSULT_TYPES)})),
    ("research", SlideSpec("mix", {"codes": ["research_topics", "inspections", "supervision_activities", "problems_found"]})),
    ("social", SlideSpec("funnel", {"domain": "social"})),
    ("members", SlideSpec("ranking", {"code": "participation_per_member"})),
)  # fmt: skip
TOP = 5  # units in the members chart: the five highest (a phone shows a short chart)

f = filters.sidebar(data.units(), data.reported_quarters(), data.reported_years())
st.html(CSS)
st.title(tr("brief.title"))
filters.data_badge()
if not data.reported_quarters() and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()
units = None if f.all_units else list(f.units)
st.caption(tr("overview.caption", units=filters.units_caption(f), period=filters.period_text(f.period)))


def spec(s: SlideSpec) -> SlideSpec:
    return replace(s, params={**s.params, "units": units}) if units else s


head = data.slide(spec(SlideSpec("kpis", {"codes": list(OVERVIEW_KPIS)})), f.period, lang())
if head.empty:
    st.info(plain(head.empty))
    filters.sync_url()
    st.stop()
cards = []
for k in head.kpis:
    tone = "" if k.good is None else (" good" if k.good else " bad")
    cards.append(
        f'<div class="k"><div class="l">{escape(k.label)}</div><div class="v">{escape(k.text)}</div>'
        f'<div class="c{tone}">{escape(k.change)}</div></div>'
    )
st.html('<div class="cppcc-brief-kpis">' + "".join(cards) + "</div>")

for domain, s in DOMAINS:
    content = data.slide(spec(s), f.period, lang())
    st.subheader(tr(f"domain.{domain}"))
    if content.empty or content.chart is None:
        st.caption(plain(content.empty) or tr("brief.none"))
        continue
    chart = content.chart
    if chart.kind == "hbar" and len(chart.categories) > TOP:  # ranked highest first already
        chart = replace(
            chart,
            categories=chart.categories[:TOP],
            series=tuple(replace(x, values=x.values[:TOP]) for x in chart.series),
            colors=chart.colors[:TOP],
            reference=None,
        )
        st.caption(tr("brief.top", n=TOP, indicator=chart.series[0].name))
    bars = ChartData("hbar", chart.categories, chart.series[:1], chart.category_title, colors=chart.colors)
    fig = slide_figure(bars, lang(), BRIEF, height=44 * len(bars.categories) + 50)
    fig.update_layout(margin={"l": 4, "r": 8, "t": 6, "b": 6}, xaxis={"visible": False})
    st.plotly_chart(
        fig, config={"staticPlot": True, "displayModeBar": False}, theme=None, key=f"brief_{domain}"
    )
    if content.summary:
        st.markdown(plain(content.summary))

st.caption(tr("brief.source"))
filters.sync_url()
