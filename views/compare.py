"""县区对比: a unit × indicator heatmap (values, share of the total, per member) and a composite index."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.compare import heatmap_figure, score_figure
from charts.theme import unit_colors
from metrics.aggregate import totals
from metrics.composite import DEFAULT_WEIGHTS, MEASURES, MEMBERS, composite, measure_matrix, measure_unit
from metrics.composite import rank_change_text as change_text
from metrics.dictionary import DOMAINS
from metrics.periods import Period
from store.presets import PresetError, delete_preset, save_preset
from ui import data, filters
from ui.i18n import lang, tr
from ui.panel import chart_panel

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


def weights_panel() -> dict[str, float]:
    """Indicators and weights of the index (an expander), and named presets saved in the database."""
    filters.url_list("idx_codes", codes, list(DEFAULT_WEIGHTS))
    for c in st.session_state["idx_codes"]:
        st.session_state.setdefault(f"w_{c}", 1.0)
    with st.expander(tr("compare.weights"), icon=":material/tune:"):
        st.caption(tr("compare.method"))
        st.multiselect(tr("compare.weight_codes"), codes, key="idx_codes", format_func=name)
        wcols = st.columns(3)
        for n, c in enumerate(st.session_state["idx_codes"]):
            wcols[n % 3].number_input(name(c), min_value=0.0, max_value=10.0, step=0.5, key=f"w_{c}")
        weights = {c: float(st.session_state[f"w_{c}"]) for c in st.session_state["idx_codes"]}

        st.markdown(f"**{tr('compare.preset_title')}**")
        presets = {p.name: p for p in data.presets()}

        def load_preset() -> None:
            p = presets.get(st.session_state.get("preset_pick") or "")
            if p is not None:
                st.session_state["idx_codes"] = [c for c in p.weights if c in dic]
                st.session_state.update({f"w_{c}": w for c, w in p.weights.items() if c in dic})
                st.session_state["preset_msg"] = tr("compare.preset_loaded", name=p.name)

        def drop_preset() -> None:
            pick = st.session_state.get("preset_pick")
            if pick:
                with data.get_store().transaction() as con:
                    delete_preset(con, pick)
                data.clear_presets()
                st.session_state["preset_msg"] = tr("compare.preset_deleted", name=pick)

        left, right = st.columns(2)
        with left.form("preset_save", clear_on_submit=True):
            new_name = st.text_input(tr("compare.preset_name"), key="preset_name")
            who = st.text_input(tr("compare.preset_user"), key="preset_user")
            if st.form_submit_button(tr("compare.preset_save"), icon=":material/save:"):
                try:
                    with data.get_store().transaction() as con:
                        saved = save_preset(con, new_name, weights, who.strip() or None)
                    data.clear_presets()
                    st.session_state["preset_msg"] = tr("compare.preset_saved", name=saved)
                    st.rerun()
                except PresetError as exc:
                    st.error(tr("compare.preset_error", reason=str(exc)))
        with right.form("preset_manage"):
            st.selectbox(
                tr("compare.preset_pick"),
                list(presets),
                key="preset_pick",
                placeholder=tr("compare.preset_none"),
            )
            b1, b2 = st.columns(2)
            b1.form_submit_button(tr("compare.preset_load"), on_click=load_preset, disabled=not presets)
            b2.form_submit_button(tr("compare.preset_delete"), on_click=drop_preset, disabled=not presets)
        if msg := st.session_state.pop("preset_msg", None):
            st.success(msg)
    return weights


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
    have = [p for p in quarters if p <= (period.year, period.quarter or 4)] or quarters
    y, q = have[-1] if have else (period.year, 4)
    nearest = Period(y, q, "quarter") if period.mode == "quarter" else Period(y, q, "ytd")
    st.warning(
        tr("overview.period_empty", period=filters.period_text(period), nearest=filters.period_text(nearest))
    )
else:
    st.caption(tr(f"compare.measure_help_{measure}"))
    if not columns:
        st.info(tr("compare.no_columns"))
    else:
        matrix = measure_matrix(df, period.label, units, columns, measure, dic)
        col_units = [measure_unit(dic[c].unit, dic[c].kind, measure) for c in columns]
        table = matrix.rename(columns=name).reset_index(drop=True)
        table.insert(0, tr("compare.col_unit"), names)
        fig = heatmap_figure(matrix, names, [name(c) for c in columns], col_units, lang())
        stem = f"{tr('compare.heat_title')}_{tr(f'compare.measure_{measure}')}_{filters.period_text(period)}"
        chart_panel(fig, table, "cmp_heat", stem)

    st.subheader(tr("compare.index_title"))
    weights = weights_panel()
    df = data.compute([period, prev], units, sorted(weights))
    comp = composite(df, period.label, prev.label, units, weights)
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
            fig, table, "cmp_index", f"{tr('compare.index_title')}_{filters.period_text(period)}", True
        )
        st.dataframe(table.round(2), hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)

filters.sync_url(["cols", "measure", *(["ind"] if cols_choice == "custom" else [])])
