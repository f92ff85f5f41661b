"""Figures of the activity pages (协商议政, 调研视察与民主监督, 委员履职): a domain's indicators by quarter.

The three pages share one shape — several counts of a domain over time, some stacked, some side by side,
a stock with its per-member ratio on a second axis — so they share these builders. Frames in, figures
out; every value comes from a metrics.aggregate.compute frame, nothing is summed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.format import fmt_number, is_missing
from charts.theme import ACCENT, PRIMARY, figure, hover

# Series colours for indicator types (not units: unit colours come from charts.theme.unit_colors).
SERIES_COLORS: tuple[str, ...] = (
    ACCENT,
    "#D98C1F",
    "#3A7D44",
    "#7B4F9D",
    "#5B8DB8",
    "#8C6D31",
    "#C2185B",
    "#607D8B",
)
LABELLED_BARS = 12  # a single series writes its values above the bars up to this many quarters


def quarter_table(frame: pd.DataFrame, labels: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """The totals rows of a compute() frame as a row per period label (in the given order), a column per code.

    A reshape only: compute() already gives one total per (label, indicator); missing stays NaN.
    """
    tot = frame[frame["unit_code"].isna() & frame["indicator"].isin(list(codes))]
    wide = tot.pivot(index="label", columns="indicator", values="value").reindex(
        index=list(labels), columns=list(codes)
    )
    wide = wide.apply(pd.to_numeric, errors="coerce")
    wide.index.name = "label"
    wide.columns.name = None
    return wide.reset_index()


def _x_axis(x: Sequence[str]) -> dict:
    return {
        "type": "category",
        "tickangle": -45 if len(x) > 8 else 0,
        "categoryorder": "array",
        "categoryarray": x,
    }


def _bar(x: list[str], vals: list, name: str, color: str, unit: str, lang: str) -> dict[str, Any]:
    """One indicator's bars by quarter, its formatted values in the hover (not on the bars)."""
    return {
        "type": "bar",
        "x": x,
        "y": vals,
        "name": name,
        "marker": {"color": color},
        "text": [fmt_number(v, unit, lang) for v in vals],
        "textposition": "none",
        "hovertemplate": hover(name, unit, lang, "%{x}"),
    }


def stacked_quarters_figure(
    wide: pd.DataFrame,
    codes: Sequence[str],
    names: Mapping[str, str],
    unit: str,
    lang: str = "zh",
    total_code: str | None = None,
) -> go.Figure:
    """Stacked bars by quarter, one colour per type; the total (a computed indicator) written on top."""
    x = list(wide["label"])
    traces: list[dict[str, Any]] = []
    for n, code in enumerate(codes):
        vals = list(wide[code])
        traces.append(_bar(x, vals, names[code], SERIES_COLORS[n % len(SERIES_COLORS)], unit, lang))
    if total_code is not None and total_code in wide:
        tot = list(wide[total_code])
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": tot,
                "mode": "text",
                "text": ["" if is_missing(v) else fmt_number(v, unit, lang) for v in tot],
                "textposition": "top center",
                "textfont": {"size": 13},
                "name": names.get(total_code, total_code),
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    ymax = max([v for v in wide[total_code] if not is_missing(v)] + [0]) if total_code in wide else 0
    layout: dict[str, Any] = {
        "barmode": "stack",
        "hovermode": "x unified",
        "legend": {"traceorder": "normal"},
        "margin": {"l": 10, "r": 20, "t": 60, "b": 10},
        "xaxis": _x_axis(x),
        "yaxis": {
            "title": {"text": unit},
            "rangemode": "tozero",
            **({"range": [0, ymax * 1.12]} if ymax else {}),
        },
    }
    return figure(traces, layout, height=420)


def grouped_quarters_figure(
    wide: pd.DataFrame,
    codes: Sequence[str],
    names: Mapping[str, str],
    units: Mapping[str, str],
    lang: str = "zh",
    line_codes: Sequence[str] = (),
    height: int = 380,
    value_labels: bool = True,
) -> go.Figure:
    """Bars side by side by quarter (never stacked: they do not add up); `line_codes` as lines on a second axis.

    A single series writes its values above the bars unless `value_labels` is off (a narrow column).
    A second axis is for an indicator of another size or unit (基层协商议事 in 场次, 人均参加活动 in 人次/人).
    """
    x = list(wide["label"])
    bar_codes = [c for c in codes if c not in line_codes]
    single = len(bar_codes) == 1 and not line_codes
    labelled = single and value_labels and len(x) <= LABELLED_BARS
    traces: list[dict[str, Any]] = []
    for n, code in enumerate(bar_codes):
        vals = list(wide[code])
        color = PRIMARY if single else SERIES_COLORS[n % len(SERIES_COLORS)]
        bar = _bar(x, vals, names[code], color, units[code], lang)
        if labelled:  # a single series writes its values above the bars
            bar["textposition"] = "outside"
        traces.append(bar | {"textfont": {"size": 13}, "cliponaxis": False})
    for code in line_codes:
        vals = list(wide[code])
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": vals,
                "name": names[code],
                "yaxis": "y2",
                "mode": "lines+markers",
                "line": {"color": PRIMARY, "width": 3},
                "marker": {"size": 7},
                "text": [fmt_number(v, units[code], lang) for v in vals],
                "hovertemplate": hover(names[code], units[code], lang, "%{x}"),
            }
        )
    bar_units = list(dict.fromkeys(units[c] for c in bar_codes))
    layout: dict[str, Any] = {
        "barmode": "group",
        "hovermode": "x unified",
        "showlegend": not single,
        "margin": {"l": 10, "r": 20, "t": 60, "b": 10},
        "xaxis": _x_axis(x),
        "yaxis": {
            "title": {"text": " / ".join(bar_units)},
            "rangemode": "tozero",
            "ticksuffix": "%" if bar_units == ["%"] else "",
        },
    }
    if line_codes:
        line_units = list(dict.fromkeys(units[c] for c in line_codes))
        layout["yaxis2"] = {
            "title": {"text": " / ".join(line_units)},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "automargin": True,
            "ticksuffix": "%" if line_units == ["%"] else "",
            "tickmode": "auto",  # its own round ticks, not ticks synced to the bars' axis
        }
    return figure(traces, layout, height=height)
