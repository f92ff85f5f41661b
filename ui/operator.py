"""Who is importing, reverting or saving targets: a name typed once in the sidebar of the data pages.

It is recorded with every batch (never the server's OS account). The name lives in a session key no
widget owns, so it survives navigation between pages (Streamlit drops a widget's state on a page
that does not draw it). Sign-in (the accounts issue) will supply it instead.
"""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.i18n import tr

_KEY = "_operator"
_WIDGET = "operator_input"


def _keep() -> None:
    st.session_state[_KEY] = st.session_state.get(_WIDGET, "").strip()


def sidebar_input() -> str:
    """The 操作人 field in the sidebar; returns the name (may be empty). Signed in, the account is
    the 操作人 and there is no field."""
    if (who := auth.actor()) is not None:
        return who.name
    st.session_state[_WIDGET] = st.session_state.get(_KEY, "")
    st.sidebar.text_input(
        tr("operator.label"),
        key=_WIDGET,
        on_change=_keep,
        placeholder=tr("operator.placeholder"),
        help=tr("operator.help"),
        max_chars=40,
    )
    _keep()
    return name()


def name() -> str:
    if (who := auth.actor()) is not None:
        return who.name
    return str(st.session_state.get(_KEY, "")).strip()


def missing_note() -> None:
    """Shown where an action waits for the name."""
    st.warning(tr("operator.missing"), icon=":material/badge:")
