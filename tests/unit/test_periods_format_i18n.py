"""Periods, number formatting and the message catalogue."""

from __future__ import annotations

import re

import pytest

from charts.format import fmt_number, fmt_pct
from domain.periods import Period, parse_label, quarters_between
from i18n import catalogue, t


@pytest.mark.parametrize("period", [Period(2024, 3, "quarter"), Period(2024, 2, "ytd"), Period(2023)])
def test_label_round_trip(period):
    assert parse_label(period.label) == period


def test_period_windows_and_comparisons():
    assert Period(2024, 1, "quarter").previous_quarter() == Period(2023, 4, "quarter")
    assert Period(2024, 3, "ytd").previous_year().window() == (2023, 1, 3, False)
    assert Period(2024).window() == (2024, 1, 4, True)
    assert Period(2024, 2, "ytd").previous_quarter() is None
    assert Period(2024, 3, "quarter").zh() == "2024年第三季度"
    assert Period(2024, 2, "ytd").zh() == "2024年1-6月"
    assert quarters_between((2023, 3), (2024, 2)) == [(2023, 3), (2023, 4), (2024, 1), (2024, 2)]
    with pytest.raises(ValueError):
        Period(2024, 5, "quarter")


def test_chinese_number_formats():
    assert fmt_number(1234, "件") == "1,234"
    assert fmt_number(55000, "场次") == "5.5万"
    assert fmt_number(3.2e8, "元") == "3.2亿"
    assert fmt_number(55000, "场次", lang="en") == "55,000"
    assert fmt_number(85.06, "%") == "85.1%"
    assert fmt_number(float("nan"), "件") == "—"
    assert fmt_pct(-5.24) == "5.2%"


def test_catalogue_has_both_languages_and_matching_placeholders():
    for key, entry in catalogue().items():
        assert entry.get("zh"), key
        assert entry.get("en"), key
        names = lambda s: sorted(set(re.findall(r"{(\w+)}", s)))  # noqa: E731
        assert set(names(entry["en"])) <= set(names(entry["zh"])) | {"mon"}, key
    assert t("kpi.reporting", "zh", n=3, total=14) == "3/14 个单位已报送"
