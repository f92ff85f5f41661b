"""Figures of the 委员档案 page: the spread of 履职积分 by unit and by sector, activities by type, meeting
attendance by unit. Frames in, figures out, one theme.

A spread is drawn from numbers computed here — minimum, quartiles, maximum and mean per group — so a
province's 60,000 members are five numbers per box in the page, never a point (or a name) per member.

>>> df = pd.DataFrame({"unit_name": ["修水县"] * 4, "points": [0.0, 2.0, 4.0, 10.0]})
>>> box = points_spread_figure(spread_stats(df, "unit_name"), ["修水县"], "履职积分（分）").data[0]
>>> box.median, box.q1, box.q3, box.upperfence, box.mean
((3.0,), (1.5,), (5.5,), (10.0,), (4.0,))
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number, unit_label
from charts.theme import ACCENT, PRIMARY, city_line, figure, safe

BAR_HEIGHT = 30  # per horizontal bar: 150 units stay readable, the chart grows instead of squeezing


SPREAD = ("n", "min", "q1", "med", "q3", "mean", "max")


def spread_stats(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per value of `group`: the members (n), minimum, quartiles (q1, med, q3: linear, as pandas' and
    DuckDB's quantile_cont), mean and maximum of their `points` — what a box is drawn from."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n" else "float64") for c in SPREAD})
    g = frame.groupby(group, sort=False)["points"]
    return pd.DataFrame({
        "n": g.size(), "min": g.min(), "q1": g.quantile(0.25), "med": g.median(), "q3": g.quantile(0.75),
        "mean": g.mean(), "max": g.max(),
    })  # fmt: skip


def points_spread_figure(
    stats: pd.DataFrame, order: Sequence[str], axis_title: str, suffix: str = ""
) -> go.Figure:
    """One horizontal box per group of `stats` (spread_stats: indexed by group) in `order`, the first on
    top, groups without members left out: minimum to maximum, the quartiles and the mean of the members'
    points. Horizontal, so that 30 界别 names stay whole on a phone (tilted under the axis they ran into
    the caption). The ticks carry the unit (`suffix`, " 分"): an axis title would sit on the chart's
    caption."""
    groups = [g for g in order if g in stats.index]
    s = stats.loc[groups] if groups else stats.iloc[0:0]
    trace = {
        "type": "box",
        "orientation": "h",
        "y": groups,
        "q1": list(s["q1"]),
        "median": list(s["med"]),
        "q3": list(s["q3"]),
        "lowerfence": list(s["min"]),
        "upperfence": list(s["max"]),
        "mean": list(s["mean"]),
        "boxpoints": False,
        "name": axis_title,
        "marker": {"color": PRIMARY},
        "line": {"color": PRIMARY},
        "fillcolor": "rgba(178,34,34,0.15)",
        "showlegend": False,
    }
    layout = {
        "yaxis": {"type": "category", "autorange": "reversed", "automargin": True},
        "xaxis": {"rangemode": "tozero", "ticksuffix": suffix},
    }
    return figure([trace], layout, max(260, BAR_HEIGHT * len(groups) + 80))


def activities_figure(counts: pd.DataFrame, name: str, unit: str, lang: str = "zh") -> go.Figure:
    """Horizontal bars of `count` per activity `name` (in the frame's order, the first on top), each
    with its value and unit written at the bar's end (1,801 次); the hover names what is counted."""
    labels, values = list(counts["name"]), [float(v) for v in counts["count"]]
    shown = unit_label(unit, lang)
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": values,
        "marker": {"color": ACCENT},
        "text": [f"{fmt_number(v, unit, lang)} {shown}".strip() for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"%{{y}} · {safe(name)}：%{{text}}<extra></extra>",
        "name": name,
    }
    layout = {
        "yaxis": {"type": "category", "autorange": "reversed"},
        "xaxis": {"rangemode": "tozero", "range": [0, max(values, default=1) * 1.25]},
        "showlegend": False,
    }
    return figure([trace], layout, max(260, BAR_HEIGHT * len(labels) + 60))


def attendance_figure(
    frame: pd.DataFrame, name: str, total: float | None, total_label: str, lang: str = "zh"
) -> go.Figure:
    """Attendance rate (%) per unit, highest first, written at each bar's end: `frame` has unit_name, rate
    (0–100) and detail (the hover's '出席 17 / 应到 20'); the rate over every unit shown is a dashed line
    labelled `total_label`. The ticks carry the unit (%), so the axis needs no title."""
    rows = frame.sort_values("rate", ascending=False)
    detail = " (%{customdata})" if lang == "en" else "（%{customdata}）"
    rates = [float(v) for v in rows["rate"]]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": list(rows["unit_name"]),
        "x": rates,
        "marker": {"color": ACCENT},
        "text": [fmt_number(v, "%", lang) for v in rates],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(rows["detail"]),
        "hovertemplate": f"%{{y}} · {safe(name)}：%{{text}}{detail}<extra></extra>",
        "name": name,
    }
    layout = {
        "yaxis": {"type": "category", "autorange": "reversed"},
        "xaxis": {"range": [0, 112], "ticksuffix": "%", "tickvals": [0, 20, 40, 60, 80, 100]},
        "showlegend": False,
        **(city_line(total, total_label) if total is not None else {}),
    }
    return figure([trace], layout, max(260, BAR_HEIGHT * len(rates) + 80))
