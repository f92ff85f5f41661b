"""The upload page's offer for headers that match no indicator: skip, add as an alias, or add as a new indicator."""

from __future__ import annotations

import streamlit as st

from domain.dictionary import DOMAINS, Dictionary
from loaders.fold import fold
from services.imports import Prepared
from services.setup import DictionaryError
from ui import data
from ui.i18n import lang, tr
from ui.text import plain

ACTIONS = ("skip", "alias", "new")
MAX_OFFERED = 20  # a sheet of 16,384 unknown columns must not draw 16,384 select boxes


def _guess_unit(header: str) -> str:
    """The unit in brackets, if the header carries one: 走访群众（人次） -> 人次."""
    for open_, close in (("（", "）"), ("(", ")")):
        if header.endswith(close) and open_ in header:
            return header[header.rindex(open_) + 1 : -1]
    return "件"


def offer_additions(p: Prepared, key: str, dic: Dictionary, user: str) -> bool:
    """Draw the choices for each unknown header; returns True once additions were saved."""
    if not p.parsed or not p.parsed.unknown_columns:
        return False
    every = list(dict.fromkeys(h for _, h in p.parsed.unknown_columns))
    headers = every[:MAX_OFFERED]
    codes = [i.code for i in dic if i.importable]
    choices: list[tuple[str, str, dict[str, str]]] = []
    with st.expander(tr("upload.unknown_title", n=len(every)), expanded=True):
        st.caption(tr("upload.unknown_help"))
        if len(every) > len(headers):
            st.caption(tr("upload.unknown_more", shown=len(headers), rest=len(every) - len(headers)))
        for n, header in enumerate(headers):
            left, mid, right = st.columns([2, 2, 4])
            left.markdown(f"**{plain(header)}**")
            action = mid.selectbox(
                tr("upload.unknown_action"),
                ACTIONS,
                key=f"uk_{key}_{n}",
                format_func=lambda a: tr(f"upload.unknown_{a}"),
                label_visibility="collapsed",
            )
            detail: dict[str, str] = {}
            if action == "alias":
                detail["indicator"] = right.selectbox(
                    tr("upload.unknown_alias_of"),
                    codes,
                    key=f"uk_{key}_{n}_ind",
                    format_func=lambda c: dic[c].label(lang()),
                )
            elif action == "new":
                a, b, c = right.columns(3)
                detail["unit"] = a.text_input(
                    tr("upload.unknown_unit"), _guess_unit(header), key=f"uk_{key}_{n}_unit"
                )
                detail["kind"] = b.selectbox(
                    tr("upload.unknown_kind"),
                    ["flow", "stock"],
                    key=f"uk_{key}_{n}_kind",
                    format_func=lambda k: tr(f"upload.kind_{k}"),
                )
                detail["domain"] = c.selectbox(
                    tr("upload.unknown_domain"),
                    DOMAINS,
                    key=f"uk_{key}_{n}_dom",
                    format_func=lambda d: tr(f"domain.{d}"),
                )
            choices.append((header, action, detail))
        todo = [c for c in choices if c[1] != "skip"]
        if not todo or not st.button(tr("upload.unknown_save", n=len(todo)), key=f"uk_{key}_save"):
            return False
        for header, action, detail in todo:
            if action == "new":
                detail["name"] = fold(header) if header.endswith(("）", ")")) else header
        try:
            data.add_to_dictionary(todo, user)
        except DictionaryError as exc:
            st.error(plain(exc))
            return False
    return True
