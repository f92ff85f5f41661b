"""提案工作: KPI cards, the funnel 提交 → 立案 → 办复 → 满意, the mix, the trend, rates by unit, 数据摘要."""

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

dic = data.dictionary()
codes = [i.code for i in dic.by_domain("proposals")]
quarters = data.reported_quarters()
f = filters.sidebar(data.units(), quarters, data.reported_years())
st.title(tr("proposals.title"))
filters.data_badge()
if not quarters and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()
st.caption(tr("proposals.caption", units=filters.units_caption(f), period=filters.period_text(f.period)))


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
        st.warning(tr("proposals.period_empty", period=filters.period_text(period), nearest=near))
    else:
        st.info(tr("proposals.none"))
    filters.sync_url(["p_trend", "p_rate"])
    st.stop()

spark_labels = [f"{y}Q{q}" for y, q in all_q if (y, q) <= end][-8:]


def cards(card_codes: tuple[str, ...], per_row: int) -> None:
    """KPI cards with 同比 and a quarterly sparkline; 环比 (quarter mode) in a caption underneath."""
    tot = totals(cur)
    cols = st.columns(per_row)
    for n, code in enumerate(card_codes):
        ind, v = dic[code], value_of(cur, period.label, code)
        row = tot[(tot["label"] == period.label) & (tot["indicator"] == code)]
        reporting = (
            tr("kpi.reporting", n=int(row["n_units"].iloc[0]), total=len(f.units)) if len(row) else None
        )
        spark = [value_of(history, lab, code) for lab in spark_labels]
        with cols[n % per_row]:
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
        qoq = {
            c: change(value_of(cur, period.label, c), value_of(cur, prev_q.label, c), dic[c])
            for c in card_codes
        }
        items = [f"{name(c)} {delta_text(dic[c], ch)[0] or '—'}" for c, ch in qoq.items()]
        st.caption(tr("proposals.qoq", period=filters.period_text(prev_q), items="；".join(items)))


cards(KPI, 4)
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(tr("proposals.funnel_title"), help=tr("proposals.funnel_help"))
    stages = pd.DataFrame(
        {
            "stage": [tr(f"proposals.stage_{s}") for s, _, _ in STAGES],
            "value": [value_of(cur, period.label, c) for _, c, _ in STAGES],
            "rate_label": [name(r) if r else "" for _, _, r in STAGES],
            "rate": [value_of(cur, period.label, r) if r else None for _, _, r in STAGES],
        }
    )
    heads = {c: tr(f"proposals.col_{c}") for c in ("stage", "count", "rate_name", "rate")}
    table = stages.set_axis(list(heads.values()), axis=1)
    stem = f"{tr('proposals.funnel_title')}_{filters.period_text(period)}"
    chart_panel(funnel_figure(stages, "件", lang()), table, "p_funnel", stem)
    missing = list(stages.loc[stages["value"].isna(), "stage"])
    if missing:
        st.caption(tr("proposals.funnel_missing", stages="、".join(missing)))
with right:
    st.subheader(tr("proposals.mix_title"))
    cards(MIX, 2)

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
        shown = {lab: lab for lab in [f"{y}Q{q}" for y, q in all_q if (y, q) <= end][-TREND_QUARTERS:]}
        trend = history
    else:
        years = sorted({y for y, _ in all_q} | set(data.reported_years()))
        years = [y for y in years if y <= period.year]
        last_q = {y: max([q for yy, q in quarters if yy == y], default=4) for y in years}
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
        chart_panel(fig, table, "p_trend_chart", tr("proposals.trend_title"))
with right:
    st.subheader(tr("proposals.units_title"))
    filters.url_choice("p_rate", RATES, "registration_rate")
    rate = st.selectbox(tr("proposals.rate_pick"), RATES, key="p_rate", format_func=name)
    ind = dic[rate]
    rows = cur[(cur["label"] == period.label) & (cur["indicator"] == rate) & cur["unit_code"].notna()].copy()
    if rows.empty:
        st.info(tr("proposals.units_empty", period=filters.period_text(period), indicator=name(rate)))
    else:
        rows["unit_name"] = rows["unit_code"].map(f.unit_names)
        num_name, den_name = name(ind.numerator or rate), name(ind.denominator or rate)
        parts = zip(rows["reported"], rows["numerator"], rows["denominator"], strict=True)
        rows["detail"] = [
            tr("proposals.reported") if rep else tr("proposals.detail", num_name=num_name,
            num=fmt_number(n), den_name=den_name, den=fmt_number(d)) for rep, n, d in parts
        ]  # fmt: skip
        city = value_of(cur, period.label, rate)
        line = tr(
            "proposals.city_line" if f.all_units else "proposals.subset_line", value=fmt_number(city, "%")
        )
        fig = unit_bars_figure(rows, "%", unit_colors(f.unit_order), city, line, lang())
        table = pd.DataFrame(
            {
                tr("filters.units"): rows["unit_name"],
                name(rate): rows["value"],
                num_name: rows["numerator"],
                den_name: rows["denominator"],
                tr("proposals.col_basis"): [tr("proposals.reported") if r else "" for r in rows["reported"]],
            }
        ).sort_values(name(rate), ascending=False)
        stem = f"{name(rate)}_{filters.period_text(period)}"
        chart_panel(fig, table, "p_rate_chart", stem, clickable_units=True)

summary_box(cur, period, f, "proposals")

filters.sync_url(["p_trend", "p_rate"])
