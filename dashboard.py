"""Entry point: `streamlit run dashboard.py [-- --db PATH]`. Page config and navigation, nothing else."""

import streamlit as st

from ui.i18n import tr

st.set_page_config(page_title=tr("app.title"), page_icon=":material/account_balance:", layout="wide")
nav = st.navigation([st.Page("pages/overview.py", title=tr("nav.overview"), icon=":material/dashboard:",
                             url_path="overview", default=True)])
nav.run()
