"""Every chart the same way: the figure, its data as a table, CSV and Excel downloads, click to filter.

A chart whose traces carry unit codes as `customdata` (one code per point) can filter the page to a
unit when a bar or point is clicked: the sidebar's unit filter is set, and its clear button (or the
"全部单位" button) is the way back.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports.tables import escaped, to_csv_bytes, to_xlsx_bytes
from ui.filters import set_units
from ui.i18n import tr

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


def chart_panel(
    fig: go.Figure,
    table: pd.DataFrame,
    key: str,
    file_stem: str,
    clickable_units: bool = False,
) -> None:
    """Tabs 图表 | 数据, then download buttons for the table behind the chart (files made on click)."""
    chart_tab, data_tab = st.tabs([tr("panel.chart"), tr("panel.data")])
    stem = _safe(file_stem)
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
        st.dataframe(escaped(table), hide_index=True, width="stretch", placeholder="—")
    row = st.container(horizontal=True)
    row.download_button(
        tr("panel.csv"),
        lambda: to_csv_bytes(table),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    row.download_button(
        tr("panel.xlsx"),
        lambda: to_xlsx_bytes(table),
        file_name=f"{stem}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
    )
