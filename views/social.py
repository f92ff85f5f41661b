"""社情民意: KPI cards, the funnel 收集 → 报送 → 采用 with the adoption rate, 领导批示, by unit, by quarter, 数据摘要."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.format import fmt_number
from charts.funnels import funnel_figure, period_bars_figure, unit_bars_figure, wide_table
from charts.theme import unit_colors
from metrics.aggregate import change, totals, value_of
from metrics.periods import Period, quarters_between
from ui import data, filters
from ui.i18n import lang, tr
from ui.kpi import delta_text, kpi_card, target_progress
from ui.panel import chart_panel
from ui.sections import summary_box

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

dic = data.dictionary()
codes = [i.code for i in dic.by_domain("social")]
quarters = data.reported_quarters()
f = filters.sidebar(data.units(), quarters, data.reported_years())
st.title(tr("social.title"))
filters.data_badge()
if not quarters and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()
st.caption(tr("social.caption", units=filters.units_caption(f), period=filters.period_text(f.period)))


def name(code: str) -> str:
    return dic[code].label(lang())


period, prev, prev_q = f.period, f.period.previous_year(), f.period.previous_quarter()
end = (period.year, period.quarter or 4)
cur = data.compute([period, prev, *([prev_q] if prev_q else [])], f.units, codes)
all_q = quarters_between(quarters[0], quarters[-1]) if quarters else []
history = data.compute_totals([Period(y, q, "quarter") for y, q in all_q], f.units, codes)

if totals(cur[cur["label"] == period.label]).empty:  # say so, and name the nearest quarter with data
    have = [(int(lab[:4]), int(lab[5])) for lab in set(history["label"])]
    if have:
        y, q = min(
            have, key=lambda p: (abs((p[0] - end[0]) * 4 + p[1] - end[1]), -p[0], -p[1])
        )  # later wins a tie
        near = filters.period_text(Period(y, q if period.mode != "year" else None, period.mode))
        st.warning(tr("social.period_empty", period=filters.period_text(period), nearest=near))
    else:
        st.info(tr("social.none"))
    filters.sync_url(KEYS)
    st.stop()

# KPI cards with 同比 and a quarterly sparkline; 环比 (quarter mode) in a caption underneath.
spark_labels = [f"{y}Q{q}" for y, q in all_q if (y, q) <= end][-8:]
tot = totals(cur)
for col, code in zip(st.columns(len(KPI)), KPI, strict=True):
    ind, v = dic[code], value_of(cur, period.label, code)
    row = tot[(tot["label"] == period.label) & (tot["indicator"] == code)]
    reporting = tr("kpi.reporting", n=int(row["n_units"].iloc[0]), total=len(f.units)) if len(row) else None
    spark = [value_of(history, lab, code) for lab in spark_labels]
    with col:
        yoy = change(v, value_of(cur, prev.label, code), ind)
        kpi_card(
            ind,
            name(code),
            v,
            yoy,
            [s for s in spark if s is not None],
            reporting,
            target_progress(ind, v, period, f.units),
        )
if prev_q:
    qoq = {c: change(value_of(cur, period.label, c), value_of(cur, prev_q.label, c), dic[c]) for c in KPI}
    items = [f"{name(c)} {delta_text(dic[c], ch)[0] or '—'}" for c, ch in qoq.items()]
    st.caption(tr("social.qoq", period=filters.period_text(prev_q), items="；".join(items)))

left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader(tr("social.funnel_title"), help=tr("social.funnel_help"))
    stages = pd.DataFrame(
        {
            "stage": [tr(f"social.stage_{s}") for s, _, _ in STAGES],
            "value": [value_of(cur, period.label, c) for _, c, _ in STAGES],
            "rate_label": [name(r) if r else "" for _, _, r in STAGES],
            "rate": [value_of(cur, period.label, r) if r else None for _, _, r in STAGES],
        }
    )
    heads = [tr("social.col_stage"), tr("social.col_count"), tr("social.col_rate_name"), name(RATE)]
    stem = f"{tr('social.funnel_title')}_{filters.period_text(period)}"
    chart_panel(funnel_figure(stages, "篇", lang()), stages.set_axis(heads, axis=1), "s_funnel", stem)
    missing = list(stages.loc[stages["value"].isna(), "stage"])
    if missing:
        st.caption(tr("social.funnel_missing", stages="、".join(missing)))
    instructions = value_of(cur, period.label, "info_instructions")
    if instructions is not None:
        st.markdown(tr("social.instructions", value=f"**{fmt_number(instructions)} 次**"))
with right:
    st.subheader(tr("social.trend_title"))
    shown = [f"{y}Q{q}" for y, q in all_q if (y, q) <= end][-TREND_QUARTERS:]
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
        chart_panel(fig, table, "s_trend_chart", tr("social.trend_title"))

left, right = st.columns(2, gap="large")
rows = cur[(cur["label"] == period.label) & cur["unit_code"].notna()].copy()
rows["unit_name"] = rows["unit_code"].map(f.unit_names)
with left:
    st.subheader(tr("social.rate_title"), help=tr("social.funnel_help"))
    rated = rows[rows["indicator"] == RATE].copy()
    if rated.empty:
        st.info(tr("social.units_empty", period=filters.period_text(period), indicator=name(RATE)))
    else:
        num_name, den_name = name("info_adopted"), name("info_submitted")
        parts = zip(rated["reported"], rated["numerator"], rated["denominator"], strict=True)
        rated["detail"] = [
            tr("social.reported") if rep else tr("social.detail", num_name=num_name,
            num=fmt_number(n), den_name=den_name, den=fmt_number(d)) for rep, n, d in parts
        ]  # fmt: skip
        city = value_of(cur, period.label, RATE)
        line = tr("social.city_line" if f.all_units else "social.subset_line", value=fmt_number(city, "%"))
        fig = unit_bars_figure(rated, "%", unit_colors(f.unit_order), city, line, lang())
        table = pd.DataFrame(
            {
                tr("filters.units"): rated["unit_name"],
                name(RATE): rated["value"],
                num_name: rated["numerator"],
                den_name: rated["denominator"],
                tr("social.col_basis"): [tr("social.reported") if r else "" for r in rated["reported"]],
            }
        ).sort_values(name(RATE), ascending=False)
        stem = f"{name(RATE)}_{filters.period_text(period)}"
        chart_panel(fig, table, "s_rate_chart", stem, clickable_units=True)
with right:
    st.subheader(tr("social.count_title"))
    filters.url_choice("s_count", COUNTS, "info_collected")
    count = st.selectbox(tr("social.count_pick"), COUNTS, key="s_count", format_func=name)
    counted = rows[rows["indicator"] == count]
    if counted.empty:
        st.info(tr("social.units_empty", period=filters.period_text(period), indicator=name(count)))
    else:
        unit = dic[count].unit
        fig = unit_bars_figure(counted, unit, unit_colors(f.unit_order), lang=lang())
        table = pd.DataFrame({tr("filters.units"): counted["unit_name"], name(count): counted["value"]})
        table = table.sort_values(name(count), ascending=False)
        stem = f"{name(count)}_{filters.period_text(period)}"
        chart_panel(fig, table, "s_count_chart", stem, clickable_units=True)

summary_box(cur, period, f, "social")

filters.sync_url(KEYS)
