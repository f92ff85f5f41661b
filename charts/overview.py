"""Figures of the overview page: the quarterly trend and the ranking of units. Frames in, figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number
from charts.theme import PRIMARY, city_line, figure


def trend_figure(series: pd.DataFrame, unit: str, is_ratio: bool, lang: str = "zh") -> go.Figure:
    """Quarterly values (columns year, quarter, value): bars for counts, a line for rates."""
    x = [f"{y}Q{q}" for y, q in zip(series["year"], series["quarter"], strict=True)]
    text = [fmt_number(v, unit, lang) for v in series["value"]]
    hover = "%{x}<br>%{text}<extra></extra>"
    trace: dict = {"x": x, "y": list(series["value"]), "text": text, "hovertemplate": hover}
    if is_ratio:
        trace |= {
            "type": "scatter",
            "mode": "lines+markers",
            "line": {"color": PRIMARY, "width": 3},
            "marker": {"size": 7},
        }
    else:
        trace |= {"type": "bar", "marker": {"color": PRIMARY}, "textposition": "none"}
    layout = {
        "xaxis": {"type": "category", "tickangle": -45 if len(x) > 12 else 0, "nticks": min(len(x), 16)},
        "yaxis": {"ticksuffix": "%" if unit == "%" else "", "rangemode": "tozero"},
        "showlegend": False,
    }
    return figure([trace], layout, height=360)


def ranking_figure(
    ranked: pd.DataFrame,
    unit: str,
    colors: dict[str, str],
    total_line: float | None = None,
    total_label: str = "",
    lang: str = "zh",
) -> go.Figure:
    """Horizontal bars, largest on top (columns unit_code, unit_name, value); optional city line for rates.

    Each bar carries its unit code as customdata, so a click can filter the page to that unit.
    """
    ranked = ranked.sort_values("value", ascending=True)
    text = [fmt_number(v, unit, lang) for v in ranked["value"]]
    trace = {
        "type": "bar",
        "x": list(ranked["value"]),
        "y": list(ranked["unit_name"]),
        "orientation": "h",
        "text": text,
        "textposition": "inside",
        "insidetextanchor": "end",
        "textfont": {"color": "white"},
        "customdata": list(ranked["unit_code"]),
        "marker": {"color": [colors.get(c, PRIMARY) for c in ranked["unit_code"]]},
        "hovertemplate": "%{y}：%{text}<extra></extra>",
    }
    xmax = max([v for v in ranked["value"] if pd.notna(v)] + [total_line or 0, 0])
    layout = {
        "xaxis": {"range": [0, xmax * 1.15 if xmax else 1], "ticksuffix": "%" if unit == "%" else ""},
        "yaxis": {"type": "category"},
        "showlegend": False,
        "margin": {"l": 10, "r": 40, "t": 56, "b": 10},
        **(city_line(total_line, total_label) if total_line is not None else {}),
    }
    return figure([trace], layout, height=max(260, 34 * len(ranked) + 80))
