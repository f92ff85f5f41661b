"""Figure builders of 县区对比 and 报送进度: types, order, labels, customdata."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.compare import heatmap_figure, score_figure
from charts.reporting import cell_text, status_figure


def test_heatmap_rows_in_unit_order_values_as_text_colour_per_column():
    matrix = pd.DataFrame(
        {"a": [10.0, 30.0, None], "b": [90.0, 70.0, 80.0]},
        index=pd.Index(["U1", "U2", "U3"], name="unit_code"),
    )
    fig = heatmap_figure(matrix, ["市本级", "濂溪区", "浔阳区"], ["提案提交数", "立案率"], ["件", "%"])
    assert isinstance(fig, go.Figure) and isinstance(fig.data[0], go.Heatmap)
    hm = fig.data[0]
    assert list(hm.y) == ["市本级", "濂溪区", "浔阳区"]
    assert fig.layout.yaxis.autorange == "reversed"  # first unit on top
    assert list(hm.x) == ["提案提交数", "立案率"]
    assert [list(r) for r in hm.text] == [["10", "90.0%"], ["30", "70.0%"], ["—", "80.0%"]]
    z = [list(r) for r in hm.z]
    assert z[0] == [0.0, 1.0] and z[1] == [1.0, 0.0] and z[2][0] is None and math.isclose(z[2][1], 0.5)
    assert [list(r) for r in hm.customdata][1] == ["U2", "U2"]


def test_score_bars_best_on_top_with_codes_and_rank_change():
    ranked = pd.DataFrame(
        {
            "unit_code": ["360402", "360403", "360404"],
            "unit_name": ["濂溪区", "浔阳区", "柴桑区"],
            "score": [80.0, 33.3, float("nan")],
            "change": ["↑1", "", "—"],
        }
    )
    fig = score_figure(ranked, {"360402": "#111111"})
    bar = fig.data[0]
    assert isinstance(bar, go.Bar) and bar.orientation == "h"
    assert list(bar.y) == ["浔阳区", "濂溪区"]  # plotly draws the last on top; unscored units left out
    assert list(bar.customdata) == ["360403", "360402"]
    assert list(bar.text) == ["33.3", "80.0  ↑1"]
    assert bar.marker.color[1] == "#111111"


def test_status_matrix_states_text_and_not_due():
    cells = pd.DataFrame(
        {
            "unit_code": ["A", "A", "B", "B"],
            "column": ["1", "2", "1", "2"],
            "n_reported": [11, 6, 0, 0],
            "n_expected": [11, 11, 11, 11],
            "state": ["full", "partial", "none", "not_due"],
        }
    )
    fig = status_figure(
        cells, ["A", "B"], ["市本级", "濂溪区"], ["1", "2"], ["第1季度", "第2季度"], {"none": "未报送"}
    )
    hm = fig.data[0]
    assert isinstance(hm, go.Heatmap)
    assert list(hm.y) == ["市本级", "濂溪区"] and list(hm.x) == ["第1季度", "第2季度"]
    assert [list(r) for r in hm.text] == [["✓ 11/11", "6/11"], ["✗ 0/11", ""]]
    assert [list(r) for r in hm.z] == [[2, 1], [0, 3]]
    assert hm.customdata[1][0] == "未报送"
    assert cell_text(3, 7, "partial") == "3/7"
