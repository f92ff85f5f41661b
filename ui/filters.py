"""Sidebar filters shared by every page, kept in the URL query string.

A copied link reopens exactly the same view: on a page's first run each filter takes its value from
the URL (or a sensible default: the latest year, year to date), and after the widgets are drawn the
URL is rewritten from their values. Page-specific choices (an indicator to rank by…) use `url_choice`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from domain.periods import MODES, Period
from i18n import LANGS
from metrics.comparison import comparable
from ui import data
from ui.i18n import lang, tr
from ui.text import plain

_PARAM_KEYS = ("lang", "year", "mode", "q", "units")


@dataclass(frozen=True)
class Filters:
    period: Period
    units: list[str]  # the selected unit codes, or every unit when none was chosen
    all_units: bool
    unit_names: dict[str, str]
    unit_order: list[str]


_KEEP = "_keep_"  # shadow keys no widget owns: they survive pages that do not draw the widget


def _init(key: str, default: Any, parse: Callable[[str], Any], valid: Callable[[Any], bool]) -> None:
    """Set a widget's value before it is drawn: its current value, else the value kept from another
    page, else the URL's (on a session's first run), else the default.

    The value is always assigned anew: on another page the same key belongs to a new widget, and
    Streamlit would give that widget its default instead of the value the user chose.
    """
    shadow = _KEEP + key
    if key in st.session_state:
        value = st.session_state[key]
    elif shadow in st.session_state:
        value = st.session_state[shadow]
    else:
        value = default
        raw = st.query_params.get(key)
        if raw is not None:
            try:
                parsed = parse(raw)
            except (ValueError, TypeError):
                parsed = None
            if parsed is not None and valid(parsed):
                value = parsed
            else:
                _ignored(key, raw)
    if not valid(value):
        value = default
    st.session_state[key] = value
    st.session_state[shadow] = value


def _ignored(key: str, raw: str) -> None:
    """Remember a URL parameter that named something unknown, for `url_notes` to say so."""
    notes = st.session_state.setdefault("_url_ignored", [])
    if (key, raw) not in notes:
        notes.append((key, raw))


def url_notes() -> None:
    """Say which URL parameters were ignored (a unit code that does not exist, year=1900), once."""
    notes = st.session_state.pop("_url_ignored", [])
    if notes:
        text = "；".join(f"{k}={plain(v)}" for k, v in notes)
        st.warning(tr("filters.url_ignored", params=text), icon=":material/link_off:")


def set_units(codes: list[str]) -> None:
    """Choose units from code (a click on a unit's bar, 显示全部单位): the widget and its kept value."""
    st.session_state["units"] = list(codes)
    st.session_state[_KEEP + "units"] = list(codes)


def _sync_url(extra: dict[str, str] | None = None, keep: set[str] | None = None) -> None:
    """Write the current filter values into the URL (only the keys we own change)."""
    want: dict[str, str] = {}
    for key in _PARAM_KEYS:
        v = st.session_state.get(key)
        if v is None or v == [] or v == "":
            continue
        want[key] = ",".join(v) if isinstance(v, list) else str(v)
    for k, v in (extra or {}).items():
        want[k] = v
    owned = set(_PARAM_KEYS) | set(st.session_state.get("_url_extra_keys", []))
    if keep is not None:
        owned |= {k for k in current_keys() if k not in _PARAM_KEYS and k not in keep}
    current = {k: st.query_params.get(k) for k in st.query_params}
    for k in owned:
        if k in current and k not in want:
            del st.query_params[k]
    for k, v in want.items():
        if current.get(k) != v:
            st.query_params[k] = v


def current_keys() -> list[str]:
    return list(st.query_params)


def url_choice(key: str, options: Sequence[str], default: str) -> None:
    """Seed a page-specific choice (a selectbox with this key) from the URL."""
    _init(key, default, str, lambda v: v in options)
    extra = set(st.session_state.get("_url_extra_keys", []))
    extra.add(key)
    st.session_state["_url_extra_keys"] = sorted(extra)


def url_list(key: str, options: Sequence[str], default: Sequence[str]) -> None:
    """Seed a page-specific multiselect (with this key) from the URL, where it is kept comma-separated."""
    _init(
        key, list(default), lambda s: [c for c in s.split(",") if c], lambda v: all(c in options for c in v)
    )
    extra = set(st.session_state.get("_url_extra_keys", []))
    extra.add(key)
    st.session_state["_url_extra_keys"] = sorted(extra)


def _url_value(v: object) -> str:
    return ",".join(map(str, v)) if isinstance(v, list | tuple) else str(v)


def sync_url(extra_keys: Sequence[str] = ()) -> None:
    """Call once at the end of a page, after its own widgets: puts the view into the URL.

    Page-specific keys of other pages are dropped, so a link holds only what the current page shows.
    """
    _sync_url(
        {k: _url_value(st.session_state[k]) for k in extra_keys if st.session_state.get(k) is not None},
        keep=set(extra_keys),
    )


def language_selector() -> None:
    """On every page (called from dashboard.py before the page runs): 简体中文 or English, kept in the URL."""
    _init("lang", "zh", str, lambda v: v in LANGS)
    st.sidebar.selectbox(
        tr("app.language"), LANGS, key="lang", format_func=lambda c: {"zh": "简体中文", "en": "English"}[c]
    )
    if st.query_params.get("lang") != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]


def sidebar(units_df: pd.DataFrame, quarters: Sequence[tuple[int, int]], years: Sequence[int]) -> Filters:
    """Language, year, period mode, quarter and units in the sidebar; returns the chosen view."""
    st.sidebar.header(tr("filters.header"))

    year_options = sorted(set(years), reverse=True) or [pd.Timestamp.today().year]
    latest_year = year_options[0]
    _init("year", latest_year, int, lambda v: v in year_options)
    year = st.sidebar.selectbox(
        tr("filters.year"),
        year_options,
        key="year",
        format_func=lambda y: f"{y}年" if lang() == "zh" else str(y),
    )

    quarters_in_year = [q for y, q in quarters if y == year]
    last_q = max(quarters_in_year) if quarters_in_year else 4
    _init("mode", "ytd" if last_q < 4 else "year", str, lambda v: v in MODES)
    mode = st.sidebar.radio(
        tr("filters.mode"), MODES, key="mode", format_func=lambda m: tr(f"filters.mode_{m}"), horizontal=True
    )

    quarter: int | None = None
    if mode != "year":
        _init("q", last_q, int, lambda v: v in (1, 2, 3, 4))
        months = ["Mar", "Jun", "Sep", "Dec"]
        quarter = st.sidebar.selectbox(
            tr("filters.quarter"),
            [1, 2, 3, 4],
            key="q",
            format_func=(lambda n: tr("filters.quarter_n", n=n))
            if mode == "quarter"
            else (lambda n: tr("filters.ytd_n", m=n * 3, mon=months[n - 1])),
        )
    else:
        st.session_state.pop("q", None)

    names = dict(zip(units_df["code"], units_df["name"], strict=True))
    order = list(units_df["code"])
    _init("units", [], lambda s: _known_units(s, names), lambda v: all(c in names for c in v))
    chosen = st.sidebar.multiselect(
        tr("filters.units"),
        order,
        key="units",
        format_func=lambda c: names.get(c, c),
        placeholder=tr("filters.units_placeholder"),
    )
    if chosen:
        st.sidebar.button(
            tr("filters.show_all"),
            icon=":material/select_all:",
            key="show_all_units",
            on_click=lambda: set_units([]),
        )
    with st.sidebar:
        copy_link_button()
    st.sidebar.caption(tr("filters.copy_link"))
    url_notes()
    return Filters(
        period=Period(int(year), quarter, mode),
        units=list(chosen) or order,
        all_units=not chosen,
        unit_names=names,
        unit_order=order,
    )


def _known_units(text: str, names: dict[str, str]) -> list[str]:
    """The unit codes of a link's `units=` that exist; the others are reported as ignored."""
    codes = [c for c in text.split(",") if c]
    unknown = [c for c in codes if c not in names]
    if unknown:
        _ignored("units", ",".join(unknown))
    return [c for c in codes if c in names]


_COPY_JS = """
<div id="cppcc-copy" style="font-family: 'Noto Sans CJK SC', sans-serif; font-size: 14px;">
<button id="b" style="padding: 4px 12px; border: 1px solid #ccc; border-radius: 8px; background: #fff;
  cursor: pointer; font: inherit;">{label}</button>
<span id="m" style="margin-left: 6px; color: #2e7d32;"></span>
<input id="u" readonly style="display: none; width: 100%; margin-top: 4px; font: inherit;">
</div>
<script>
const box = document.currentScript ? document.currentScript.previousElementSibling : null;
const root = (box && box.id === 'cppcc-copy') ? box : document.getElementById('cppcc-copy');
const b = root.querySelector('#b'), m = root.querySelector('#m'), u = root.querySelector('#u');
b.addEventListener('click', async () => {{
  const url = window.parent.location.href;
  try {{
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    const late = new Promise((_, no) => setTimeout(() => no(new Error('no answer')), 1500));
    await Promise.race([navigator.clipboard.writeText(url), late]);  // a permission prompt may never answer
    m.textContent = '{done}';
  }} catch (e) {{  // plain HTTP, or the frame may not write the clipboard: the link, selected to copy
    u.value = url; u.style.display = 'block'; u.focus(); u.select();
    m.textContent = '{manual}';
  }}
}});
</script>
"""


def copy_link_button() -> None:
    """复制链接: copies the address (the view, in the URL); where the browser refuses the clipboard (plain
    HTTP), the link is shown selected for the user to copy."""
    st.html(
        _COPY_JS.format(
            label=tr("filters.copy_button"), done=tr("filters.copied"), manual=tr("filters.copy_manual")
        ),
        unsafe_allow_javascript=True,
    )


def units_caption(f: Filters) -> str:
    """'全部单位' or the chosen names, shortened for a caption (markdown-escaped: captions render it)."""
    if f.all_units:
        return tr("filters.units_all")
    names = [plain(f.unit_names.get(c, c)) for c in f.units]
    return "、".join(names[:4]) + (f" 等{len(names)}个单位" if len(names) > 4 and lang() == "zh" else "")


def period_text(p: Period) -> str:
    """The period as the page writes it; a year (or 1-12月) reported only partly says so:
    2026年（截至第三季度）."""
    text = p.zh() if lang() == "zh" else p.en()
    through = comparable(p, data.reported_quarters()).through
    return tr("filters.partial", period=text, q=tr(f"filters.through_{through}")) if through else text


def data_badge() -> None:
    """Under every page's title: how current the figures are (数据截至 …，最近导入 …), and the visible
    演示数据 badge while demo data is shown."""
    if not data.signin_on():  # anyone reaching the page acts: said on every page (README: accounts)
        st.badge(tr("app.signin_off"), icon=":material/lock_open:", color="gray")
    if data.is_demo():
        st.badge(tr("app.demo_badge"), icon=":material/science:", color="orange")
        st.caption(tr("app.demo_help"))
    quarters, at = data.reported_quarters(), data.last_import()
    if quarters and at is not None:
        y, q = quarters[-1]
        st.caption(
            tr("app.as_of", period=period_text(Period(y, q, "quarter")), at=f"{at:%Y-%m-%d %H:%M}"),
            help=tr("app.as_of_help"),
        )
