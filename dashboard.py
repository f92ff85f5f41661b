"""Entry point: `streamlit run dashboard.py [-- --db PATH]`. Page config, the language choice and navigation;
and the one place where a store error is shown to a user (never a traceback)."""

import logging
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from domain.accounts import PermissionDenied
from store.connection import StoreBusy
from store.errors import StoreError, StoreUnavailable
from ui import auth, data
from ui.filters import language_selector
from ui.i18n import tr
from ui.navigation import PAGES
from ui.style import page_style
from ui.text import plain

ICON = Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png"  # local: a page never calls out


def _path() -> str:
    """The address's path below the server's base path ('' for the default page)."""
    url = st.context.url
    if not url:
        return ""
    path = urlparse(url).path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    return path


def _unknown_path() -> str | None:
    """The path segment of the address when it names no page (a mistyped or outdated link)."""
    path = _path()
    known = {p.url_path for p in pages[1:]}  # the pages this account has; the default one is served at "/"
    if not path or path in known or "/" in path or path.startswith("_"):
        return None
    return path


st.set_page_config(page_title=tr("app.title"), page_icon=str(ICON), layout="wide")
store = data.get_store()


def _unavailable(exc: StoreUnavailable) -> None:
    """PostgreSQL is down or restarting: say so in Chinese; the next run reconnects by itself."""
    logging.getLogger("cppcc").warning("store unavailable: %s", exc.__cause__ or exc)
    st.error(f"{tr('app.unavailable')}\n\n{plain(exc)}", icon=":material/cloud_off:")


try:
    if not store.exists():  # a mistyped --db must not leave an empty store behind
        st.error(tr("app.no_store", path=plain(store.label)), icon=":material/database_off:")
        st.stop()
    who = auth.gate(store, data.signin_on())  # sign-in on: the account, or off to the sign-in form
except StoreUnavailable as exc:
    _unavailable(exc)
    st.stop()
pages = [p for p in PAGES if auth.allowed(who, p.needs)]  # a page the account may not use does not exist
if who is None:  # sign-in off: no accounts to manage (the sidebar says how to turn sign-in on)
    pages = [p for p in pages if p.needs != "accounts"]
if not pages:
    st.warning("这个账号还没有可以使用的页面，请联系管理员。", icon=":material/lock:")
    st.stop()
sections: dict[str, list] = {}
for n, p in enumerate(pages):
    page = st.Page(
        p.path,
        title=tr(p.title_key),
        icon=p.icon,
        url_path=p.url_path,
        default=(n == 0),
        visibility="hidden" if p.hidden else "visible",
    )
    sections.setdefault(tr(p.section), []).append(page)
unknown = _unknown_path()
if unknown:  # a hidden page answers it, so Streamlit's English "Page not found" dialog never shows
    sections[tr(pages[0].section)].append(
        st.Page("views/not_found.py", title=tr("app.not_found_title"), url_path=unknown, visibility="hidden")
    )
presenting = _path() == "present"  # full screen: no menu, no sidebar (ui.present hides the rest)
nav = st.navigation(sections, position="hidden" if presenting else "sidebar", expanded=True)
page_style()
try:
    if not presenting:
        language_selector()
        units = data.units() if who else None
        auth.sidebar(who, dict(zip(units["code"], units["name"], strict=True)) if units is not None else None)
    nav.run()
except StoreUnavailable as exc:  # PostgreSQL down or restarting
    _unavailable(exc)
except StoreBusy as exc:  # another process holds the file
    st.error(f"{tr('app.busy')}\n\n{plain(exc)}", icon=":material/hourglass_top:")
except PermissionDenied as exc:  # the service refused: the account may not do this
    st.error(plain(exc), icon=":material/lock:")
except StoreError as exc:  # two imports collided, a refusal: the message says what to do
    st.error(f"{tr('app.store_error')}\n\n{plain(exc)}", icon=":material/error:")
except Exception:  # a bug: the traceback goes to the server log, the user reads Chinese, never a traceback
    logging.getLogger("cppcc").exception("page failed: %s", st.context.url)
    st.error(tr("app.unexpected"), icon=":material/report:")
