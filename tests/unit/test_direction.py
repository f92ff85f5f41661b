"""Up is not always good (issue 8, item 11): the dictionary says which way is good, and the KPI cards,
the heatmap and the composite index follow it."""

from __future__ import annotations

import pandas as pd

from charts.compare import heatmap_figure
from domain.dictionary import load_dictionary
from metrics.composite import scores

DIC = load_dictionary()


def test_the_dictionary_states_direction():
    assert DIC["members_removed"].direction == "down" and DIC["reminder_talks"].direction == "down"
    assert DIC["members_total"].direction == "neutral"
    assert DIC["proposals_submitted"].direction == "up"
    assert [DIC[c].delta_color for c in ("proposals_submitted", "members_removed", "members_total")] == [
        "normal",
        "inverse",
        "off",
    ]


def test_the_heatmap_colours_fewer_removals_as_better():
    m = pd.DataFrame({"members_removed": [0.0, 4.0], "inspections": [0.0, 4.0]}, index=["A", "B"])
    fig = heatmap_figure(m, ["A", "B"], ["撤销", "视察"], ["名", "次"], "zh", [True, False])
    z = fig.data[0].z
    assert [list(r) for r in z] == [[1.0, 0.0], [0.0, 1.0]]


def test_the_composite_index_counts_down_indicators_reversed():
    df = pd.DataFrame(
        {
            "label": ["2024"] * 4,
            "unit_code": ["A", "B", "A", "B"],
            "indicator": ["inspections", "inspections", "members_removed", "members_removed"],
            "value": [5.0, 5.0, 0.0, 3.0],
        }
    )
    w = {"inspections": 1.0, "members_removed": 1.0}
    ranked = scores(df, "2024", ["A", "B"], w, down={"members_removed"})
    assert ranked["unit_code"].tolist() == ["A", "B"]  # A removed no one
    assert scores(df, "2024", ["A", "B"], w)["unit_code"].tolist() == ["B", "A"]  # as if more were better
