"""Figure of 报送进度: the unit × quarter matrix of what has been reported. Frames in, figures out."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.theme import figure

# z codes: 0 nothing, 1 partial, 2 complete, 3 not due yet (a quarter after the current one).
STATE_Z = {"none": 0, "partial": 1, "full": 2, "not_due": 3}
STATE_COLORS = ("#F4C7C3", "#FCE8B2", "#B7E1CD", "#F3F3F3")


def _discrete_scale(colors: Sequence[str]) -> list[list[float | str]]:
    n = len(colors)
    scale: list[list[float | str]] = []
    for i, c in enumerate(colors):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def cell_text(n_reported: int, n_expected: int, state: str) -> str:
    """'✓ 40/40', '6/7', '✗ 0/7'; '' when the quarter is not due.

    >>> cell_text(7, 7, "full"), cell_text(6, 7, "partial"), cell_text(0, 7, "none")
    ('✓ 7/7', '6/7', '✗ 0/7')
    """
    if state == "not_due":
        return ""
    mark = {"full": "✓ ", "none": "✗ "}.get(state, "")
    return f"{mark}{n_reported}/{n_expected}"


def status_figure(
    cells: pd.DataFrame,
    unit_codes: Sequence[str],
    unit_names: Sequence[str],
    columns: Sequence[str],
    column_names: Sequence[str],
    state_names: dict[str, str],
) -> go.Figure:
    """Rows = units in the given order (first on top), columns = quarters (keys in `columns`).

    `cells` has columns unit_code, column, n_reported, n_expected, state (none/partial/full/not_due);
    `state_names` names the states for the hover text.
    """
    idx: dict[tuple[str, str], tuple[int, int, str]] = {
        (str(u), str(c)): (int(n), int(e), str(s))
        for u, c, n, e, s in zip(
            cells["unit_code"],
            cells["column"],
            cells["n_reported"],
            cells["n_expected"],
            cells["state"],
            strict=True,
        )
    }
    z: list[list[int | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for u in unit_codes:
        zr: list[int | None] = []
        tr_: list[str] = []
        hr: list[str] = []
        for c in columns:
            cell = idx.get((u, c))
            if cell is None:
                zr.append(None)
                tr_.append("")
                hr.append("")
                continue
            n, e, state = cell
            zr.append(STATE_Z[state])
            tr_.append(cell_text(n, e, state))
            hr.append(state_names.get(state, state))
        z.append(zr)
        text.append(tr_)
        hover.append(hr)
    trace = {
        "type": "heatmap",
        "z": z,
        "x": list(column_names),
        "y": list(unit_names),
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 15},
        "customdata": hover,
        "colorscale": _discrete_scale(STATE_COLORS),
        "zmin": -0.5,
        "zmax": len(STATE_COLORS) - 0.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "hovertemplate": "%{y} · %{x}<br>%{customdata} %{text}<extra></extra>",
    }
    layout = {
        "xaxis": {"side": "top", "type": "category", "showgrid": False},
        "yaxis": {"type": "category", "autorange": "reversed", "showgrid": False},
        "margin": {"l": 10, "r": 20, "t": 20, "b": 10},
    }
    return figure([trace], layout, height=max(300, 40 * len(unit_codes) + 100))
