"""调研视察与民主监督: KPI cards (同比; 环比 in quarter mode), the four counts by quarter, units ranked, the 数据摘要."""

from __future__ import annotations

import streamlit as st

from charts.activities import grouped_quarters_figure
from charts.format import unit_label
from ui import filters
from ui.activity import quarters, unit_ranking
from ui.i18n import lang, tr
from ui.sections import domain_page, summary_box

KPI_CODES = CODES = ("research_topics", "problems_found", "inspections", "supervision_activities")
TREND_QUARTERS, SPARK_QUARTERS = 12, 8

view = domain_page("research.title", "research", CODES, ["r_rank"])
names = {c: view.name(c) for c in CODES}
units = {c: unit_label(view.dic[c].unit, lang()) for c in CODES}
view.kpi_row(KPI_CODES, len(KPI_CODES), SPARK_QUARTERS)
q = quarters(view, CODES, TREND_QUARTERS)

left, right = st.columns([3, 2], gap="large")
with left:
    fig = grouped_quarters_figure(q.wide, CODES, names, units, lang(), height=420)
    q.panel(tr("research.trend_title"), CODES, fig, "research_chart")
with right:
    unit_ranking(view, CODES, "r_rank", "research_topics")

summary_box(view.current, view.period, view.f, "research")

filters.sync_url(["r_rank"])
