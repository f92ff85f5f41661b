"""县区对比's composite index: which indicators count and how much (kept in the URL and the session), and
the named weight presets staff save in the database and load again."""

from __future__ import annotations

import streamlit as st

from domain.dictionary import Dictionary
from metrics.composite import DEFAULT_WEIGHTS
from services.setup import PresetError
from ui import data, filters
from ui.i18n import lang, tr
from ui.text import plain


def weights_panel(dic: Dictionary) -> dict[str, float]:
    """Indicators and weights of the index (an expander), and named presets saved in the database."""
    codes = dic.codes()

    def name(code: str) -> str:
        return dic[code].label(lang())

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
                st.session_state["preset_msg"] = tr("compare.preset_loaded", name=plain(p.name))

        def drop_preset() -> None:
            pick = st.session_state.get("preset_pick")
            if pick:
                data.delete_preset(pick)
                st.session_state["preset_msg"] = tr("compare.preset_deleted", name=plain(pick))

        left, right = st.columns(2)
        with left.form("preset_save", clear_on_submit=True):
            new_name = st.text_input(tr("compare.preset_name"), key="preset_name")
            who = st.text_input(tr("compare.preset_user"), key="preset_user")
            if st.form_submit_button(tr("compare.preset_save"), icon=":material/save:"):
                try:
                    saved = data.save_preset(new_name, weights, who.strip() or None)
                    st.session_state["preset_msg"] = tr("compare.preset_saved", name=plain(saved))
                    st.rerun()
                except PresetError as exc:
                    st.error(tr("compare.preset_error", reason=plain(exc)))
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
