"""Aggregation by kind, against hand-computed figures (DOMAIN.md: flow, stock, ratio, missing ≠ zero)."""

from __future__ import annotations

import pytest

from domain.dictionary import load_dictionary
from domain.periods import Period
from metrics.aggregate import change, compute, value_of
from tests.helpers import add_batch, fact

Y = Period(2024, None, "year")
Q1 = Period(2024, 1, "quarter")
Q2 = Period(2024, 2, "quarter")
YTD2 = Period(2024, 2, "ytd")
DIC = load_dictionary()


@pytest.fixture
def fixture_store(store):
    add_batch(
        store,
        [
            # unit A: submitted 10 + 6, registered 8 + 6; members 100 then 110 (stock); topic consults
            fact("A", 2024, 1, "proposals_submitted", 10),
            fact("A", 2024, 1, "proposals_registered", 8),
            fact("A", 2024, 2, "proposals_submitted", 6),
            fact("A", 2024, 2, "proposals_registered", 6),
            fact("A", 2024, 1, "members_total", 100),
            fact("A", 2024, 2, "members_total", 110),
            fact("A", 2024, 1, "consult_topic", 2),
            fact("A", 2024, 2, "consult_sector", 1),
            fact("A", 2024, 1, "member_participations", 300),
            # unit B: a much bigger denominator; members reported only in Q1 (stock keeps it for the year)
            fact("B", 2024, 1, "proposals_submitted", 90),
            fact("B", 2024, 1, "proposals_registered", 45),
            fact("B", 2024, 1, "members_total", 200),
            fact("B", 2024, 1, "member_participations", 100),
            # unit C: a rate reported without its parts, and no counts at all
            fact("C", 2024, None, "registration_rate", 51.5, reported_ratio=True),
            # unit D: zero submitted (a rate over a zero denominator is missing, not 0 or infinity)
            fact("D", 2024, 1, "proposals_submitted", 0),
            fact("D", 2024, 1, "proposals_registered", 0),
            # unit E: a whole-year figure and quarterly ones for the same indicator: the whole-year one wins
            fact("E", 2024, None, "info_collected", 50),
            fact("E", 2024, 1, "info_collected", 7),
        ],
    )
    return store


def get(store, period, indicator, unit=None, units=("A", "B", "C", "D", "E")):
    with store.connect() as con:
        df = compute(con, [period], list(units), [indicator])
    return value_of(df, period.label, indicator, unit)


def test_flow_adds_quarters_and_units(fixture_store):
    assert get(fixture_store, Y, "proposals_submitted", "A") == 16
    assert get(fixture_store, Y, "proposals_submitted") == 106  # 16 + 90 + 0
    assert get(fixture_store, Q2, "proposals_submitted") == 6
    assert get(fixture_store, YTD2, "proposals_submitted", "B") == 90


def test_stock_takes_last_reported_quarter_and_units_add(fixture_store):
    assert get(fixture_store, Y, "members_total", "A") == 110
    assert get(fixture_store, Y, "members_total", "B") == 200  # Q1 is B's last report
    assert get(fixture_store, Y, "members_total") == 310
    assert get(fixture_store, Q1, "members_total") == 300


def test_ratio_is_recomputed_from_summed_parts_never_averaged(fixture_store):
    # A: 14/16 = 87.5%, B: 45/90 = 50%, D: 0/0; the mean of rates would be 68.75%, the right answer 59/106
    assert get(fixture_store, Y, "registration_rate", "A") == pytest.approx(87.5)
    assert get(fixture_store, Y, "registration_rate", "B") == pytest.approx(50.0)
    assert get(fixture_store, Y, "registration_rate") == pytest.approx(59 / 106 * 100)


def test_ratio_over_zero_denominator_is_missing(fixture_store):
    assert get(fixture_store, Q1, "registration_rate", "D") is None


def test_reported_rate_is_shown_for_its_unit_and_not_aggregated(fixture_store):
    with fixture_store.connect() as con:
        df = compute(con, [Y], ["C"], ["registration_rate"])
    row = df[df["unit_code"] == "C"].iloc[0]
    assert row["value"] == 51.5 and bool(row["reported"])
    assert value_of(df, Y.label, "registration_rate") is None  # no total from a reported rate alone
    # and it does not leak into a quarter it was not reported for
    assert get(fixture_store, Q1, "registration_rate", "C") is None


def test_missing_is_not_zero(fixture_store):
    assert get(fixture_store, Y, "proposals_submitted", "C") is None
    assert get(fixture_store, Y, "info_adopted") is None
    with fixture_store.connect() as con:
        df = compute(con, [Y], ["A", "B", "C", "D", "E"], ["proposals_submitted"])
    total = df[df["unit_code"].isna()].iloc[0]
    assert total["n_units"] == 3  # A, B, D reported; C did not


def test_whole_year_figure_wins_over_quarters(fixture_store):
    assert get(fixture_store, Y, "info_collected", "E") == 50
    assert get(fixture_store, Q1, "info_collected", "E") == 7


def test_sum_indicator_adds_its_parts(fixture_store):
    assert get(fixture_store, Y, "consult_total", "A") == 3
    assert get(fixture_store, Q1, "consult_total") == 2


def test_ratio_of_flow_over_stock(fixture_store):
    # participations (A 300 + B 100) over members (A 110 at year end + B 200)
    assert get(fixture_store, Y, "participation_per_member") == pytest.approx(400 / 310)


def test_unit_filter_limits_the_total(fixture_store):
    assert get(fixture_store, Y, "proposals_submitted", units=("A",)) == 16


def test_superseded_value_is_replaced_and_kept(fixture_store):
    add_batch(fixture_store, [fact("A", 2024, 1, "proposals_submitted", 12)], file_name="fix.xlsx")
    assert get(fixture_store, Y, "proposals_submitted", "A") == 18
    with fixture_store.connect() as con:
        n = con.execute(
            "SELECT count(*) FROM facts WHERE unit_code='A' AND quarter=1 AND indicator='proposals_submitted'"
        ).fetchone()[0]
    assert n == 2  # the old value is kept in the history


def test_change_is_relative_for_counts_and_points_for_rates():
    flow = change(110.0, 100.0, DIC["proposals_submitted"])
    assert flow.pct == pytest.approx(10.0) and flow.delta == 10
    rate = change(85.1, 83.8, DIC["registration_rate"])
    assert rate.pct is None and rate.delta == pytest.approx(1.3)
    assert change(5.0, 0.0, DIC["proposals_submitted"]).pct is None
    assert not change(None, 3.0, DIC["proposals_submitted"]).known
