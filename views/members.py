"""委员履职: members (a stock), participations per member (a ratio recomputed from its parts), activities,
speeches, training, stations, commended / removed / reminder talks — KPI cards, by quarter, units ranked,
the 数据摘要. Stocks and ratios are aggregated by metrics, never summed or averaged here."""

from __future__ import annotations

import streamlit as st

from charts.activities import grouped_quarters_figure
from charts.format import unit_label
from ui import filters
from ui.activity import quarters, unit_ranking
from ui.i18n import lang, tr
from ui.sections import domain_page, summary_box

KPI_CODES = CODES = (
    "members_total",
    "participation_per_member",
    "member_participations",
    "member_activities",
    "plenary_speeches",
    "trainings",
    "trainees",
    "member_stations",
    "members_commended",
    "members_removed",
    "reminder_talks",
)
CONDUCT = ("members_commended", "members_removed", "reminder_talks")
TREND_QUARTERS, SPARK_QUARTERS, PER_ROW = 12, 8, 4

view = domain_page("members.title", "members", CODES, ["m_rank", "m_trend"])
names = {c: view.name(c) for c in CODES}
units = {c: unit_label(view.dic[c].unit, lang()) for c in CODES}
view.kpi_row(KPI_CODES, PER_ROW, SPARK_QUARTERS)
q = quarters(view, CODES, TREND_QUARTERS)

left, right = st.columns([3, 2], gap="large")
with left:
    pair = ("members_total", "participation_per_member")
    fig = grouped_quarters_figure(q.wide, pair, names, units, lang(), ["participation_per_member"], 420)
    q.panel(tr("members.members_title"), pair, fig, "members_chart")
    st.caption(tr("members.stock_note"))
with right:
    unit_ranking(view, CODES, "m_rank", "participation_per_member")

left, right = st.columns(2, gap="large")
with left:
    fig = grouped_quarters_figure(q.wide, ("trainings", "trainees"), names, units, lang(), ["trainees"])
    q.panel(tr("members.training_title"), ("trainings", "trainees"), fig, "training_chart")
with right:
    fig = grouped_quarters_figure(q.wide, CONDUCT, names, units, lang())
    q.panel(tr("members.conduct_title"), CONDUCT, fig, "conduct_chart")
st.subheader(tr("members.activity_title"))
series = [c for c in CODES if c not in ("participation_per_member", "trainings", "trainees", *CONDUCT)]
filters.url_choice("m_trend", series, "member_participations")
trend = st.selectbox(tr("activities.trend_indicator"), series, key="m_trend", format_func=names.get)
q.panel(None, (trend,), grouped_quarters_figure(q.wide, [trend], names, units, lang()), "activity_chart")

summary_box(view.current, view.period, view.f, "members")

filters.sync_url(["m_rank", "m_trend"])
