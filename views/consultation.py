"""协商议政: KPI cards (同比; 环比 in quarter mode), activities by type over time, 基层协商议事 on its own
(场次, far larger: never stacked with the others), outcomes and suggestions, units ranked, the 数据摘要."""

from __future__ import annotations

import streamlit as st

from charts.activities import grouped_quarters_figure, stacked_quarters_figure
from charts.format import unit_label
from exports.slides import CONSULT_TYPES
from ui import filters
from ui.activity import quarters, unit_ranking
from ui.i18n import lang, tr
from ui.sections import domain_page, summary_box

TYPES = CONSULT_TYPES  # the types the 协商活动构成 slide shows
KPI_CODES = ("consult_total", "consult_topic", "consult_grassroots", "consult_outcomes", "suggestions_made")
CODES = (*TYPES, "consult_total", "consult_grassroots", "consult_outcomes", "suggestions_made")
TREND_QUARTERS, SPARK_QUARTERS, PER_ROW = 12, 8, 3

view = domain_page("consultation.title", "consultation", CODES, ["c_rank"])
names = {c: view.name(c) for c in CODES}
units = {c: unit_label(view.dic[c].unit, lang()) for c in CODES}
view.kpi_row(KPI_CODES, PER_ROW, SPARK_QUARTERS)
q = quarters(view, CODES, TREND_QUARTERS)

left, right = st.columns([3, 2], gap="large")
with left:
    fig = stacked_quarters_figure(q.wide, TYPES, names, units["consult_total"], lang(), "consult_total")
    q.panel(tr("consultation.types_title"), (*TYPES, "consult_total"), fig, "types_chart", TYPES)
with right:
    fig = grouped_quarters_figure(
        q.wide, ["consult_grassroots"], names, units, lang(), height=420, value_labels=False
    )
    q.panel(tr("consultation.grassroots_title"), ("consult_grassroots",), fig, "grassroots_chart")

left, right = st.columns([3, 2], gap="large")
with left:
    out_codes = ("consult_outcomes", "suggestions_made")
    fig = grouped_quarters_figure(q.wide, out_codes, names, units, lang())
    q.panel(tr("consultation.outcomes_title"), out_codes, fig, "outcomes_chart")
with right:
    unit_ranking(view, CODES, "c_rank", "consult_total")

summary_box(view.current, view.period, view.f, "consultation")

filters.sync_url(["c_rank"])
