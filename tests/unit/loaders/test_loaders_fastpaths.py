"""The fast paths of the loaders give what the plain ones give: every record, issue and message.

extract hands validate what it already knows (records.Known: which records may break a value rule, and
the table rows); validate must report exactly the same issues without it. Wide rows of floats, long
tables (a lookup per distinct cell) and plain numbers in text (no full parse) are checked here too.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from loader_sheets import bench_units, codes, make_big_long_csv, make_csv, make_xlsx, values

import loaders
from loaders.issues import Issue, IssueLog
from loaders.records import Known
from loaders.table import is_note, plain_lead
from loaders.values import BadValue, Parsed, parse_value

_validate = importlib.import_module("loaders.validate").validate
HEADER: list[object] = ["县区", "年度", "季度", "提交提案", "立案", "办复", "立案率", "委员人数"]


def _wide(*rows: list[object], sheet: str = "汇总") -> dict[str, list[list[object]]]:
    return {sheet: [["九江市政协履职统计表"], HEADER, *rows]}


CASES = {
    "clean floats": _wide(
        ["修水县", 2024, 1, 35, 30, 20, 85.7, 120], ["武宁县", 2024, 1, 12, 10, 9, 83.3, 80]
    ),
    "rule breaks in float rows": _wide(
        ["修水县", 2024, 1, 35, 40, 20, 85.7, 120],  # 立案 > 提交
        ["武宁县", 2024, 1, -3, 0, 0, 0, 80],  # a negative count
        ["彭泽县", 2024, 1, 12.5, 10, 9, 130.0, 80],  # a fractional count, a rate above 100
        ["湖口县", 2024, 2, 12, 10, 11, 83.3, 80.5],  # 办复 > 立案, a fractional stock
    ),
    "fractions and text": _wide(
        ["修水县", 2024, 1, 35, 30, 20, 0.857, 120],
        ["武宁县", 2024, 1, "约12", 10, "—", 0.833, None],
        ["彭泽县", 2024, 1, 12, "10件", 9, "83.3%", 80],
    ),
    "totals": _wide(
        ["修水县", 2024, 1, 35, 30, 20, 85.7, 120],
        ["武宁县", 2024, 1, 12, 10, 9, 83.3, 80],
        ["小计", 2024, 1, 47, 41, 29, 0, 200],  # 立案 41 ≠ 40
        ["彭泽县", 2024, 1, 5, 4, 3, 75.0, 50],
        ["合计", 2024, 1, 52, 44, 33, 0, 250],
    ),
    "duplicate unit and period": _wide(
        ["修水县", 2024, 1, 35, 30, 20, 85.7, 120], ["修水县", 2024, 1, 36, 30, 20, 85.7, 120]
    ),
    "cumulative decrease": _wide(
        ["修水县", 2024, "1-3月", 35, 30, 20, 85.7, 120], ["修水县", 2024, "1-6月", 30, 30, 20, 85.7, 110]
    ),
    "future period": _wide(["修水县", 2025, 2, 35, 30, 20, 85.7, 120]),
}


BREAKS = {"rule breaks in float rows", "duplicate unit and period", "cumulative decrease", "future period"}


def _both_ways(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[Issue], list[Issue], Known | None]]:
    """Make parse_file validate twice, with and without `known`; returns what each gave."""
    seen: list[tuple[list[Issue], list[Issue], Known | None]] = []

    def validate(records, dictionary, log, names, today=None, known=None):  # type: ignore[no-untyped-def,unused-ignore]
        fast, plain = IssueLog("x"), IssueLog("x")
        _validate(records, dictionary, fast, names, today=today, known=known)
        _validate(records, dictionary, plain, names, today=today)
        seen.append((fast.finish(), plain.finish(), known))
        _validate(records, dictionary, log, names, today=today, known=known)

    monkeypatch.setattr(loaders, "validate", validate)
    return seen


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "long"])
def test_known_changes_no_issue(monkeypatch: pytest.MonkeyPatch, parse, case: str, fmt: str) -> None:
    sheets = CASES[case]
    if fmt == "xlsx":
        name, data = "t.xlsx", make_xlsx(sheets)
    elif fmt == "csv":
        name, data = "t.csv", make_csv(sheets["汇总"])
    else:  # the same figures, one per row
        long: list[list[object]] = [["单位", "年度", "季度", "指标", "数值"]]
        for row in sheets["汇总"][2:]:
            long += [[*row[:3], h, v] for h, v in zip(HEADER[3:], row[3:], strict=True) if v is not None]
        name, data = "t.csv", make_csv(long)
    seen = _both_ways(monkeypatch)
    pf = parse(name, data)
    [(fast, plain, known)] = seen
    assert fast == plain
    assert pf.records
    if case in BREAKS:
        assert plain, "the case breaks a rule"
    assert known is not None
    if fmt != "long":  # validate used the rows of a wide table
        assert known.rows is not None


def test_known_rows_describe_the_records(parse, dictionary, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _both_ways(monkeypatch)
    sheets = {
        **CASES["rule breaks in float rows"],
        **_wide(*CASES["fractions and text"]["汇总"][2:], sheet="续表"),
    }
    pf = parse("t.xlsx", make_xlsx(sheets))
    [(_, _, known)] = seen
    assert known is not None and known.rows is not None and known.suspects is not None
    assert sum(len(c) for _, c, _ in known.rows) == len(pf.records)
    for start, row_codes, cumulative in known.rows:
        recs = pf.records[start : start + len(row_codes)]
        assert [r.indicator for r in recs] == list(row_codes)
        assert len({(r.unit_code, r.year, r.quarter) for r in recs}) == 1
        assert cumulative or not any(r.cumulative for r in recs)
    rate = {i.code for i in dictionary if i.is_rate}
    flagged = {
        i
        for i, r in enumerate(pf.records)
        if (r.indicator in rate and not 0 <= r.value <= 100)
        or (r.indicator not in rate and (r.value < 0 or not r.value.is_integer()))
    }
    assert flagged and flagged <= set(known.suspects)


def test_float_rows_and_text_rows_give_the_same_records(parse) -> None:
    floats = _wide(["修水县", 2024, 1, 35, 30, 20, 0.857, 120], ["武宁县", 2024, 1, 12, 10, 9, 0.833, 80])
    texts = _wide(["修水县", 2024, 1, "35", 30, 20, 0.857, 120], ["武宁县", 2024, 1, 12, 10, 9, "0.833", 80])
    a, b = parse("t.xlsx", make_xlsx(floats)), parse("t.xlsx", make_xlsx(texts))
    assert a.records == b.records and a.issues == b.issues
    assert a.ok  # 0.857 is 30 ÷ 35 to its three decimals: checked, and recomputed rather than stored
    assert ("360424", 2024, 1, "registration_rate") not in values(a)


def test_long_table_repeats_are_looked_up_once_but_reported_every_time(parse) -> None:
    rows: list[list[object]] = [["单位", "年度", "季度", "指标", "数值"]]
    rows += [["修水县", 2024, q, "提交提案", "abc"] for q in (1, 2, 3)]
    rows += [["火星县", 2024, q, "提交提案", "5"] for q in (1, 2)]
    rows += [["修水县", 2024, "第五季度", "立案", "5"]] * 2
    rows += [["注：以上数据为初步统计", "", "", "说明", "1"]]  # skipped
    pf = parse("t.csv", make_csv(rows))
    assert codes(pf) == ["not_a_number"] * 3 + ["unknown_unit"] * 2 + ["bad_period"] * 2


@pytest.mark.parametrize("text", ["35", "51.5", "-2", "+7", ".5", "5.", "0", "007", "-0"])
def test_plain_numbers_in_text(text: str) -> None:
    assert parse_value(text) == Parsed(float(text), False, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 42 ", 42.0), ("４２", 42.0), ("1,800", 1800.0), ("42件", 42.0), ("1800余", 1800.0)],
)
def test_other_numbers_still_take_the_full_parser(text: str, expected: float) -> None:
    p = parse_value(text)
    assert p is not None and p.value == expected


@pytest.mark.parametrize("text", ["1e3", "nan", "inf", "1_000", "0x1f", "."])
def test_what_float_accepts_is_still_not_a_number(text: str) -> None:
    with pytest.raises(BadValue):
        parse_value(text)


def test_note_rows() -> None:
    assert is_note(["注：以上数据为初步统计"])
    assert is_note(["", None, "填报人：张三", "审核人：李四"])
    assert not is_note(["修水县", 2024, "注：", 35])
    assert not is_note(["", None])
    assert plain_lead(" 修水县") and not plain_lead("注：") and not plain_lead("  ")


def test_long_csv_parses_whole(dictionary) -> None:
    """The provincial data as a long CSV (240,000 rows); how fast: bench/import_speed.py (import_csv)."""
    units = bench_units()
    data = make_big_long_csv(dictionary, units)
    pf = loaders.parse_file("省汇总.csv", data, dictionary=dictionary, units=units, today=dt.date(2025, 1, 1))
    assert pf.ok, pf.issues[:5]
    assert len(pf.records) == 6000 * 34  # the 6 ratios agree with their parts: recomputed, not stored
