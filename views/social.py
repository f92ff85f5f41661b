"""社情民意: KPI cards, the funnel 收集 → 报送 → 采用 with the adoption rate, 领导批示, by unit, by quarter, 数据摘要."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.format import fmt_number, unit_label
from charts.funnels import period_bars_figure, wide_table
from charts.overview import ranking_figure
from charts.theme import unit_colors
from domain.decks import SlideSpec
from metrics.aggregate import value_of
from ui import filters
from ui.i18n import lang, tr
from ui.panel import chart_panel
from ui.sections import domain_page, summary_box
from ui.text import plain

KPI = ("info_collected", "info_submitted", "info_adopted", "adoption_rate", "info_instructions")
STAGES = (  # (stage, count, rate of the step into it)
    ("collected", "info_collected", None),
    ("submitted", "info_submitted", None),
    ("adopted", "info_adopted", "adoption_rate"),
)
FLOWS = ("info_collected", "info_submitted", "info_adopted")
COUNTS = ("info_collected", "info_submitted", "info_adopted", "info_instructions")
RATE = "adoption_rate"
TREND_QUARTERS = 12  # three years by quarter
KEYS = ["s_count"]

view = domain_page("social.title", "social", url_keys=KEYS, period_empty="social.period_empty")
f, period, name, cur, history = view.f, view.period, view.name, view.current, view.history
view.kpi_row(KPI, len(KPI))

left, right = st.columns([2, 3], gap="large")
with left:
    view.funnel("social", STAGES, "s_funnel")
    instructions = value_of(cur, period.label, "info_instructions")
    if instructions is not None:
        st.markdown(
            tr(
                "social.instructions",
                value=f"**{fmt_number(instructions)} {unit_label(view.dic['info_instructions'].unit, lang())}**",
            )
        )
with right:
    st.subheader(tr("social.trend_title"))
    shown = view.labels[-TREND_QUARTERS:]
    trend = history[history["indicator"].isin(FLOWS) & history["label"].isin(shown)].copy()
    if trend.empty:
        st.info(tr("social.trend_empty"))
    else:
        trend["period"] = trend["label"]
        rate = history[(history["indicator"] == RATE) & history["label"].isin(shown)]
        rate = rate.assign(period=rate["label"])
        series = [(c, name(c)) for c in FLOWS]
        fig = period_bars_figure(trend, series, "篇", rate[["period", "value"]], name(RATE), lang(), shown)
        series_all = [*series, (RATE, name(RATE))]
        table = wide_table(pd.concat([trend, rate]), series_all, tr("social.col_period"), shown)
        chart_panel(
            fig,
            table,
            "s_trend_chart",
            tr("social.trend_title"),
            slide=SlideSpec("quarters", {"codes": list(FLOWS), "label": tr("social.trend_title")}),
        )

left, right = st.columns(2, gap="large")
with left:
    st.subheader(tr("social.rate_title"), help=tr("social.funnel_help"))
    view.unit_rates(RATE, "s_rate_chart")
with right:
    st.subheader(tr("social.count_title"))
    filters.url_choice("s_count", COUNTS, "info_collected")
    count = st.selectbox(tr("social.count_pick"), COUNTS, key="s_count", format_func=name)
    counted = cur[(cur["label"] == period.label) & (cur["indicator"] == count) & cur["unit_code"].notna()]
    if counted.empty:
        st.info(tr("flows.units_empty", period=filters.period_text(period), indicator=plain(name(count))))
    else:
        counted = counted.assign(unit_name=counted["unit_code"].map(f.unit_names))
        unit = view.dic[count].unit
        fig = ranking_figure(counted, unit, unit_colors(f.unit_order), lang=lang())
        table = pd.DataFrame({tr("filters.units"): counted["unit_name"], name(count): counted["value"]})
        table = table.sort_values(name(count), ascending=False)
        stem = f"{name(count)}_{filters.period_text(period)}"
        chart_panel(
            fig,
            table,
            "s_count_chart",
            stem,
            clickable_units=True,
            slide=SlideSpec("ranking", {"code": count}),
        )

summary_box(cur, period, f, "social")

filters.sync_url(KEYS)
