"""Chart builders of the activity pages: quarter order, stacking, second axes, labels, summary figures."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.activities import (
    grouped_quarters_figure,
    quarter_table,
    stacked_quarters_figure,
)
from charts.theme import PRIMARY
from metrics.aggregate import COLUMNS
from metrics.summary import Figure, figures_from_frame

NAMES = {"a": "全体会议协商", "b": "专题协商", "t": "协商活动", "g": "基层协商议事", "r": "人均参加活动"}
UNITS = {"a": "次", "b": "次", "t": "次", "g": "场次", "r": "人次/人"}


def frame(rows: list[tuple]) -> pd.DataFrame:
    """A compute()-shaped frame from (label, unit_code, indicator, value, approximate)."""
    return pd.DataFrame(
        [
            {
                **dict.fromkeys(COLUMNS),
                "label": lb,
                "unit_code": u,
                "indicator": i,
                "value": v,
                "approximate": ap,
            }
            for lb, u, i, v, ap in rows
        ],
        columns=COLUMNS,
    )


def test_quarter_table_keeps_the_given_order_and_missing_stays_missing():
    df = frame(
        [
            ("2024Q2", None, "a", 3.0, False),
            ("2024Q1", None, "a", 1.0, False),
            ("2024Q1", None, "b", 2.0, False),
            ("2024Q1", "360402", "a", 1.0, False),  # a unit row: not a total, ignored
        ]
    )
    wide = quarter_table(df, ["2024Q1", "2024Q2", "2024Q3"], ["a", "b"])
    assert list(wide.columns) == ["label", "a", "b"]
    assert list(wide["label"]) == ["2024Q1", "2024Q2", "2024Q3"]
    assert list(wide["a"][:2]) == [1.0, 3.0] and math.isnan(wide["a"][2])
    assert math.isnan(wide["b"][1])


def test_quarter_table_of_an_empty_frame():
    wide = quarter_table(pd.DataFrame(columns=COLUMNS), ["2024Q1"], ["a"])
    assert list(wide["label"]) == ["2024Q1"] and wide["a"].isna().all()


def wide_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["2024Q1", "2024Q2"],
            "a": [1.0, None],
            "b": [3.0, 2.0],
            "t": [4.0, 2.0],
            "g": [12000.0, 900.0],
            "r": [2.5, 3.1],
        }
    )


def test_stacked_figure_stacks_types_in_order_and_writes_the_total_on_top():
    fig = stacked_quarters_figure(wide_frame(), ["a", "b"], NAMES, "次", "zh", total_code="t")
    assert isinstance(fig, go.Figure)
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["全体会议协商", "专题协商"]
    assert list(bars[0].x) == ["2024Q1", "2024Q2"]
    assert list(bars[1].text) == ["3", "2"] and bars[0].text[1] == "—"  # missing shown as —
    total = fig.data[-1]
    assert total.mode == "text" and list(total.text) == ["4", "2"] and not total.showlegend
    assert all(t.customdata is None for t in fig.data)  # series by type, not by unit: not clickable
    assert fig.layout.yaxis.title.text == "次"
    assert fig.layout.xaxis.type == "category"


def test_grouped_figure_never_stacks_and_puts_lines_on_a_second_axis():
    fig = grouped_quarters_figure(wide_frame(), ["t", "r"], NAMES, UNITS, "zh", line_codes=["r"])
    assert fig.layout.barmode == "group"
    bar, line = fig.data
    assert bar.type == "bar" and bar.name == "协商活动" and bar.yaxis in (None, "y")
    assert line.type == "scatter" and line.yaxis == "y2" and line.line.color == PRIMARY
    assert list(line.text) == ["2.5", "3.1"]
    assert fig.layout.yaxis2.overlaying == "y" and fig.layout.yaxis2.side == "right"
    assert fig.layout.yaxis2.title.text == "人次/人" and fig.layout.yaxis.title.text == "次"
    assert fig.layout.showlegend


def test_single_series_is_labelled_in_chinese_units_unless_asked_not_to():
    fig = grouped_quarters_figure(wide_frame(), ["g"], NAMES, UNITS, "zh")
    (bar,) = fig.data
    assert bar.marker.color == PRIMARY and bar.textposition == "outside"
    assert list(bar.text) == ["1.2万", "900"]
    assert not fig.layout.showlegend
    assert fig.layout.yaxis.title.text == "场次"
    quiet = grouped_quarters_figure(wide_frame(), ["g"], NAMES, UNITS, "zh", value_labels=False)
    assert quiet.data[0].textposition == "none"
    assert grouped_quarters_figure(wide_frame(), ["g"], NAMES, UNITS, "en").data[0].text[0] == "12,000"


def test_many_quarters_tilt_their_labels():
    labels = [f"{y}Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    wide = pd.DataFrame({"label": labels, "g": range(12)})
    fig = grouped_quarters_figure(wide, ["g"], NAMES, UNITS)
    assert fig.layout.xaxis.tickangle == -45
    assert list(fig.layout.xaxis.categoryarray) == labels


def test_summary_figures_pick_totals_for_the_period_and_a_year_earlier():
    df = frame(
        [
            ("2024", None, "t", 16.0, False),
            ("2023", None, "t", 6.0, False),
            ("2024", None, "g", 1600.0, True),
            ("2024", "360402", "g", 650.0, False),
            ("2023", None, "r", float("nan"), False),
        ]
    )
    f = figures_from_frame(df, "2024", "2023")
    assert f["t"] == Figure(16.0, 6.0, False)
    assert f["g"] == Figure(1600.0, None, True)
    assert f["r"] == Figure(None, None, False)
