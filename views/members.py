"""委员履职: members (a stock), participations per member (a ratio recomputed from its parts), activities,
speeches, training, stations, commended / removed / reminder talks — KPI cards, by quarter, units ranked,
the 数据摘要. Stocks and ratios are aggregated by metrics, never summed or averaged here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.activities import grouped_quarters_figure, quarter_table
from charts.format import fmt_number, unit_label, with_unit
from charts.overview import ranking_figure
from charts.theme import unit_colors
from metrics.aggregate import value_of
from ui import filters
from ui.i18n import lang, tr
from ui.panel import chart_panel
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
f, dic, period, prev, prev_q = view.f, view.dic, view.period, view.prev, view.prev_q
history, current, labels = view.history, view.current, view.labels
names = {c: dic[c].label(lang()) for c in CODES}
units = {c: unit_label(dic[c].unit, lang()) for c in CODES}
view.kpi_row(KPI_CODES, PER_ROW, SPARK_QUARTERS)

wide = quarter_table(history, labels[-TREND_QUARTERS:], CODES)


def table_of(codes: tuple[str, ...]) -> pd.DataFrame:
    cols = {"label": tr("chart.quarter_axis"), **{c: with_unit(names[c], dic[c].unit, lang()) for c in codes}}
    return wide[list(cols)].rename(columns=cols)


def quarters_panel(title: str | None, fig_codes: tuple[str, ...], fig, key: str) -> None:
    if title:
        st.subheader(title)
    if wide[list(fig_codes)].isna().all().all():
        st.info(tr("activities.trend_empty"))
        return
    stem = f"{title or names[fig_codes[0]]}_{filters.period_text(period)}"
    chart_panel(fig, table_of(fig_codes), key, stem)


left, right = st.columns([3, 2], gap="large")
with left:
    pair = ("members_total", "participation_per_member")
    fig = grouped_quarters_figure(wide, pair, names, units, lang(), ["participation_per_member"], 420)
    quarters_panel(tr("members.members_title"), pair, fig, "members_chart")
    st.caption(tr("members.stock_note"))
with right:
    st.subheader(tr("activities.ranking_title"))
    filters.url_choice("m_rank", CODES, "participation_per_member")
    code = st.selectbox(tr("activities.ranking_indicator"), CODES, key="m_rank", format_func=names.get)
    sel = current[(current["label"] == period.label) & (current["indicator"] == code)]
    per_unit = sel[sel["unit_code"].notna()].assign(unit_name=lambda d: d["unit_code"].map(f.unit_names))
    if per_unit.empty:
        st.info(tr("activities.ranking_empty", period=filters.period_text(period), indicator=names[code]))
    else:
        total = value_of(current, period.label, code)
        shown, is_ratio = fmt_number(total, units[code], lang()), dic[code].kind == "ratio"
        line = tr("activities.city_line", value=shown) if is_ratio and total is not None else ""
        fig = ranking_figure(
            per_unit, units[code], unit_colors(f.unit_order), total if line else None, line, lang()
        )
        table = pd.DataFrame({tr("filters.units"): per_unit["unit_name"], names[code]: per_unit["value"]})
        stem = f"{names[code]}_{filters.period_text(period)}"
        chart_panel(fig, table.sort_values(names[code], ascending=False), "m_rank_chart", stem, True)
        total_text = tr("activities.ranking_total", value=f"{shown} {units[code]}".rstrip())
        st.caption(tr("activities.ranking_hint") if line or total is None else total_text)

left, right = st.columns(2, gap="large")
with left:
    fig = grouped_quarters_figure(wide, ("trainings", "trainees"), names, units, lang(), ["trainees"])
    quarters_panel(tr("members.training_title"), ("trainings", "trainees"), fig, "training_chart")
with right:
    fig = grouped_quarters_figure(wide, CONDUCT, names, units, lang())
    quarters_panel(tr("members.conduct_title"), CONDUCT, fig, "conduct_chart")
st.subheader(tr("members.activity_title"))
series = [c for c in CODES if c not in ("participation_per_member", "trainings", "trainees", *CONDUCT)]
filters.url_choice("m_trend", series, "member_participations")
trend = st.selectbox(tr("activities.trend_indicator"), series, key="m_trend", format_func=names.get)
quarters_panel(None, (trend,), grouped_quarters_figure(wide, [trend], names, units, lang()), "activity_chart")

summary_box(current, period, f, "members")

filters.sync_url(["m_rank", "m_trend"])
