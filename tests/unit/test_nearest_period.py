"""The nearest period with data that an empty period's warning names (domain.periods.nearest_with_data),
on hand-made sets of quarters with data."""

from __future__ import annotations

from domain.periods import Period, nearest_with_data


def q(year: int, quarter: int) -> Period:
    return Period(year, quarter, "quarter")


def test_a_tie_names_the_earlier_quarter():
    # 2023Q4 and 2024Q2 are both one quarter from 2024Q1: the past one is complete
    assert nearest_with_data(q(2024, 1), {(2023, 4), (2024, 2)}) == q(2023, 4)


def test_a_nearer_later_quarter_beats_a_far_earlier_one():
    # not "the latest at or before": 2023Q2 is three quarters back, 2024Q2 one ahead
    assert nearest_with_data(q(2024, 1), [(2023, 2), (2024, 2)]) == q(2024, 2)
    assert nearest_with_data(q(2024, 1), [(2020, 1), (2024, 2)]) == q(2024, 2)


def test_only_later_data():
    assert nearest_with_data(q(2024, 1), [(2025, 1), (2024, 3)]) == q(2024, 3)


def test_only_earlier_data():
    assert nearest_with_data(q(2024, 2), [(2022, 1), (2023, 3)]) == q(2023, 3)


def test_no_data_names_nothing():
    assert nearest_with_data(q(2024, 2), []) is None
    assert nearest_with_data(Period(2024), iter(())) is None


def test_year_mode_names_a_whole_year():
    near = nearest_with_data(Period(2023), [(2024, 1), (2021, 4)])
    assert near == Period(2024) and near.zh() == "2024年"
    # counted from the year's nearer edge: 2022Q4 and 2024Q1 are both one quarter from 2023, so the
    # earlier year wins (counted from 2023's end, 2024Q1 would always win)
    assert nearest_with_data(Period(2023), [(2024, 1), (2022, 4)]) == Period(2022)
    assert nearest_with_data(Period(2023), [(2024, 1), (2022, 3)]) == Period(2024)


def test_year_to_date_mode_names_months_one_to_n():
    ytd = Period(2024, 2, "ytd")  # 2024年1-6月, empty
    near = nearest_with_data(ytd, [(2024, 3)])
    assert near == Period(2024, 3, "ytd") and near.zh() == "2024年1-9月"
    # 2023Q4 is one quarter before the window's start (2024Q1), 2024Q3 one after its end: the earlier
    near = nearest_with_data(ytd, [(2024, 3), (2023, 4)])
    assert near == Period(2023, 4, "ytd") and near.zh() == "2023年1-12月"
    near = nearest_with_data(ytd, [(2022, 4), (2023, 2)])
    assert near == Period(2023, 2, "ytd") and near.zh() == "2023年1-6月"
