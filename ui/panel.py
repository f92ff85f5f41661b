"""Every chart the same way: the figure, its data as a table, CSV and Excel downloads, click to filter.

A chart whose traces carry unit codes as `customdata` (one code per point) can filter the page to a
unit when a bar or point is clicked: the sidebar's unit filter is set, and its clear button (or the
"全部单位" button) is the way back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.theme import safe
from domain.decks import DEFAULT_DECK, DeckError, SlideSpec
from exports.tables import escaped, to_csv_bytes, to_xlsx_bytes
from services.decks import ExportUnavailable
from ui import data, operator
from ui.filters import set_units
from ui.i18n import tr
from ui.text import page_link, plain

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 3},  # sharp enough for a slide or a printed report
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def _pick_unit(key: str) -> None:
    """on_select callback: a click on a unit's bar filters every page to that unit."""
    state = st.session_state.get(key)
    points = state.selection.get("points", []) if state is not None else []
    if not points:
        return
    cd = points[0].get("customdata")
    code = cd[0] if isinstance(cd, list) and cd else cd
    if isinstance(code, str) and re.fullmatch(r"\d{6}", code):
        set_units([code])


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "data"


def _sign(fig: go.Figure, file_stem: str) -> None:
    """A footnote drawn into the figure — what it shows, the period, the source — so a saved PNG or a
    screenshot pasted into a deck still says what it is (the page's subheader is not in the image).
    It is the figure's title, placed at the bottom of the figure, under the axis labels."""
    if fig.layout.title and fig.layout.title.text:
        return
    what = " · ".join(p for p in file_stem.split("_") if p)
    slanted = fig.layout.xaxis.tickangle not in (None, 0) and fig.layout.xaxis.side != "top"
    margin_b = (fig.layout.margin.b if fig.layout.margin and fig.layout.margin.b is not None else 10) + 34
    margin_b += 56 if slanted else 0  # slanted tick labels take the bottom margin first
    fig.update_layout(
        title={
            "text": safe(f"{what} · {tr('panel.source')}"),
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            "pad": {"l": 8, "b": 8},
            "automargin": True,  # below the tick labels, however tall they are
            "font": {"size": 11, "color": "#777777"},
        },
        margin={"b": margin_b},
        height=(fig.layout.height or 380) + 30 + (56 if slanted else 0),
    )


def show_table(data: pd.DataFrame | Any, **kwargs: Any) -> Any:
    """st.dataframe for any table of the pages: text from files and the store is escaped (= + - @ get an
    apostrophe), so the table toolbar's own "Download as CSV" is as safe in Excel as our downloads;
    missing cells show —. A Styler is shown as built (import_view escapes before styling)."""
    kwargs.setdefault("placeholder", "—")
    kwargs.setdefault("hide_index", True)
    return st.dataframe(escaped(data) if isinstance(data, pd.DataFrame) else data, **kwargs)


def approx_column(table: pd.DataFrame, flags: pd.Series) -> pd.DataFrame:
    """The data tab's 约数 column: which values hold a figure written 500余 / 约1800 (only when any does)."""
    if not flags.fillna(False).astype(bool).any():
        return table
    marks = [tr("upload.approx_mark") if bool(a) else "" for a in flags.fillna(False)]
    return table.assign(**{tr("upload.col_approx"): marks})


def chart_panel(
    fig: go.Figure,
    table: pd.DataFrame,
    key: str,
    file_stem: str,
    clickable_units: bool = False,
    slide: SlideSpec | None = None,
) -> None:
    """Tabs 图表 | 数据, then download buttons for the table behind the chart and the chart itself (PNG 2×,
    SVG; files made on click), and 加入汇报 when the chart can be a slide (`slide`)."""
    chart_tab, data_tab = st.tabs([tr("panel.chart"), tr("panel.data")])
    stem = _safe(file_stem)
    _sign(fig, file_stem)
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": stem},
    }
    with chart_tab:
        if clickable_units:
            st.plotly_chart(
                fig,
                key=key,
                theme=None,
                config=config,
                on_select=lambda: _pick_unit(key),
                selection_mode="points",
            )
        else:
            st.plotly_chart(fig, key=key, theme=None, config=config)
    with data_tab:  # escaped: the table toolbar's own CSV download must be safe in Excel too
        show_table(table, width="stretch")
    row = st.container(horizontal=True)
    row.download_button(
        tr("panel.csv"),
        lambda: to_csv_bytes(table),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",  # see DEFERRED below
    )
    row.download_button(
        tr("panel.xlsx"),
        lambda: to_xlsx_bytes(table),
        file_name=f"{stem}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",  # see DEFERRED below
    )
    image_buttons(row, fig, key, stem)
    if slide is not None:
        add_to_deck(row, slide, key)


# DEFERRED: a button whose file is made on click must not re-run the page (on_click="ignore"). With a
# re-run, the click's run registers a new file id for the button and drops the old one; under load that
# run ended before the request for the file arrived ("Deferred file … not found": no download, an error
# under the button), as the overview test saw in full runs.


def _image(fig: go.Figure, fmt: str) -> bytes:
    try:
        return data.chart_image(fig, fmt)
    except ExportUnavailable as exc:  # the button says so beforehand; a late failure gets a text file
        return str(exc).encode("utf-8")


def image_buttons(row: Any, fig: go.Figure, key: str, stem: str) -> None:
    """PNG (2×, for slides) and SVG (vector, for print) of the chart as shown, through the local chromium."""
    missing = data.images_missing()
    for fmt, mime, icon in (
        ("png", "image/png", ":material/image:"),
        ("svg", "image/svg+xml", ":material/draw:"),
    ):
        row.download_button(
            tr(f"panel.{fmt}"),
            lambda fmt=fmt: _image(fig, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{key}_{fmt}",
            icon=icon,
            disabled=missing is not None,
            help=missing or tr(f"panel.{fmt}_help"),
            on_click="ignore",  # see DEFERRED above
        )


def _with_units(slide: SlideSpec) -> SlideSpec:
    """The slide with the page's unit choice frozen (none chosen: every unit, as the page shows)."""
    chosen = [str(c) for c in st.session_state.get("units") or []]
    return SlideSpec(
        slide.kind, {**slide.params, **({"units": chosen} if chosen else {})}, slide.title, slide.note
    )


def add_to_deck(row: Any, slide: SlideSpec, key: str) -> None:
    """加入汇报: the chart (its choices frozen) appended to a deck chosen here, or a new one."""
    with row.popover(tr("panel.add_to_deck"), icon=":material/add_to_queue:"):
        names = [d.name for d in data.deck_list() if d.name != DEFAULT_DECK]
        new = tr("panel.deck_new")
        pick = st.selectbox(tr("panel.deck_pick"), [*names, new], key=f"{key}_deck_pick")
        name = (
            st.text_input(tr("panel.deck_name"), key=f"{key}_deck_name", max_chars=40)
            if pick == new
            else pick
        )
        title = st.text_input(tr("panel.slide_title"), key=f"{key}_slide_title", max_chars=80)
        if st.button(tr("panel.deck_add"), key=f"{key}_deck_add", icon=":material/add:", type="primary"):
            try:
                deck = data.add_slide(
                    name or "",
                    SlideSpec(slide.kind, _with_units(slide).params, title.strip()),
                    operator.name() or None,
                )
            except DeckError as exc:
                st.error(plain(str(exc)))
            else:
                st.success(tr("panel.deck_added", name=plain(deck.name), n=len(deck.slides)))
                page_link("views/decks.py", label=tr("panel.deck_open"), query_params={"deck": deck.name})


def kpi_deck_button(codes: Sequence[str], key: str) -> None:
    """加入汇报 for a group of KPI cards (a slide of cards, its values in type read from the back of a room)."""
    add_to_deck(st.container(horizontal=True), SlideSpec("kpis", {"codes": list(codes)}), key)
