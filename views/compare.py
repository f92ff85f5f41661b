"""县区对比: a unit × indicator heatmap (values, share of the total, per member) and a composite index."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.compare import heatmap_figure, score_figure
from charts.theme import unit_colors
from domain.decks import SlideSpec
from domain.dictionary import DOMAINS
from domain.periods import nearest_with_data
from metrics.aggregate import totals
from metrics.composite import DEFAULT_WEIGHTS, MEASURES, MEMBERS, composite, measure_matrix, measure_unit
from metrics.composite import rank_change_text as change_text
from ui import data, filters
from ui.i18n import lang, tr
from ui.index_weights import weights_panel
from ui.panel import chart_panel, show_table

dic = data.dictionary()
quarters = data.reported_quarters()
f = filters.sidebar(data.units(), quarters, data.reported_years())
st.title(tr("compare.title"))
filters.data_badge()
if not quarters and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()
period, prev = f.period, f.period.previous_year()
st.caption(tr("compare.caption", units=filters.units_caption(f), period=filters.period_text(period)))
units = sorted(f.units, key=f.unit_order.index)
names = [f.unit_names.get(u, u) for u in units]
codes = dic.codes()


def name(code: str) -> str:
    return dic[code].label(lang())


filters.url_choice("cols", ["custom", *DOMAINS], "custom")
filters.url_choice("measure", list(MEASURES), "value")
filters.url_list("ind", codes, list(DEFAULT_WEIGHTS))
st.subheader(tr("compare.heat_title"))
c1, c2 = st.columns([2, 3])
cols_choice = c1.selectbox(
    tr("compare.columns"),
    ["custom", *DOMAINS],
    key="cols",
    format_func=lambda d: (
        tr("compare.columns_custom")
        if d == "custom"
        else tr("compare.columns_domain", domain=tr(f"domain.{d}"))
    ),
)
measure = c2.radio(
    tr("compare.measure"),
    MEASURES,
    key="measure",
    horizontal=True,
    format_func=lambda m: tr(f"compare.measure_{m}"),
)
if cols_choice == "custom":
    st.multiselect(
        tr("compare.indicators"),
        codes,
        key="ind",
        format_func=name,
        placeholder=tr("compare.indicators_placeholder"),
    )
    columns = list(st.session_state["ind"])
else:
    columns = [i.code for i in dic.by_domain(cols_choice)]

df = data.compute([period, prev], units, sorted({*columns, MEMBERS}))
if totals(data.compute([period], units)).empty:
    nearest = nearest_with_data(period, quarters)
    near = filters.period_text(nearest) if nearest is not None else "—"
    st.warning(tr("overview.period_empty", period=filters.period_text(period), nearest=near))
else:
    st.caption(tr(f"compare.measure_help_{measure}"))
    if not columns:
        st.info(tr("compare.no_columns"))
    else:
        matrix = measure_matrix(df, period.label, units, columns, measure, dic)
        col_units = [measure_unit(dic[c].unit, dic[c].kind, measure) for c in columns]
        table = matrix.rename(columns=name).reset_index(drop=True)
        table.insert(0, tr("compare.col_unit"), names)
        fig = heatmap_figure(
            matrix,
            names,
            [name(c) for c in columns],
            col_units,
            lang(),
            [dic[c].direction == "down" for c in columns],
        )
        stem = f"{tr('compare.heat_title')}_{tr(f'compare.measure_{measure}')}_{filters.period_text(period)}"
        heat = SlideSpec("heatmap", {"codes": list(columns)}) if measure == "value" else None
        chart_panel(fig, table, "cmp_heat", stem, slide=heat)

    st.subheader(tr("compare.index_title"))
    weights = weights_panel(dic)
    df = data.compute([period, prev], units, sorted(weights))
    comp = composite(
        df,
        period.label,
        prev.label,
        units,
        weights,
        {c for c in weights if c in dic and dic[c].direction == "down"},
    )
    if not any(w > 0 for w in weights.values()):
        st.info(tr("compare.no_weights"))
    elif comp["score"].isna().all():
        st.info(tr("compare.no_scores", period=filters.period_text(period)))
    else:
        comp["unit_name"] = comp["unit_code"].map(f.unit_names)
        comp["change"] = [change_text(x) or "" for x in comp["rank_change"]]
        values = measure_matrix(
            df, period.label, units, [c for c, w in weights.items() if w > 0], "value", dic
        )
        table = pd.DataFrame(
            {
                tr("compare.col_rank"): pd.Series(
                    [None if pd.isna(r) else int(r) for r in comp["rank"]], dtype=object
                ),
                tr("compare.col_unit"): comp["unit_name"],
                tr("compare.col_score"): comp["score"].round(1),
                tr("compare.col_change"): [c or tr("compare.rank_unknown") for c in comp["change"]],
                tr("compare.col_n"): comp["n_indicators"],
            }
        )
        table = table.join(values.rename(columns=name).loc[comp["unit_code"]].reset_index(drop=True))
        fig = score_figure(comp, unit_colors(f.unit_order))
        chart_panel(
            fig,
            table,
            "cmp_index",
            f"{tr('compare.index_title')}_{filters.period_text(period)}",
            True,
            slide=SlideSpec("index", {"weights": {c: w for c, w in weights.items() if w > 0}}),
        )
        show_table(table.round(2), hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)

filters.sync_url(["cols", "measure", *(["ind"] if cols_choice == "custom" else [])])
