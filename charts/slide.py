"""A slide's chart as plain data, and its Plotly figure for the screen, the projector and a report.

`ChartData` is what the PowerPoint export turns into a native chart and the presentation mode draws:
the categories and the series values, exactly as the metrics module computed them, so a deck, its
.pptx and its PDF can never disagree. Kinds: bar / hbar (units ranked) / line / clustered / stacked /
doughnut / funnel / heatmap (rows = categories, one series per column, coloured per column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from charts.compare import HEAT_SCALE, MISSING_BG, column_scale, wrap
from charts.format import fmt_number, is_missing, unit_label
from charts.theme import ACCENT, FONT_FAMILY, PALETTE, PRIMARY, TEXT, figure, hover, safe, value_ticks

ChartKind = Literal["bar", "hbar", "line", "clustered", "stacked", "doughnut", "funnel", "heatmap"]
SERIES_COLORS: tuple[str, ...] = (PRIMARY, ACCENT, "#C9962B", "#4F7F3A", "#6B4C9A", "#2A8C8C", "#8C564B")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    unit: str = ""  # 件, 次, %, 人次/人 …
    down: bool = False  # less is better (a heatmap column's colour runs the other way)


@dataclass(frozen=True)
class ChartData:
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_title: str = ""
    reference: float | None = None  # the city figure drawn as a dashed line on a ranking of units
    reference_label: str = ""
    colors: tuple[str, ...] = field(default_factory=tuple)  # per category (units keep their colour)
    notes: tuple[str, ...] = ()  # per category, under the value (a funnel's step rate: 立案率 85.1%)

    @property
    def unit(self) -> str:
        return self.series[0].unit if self.series else ""

    def is_empty(self) -> bool:
        return not self.categories or all(is_missing(v) for s in self.series for v in s.values)


@dataclass(frozen=True)
class Look:
    """Sizes for where the figure is shown: the page, the projector (read from the back of a room)."""

    font: int = 14
    value_font: int = 14
    height: int = 400
    bg: str = "white"
    text: str = TEXT
    grid: str = "#E6E6E6"


PAGE = Look()
PROJECTOR = Look(font=24, value_font=26, height=680, text="#111111", grid="#D0D0D0")
REPORT = Look(font=13, value_font=13, height=380)


def _values(s: Series) -> list[float | None]:
    return [None if is_missing(v) else float(v) for v in s.values]  # type: ignore[arg-type]


def _with_unit(v: float | None, unit: str, lang: str) -> str:
    """'1,995 件' / '86.6%': a value label never stands without its unit."""
    shown = unit_label(unit, lang)
    text = fmt_number(v, unit, lang)
    return text if v is None or unit == "%" or not shown else f"{text} {shown}"


def slide_figure(
    chart: ChartData, lang: str = "zh", look: Look = PAGE, height: int | None = None
) -> go.Figure:
    """The Plotly figure of a slide's chart; every label from the data escaped (charts.theme.figure)."""
    h = height or look.height
    cats = list(chart.categories)
    traces: list[dict] = []
    layout: dict = {
        "font": {"family": FONT_FAMILY, "size": look.font, "color": look.text},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": look.font}},
        "paper_bgcolor": look.bg,
        "plot_bgcolor": look.bg,
        "showlegend": len(chart.series) > 1 and chart.kind not in ("heatmap", "funnel"),
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": look.font},
        },
        "margin": {"l": 10, "r": 30, "t": 40 if len(chart.series) > 1 else 20, "b": 10},
    }
    axis = {
        "automargin": True,
        "gridcolor": look.grid,
        "zerolinecolor": look.grid,
        "tickfont": {"size": look.font},
    }
    unit = chart.unit
    if chart.kind in ("bar", "clustered", "stacked", "line"):
        for n, s in enumerate(chart.series):
            vals = _values(s)
            color = SERIES_COLORS[n % len(SERIES_COLORS)]
            t: dict = {
                "x": cats,
                "y": vals,
                "name": s.name,
                "text": [fmt_number(v, s.unit, lang) for v in vals],
                "hovertemplate": hover(s.name, s.unit, lang, "%{x}"),
            }
            if chart.kind == "line" or (s.unit == "%" and unit != "%"):
                t |= {
                    "type": "scatter",
                    "mode": "lines+markers+text",
                    "textposition": "top center",
                    "line": {"color": color, "width": 4},
                    "marker": {"size": 10},
                    "textfont": {"size": look.value_font - 4},
                }
                if s.unit == "%" and unit != "%":
                    t["yaxis"] = "y2"
            else:
                many = len(cats) * max(1, len(chart.series) if chart.kind == "clustered" else 1) > 16
                t |= {
                    "type": "bar",
                    "marker": {"color": color},
                    "textposition": "none" if many else ("inside" if chart.kind == "stacked" else "outside"),
                    "textfont": {"size": look.value_font - 4},
                    "cliponaxis": False,
                }
            traces.append(t)
        if chart.kind == "line" and len(cats) > 12:
            for t in traces:
                t["mode"] = "lines+markers"
        all_vals = [v for s in chart.series if s.unit == unit for v in _values(s)]
        if chart.kind == "stacked":
            all_vals = [
                sum(v or 0 for v in col) for col in zip(*(_values(s) for s in chart.series), strict=True)
            ]
        slanted = len(cats) > 8
        layout |= {
            "barmode": "stack" if chart.kind == "stacked" else "group",
            "xaxis": {**axis, "type": "category", "tickangle": -45 if slanted else 0},
            "yaxis": {
                **axis,
                "title": {"text": "" if unit == "%" else unit_label(unit, lang), "standoff": 6},
                "rangemode": "tozero",
                **value_ticks(all_vals, unit, lang),
                **({"ticksuffix": "%"} if unit == "%" else {}),
            },
        }
        if any(t.get("yaxis") == "y2" for t in traces):
            layout["yaxis2"] = {
                "overlaying": "y",
                "side": "right",
                "range": [0, 105],
                "ticksuffix": "%",
                "showgrid": False,
                "tickfont": {"size": look.font},
            }
    elif chart.kind == "hbar":
        s = chart.series[0]
        rows = [
            (c, v, chart.colors[i] if i < len(chart.colors) else PRIMARY)
            for i, (c, v) in enumerate(zip(cats, _values(s), strict=True))
            if v is not None
        ]
        rows.sort(key=lambda r: r[1] or 0.0)  # largest on top
        xmax = max([r[1] or 0.0 for r in rows] + [chart.reference or 0.0, 0.0])
        longest = max((len(_with_unit(r[1], s.unit, lang)) for r in rows), default=0)
        headroom = 1.12 + 0.035 * longest  # the value label beside the longest bar stays inside the plot
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": [r[1] for r in rows],
                "y": [r[0] for r in rows],
                "text": [_with_unit(r[1], s.unit, lang) for r in rows],
                "textposition": "outside",
                "textfont": {"size": look.value_font - 4},
                "cliponaxis": False,
                "marker": {"color": [r[2] for r in rows]},
                "hovertemplate": "%{y}：%{text}<extra></extra>",
            }
        )
        layout |= {
            "xaxis": {
                **axis,
                "range": [0, xmax * headroom if xmax else 1],
                "ticksuffix": "%" if s.unit == "%" else "",
            },
            "yaxis": {**axis, "type": "category"},
        }
        if chart.reference is not None:
            layout["shapes"] = [
                {
                    "type": "line",
                    "x0": chart.reference,
                    "x1": chart.reference,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "y domain",
                    "layer": "below",
                    "line": {"color": PRIMARY, "width": 3, "dash": "dash"},
                }
            ]
            layout["annotations"] = [
                {
                    "x": chart.reference,
                    "xref": "x",
                    "y": 1,
                    "yref": "y domain",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "text": safe(chart.reference_label),
                    "font": {"color": PRIMARY, "size": look.font},
                }
            ]
            layout["margin"]["t"] = 30 + look.font * 2
    elif chart.kind == "doughnut":
        s = chart.series[0]
        pairs = [(c, v) for c, v in zip(cats, _values(s), strict=True) if v]
        traces.append(
            {
                "type": "pie",
                "hole": 0.5,
                "labels": [p[0] for p in pairs],
                "values": [p[1] for p in pairs],
                "sort": False,
                "direction": "clockwise",
                "textinfo": "label+percent",
                "textposition": "outside",
                "textfont": {"size": look.value_font - 4},
                "marker": {"colors": list(PALETTE[: len(pairs)])},
                "text": [fmt_number(p[1], s.unit, lang) for p in pairs],
                "hovertemplate": "%{label}：%{text} "
                + safe(unit_label(s.unit, lang))
                + "（%{percent}）<extra></extra>",
            }
        )
        layout["showlegend"] = False
        layout["margin"] = {"l": 60, "r": 60, "t": 40, "b": 40}
    elif chart.kind == "funnel":
        s = chart.series[0]
        rows = [
            (c, v, chart.notes[i] if i < len(chart.notes) else "")
            for i, (c, v) in enumerate(zip(cats, _values(s), strict=True))
            if v is not None
        ]
        widest = max([r[1] or 0.0 for r in rows], default=0.0)
        texts = [
            f"<b>{safe(fmt_number(v, s.unit, lang) + ' ' + unit_label(s.unit, lang))}</b>"
            + (f"<br>{safe(note)}" if note else "")
            for _, v, note in rows
        ]
        traces.append(
            {
                "type": "funnel",
                "_markup": True,
                "y": [r[0] for r in rows],
                "x": [r[1] for r in rows],
                "text": texts,
                "textinfo": "text",
                "textposition": ["inside" if (v or 0) >= 0.4 * widest else "outside" for _, v, _ in rows],
                "insidetextfont": {"color": "white", "size": look.value_font},
                "outsidetextfont": {"color": look.text, "size": look.value_font},
                "constraintext": "none",
                "marker": {"color": list(SERIES_COLORS[: len(rows)])},
                "connector": {"fillcolor": "#F2E6E6", "line": {"width": 0}},
                "hovertemplate": "%{y}：%{text}<extra></extra>",
            }
        )
        layout["yaxis"] = {"tickfont": {"size": look.font + 2}}
    elif chart.kind == "heatmap":
        cols = list(chart.series)
        scaled = []
        for s in cols:  # 0–1 within each column, as the 县区对比 page's heatmap (charts.compare)
            sc = column_scale(pd.Series(_values(s), dtype="float64"))
            scaled.append([None if v is None else (1.0 - v if s.down else v) for v in sc])
        z = [[scaled[j][i] for j in range(len(cols))] for i in range(len(cats))]
        text = [
            [fmt_number(_values(s)[i], s.unit, lang, 2 if s.unit.endswith("/人") else 1) for s in cols]
            for i in range(len(cats))
        ]
        names = [safe(s.name) for s in cols]
        traces.append(
            {
                "type": "heatmap",
                "z": z,
                "x": [s.name for s in cols],
                "y": cats,
                "text": text,
                "texttemplate": "%{text}",
                "textfont": {"size": look.value_font - 6},
                "colorscale": HEAT_SCALE,
                "zmin": 0,
                "zmax": 1,
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
                "hoverongaps": False,
                "hovertemplate": "%{y} · %{x}<br>%{text}<extra></extra>",
            }
        )
        layout |= {
            "xaxis": {
                **axis,
                "side": "top",
                "type": "category",
                "tickangle": 0,
                "tickmode": "array",
                "tickvals": names,
                "ticktext": [wrap(n, 4) for n in names],
                "showgrid": False,
            },
            "yaxis": {**axis, "type": "category", "autorange": "reversed", "showgrid": False},
            "plot_bgcolor": MISSING_BG,
        }
    return figure(traces, layout, height=h)


def table_rows(chart: ChartData) -> tuple[list[str], list[list[object]]]:
    """The chart's data as a header and rows (category, one column per series): Excel, notes, the PDF."""
    head = [chart.category_title or "", *(s.name for s in chart.series)]
    rows: list[list[object]] = [
        [c, *(s.values[i] for s in chart.series)] for i, c in enumerate(chart.categories)
    ]
    return head, rows


def series_units(series: Sequence[Series]) -> list[str]:
    return [s.unit for s in series]
