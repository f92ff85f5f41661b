"""提案工作: KPI cards, the funnel 提交 → 立案 → 办复 → 满意, the mix, the trend, rates by unit, 数据摘要."""

from __future__ import annotations

import streamlit as st

from charts.funnels import period_bars_figure, wide_table
from domain.decks import SlideSpec
from domain.periods import Period
from metrics.aggregate import totals
from ui import data, filters
from ui.i18n import lang, tr
from ui.panel import chart_panel
from ui.sections import domain_page, summary_box

KPI = ("proposals_submitted", "registration_rate", "reply_rate", "satisfaction_rate")
MIX = ("proposals_collective", "proposals_key", "proposals_livelihood", "livelihood_share")
STAGES = (  # (stage, count, rate of the step into it)
    ("submitted", "proposals_submitted", None),
    ("registered", "proposals_registered", "registration_rate"),
    ("answered", "proposals_answered", "reply_rate"),
    ("satisfied", "proposals_satisfied", "satisfaction_rate"),
)
FLOWS = ("proposals_submitted", "proposals_registered", "proposals_answered")
RATES = ("registration_rate", "reply_rate", "satisfaction_rate", "livelihood_share")
TREND_QUARTERS = 12  # three years by quarter; the yearly view shows the whole history
KEYS = ["p_trend", "p_rate"]

view = domain_page("proposals.title", "proposals", url_keys=KEYS, period_empty="proposals.period_empty")
f, period, name = view.f, view.period, view.name
view.kpi_row(KPI, 4)
left, right = st.columns(2, gap="large")  # the mix cards two by two need half the width: 个百分点 同比
with left:
    view.funnel("proposals", STAGES, "p_funnel")
with right:
    st.subheader(tr("proposals.mix_title"))
    view.kpi_row(MIX, 2)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(tr("proposals.trend_title"))
    filters.url_choice("p_trend", ["quarter", "year"], "quarter")
    by = st.radio(
        tr("proposals.trend_by"),
        ["quarter", "year"],
        key="p_trend",
        horizontal=True,
        format_func=lambda k: tr(f"proposals.trend_{k}"),
    )
    if by == "quarter":
        shown = {lab: lab for lab in view.labels[-TREND_QUARTERS:]}
        trend = view.history
    else:
        years = sorted({int(lab[:4]) for lab in view.labels} | set(data.reported_years()))
        years = [y for y in years if y <= period.year]
        last_q = {y: max([q for yy, q in data.reported_quarters() if yy == y], default=4) for y in years}
        shown = {
            str(y): tr("proposals.year_full", year=y)
            if last_q[y] == 4
            else tr("proposals.year_partial", year=y, m=last_q[y] * 3)
            for y in years
        }
        trend = totals(data.compute([Period(y) for y in years], f.units, FLOWS))
    trend = trend[trend["label"].isin(shown) & trend["indicator"].isin(FLOWS)].copy()
    trend["period"] = trend["label"].map(shown)
    if trend.empty:
        st.info(tr("proposals.trend_empty"))
    else:
        series = [(c, name(c)) for c in FLOWS]
        table = wide_table(trend, series, tr("proposals.col_period"), list(shown.values()))
        fig = period_bars_figure(trend, series, "件", lang=lang(), periods=list(shown.values()))
        chart_panel(
            fig,
            table,
            "p_trend_chart",
            tr("proposals.trend_title"),
            slide=SlideSpec(
                "quarters", {"codes": list(FLOWS), "label": tr("proposals.trend_title"), "by": by}
            ),
        )
with right:
    st.subheader(tr("proposals.units_title"))
    filters.url_choice("p_rate", RATES, "registration_rate")
    rate = st.selectbox(tr("proposals.rate_pick"), RATES, key="p_rate", format_func=name)
    view.unit_rates(rate, "p_rate_chart")

summary_box(view.current, period, f, "proposals")

filters.sync_url(KEYS)
