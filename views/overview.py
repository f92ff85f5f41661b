"""总览: KPI cards with 同比, the quarterly trend, and the ranking of units for a chosen indicator."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.format import fmt_number
from charts.overview import ranking_figure, trend_figure
from charts.theme import unit_colors
from domain.decks import SlideSpec
from domain.dictionary import Indicator
from domain.periods import Period, nearest_with_data, quarters_between
from exports.slides import OVERVIEW_KPIS
from metrics.aggregate import change, totals, value_of
from ui import data, filters
from ui.i18n import lang, tr
from ui.kpi import delta_text, kpi_card, target_progress
from ui.panel import approx_column, chart_panel, kpi_deck_button
from ui.sections import previous_for, yoy_for, yoy_note
from ui.text import page_link, plain

KPI_CODES = OVERVIEW_KPIS  # the same cards as the 主要指标 slide
SPARK_QUARTERS = 8

dic = data.dictionary()
units_df = data.units()
quarters = data.reported_quarters()
f = filters.sidebar(units_df, quarters, data.reported_years())

st.title(tr("overview.title"))
page_link(  # leaders open links on phones: the brief reads there without hovering or scrolling sideways
    "views/brief.py",
    label=tr("brief.link"),
    icon=":material/smartphone:",
    query_params={k: v for k, v in st.query_params.items() if k in ("year", "mode", "q", "units", "lang")},
)
filters.data_badge()
if not quarters and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()
st.caption(tr("overview.caption", units=filters.units_caption(f), period=filters.period_text(f.period)))

period = f.period
prev = previous_for(period)  # the same quarters a year earlier
end = (period.year, period.quarter or 4)
spark_q = [q for q in quarters_between((end[0] - 2, end[1]), end)][-SPARK_QUARTERS:]
prev_q = period.previous_quarter()
current = data.compute([period, prev, *([prev_q] if prev_q else [])], f.units, KPI_CODES)
spark = data.compute([Period(y, q, "quarter") for y, q in spark_q], f.units, KPI_CODES)

if totals(current[current["label"] == period.label]).empty:
    nearest = nearest_with_data(period, quarters)  # the rule every page's empty state follows
    near = filters.period_text(nearest) if nearest is not None else "—"
    st.warning(tr("overview.period_empty", period=filters.period_text(period), nearest=near))
    filters.sync_url()
    st.stop()


def name(ind: Indicator) -> str:
    return ind.label(lang())


cols = st.columns(3)
yoys = yoy_for(current, period, f, KPI_CODES)
for n, code in enumerate(KPI_CODES):
    ind = dic[code]
    cur = value_of(current, period.label, code)
    yoy = change(yoys[code].current, yoys[code].previous, ind)
    series = [value_of(spark, f"{y}Q{q}", code) for y, q in spark_q]
    tot = totals(current)
    row = tot[(tot["label"] == period.label) & (tot["indicator"] == code)]
    reporting = (
        tr("kpi.reporting", n=int(row["n_units"].iloc[0]), total=len(f.units)) if not row.empty else None
    )
    with cols[n % 3]:
        kpi_card(
            ind,
            name(ind),
            cur,
            yoy,
            [v for v in series if v is not None],
            reporting,
            target_progress(ind, cur, period, f.units),
            yoy_note(yoys[code]),
            bool(not row.empty and row["approximate"].fillna(False).iloc[0]),
        )

if prev_q is not None:  # 环比: a single quarter against the one before (rates in 百分点)
    items = [
        f"{name(dic[c])} {delta_text(dic[c], change(value_of(current, period.label, c), value_of(current, prev_q.label, c), dic[c]))[0] or '—'}"
        for c in KPI_CODES
    ]
    st.caption(tr("kpi.qoq", period=filters.period_text(prev_q), items="；".join(items)))
kpi_deck_button(KPI_CODES, "ov_kpis")

codes = [i.code for i in dic]
left, right = st.columns([3, 2], gap="large")

with left:
    st.subheader(tr("overview.trend_title"))
    filters.url_choice("trend", codes, "proposals_submitted")
    trend_code = st.selectbox(
        tr("overview.trend_indicator"), codes, key="trend", format_func=lambda c: name(dic[c])
    )
    tind = dic[trend_code]
    first = quarters[0] if quarters else end
    series = data.compute(
        [Period(y, q, "quarter") for y, q in quarters_between(first, end)], f.units, [trend_code]
    )
    series = totals(series).copy()
    if series.empty:
        st.info(tr("overview.trend_empty", indicator=plain(name(tind))))
    else:
        series["year"] = series["label"].str.slice(0, 4).astype(int)
        series["quarter"] = series["label"].str.slice(5, 6).astype(int)
        series = series.sort_values(["year", "quarter"])
        table = pd.DataFrame({tr("chart.quarter_axis"): series["label"], name(tind): series["value"]})
        chart_panel(
            trend_figure(series, tind.unit, tind.kind == "ratio", lang(), name(tind)),
            table,
            "trend_chart",
            f"{name(tind)}_{tr('overview.trend_title')}",
            slide=SlideSpec("trend", {"code": trend_code}),
        )

with right:
    st.subheader(tr("overview.ranking_title"))
    filters.url_choice("rank", codes, "registration_rate")
    rank_code = st.selectbox(
        tr("overview.ranking_indicator"), codes, key="rank", format_func=lambda c: name(dic[c])
    )
    rind = dic[rank_code]
    ranked = data.compute([period], f.units, [rank_code])
    per_unit = ranked[ranked["unit_code"].notna()].copy()
    per_unit["unit_name"] = per_unit["unit_code"].map(f.unit_names)
    if per_unit.empty:
        st.info(tr("overview.ranking_empty", period=filters.period_text(period), indicator=plain(name(rind))))
    else:
        total = value_of(ranked, period.label, rank_code) if rind.kind == "ratio" else None
        fig = ranking_figure(
            per_unit,
            rind.unit,
            unit_colors(f.unit_order),
            total,
            tr(
                "flows.city_line" if f.all_units else "flows.subset_line",
                value=fmt_number(total, rind.unit, lang()),
            )
            if total is not None
            else "",
            lang(),
        )

        table = pd.DataFrame({tr("filters.units"): per_unit["unit_name"], name(rind): per_unit["value"]})
        table = approx_column(table, per_unit["approximate"]).sort_values(name(rind), ascending=False)
        chart_panel(
            fig,
            table,
            "rank_chart",
            f"{name(rind)}_{filters.period_text(period)}",
            clickable_units=True,
            slide=SlideSpec("ranking", {"code": rank_code}),
        )

filters.sync_url(["trend", "rank"])
