"""页面不存在: what a link to an unknown path shows, in Chinese, instead of Streamlit's English dialog."""

from __future__ import annotations

import streamlit as st

from ui.i18n import tr
from ui.navigation import PAGES
from ui.text import page_link

st.title(tr("app.not_found_title"))
st.warning(tr("app.not_found"), icon=":material/link_off:")
for p in PAGES:  # the pages this account has (a link to another is skipped)
    if not p.hidden:
        page_link(p.path, label=tr(p.title_key), icon=p.icon)
