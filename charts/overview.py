"""Figures of the overview page: the quarterly trend and the ranking of units. Frames in, figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number
from charts.theme import PRIMARY, apply_theme


def trend_figure(series: pd.DataFrame, unit: str, is_ratio: bool, lang: str = "zh") -> go.Figure:
    """Quarterly values (columns year, quarter, value): bars for counts, a line for rates."""
    x = [f"{y}Q{q}" for y, q in zip(series["year"], series["quarter"], strict=True)]
    text = [fmt_number(v, unit, lang) for v in series["value"]]
    hover = "%{x}<br>%{text}<extra></extra>"
    if is_ratio:
        trace: go.Bar | go.Scatter = go.Scatter(
            x=x,
            y=series["value"],
            mode="lines+markers",
            text=text,
            hovertemplate=hover,
            line={"color": PRIMARY, "width": 3},
            marker={"size": 7},
        )
    else:
        trace = go.Bar(
            x=x, y=series["value"], text=text, hovertemplate=hover, marker_color=PRIMARY, textposition="none"
        )
    fig = go.Figure(trace)
    apply_theme(fig, height=360)
    fig.update_xaxes(type="category", tickangle=-45 if len(x) > 12 else 0, nticks=min(len(x), 16))
    fig.update_yaxes(ticksuffix="%" if unit == "%" else "", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig


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
    fig = go.Figure(
        go.Bar(
            x=ranked["value"],
            y=ranked["unit_name"],
            orientation="h",
            text=text,
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white"},
            customdata=ranked["unit_code"],
            marker_color=[colors.get(c, PRIMARY) for c in ranked["unit_code"]],
            hovertemplate="%{y}：%{text}<extra></extra>",
        )
    )
    apply_theme(fig, height=max(260, 34 * len(ranked) + 80))
    if total_line is not None:
        fig.add_vline(
            x=total_line,
            line_dash="dash",
            line_color=PRIMARY,
            line_width=2,
            layer="below",  # under the bars: the value labels inside them stay readable
            annotation_text=total_label,
            annotation_position="top",
            annotation_font={"color": PRIMARY},
        )
    xmax = max([v for v in ranked["value"] if pd.notna(v)] + [total_line or 0, 0])
    fig.update_xaxes(range=[0, xmax * 1.15 if xmax else 1], ticksuffix="%" if unit == "%" else "")
    fig.update_yaxes(type="category")
    fig.update_layout(showlegend=False, margin={"l": 10, "r": 40, "t": 56, "b": 10})
    return fig
