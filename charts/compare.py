"""Figures of 县区对比: the unit × indicator heatmap and the composite-index bars. Frames in, figures out."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number
from charts.theme import PRIMARY, figure, safe

# Light enough at the top end that black cell text stays readable on a projector.
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.5, "#C6DBEF"], [1.0, "#6BAED6"]]
MISSING_BG = "#F0F0F0"


def _float(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def column_scale(col: pd.Series) -> list[float | None]:
    """0–1 within one indicator column, so a big indicator does not wash out the others."""
    present = col.dropna()
    if present.empty:
        return [None] * len(col)
    lo, hi = float(present.min()), float(present.max())
    return [None if pd.isna(v) else (1.0 if hi == lo else (float(v) - lo) / (hi - lo)) for v in col]


def wrap(text: str, width: int = 3) -> str:
    """A header in lines of `width` characters (entities count as one): '提案提交数' -> '提案提<br>交数'.

    >>> wrap("提案提交数"), wrap("立案率"), wrap("a&amp;b")
    ('提案提<br>交数', '立案率', 'a&amp;b')
    """
    chars = re.findall(r"&[a-z]+;|.", text)
    return "<br>".join("".join(chars[i : i + width]) for i in range(0, len(chars), width))


def heatmap_figure(
    matrix: pd.DataFrame,
    unit_names: Sequence[str],
    column_names: Sequence[str],
    column_units: Sequence[str],
    lang: str = "zh",
    column_down: Sequence[bool] = (),
) -> go.Figure:
    """Rows = units (index, in the given order, first on top), columns = indicators; real values as text.

    Per-member units (…/人) get two decimals. Colour is normalised per column, and reversed where less is
    better (`column_down`: 撤销委员资格, 提醒谈话); a missing cell stays grey with '—'. customdata holds
    the unit code.
    """
    cols = list(matrix.columns)
    down = list(column_down) + [False] * (len(cols) - len(column_down))
    scaled = [
        [None if v is None else (1.0 - v if down[j] else v) for v in column_scale(matrix[c])]
        for j, c in enumerate(cols)
    ]
    z = [[scaled[j][i] for j in range(len(cols))] for i in range(len(matrix))]
    text = [
        [
            fmt_number(
                _float(matrix.iat[i, j]), column_units[j], lang, 2 if column_units[j].endswith("/人") else 1
            )
            for j in range(len(cols))
        ]
        for i in range(len(matrix))
    ]
    codes = [[u] * len(cols) for u in matrix.index]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": list(column_names),
        "y": list(unit_names),
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 14},
        "customdata": codes,
        "colorscale": HEAT_SCALE,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "hoverongaps": False,
        "hovertemplate": "%{y} · %{x}<br>%{text}<extra></extra>",
    }
    layout = {
        "xaxis": {  # headers wrapped in lines of 3: on a phone six columns stay apart, never overlap
            "side": "top",
            "type": "category",
            "tickangle": 0,
            "tickmode": "array",
            "tickvals": [safe(n) for n in column_names],
            "ticktext": [wrap(safe(n)) for n in column_names],
            "showgrid": False,
        },
        "yaxis": {"type": "category", "autorange": "reversed", "showgrid": False},
        "plot_bgcolor": MISSING_BG,
        "margin": {"l": 10, "r": 20, "t": 20, "b": 10},
    }
    return figure([trace], layout, height=max(300, 40 * len(matrix) + 120))


def score_figure(ranked: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Horizontal bars of the composite score, best on top (columns unit_code, unit_name, score, change).

    `change` is the rank-change text (↑2 / ↓1 / —, or empty); each bar carries its unit code as customdata.
    """
    ranked = ranked.dropna(subset=["score"]).sort_values("score", ascending=True)
    text = [
        f"{s:.1f}" + (f"  {c}" if isinstance(c, str) and c else "")
        for s, c in zip(ranked["score"], ranked["change"], strict=True)
    ]
    trace = {
        "type": "bar",
        "x": list(ranked["score"]),
        "y": list(ranked["unit_name"]),
        "orientation": "h",
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(ranked["unit_code"]),
        "marker": {"color": [colors.get(c, PRIMARY) for c in ranked["unit_code"]]},
        "hovertemplate": "%{y}：%{text}<extra></extra>",
    }
    layout = {
        "xaxis": {"range": [0, 118], "tickvals": [0, 20, 40, 60, 80, 100]},
        "yaxis": {"type": "category"},
        "showlegend": False,
        "margin": {"l": 10, "r": 30, "t": 20, "b": 10},
    }
    return figure([trace], layout, height=max(260, 34 * len(ranked) + 80))
