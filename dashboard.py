"""Entry point: `streamlit run dashboard.py [-- --db PATH]`. Page config, the language choice and navigation; nothing else."""

import streamlit as st

from store.connection import StoreBusy, StoreConflict
from ui.filters import language_selector
from ui.i18n import tr
from ui.navigation import PAGES

st.set_page_config(page_title=tr("app.title"), page_icon=":material/account_balance:", layout="wide")
sections: dict[str, list] = {}
for n, p in enumerate(PAGES):
    page = st.Page(p.path, title=tr(p.title_key), icon=p.icon, url_path=p.url_path, default=(n == 0))
    sections.setdefault(tr(p.section), []).append(page)
nav = st.navigation(sections)
language_selector()
try:
    nav.run()
except (StoreBusy, StoreConflict) as exc:  # another process holds the file, or two imports collided
    st.error(f"{tr('app.busy')}\n\n{exc}", icon=":material/hourglass_top:")
