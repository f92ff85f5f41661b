"""The three hand-made samples beside DOMAIN.md must parse, with the figures make_samples.py put in."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from loader_sheets import values

SAMPLES = Path("/work/shared/samples")
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")


def figures(n: int, q: int) -> dict[str, int]:
    """The generator's own figures for county n (1-based, 濂溪区 = 1) in quarter q."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.figures(n, q)  # type: ignore[no-any-return]


def load(parse, name: str):
    return parse(name, (SAMPLES / name).read_bytes())


def test_wide_summary(parse) -> None:
    pf = load(parse, "九江市政协系统2024年第三季度履职数据统计表.xlsx")
    assert pf.ok and pf.issues == [] and pf.unknown_columns == [] and pf.skipped_sheets == []
    assert len(pf.records) == 13 * 10  # 13 counties × 10 indicators; the 合计 row is not a record
    assert {(r.year, r.quarter, r.cumulative) for r in pf.records} == {(2024, 3, False)}
    xiushui = {r.indicator: r.value for r in pf.records if r.unit_code == "360424"}
    f = figures(5, 3)  # 修水县 is the 5th county
    assert xiushui == {
        "proposals_submitted": f["提交提案"], "proposals_registered": f["立案"], "proposals_answered": f["办复"],
        "proposals_satisfied": f["满意和基本满意"], "consult_topic": f["专题协商"], "consult_sector": f["界别协商"],
        "consult_grassroots": f["有事好商量"], "info_collected": f["收集信息"], "info_submitted": f["编发上报"],
        "info_adopted": f["采用"],
    }  # fmt: skip
    assert {r.row for r in pf.records if r.unit_code == "360424"} == {9}  # rows 1-4: title, unit line, header
    assert max(r.row for r in pf.records) == 17  # row 18 is 合计


def test_long_gbk_csv(parse) -> None:
    pf = load(parse, "提案与社情民意_2024上半年_GBK.csv")
    assert pf.ok and pf.issues == [] and pf.encoding == "gb18030"
    assert len(pf.records) == 5 * 2 * 3
    assert {(r.quarter, r.cumulative) for r in pf.records} == {(1, False), (2, False)}  # 一季度 / Q2 rows
    [approx] = {r for r in pf.records if r.approximate and r.quarter == 1}
    assert (approx.unit_code, approx.indicator, approx.value, approx.row) == (
        "360402",
        "info_collected",
        53,
        4,
    )
    assert values(pf)[("360424", 2024, 2, "proposals_registered")] == 29


def test_county_forms_cumulative_through_q3(parse) -> None:
    pf = load(parse, "各县区履职统计表_2024年1-9月.xlsx")
    assert pf.ok and pf.issues == []
    assert {r.unit_code for r in pf.records} == {"360423", "360424", "360425", "360426"}
    assert {(r.year, r.quarter) for r in pf.records} == {(2024, 3)}
    assert {r.cumulative for r in pf.records if r.indicator != "members_total"} == {True}
    v = values(pf)
    cum = [figures(5, q) for q in (1, 2, 3)]  # 修水县, January to September
    assert v[("360424", 2024, 3, "proposals_submitted")] == sum(c["提交提案"] for c in cum) == 79
    assert v[("360424", 2024, 3, "consult_grassroots")] == sum(
        c["有事好商量"] for c in cum
    )  # 基层协商议事（有事好商量）
    assert v[("360426", 2024, 3, "members_total")] == 150 + 7 * 9
    assert len(pf.records) == 4 * 7
