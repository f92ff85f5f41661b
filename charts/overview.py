"""Figures of the overview page: the quarterly trend and the ranking of units. Frames in, figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number, is_missing
from charts.theme import PRIMARY, city_line, figure, hover, safe, value_ticks


def trend_figure(
    series: pd.DataFrame, unit: str, is_ratio: bool, lang: str = "zh", name: str = ""
) -> go.Figure:
    """Quarterly values (columns year, quarter, value): bars for counts, a line for rates; the hover
    names the indicator and its unit, and the value axis is written as the labels are (1.2万, not 12k)."""
    x = [f"{y}Q{q}" for y, q in zip(series["year"], series["quarter"], strict=True)]
    text = [fmt_number(v, unit, lang) for v in series["value"]]
    trace: dict = {
        "x": x,
        "y": list(series["value"]),
        "text": text,
        "hovertemplate": hover(name, unit, lang, "%{x}"),
    }
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
        "yaxis": {"rangemode": "tozero", **value_ticks(list(series["value"]), unit, lang)},
        "showlegend": False,
    }
    return figure([trace], layout, height=360)


def ranking_figure(
    per_unit: pd.DataFrame,
    unit: str,
    colors: dict[str, str],
    city_value: float | None = None,
    city_label: str = "",
    lang: str = "zh",
) -> go.Figure:
    """Units ranked: horizontal bars, largest on top (columns unit_code, unit_name, value, optional detail
    shown in the hover, e.g. 立案数 30 ÷ 提案提交数 40).

    Bars carry the unit code as customdata so a click filters the page; a rate gets the city figure as
    a dashed line. Units whose value is missing (a rate over a zero denominator) are not drawn.
    """
    rows = per_unit[[not is_missing(v) for v in per_unit["value"]]].sort_values("value", ascending=True)
    detail = list(rows["detail"]) if "detail" in rows.columns else [""] * len(rows)
    text = [fmt_number(v, unit, lang) for v in rows["value"]]
    trace = {
        "type": "bar",
        "x": list(rows["value"]),
        "y": list(rows["unit_name"]),
        "orientation": "h",
        "text": text,
        "textposition": "inside",
        "insidetextanchor": "end",
        "textfont": {"color": "white"},
        "customdata": list(rows["unit_code"]),
        "hovertext": [f"<br>{safe(d)}" if d else "" for d in detail],
        "_markup": True,  # the <br> is ours; the detail in it is escaped
        "marker": {"color": [colors.get(c, PRIMARY) for c in rows["unit_code"]]},
        "hovertemplate": "%{y}：%{text}%{hovertext}<extra></extra>",
    }
    xmax = max([float(v) for v in rows["value"]] + [city_value or 0.0, 0.0])
    layout = {
        "xaxis": {"range": [0, xmax * 1.15 if xmax else 1], "ticksuffix": "%" if unit == "%" else ""},
        "yaxis": {"type": "category"},
        "showlegend": False,
        "margin": {"l": 10, "r": 40, "t": 56, "b": 10},
        **(city_line(city_value, city_label) if city_value is not None else {}),
    }
    return figure([trace], layout, height=max(260, 34 * len(rows) + 90))
