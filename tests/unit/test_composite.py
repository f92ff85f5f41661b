"""The composite index and the heatmap measures, on frames from the real metrics.aggregate.compute."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from domain.dictionary import load_dictionary
from domain.periods import Period
from metrics.aggregate import compute
from metrics.composite import (
    composite,
    measure_applies,
    measure_matrix,
    measure_unit,
    normalise,
    rank_change_text,
    scores,
)
from tests.helpers import add_batch, fact

DIC = load_dictionary()
A, B, C = "360402", "360403", "360404"
YTD = Period(2024, 2, "ytd")


@pytest.fixture
def frame(store):
    """2024 Q1–Q2 and 2023 Q1–Q2 for three units, C missing a rate and info_adopted."""
    add_batch(
        store,
        [
            # 2024: A submits 10+20, registers 9+18, 100 → 120 members (stock), 6 adopted
            fact(A, 2024, 1, "proposals_submitted", 10),
            fact(A, 2024, 2, "proposals_submitted", 20),
            fact(A, 2024, 1, "proposals_registered", 9),
            fact(A, 2024, 2, "proposals_registered", 18),
            fact(A, 2024, 1, "members_total", 100),
            fact(A, 2024, 2, "members_total", 120),
            fact(A, 2024, 2, "info_adopted", 6),
            # B submits 40+20, registers 30+12, 50 → 60 members, 3 adopted
            fact(B, 2024, 1, "proposals_submitted", 40),
            fact(B, 2024, 2, "proposals_submitted", 20),
            fact(B, 2024, 1, "proposals_registered", 30),
            fact(B, 2024, 2, "proposals_registered", 12),
            fact(B, 2024, 1, "members_total", 50),
            fact(B, 2024, 2, "members_total", 60),
            fact(B, 2024, 1, "info_adopted", 3),
            # C: 10 submitted in Q1 only, 20 members in Q1
            fact(C, 2024, 1, "proposals_submitted", 10),
            fact(C, 2024, 1, "members_total", 20),
            # 2023: only proposals, C first
            fact(A, 2023, 1, "proposals_submitted", 10),
            fact(B, 2023, 1, "proposals_submitted", 5),
            fact(C, 2023, 1, "proposals_submitted", 50),
        ],
    )
    codes = ["proposals_submitted", "registration_rate", "info_adopted", "members_total", "consult_total"]
    with store.connect() as con:
        return compute(con, [YTD, YTD.previous_year()], [A, B, C], codes)


def test_normalise_keeps_missing_and_handles_equal_values():
    assert normalise(pd.Series([10.0, 20.0, 30.0])).tolist() == [0.0, 50.0, 100.0]
    assert normalise(pd.Series([5.0, 5.0, None])).tolist()[:2] == [100.0, 100.0]
    assert all(math.isnan(v) for v in normalise(pd.Series([None, None], dtype=float)))


def test_scores_leave_missing_out_of_the_unit_mean(frame):
    w = {"proposals_submitted": 1, "registration_rate": 1, "info_adopted": 1, "consult_total": 1}
    s = scores(frame, YTD.label, [A, B, C], w).set_index("unit_code")
    # submitted 30, 60, 10 -> 40, 100, 0; rate 90 %, 70 %, — -> 100, 0, —; adopted 6, 3, — -> 100, 0, —
    # consult_total reported by nobody: out of every mean
    assert s.loc[A, "score"] == pytest.approx(80.0)  # (40 + 100 + 100) / 3
    assert s.loc[B, "score"] == pytest.approx(100 / 3)  # (100 + 0 + 0) / 3
    assert s.loc[C, "score"] == pytest.approx(0.0)  # 0 / 1, not (0 + 0 + 0) / 3 with zeros for missing
    assert list(s["n_indicators"]) == [3, 3, 1]
    assert list(s["rank"]) == [1, 2, 3]


def test_weights_change_the_score(frame):
    w = {"proposals_submitted": 1, "registration_rate": 3, "info_adopted": 1}
    s = scores(frame, YTD.label, [A, B, C], w).set_index("unit_code")
    assert s.loc[A, "score"] == pytest.approx(88.0)  # (40 + 3·100 + 100) / 5
    assert s.loc[B, "score"] == pytest.approx(20.0)  # (100 + 0 + 0) / 5


def test_zero_weights_and_ties():
    df = pd.DataFrame(
        {"label": ["x"] * 3, "unit_code": ["A", "B", "C"], "indicator": ["i"] * 3, "value": [5.0, 5.0, 1.0]}
    )
    s = scores(df, "x", ["A", "B", "C"], {"i": 1.0})
    assert list(s["rank"]) == [1, 1, 3]
    none = scores(df, "x", ["A", "B", "C"], {"i": 0.0})
    assert none["score"].isna().all() and none["rank"].isna().all()


def test_rank_change_against_the_same_period_last_year(frame):
    comp = composite(frame, YTD.label, YTD.previous_year().label, [A, B, C], {"proposals_submitted": 1})
    comp = comp.set_index("unit_code")
    # 2024: B 60 > A 30 > C 10; 2023: C 50 > A 10 > B 5
    assert list(comp["rank"]) == [1, 2, 3]
    assert comp.loc[B, "prev_rank"] == 3 and comp.loc[B, "rank_change"] == 2
    assert comp.loc[A, "rank_change"] == 0
    assert comp.loc[C, "rank_change"] == -2
    assert [rank_change_text(x) for x in comp["rank_change"]] == ["↑2", "—", "↓2"]
    assert rank_change_text(pd.NA) is None


def test_measures_share_and_per_member(frame):
    codes = ["proposals_submitted", "registration_rate", "members_total"]
    value = measure_matrix(frame, YTD.label, [A, B, C], codes, "value", DIC)
    assert value["members_total"].tolist() == [120.0, 60.0, 20.0]  # a stock: last quarter in the window
    assert value["registration_rate"].tolist()[:2] == [90.0, 70.0]  # 27/30, 42/60
    assert math.isnan(value["registration_rate"].iloc[2])
    share = measure_matrix(frame, YTD.label, [A, B, C], codes, "share", DIC)
    assert share["proposals_submitted"].tolist() == pytest.approx([30.0, 60.0, 10.0])  # of 30 + 60 + 10
    assert share["members_total"].tolist() == pytest.approx([60.0, 30.0, 10.0])  # of 120 + 60 + 20
    assert share["registration_rate"].tolist()[:2] == [90.0, 70.0]  # rates stay rates
    per = measure_matrix(frame, YTD.label, [A, B, C], codes, "per_member", DIC)
    assert per["proposals_submitted"].tolist() == pytest.approx([0.25, 1.0, 0.5])  # 30/120, 60/60, 10/20
    assert per["members_total"].tolist() == [120.0, 60.0, 20.0]  # a stock is not divided
    with pytest.raises(ValueError):
        measure_matrix(frame, YTD.label, [A], codes, "mean", DIC)


def test_measure_units():
    assert measure_applies("sum", "per_member") and not measure_applies("stock", "per_member")
    assert measure_unit("件", "flow", "share") == "%"
    assert measure_unit("人", "stock", "per_member") == "人"
    assert measure_unit("件", "flow", "per_member") == "件/人"
