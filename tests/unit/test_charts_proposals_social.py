"""The figure builders of the 提案工作 and 社情民意 pages: trace types, order, unit codes for clicks, labels."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.funnels import SERIES_COLORS, funnel_figure, period_bars_figure, wide_table
from charts.overview import ranking_figure
from charts.theme import PRIMARY

STAGES = pd.DataFrame(
    {
        "stage": ["提交", "立案", "办复", "满意"],
        "value": [12345.0, 1050.0, None, 40.0],
        "rate_label": ["", "立案率", "办复率", "满意率"],
        "rate": [None, 85.14, None, 90.0],
    }
)


def test_funnel_has_the_stages_in_order_with_counts_and_step_rates():
    fig = funnel_figure(STAGES, "件")
    (trace,) = fig.data
    assert isinstance(trace, go.Funnel)
    assert list(trace.y) == ["提交", "立案", "满意"], "a missing stage is left out, not drawn as zero"
    assert list(trace.text) == [
        "<b>1.23万 件</b>",
        "<b>1,050 件</b><br>立案率 85.1%",
        "<b>40 件</b><br>满意率 90.0%",
    ]
    assert trace.textinfo == "text"
    # a stage far narrower than the widest gets its text outside the bar
    assert list(trace.textposition) == ["inside", "outside", "outside"]


def test_unit_bars_sorted_with_codes_colours_and_the_city_line():
    per_unit = pd.DataFrame(
        {
            "unit_code": ["360402", "360424", "360400", "360423"],
            "unit_name": ["濂溪区", "修水县", "市本级", "武宁县"],
            "value": [75.0, 90.0, 50.0, math.nan],  # 武宁县: a zero denominator, not drawn
            "detail": ["立案数 30 ÷ 提案提交数 40", "", "单位直接报送的比率，不计入合计", ""],
        }
    )
    colors = {"360402": "#111111", "360424": "#222222", "360400": "#333333"}
    fig = ranking_figure(per_unit, "%", colors, 78.0, "全市 78.0%")
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["市本级", "濂溪区", "修水县"], "largest on top (plotly draws from the bottom)"
    assert list(bar.customdata) == ["360400", "360402", "360424"]
    assert list(bar.marker.color) == ["#333333", "#111111", "#222222"]
    assert list(bar.text) == ["50.0%", "75.0%", "90.0%"]
    assert bar.hovertext[1] == "<br>立案数 30 ÷ 提案提交数 40"
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == 78.0 and line.line.dash == "dash"
    assert fig.layout.annotations[0].text == "全市 78.0%"
    assert fig.layout.xaxis.ticksuffix == "%" and (
        fig.layout.yaxis.automargin or fig.layout.template.layout.yaxis.automargin
    )


def test_unit_bars_for_counts_have_no_line():
    per_unit = pd.DataFrame({"unit_code": ["360402"], "unit_name": ["濂溪区"], "value": [12000.0]})
    fig = ranking_figure(per_unit, "篇", {})
    assert not fig.layout.shapes and fig.data[0].text == ("1.2万",)
    assert fig.data[0].marker.color == (PRIMARY,)


FLOWS = pd.DataFrame(
    {
        "period": ["2024Q1", "2024Q1", "2024Q3", "2024Q3"],
        "indicator": ["info_collected", "info_adopted", "info_collected", "info_adopted"],
        "value": [1830.0, 70.0, 200.0, 8.0],
    }
)
SERIES = [("info_collected", "社情民意信息收集"), ("info_adopted", "被采用")]


def test_period_bars_group_the_series_keep_gaps_and_put_the_rate_on_a_second_axis():
    rate = pd.DataFrame({"period": ["2024Q1", "2024Q3"], "value": [21.875, 20.0]})
    periods = ["2024Q1", "2024Q2", "2024Q3"]
    fig = period_bars_figure(FLOWS, SERIES, "篇", rate, "采用率", periods=periods)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert [b.name for b in bars] == ["社情民意信息收集", "被采用"]
    assert [b.marker.color for b in bars] == list(SERIES_COLORS[:2])
    assert list(bars[0].x) == periods and list(bars[0].y) == [1830.0, None, 200.0], "Q2 is a gap, not 0"
    (line,) = [t for t in fig.data if isinstance(t, go.Scatter)]
    assert line.yaxis == "y2" and list(line.text) == ["21.9%", "—", "20.0%"]
    assert fig.layout.yaxis2.ticksuffix == "%" and fig.layout.barmode == "group"
    assert fig.layout.xaxis.type == "category"


def test_period_bars_without_a_rate_have_one_axis():
    fig = period_bars_figure(FLOWS, SERIES, "篇")
    assert len(fig.data) == 2 and list(fig.data[0].x) == ["2024Q1", "2024Q3"]
    assert "yaxis2" not in fig.to_plotly_json()["layout"]


def test_wide_table_is_the_chart_data_per_period():
    table = wide_table(FLOWS, SERIES, "季度", ["2024Q1", "2024Q2", "2024Q3"])
    assert list(table.columns) == ["季度", "社情民意信息收集", "被采用"]
    assert table["季度"].tolist() == ["2024Q1", "2024Q2", "2024Q3"]
    assert table["被采用"].tolist()[0::2] == [70.0, 8.0] and math.isnan(table["被采用"].iloc[1])


def test_hovers_name_the_indicator_and_unit_and_keep_names_as_text():
    """Not a bare '2026Q3 138' (issue 8, item 15); a name holding <a href> stays text (issue 9, item 5)."""
    import pandas as pd

    from charts.overview import trend_figure

    series = pd.DataFrame({"year": [2026, 2026], "quarter": [2, 3], "value": [120.0, 12_345.0]})
    fig = trend_figure(series, "件", False, "zh", '提案提交数<a href="http://evil.example">x</a>')
    t = fig.data[0].hovertemplate
    assert t.startswith("%{x} · 提案提交数&lt;a href") and t.endswith("%{text} 件<extra></extra>")
    assert "<a " not in t
    assert list(fig.layout.yaxis.ticktext)[-2:] == ["1万", "1.25万"]  # the axis as the labels: 万, not 12k
