"""汇报模式: `/present?deck=NAME&slide=N[&year=…&mode=…&q=…][&auto=SECONDS]` — one slide at a time,
full screen, moved with the keys a clicker sends (PageDown/PageUp, → ←, Space, Home/End; B or . blanks
the screen; Esc leaves). The URL keeps the slide, so F5 reopens it. `auto` advances by itself and
loops (大屏轮播), re-reading the store so a new import shows without a restart.
"""

from __future__ import annotations

import time

import streamlit as st

from domain.decks import RELATIVE, Deck, DeckError
from domain.periods import MODES, Period
from ui import data
from ui.i18n import lang, tr
from ui.present import CSS, KEYS_JS, slide_html
from ui.text import page_link, plain

st.html(CSS)
params = st.query_params


def _url_period() -> Period | None:
    """The analysis pages' year/mode/q, when the link gives them (a relative deck follows them)."""
    year, mode, q = params.get("year"), params.get("mode") or "year", params.get("q")
    if not (year and year.isdigit()) or mode not in MODES:
        return None
    if mode == "year":
        return Period(int(year))
    return Period(int(year), int(q), mode) if q in ("1", "2", "3", "4") else None


def _resolve() -> tuple[Deck, Period, int]:
    """The deck, its period and its slide count, as the store holds them now (the kiosk calls this at
    every tick: a deck edited or a quarter imported since shows without a restart). Stops the page
    with a message where there is nothing to show."""
    try:
        deck = data.deck(params.get("deck"))
    except DeckError as exc:
        st.error(plain(str(exc)), icon=":material/slideshow:")
        page_link("views/decks.py", label=tr("present.back"), icon=":material/arrow_back:")
        st.stop()
    period = _url_period() if deck.period in RELATIVE else None
    period = period or data.deck_period(deck)
    if period is None or not deck.slides:
        st.info(tr("app.no_data") if period is None else tr("present.no_slides", name=plain(deck.name)))
        page_link("views/decks.py", label=tr("present.back"), icon=":material/arrow_back:")
        st.stop()
    return deck, period, len(deck.slides)


deck, period, total = _resolve()


def _current() -> int:
    raw = params.get("slide", "1")
    n = int(raw) if raw.isdigit() else 1
    return min(max(n, 1), total)


def _go(n: int) -> None:
    st.query_params["slide"] = str((n - 1) % total + 1)
    st.session_state["_present_shown_at"] = time.monotonic()


def _step(delta: int) -> None:
    """PageDown/PageUp from the slide shown now (the kiosk may have moved on since the page ran)."""
    n = _current() + delta
    if 1 <= n <= total or seconds is not None:  # the last slide stays, except when looping
        _go(n)


def _blank() -> None:
    st.session_state["_present_blank"] = not st.session_state.get("_present_blank", False)


def _leave() -> None:
    st.session_state["_present_blank"] = False
    st.session_state["_present_leave"] = True


if st.session_state.pop("_present_leave", False):
    st.switch_page("views/decks.py", query_params={"deck": deck.name})

auto = params.get("auto")
seconds = int(auto) if auto and auto.isdigit() and 3 <= int(auto) <= 3600 else None


@st.fragment(run_every=seconds)
def show() -> None:
    global deck, period, total
    if seconds is not None:  # re-read: the store may have changed since the page ran
        deck, period, total = _resolve()
    n = _current()
    if seconds is not None:  # 大屏轮播: the next slide once its time is up (the first run only shows)
        shown = st.session_state.setdefault("_present_shown_at", time.monotonic())
        if time.monotonic() - shown >= seconds - 0.5:
            n = n % total + 1
            _go(n)
    content = data.slide(deck.slides[n - 1], period, lang())
    svg = data.slide_svg(content, lang()) if content.chart is not None and not content.empty else None
    st.html(slide_html(content, n, total, svg))
    if content.chart is not None and svg is None and not content.empty:
        from charts.slide import PROJECTOR, slide_figure

        st.plotly_chart(
            slide_figure(content.chart, lang(), PROJECTOR), config={"staticPlot": True}, theme=None
        )
    if st.session_state.get("_present_blank"):
        st.html('<div class="cppcc-blank" data-testid="blank"></div>')


show()
nav = st.container(key="present_nav", horizontal=True)
# (key, label, icon, help, callback, args, the key a clicker or keyboard sends)
BUTTONS = (
    ("first", "present.first_label", "first_page", "present.first", _go, (1,), "Home"),
    ("prev", "present.prev_label", "chevron_left", "present.prev", _step, (-1,), "PageUp"),
    ("next", "present.next_label", "chevron_right", "present.next", _step, (1,), "PageDown"),
    ("last", "present.last_label", "last_page", "present.last", _go, (total,), "End"),
    ("blank", "present.blank", "tv_off", "present.blank_help", _blank, (), "B"),
    ("leave", "present.leave", "close", "present.leave_help", _leave, (), "Esc"),
)
for key, label, icon, helptext, callback, args, shortcut in BUTTONS:
    nav.button(
        tr(label),
        key=f"present_{key}",
        icon=f":material/{icon}:",
        help=tr(helptext),
        on_click=callback,
        args=args,
        shortcut=shortcut,
    )
keys = st.container(key="present_keys")  # the other keys clickers send, on buttons kept out of sight
keys.button("→", key="present_right", on_click=_step, args=(1,), shortcut="Right")
keys.button("←", key="present_left", on_click=_step, args=(-1,), shortcut="Left")
keys.button("␣", key="present_space", on_click=_step, args=(1,), shortcut="Space")
st.html(f"<script>{KEYS_JS}</script>", unsafe_allow_javascript=True)
