"""协商议政: KPI cards (同比; 环比 in quarter mode), activities by type over time, 基层协商议事 on its own
(场次, far larger: never stacked with the others), outcomes and suggestions, units ranked, the 数据摘要."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.activities import (
    grouped_quarters_figure,
    quarter_table,
    stacked_quarters_figure,
)
from charts.format import fmt_number, unit_label, with_unit
from charts.overview import ranking_figure
from charts.theme import unit_colors
from metrics.aggregate import value_of
from ui import filters
from ui.i18n import lang, tr
from ui.panel import chart_panel
from ui.sections import domain_page, summary_box

TYPES = (
    "consult_plenary",
    "consult_standing",
    "consult_topic",
    "consult_counterpart",
    "consult_sector",
    "consult_proposal",
)
KPI_CODES = ("consult_total", "consult_topic", "consult_grassroots", "consult_outcomes", "suggestions_made")
CODES = (*TYPES, "consult_total", "consult_grassroots", "consult_outcomes", "suggestions_made")
TREND_QUARTERS, SPARK_QUARTERS, PER_ROW = 12, 8, 3

view = domain_page("consultation.title", "consultation", CODES, ["c_rank"])
f, dic, period, prev, prev_q = view.f, view.dic, view.period, view.prev, view.prev_q
history, current, labels = view.history, view.current, view.labels
names = {c: dic[c].label(lang()) for c in CODES}
units = {c: unit_label(dic[c].unit, lang()) for c in CODES}
view.kpi_row(KPI_CODES, PER_ROW, SPARK_QUARTERS)

wide = quarter_table(history, labels[-TREND_QUARTERS:], CODES)


def table_of(codes: tuple[str, ...]) -> pd.DataFrame:
    cols = {"label": tr("chart.quarter_axis"), **{c: with_unit(names[c], dic[c].unit, lang()) for c in codes}}
    return wide[list(cols)].rename(columns=cols)


def quarters_panel(title: str, fig_codes: tuple[str, ...], fig, key: str) -> None:
    st.subheader(title)
    if wide[list(fig_codes)].isna().all().all():
        st.info(tr("activities.trend_empty"))
        return
    chart_panel(fig, table_of(fig_codes), key, f"{title}_{filters.period_text(period)}")


left, right = st.columns([3, 2], gap="large")
with left:
    fig = stacked_quarters_figure(wide, TYPES, names, units["consult_total"], lang(), "consult_total")
    quarters_panel(tr("consultation.types_title"), (*TYPES, "consult_total"), fig, "types_chart")
with right:
    fig = grouped_quarters_figure(
        wide, ["consult_grassroots"], names, units, lang(), height=420, value_labels=False
    )
    quarters_panel(tr("consultation.grassroots_title"), ("consult_grassroots",), fig, "grassroots_chart")

left, right = st.columns([3, 2], gap="large")
with left:
    out_codes = ("consult_outcomes", "suggestions_made")
    fig = grouped_quarters_figure(wide, out_codes, names, units, lang())
    quarters_panel(tr("consultation.outcomes_title"), out_codes, fig, "outcomes_chart")
with right:
    st.subheader(tr("activities.ranking_title"))
    filters.url_choice("c_rank", CODES, "consult_total")
    code = st.selectbox(tr("activities.ranking_indicator"), CODES, key="c_rank", format_func=names.get)
    sel = current[(current["label"] == period.label) & (current["indicator"] == code)]
    per_unit = sel[sel["unit_code"].notna()].assign(unit_name=lambda d: d["unit_code"].map(f.unit_names))
    if per_unit.empty:
        st.info(tr("activities.ranking_empty", period=filters.period_text(period), indicator=names[code]))
    else:
        fig = ranking_figure(per_unit, units[code], unit_colors(f.unit_order), lang=lang())
        table = pd.DataFrame({tr("filters.units"): per_unit["unit_name"], names[code]: per_unit["value"]})
        stem = f"{names[code]}_{filters.period_text(period)}"
        chart_panel(fig, table.sort_values(names[code], ascending=False), "c_rank_chart", stem, True)
        if (total := value_of(current, period.label, code)) is not None:
            st.caption(
                tr(
                    "activities.ranking_total",
                    value=f"{fmt_number(total, units[code], lang())} {units[code]}".rstrip(),
                )
            )

summary_box(current, period, f, "consultation")

filters.sync_url(["c_rank"])
