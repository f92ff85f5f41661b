"""The demo generator: deterministic, stable as time moves on, true to the dictionary's rules, plausible."""

from __future__ import annotations

import dataclasses
import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.generate import generate, latest_complete_quarter
from domain.dictionary import Dictionary, Indicator, demo_units, load_dictionary

LAST = (2026, 3)
CITY = "360400"


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return load_dictionary()


@pytest.fixture(scope="module")
def frame(dictionary: Dictionary) -> pd.DataFrame:
    return generate(demo_units(), dictionary, last=LAST)


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, year, quarter), one column per indicator."""
    return frame.pivot_table(index=["unit_code", "year", "quarter"], columns="indicator", values="value")


def _yearly(frame: pd.DataFrame, *, full_years_only: bool = True) -> pd.DataFrame:
    """City-wide flows by year (stocks summed too, so only read flows from it)."""
    out = frame.groupby(["year", "indicator"])["value"].sum().unstack()
    return out.loc[out.index < LAST[0]] if full_years_only else out


def _counted(dictionary: Dictionary) -> set[str]:
    return {i.code for i in dictionary if i.kind in ("flow", "stock")}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 11, 23), (2026, 3)),
        (datetime.date(2026, 1, 5), (2025, 4)),
        (datetime.date(2026, 3, 31), (2025, 4)),
        (datetime.date(2026, 4, 1), (2026, 1)),
        (datetime.date(2026, 12, 31), (2026, 3)),
        (datetime.date(2027, 7, 1), (2027, 2)),
    ],
)
def test_latest_complete_quarter(today: datetime.date, expected: tuple[int, int]) -> None:
    assert latest_complete_quarter(today) == expected


def test_columns_and_types(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["unit_code", "year", "quarter", "indicator", "value"]
    assert frame["year"].dtype == "int64" and frame["quarter"].dtype == "int64"
    assert frame["value"].dtype == "float64"
    assert all(isinstance(c, str) for c in frame["unit_code"])
    assert set(frame["quarter"]) == {1, 2, 3, 4}


def test_same_arguments_same_frame(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    pd.testing.assert_frame_equal(generate(demo_units(), dictionary, last=LAST), frame)


def test_another_seed_another_frame(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    other = generate(demo_units(), dictionary, last=LAST, seed=7)
    assert not other["value"].equals(frame["value"])


def test_the_past_stays_put_as_quarters_are_added(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    shorter = generate(demo_units(), dictionary, last=(2024, 4))
    pd.testing.assert_frame_equal(shorter, frame[frame["year"] <= 2024].reset_index(drop=True))


def test_a_later_start_does_not_change_values(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    later = generate(demo_units(), dictionary, first=(2023, 2), last=LAST)
    periods = list(zip(frame["year"], frame["quarter"], strict=True))
    expected = frame[[p >= (2023, 2) for p in periods]].reset_index(drop=True)
    pd.testing.assert_frame_equal(later, expected)


def test_default_last_is_the_latest_complete_quarter(dictionary: Dictionary) -> None:
    latest = latest_complete_quarter(datetime.date.today())
    out = generate(demo_units()[:2], dictionary, first=(latest[0], 1))
    assert max(zip(out["year"], out["quarter"], strict=True)) == latest


def test_every_not_above_rule_holds_everywhere(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    rules = [(i.code, i.not_above) for i in dictionary if i.not_above]
    assert rules
    wide = _wide(frame)
    for child, parent in rules:
        broken = wide[wide[child] > wide[parent]]
        assert broken.empty, f"{child} > {parent} in {list(broken.index[:5])}"


def test_counts_are_whole_and_not_negative(frame: pd.DataFrame) -> None:
    assert (frame["value"] >= 0).all()
    assert (frame["value"] == frame["value"].round()).all()
    assert frame["value"].notna().all()


def test_only_flows_and_stocks(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    computed = {i.code for i in dictionary if i.kind in ("ratio", "sum")}
    assert computed  # the dictionary has some, and none of them is emitted
    assert set(frame["indicator"]) == _counted(dictionary)


def test_every_unit_quarter_and_indicator_once(frame: pd.DataFrame, dictionary: Dictionary) -> None:
    units = {u.code for u in demo_units()}
    quarters = (LAST[0] - 2019) * 4 + LAST[1]
    assert set(frame["unit_code"]) == units
    assert len(frame) == len(units) * quarters * len(_counted(dictionary))
    assert not frame.duplicated(["unit_code", "year", "quarter", "indicator"]).any()
    assert (frame["year"].min(), frame["year"].max()) == (2019, LAST[0])
    assert frame[frame["year"] == LAST[0]]["quarter"].max() == LAST[1]


def test_an_indicator_added_to_the_dictionary_is_generated_and_capped(dictionary: Dictionary) -> None:
    extra = Indicator("proposals_online", "网上提案数", "proposals", "件", "flow", not_above="proposals_key")
    grown = Dictionary((*dictionary.indicators, extra))
    wide = _wide(generate(demo_units(), grown, first=(2023, 1), last=(2023, 4)))
    assert (wide["proposals_online"] <= wide["proposals_key"]).all()
    assert wide["proposals_online"].sum() > 0


@pytest.mark.parametrize(
    ("first", "last"), [((2023, 0), (2023, 4)), ((2023, 1), (2023, 5)), ((2024, 1), (2023, 4))]
)
def test_bad_periods_are_refused(
    dictionary: Dictionary, first: tuple[int, int], last: tuple[int, int]
) -> None:
    with pytest.raises(ValueError):
        generate(demo_units(), dictionary, first=first, last=last)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**63), year=st.integers(2015, 2030))
def test_rules_hold_for_any_seed_and_year(seed: int, year: int) -> None:
    dictionary = load_dictionary()
    out = generate(demo_units()[:4], dictionary, first=(year, 1), last=(year, 4), seed=seed)
    wide = _wide(out)
    for child in (i for i in dictionary if i.not_above):
        assert (wide[child.code] <= wide[child.not_above]).all()
    assert (out["value"] >= 0).all() and (out["value"] == out["value"].round()).all()


# Plausibility: what leadership sees must look like the seeds' 九江市 figures.


def test_city_committee_gets_300_to_450_proposals_a_year(frame: pd.DataFrame) -> None:
    yearly = _yearly(frame[frame["unit_code"] == CITY])["proposals_submitted"]
    assert yearly.between(250, 500).all(), yearly.to_dict()


def test_counties_get_80_to_200_proposals_a_year(frame: pd.DataFrame) -> None:
    counties = frame[(frame["unit_code"] != CITY) & (frame["indicator"] == "proposals_submitted")]
    yearly = counties[counties["year"] < LAST[0]].groupby(["unit_code", "year"])["value"].sum()
    assert yearly.between(50, 280).all() and yearly.median() > 100, yearly.describe()


def test_city_wide_rates(frame: pd.DataFrame) -> None:
    y = _yearly(frame)
    assert (y["proposals_registered"] / y["proposals_submitted"]).between(0.75, 0.97).all()
    assert (y["proposals_answered"] / y["proposals_registered"]).between(0.9, 1.0).all()
    assert (y["proposals_satisfied"] / y["proposals_answered"]).between(0.95, 1.0).all()
    assert (y["proposals_livelihood"] / y["proposals_submitted"]).between(0.33, 0.47).all()
    assert (y["proposals_collective"] / y["proposals_submitted"]).between(0.06, 0.14).all()
    assert (y["info_submitted"] / y["info_collected"]).between(0.3, 0.5).all()
    assert (y["info_adopted"] / y["info_submitted"]).between(0.18, 0.32).all()


def test_registration_rate_differs_by_unit(frame: pd.DataFrame) -> None:
    y = frame[frame["year"] == 2023].groupby(["unit_code", "indicator"])["value"].sum().unstack()
    rate = y["proposals_registered"] / y["proposals_submitted"]
    assert rate.max() - rate.min() > 0.05


def test_most_proposals_arrive_at_the_plenary_session(frame: pd.DataFrame) -> None:
    proposals = frame[frame["indicator"] == "proposals_submitted"]
    by_quarter = proposals.groupby(["unit_code", "year", "quarter"])["value"].sum().unstack()
    full = by_quarter.dropna()
    assert (full[1] / full.sum(axis=1) > 0.5).all()


def test_plenary_consultation_only_in_the_first_quarter(frame: pd.DataFrame) -> None:
    plenary = frame[frame["indicator"] == "consult_plenary"]
    assert (plenary[plenary["quarter"] > 1]["value"] == 0).all()
    assert (plenary[plenary["quarter"] == 1]["value"] >= 1).all()


def test_grassroots_consultation_grows_since_2021(frame: pd.DataFrame) -> None:
    y = _yearly(frame)["consult_grassroots"]
    assert y[2021] > y[2020] and y[2023] > y[2021] and y[2025] > y[2023]


def test_pandemic_dip_in_first_half_of_2020(frame: pd.DataFrame) -> None:
    first_half = frame[frame["quarter"] <= 2]
    for code in ("member_activities", "inspections", "member_participations"):
        by_year = first_half[first_half["indicator"] == code].groupby("year")["value"].sum()
        assert by_year[2020] < 0.85 * by_year[2019], code


def test_members_change_at_term_changes_and_only_slightly_otherwise(frame: pd.DataFrame) -> None:
    members = frame[frame["indicator"] == "members_total"].sort_values(["unit_code", "year", "quarter"])
    step = members.groupby("unit_code")["value"].diff().abs()
    term_change = (members["year"] == 2022) & (members["quarter"] == 1)
    assert (step[~term_change].dropna() <= 5).all()
    city = members[members["unit_code"] == CITY]["value"]
    counties = members[members["unit_code"] != CITY]["value"]
    assert city.between(350, 450).all() and counties.between(140, 320).all()


def test_big_counties_are_consistently_bigger(frame: pd.DataFrame) -> None:
    counties = frame[frame["unit_code"] != CITY]
    yearly = counties.groupby(["indicator", "year", "unit_code"])["value"].sum()
    ranks = yearly.loc["proposals_submitted"].unstack().rank(axis=1)  # a row per year, counties ranked
    assert ranks.T.corr().min().min() > 0.6  # the order of counties barely changes from year to year


def test_member_stations_only_grow(frame: pd.DataFrame) -> None:
    stations = frame[frame["indicator"] == "member_stations"].sort_values(["unit_code", "year", "quarter"])
    assert (stations.groupby("unit_code")["value"].diff().dropna() >= 0).all()
    by_year = stations[stations["quarter"] == 4].groupby("year")["value"].sum()
    assert by_year[2025] > by_year[2019]


def test_a_generator_of_other_units_works(dictionary: Dictionary) -> None:
    """Units are data: 忻州市's list (or any) generates just as well."""
    units = [dataclasses.replace(u, code="1409" + u.code[4:]) for u in demo_units()]
    out = generate(units, dictionary, first=(2024, 1), last=(2024, 4))
    assert set(out["unit_code"]) == {u.code for u in units}
