"""The current language (sidebar choice, kept in the URL) and a `tr()` bound to it."""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANG, LANGS, t


def lang() -> str:
    value = st.session_state.get("lang") or st.query_params.get("lang") or DEFAULT_LANG
    return value if value in LANGS else DEFAULT_LANG


def tr(key: str, **values: object) -> str:
    """t() in the language the user chose."""
    return t(key, lang(), **values)
