"""Figures of the 提案工作 and 社情民意 pages: a funnel of stages and flows over periods (units ranked: charts.overview).

Every number drawn comes from the frame passed in (metrics.aggregate.compute output, reshaped by the
page); these builders only sort, label and format. Units keep their colour from `charts.theme.unit_colors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number, is_missing
from charts.theme import ACCENT, PRIMARY, TEXT, figure, hover, safe

# Series colours for the flows of one domain (first stage in 政协红, then navy, gold, green).
SERIES_COLORS: tuple[str, ...] = (PRIMARY, ACCENT, "#C9962B", "#4F7F3A")
RATE_COLOR = "#555555"


def funnel_figure(stages: pd.DataFrame, unit: str, lang: str = "zh") -> go.Figure:
    """Stages top to bottom (columns stage, value, rate_label, rate): the count, and under it the rate
    of the step into this stage (立案率 for 立案…), as the metrics module computed it.

    A stage whose value is missing is left out rather than drawn as zero.
    """
    rows = stages[[not is_missing(v) for v in stages["value"]]]
    widest = max([float(v) for v in rows["value"]], default=0.0)
    texts = []
    for v, label, rate in zip(rows["value"], rows["rate_label"], rows["rate"], strict=True):
        count = f"{fmt_number(v, unit, lang)} {unit}".strip()
        step = f"<br>{safe(label)} {fmt_number(rate, '%', lang)}" if label and not is_missing(rate) else ""
        texts.append(f"<b>{safe(count)}</b>{step}")
    trace = {
        "type": "funnel",
        "_markup": True,  # the <b> and <br> are ours; the names in them are escaped
        "y": list(rows["stage"]),
        "x": list(rows["value"]),
        "text": texts,
        "textinfo": "text",
        # a narrow stage (被采用 is often a tenth of 收集) gets its text beside the bar, where it fits
        "textposition": ["inside" if v >= 0.4 * widest else "outside" for v in rows["value"]],
        "insidetextfont": {"color": "white", "size": 16},
        "outsidetextfont": {"color": TEXT, "size": 16},
        "constraintext": "none",
        "marker": {"color": list(SERIES_COLORS[: len(rows)])},
        "connector": {"fillcolor": "#F2E6E6", "line": {"width": 0}},
        "hovertemplate": "%{y}：%{text}<extra></extra>",
    }
    layout = {
        "yaxis": {"tickfont": {"size": 16}},
        "showlegend": False,
        "margin": {"l": 10, "r": 20, "t": 20, "b": 10},
    }
    return figure([trace], layout, height=max(280, 90 * len(rows) + 40))


def period_bars_figure(
    flows: pd.DataFrame,
    series: Sequence[tuple[str, str]],
    unit: str,
    rate: pd.DataFrame | None = None,
    rate_name: str = "",
    lang: str = "zh",
    periods: Sequence[str] | None = None,
) -> go.Figure:
    """Grouped bars of several flows per period (columns period, indicator, value; periods in the
    order given), one colour per series (code, name); optionally a rate (columns period, value) as a
    line on a right-hand % axis. `periods` fixes the axis, so a quarter nobody reported shows as a gap.
    """
    periods = list(periods) if periods is not None else list(dict.fromkeys(flows["period"]))
    traces: list[dict[str, Any]] = []
    for n, (code, name) in enumerate(series):
        rows = flows[flows["indicator"] == code].set_index("period").reindex(periods)
        values = [float(v) if not is_missing(v) else None for v in rows["value"]]
        traces.append(
            {
                "type": "bar",
                "x": periods,
                "y": values,
                "name": name,
                "marker": {"color": SERIES_COLORS[n % len(SERIES_COLORS)]},
                "text": [fmt_number(v, unit, lang) for v in values],
                "textposition": "none",
                "hovertemplate": hover(name, unit, lang, "%{x}"),
            }
        )
    slanted = len(periods) > 8 or max((len(p) for p in periods), default=0) > 6  # e.g. 2026年1-9月
    layout: dict[str, Any] = {
        "xaxis": {"type": "category", "tickangle": -40 if slanted else 0, "nticks": min(len(periods), 16)},
        "yaxis": {"rangemode": "tozero", "ticksuffix": "%" if unit == "%" else ""},
        "barmode": "group",
        "bargap": 0.25,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 10},
    }
    if rate is not None and not rate.empty:
        r = rate.set_index("period").reindex(periods)
        values = [float(v) if not is_missing(v) else None for v in r["value"]]
        traces.append(
            {
                "type": "scatter",
                "x": periods,
                "y": values,
                "name": rate_name,
                "yaxis": "y2",
                "mode": "lines+markers",
                "line": {"color": RATE_COLOR, "width": 2, "dash": "dot"},
                "marker": {"size": 6},
                "text": [fmt_number(v, "%", lang) for v in values],
                "hovertemplate": hover(rate_name, "%", lang, "%{x}"),
            }
        )
        layout["yaxis2"] = {
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "ticktext": [f"{v}%" for v in (0, 20, 40, 60, 80, 100)],
            "ticksuffix": "%",
            "showgrid": False,
            "automargin": True,
        }
    return figure(traces, layout, height=400)


def wide_table(
    flows: pd.DataFrame,
    series: Sequence[tuple[str, str]],
    period_header: str,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The data view of `period_bars_figure`: a row per period (in the order given), a column per series."""
    periods = list(periods) if periods is not None else list(dict.fromkeys(flows["period"]))
    table = flows.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    table = table.reindex(index=periods, columns=[c for c, _ in series]).rename(columns=dict(series))
    return table.rename_axis(index=period_header, columns=None).reset_index()
