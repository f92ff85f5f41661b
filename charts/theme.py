"""One look for every chart: CJK fonts, readable sizes on a projector, consistent unit colours.

The font list starts with the Noto CJK family (Debian's fonts-noto-cjk) and falls back to the fonts
Chinese Windows and macOS ship, so labels never render as boxes on the machines people use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from charts.format import fmt_number, unit_label

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)
PRIMARY = "#B22222"  # 政协红, used for totals and the single-series charts
ACCENT = "#1F4E79"
GRID = "#E6E6E6"
TEXT = "#262730"

# 16 distinguishable colours; a unit keeps its colour on every page (assigned by its place in the unit list).
PALETTE: tuple[str, ...] = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#393B79",
    "#AD494A",
    "#637939",
    "#CE6DBD",
    "#8C6D31",
    "#3182BD",
)


def unit_colors(unit_codes: Sequence[str]) -> dict[str, str]:
    """Colour per unit code, stable for a given unit list."""
    return {code: PALETTE[n % len(PALETTE)] for n, code in enumerate(unit_codes)}


_AXIS = {"automargin": True, "gridcolor": GRID, "zerolinecolor": GRID}
# One template object, built once: assigning it is ~4x cheaper than updating a figure's layout
# property by property (plotly validates every update), and pages build a dozen figures per run.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT},
        "margin": {"l": 10, "r": 20, "t": 30, "b": 10},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "separators": ".,",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    }
)


_DATA_KEYS = ("x", "y", "labels", "name", "customdata", "ids")  # never markup of ours
_TEXT_KEYS = ("text", "hovertext")  # ours may hold <br>/<b>: such a trace says "_markup"


def figure(traces: Sequence[dict], layout: dict | None = None, height: int = 380) -> go.Figure:
    """A themed figure made in one go from plain dicts (each trace names its "type").

    Plotly validates the whole figure once; add_trace / update_layout / update_xaxes validate and
    relayout at every call, which made a page's dozen figures cost ~5x more to build.

    Plotly draws a subset of HTML in labels, texts and hovers (`<a href>`, `<b>`): every string from
    the data is escaped here, so a unit name holding a link stays text. A trace whose texts carry our
    own markup sets "_markup": True and escapes the data it puts into them itself (`safe`).
    """
    clean = []
    for t in traces:
        t = dict(t)
        markup = t.pop("_markup", False)
        for key in _DATA_KEYS + (() if markup else _TEXT_KEYS):
            if key in t:
                t[key] = _escaped(t[key])
        clean.append(t)
    lay = dict(layout or {})
    for axis in ("xaxis", "yaxis", "yaxis2"):
        title = lay.get(axis, {}).get("title") if isinstance(lay.get(axis), dict) else None
        if isinstance(title, dict) and isinstance(title.get("text"), str):
            lay[axis] = {**lay[axis], "title": {**title, "text": safe(title["text"])}}
    return go.Figure(data=clean, layout={"template": TEMPLATE, "height": height, **lay})


def hover(name: str, unit: str, lang: str = "zh", at: str = "") -> str:
    """A hover that names what is shown and its unit: '2024Q3 · 提案提交数：138 件' (never a bare 138).

    `at` is a Plotly placeholder for where (%{x}, %{y}); the figure's text holds the formatted value.

    >>> hover("提案提交数", "件", at="%{x}")
    '%{x} · 提案提交数：%{text} 件<extra></extra>'
    """
    shown = "" if unit == "%" else unit_label(unit, lang)
    where = f"{at} · " if at else ""
    return f"{where}{safe(name)}：%{{text}}{' ' + shown if shown else ''}<extra></extra>"


def value_ticks(values: Sequence[object], unit: str, lang: str = "zh", n: int = 5) -> dict:
    """Axis ticks written like the figure's labels (fmt_number: 1.2万, 85%), at round steps from 0.

    >>> value_ticks([0, 12_345], "件")["ticktext"]
    ['0', '2,500', '5,000', '7,500', '1万', '1.25万']
    """
    top = max((float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)), default=0.0)
    if top <= 0:
        return {}
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    vals = [i * step for i in range(int(top // step) + 2)]
    vals = [v for v in vals if v <= top * 1.05] or [0.0]
    return {"tickmode": "array", "tickvals": vals, "ticktext": [fmt_number(v, unit, lang) for v in vals]}


def safe(text: object) -> str:
    """A string Plotly shows as written: &, < and > as entities (Plotly's HTML subset stays inert).

    >>> safe('<a href="http://h">x</a> & <b>')
    '&lt;a href="http://h"&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, list | tuple):
        return [safe(v) if isinstance(v, str) else v for v in value]
    return value


def city_line(x: float, label: str) -> dict:
    """Layout entries for a dashed vertical line at x under the bars, labelled above the plot: what
    Figure.add_vline draws, as plain dicts for `figure` (the city rate on a ranking of units)."""
    return {
        "shapes": [
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": PRIMARY, "width": 2, "dash": "dash"},
                "layer": "below",  # under the bars: the value labels inside them stay readable
            }
        ],
        "annotations": [
            {
                "x": x,
                "xref": "x",
                "xanchor": "center",
                "y": 1,
                "yref": "y domain",
                "yanchor": "bottom",
                "text": label,
                "showarrow": False,
                "font": {"color": PRIMARY},
            }
        ],
    }
