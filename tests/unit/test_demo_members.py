"""The demo's member records: a roster that follows the demo's 委员人数 at every quarter end, a log whose
derived county figures sit just under what the demo units reported, the same rows at every build, and
gone with the rest of the demo."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from demo.build import build_demo
from demo.members import band
from domain.members import activity_types, sectors
from services.batches import remove_demo
from store.connection import Store
from store.member_queries import derived_figures, inactive, member_year

ROSTER = "member_id, name, gender, birth, sector, unit_code, party, term, standing, start_date, end_date, end_reason, station, changed"
LOG = "member_id, unit_code, date, dated, activity, count, note"
BANDED = ("proposal_lead", "speech", "training", "social_report", "social_adopted", "social_instructed")


@pytest.fixture(scope="module")
def con(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A copy of the session's demo store (never written), open for reading."""
    copy = tmp_path_factory.mktemp("demo-members") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    with Store(copy).connect() as c:
        yield c


def _rows(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    roster = con.execute(f"SELECT {ROSTER} FROM member_roster ORDER BY member_id, id").fetchall()
    log = con.execute(f"SELECT {LOG} FROM member_log ORDER BY member_id, date, activity").fetchall()
    return roster, log


def test_every_build_writes_the_same_rows_once_and_removing_the_demo_takes_them(store, con):
    """On both backends: two builds give the session's rows (no second copy); the views show them;
    removing the demo (as 数据管理 and `cppcc demo --remove` do) leaves no member rows."""
    build_demo(store)
    batch, _ = build_demo(store)
    with store.connect() as c:
        assert _rows(c) == _rows(con)
        ((batches, in_batch),) = c.execute(
            "SELECT count(DISTINCT batch_id), min(batch_id) FROM (SELECT batch_id FROM member_roster"
            " UNION ALL SELECT batch_id FROM member_log)"
        ).fetchall()
        assert (batches, in_batch) == (1, batch)
        ((members, current),) = c.execute(
            "SELECT count(DISTINCT member_id), (SELECT count(*) FROM members_current) FROM member_roster"
        ).fetchall()
        ((logged, activities),) = c.execute(
            "SELECT count(*), (SELECT count(*) FROM member_activities) FROM member_log"
        ).fetchall()
        ((units, unnamed),) = c.execute(
            "SELECT count(DISTINCT unit_name), count(*) FILTER (WHERE unit_name IS NULL) FROM members_current"
        ).fetchall()
    assert members == current > 3000 and logged == activities > 100_000
    assert (units, unnamed) == (14, 0)  # every demo unit, by name, through the view
    assert remove_demo(store, user="测试") > 10_000
    with store.connect() as c:
        left = c.execute(
            "SELECT (SELECT count(*) FROM member_roster), (SELECT count(*) FROM member_log),"
            " (SELECT count(*) FROM members_current), (SELECT count(*) FROM member_activities)"
        ).fetchall()
    assert left == [(0, 0, 0, 0)]


def test_the_roster_serves_the_reported_members_total_at_every_quarter_end(con):
    df = con.execute(
        "WITH q AS (SELECT unit_code, year, quarter, value, last_day(make_date(year, quarter * 3, 1)) AS day"
        "           FROM current_facts WHERE indicator = 'members_total')"
        " SELECT q.unit_code, q.year, q.quarter, q.value, count(r.member_id) AS serving FROM q"
        " LEFT JOIN current_roster r ON r.unit_code = q.unit_code AND r.start_date <= q.day"
        "  AND (r.end_date IS NULL OR r.end_date >= q.day) GROUP BY ALL"
    ).df()
    assert len(df) == 14 * df[["year", "quarter"]].drop_duplicates().shape[0]
    bad = df[df["serving"] != df["value"]]
    assert bad.empty, bad.head().to_string()


def test_the_roster_looks_like_a_committee(con):
    df = con.execute(f"SELECT {ROSTER} FROM current_roster").df()
    assert df["member_id"].str.fullmatch(r"JJ36\d{4}-\d{4}").all() and df["member_id"].is_unique
    assert set(df["sector"]) <= set(sectors()) and set(df["gender"]) == {"男", "女"}
    assert df["birth"].str.fullmatch(r"19[4-9]\d-(0[1-9]|1[0-2])").all()
    assert set(df["term"]) == {"第十四届", "第十五届"}
    assert not df.duplicated(["unit_code", "name"]).any()  # no two members of one committee share a name
    now = df[df["end_date"].isna()]
    assert 0.07 < now["standing"].mean() < 0.13
    assert 0.28 < (now["sector"] == "中国共产党").mean() < 0.42
    assert 0.2 < (now["gender"] == "女").mean() < 0.36
    ended = df[df["end_date"].notna()]
    assert set(ended["end_reason"]) == {"届满", "撤销委员资格", "辞去委员职务", "工作调动"}
    assert (ended["end_date"] >= ended["start_date"]).all()
    mid_term = ended[ended["end_reason"] != "届满"]
    assert 30 < len(mid_term) < 300  # some resignations and removals within a term, not many
    # a re-appointed member's record is a second version: 第十四届 as appointed, then 第十五届
    versions = con.execute(
        "SELECT member_id, list(term ORDER BY id) FROM member_roster GROUP BY 1 HAVING count(*) > 1"
    ).fetchall()
    assert any(t == ["第十四届", "第十五届"] for _, t in versions)


def test_every_log_row_lies_in_its_members_term_and_none_repeats(con):
    ((outside, late, undated, repeated, unknown),) = con.execute(
        "SELECT count(*) FILTER (WHERE l.date < r.start_date OR l.date > r.end_date),"
        " count(*) FILTER (WHERE l.date > (SELECT max(last_day(make_date(year, quarter * 3, 1))) FROM current_facts)),"
        " count(*) FILTER (WHERE NOT l.dated), "
        " (SELECT count(*) FROM (SELECT 1 FROM member_log GROUP BY member_id, date, activity, count HAVING count(*) > 1)),"
        " count(*) FILTER (WHERE r.member_id IS NULL OR l.unit_code <> r.unit_code)"
        " FROM member_log l LEFT JOIN current_roster r USING (member_id)"
    ).fetchall()
    assert (outside, late, undated, repeated, unknown) == (0, 0, 0, 0, 0)
    codes = {a for (a,) in con.execute("SELECT DISTINCT activity FROM member_log").fetchall()}
    assert codes == set(activity_types())  # every type occurs, and only those of the data file


def _derived(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per unit and quarter: each figure as the log gives it (derived_figures' definition, from
    data/activity_types.csv) beside the reported one."""
    types = activity_types()
    con.register("_derive", pa.table({
        "activity": [c for c, t in types.items() if t.indicator],
        "indicator": [t.indicator for t in types.values() if t.indicator],
    }))  # fmt: skip
    con.register("_part", pa.table({"activity": [c for c, t in types.items() if t.participation]}))
    try:
        return con.execute(
            "WITH d AS (SELECT a.unit_code, a.year, a.quarter, d.indicator, sum(a.count)::DOUBLE AS derived"
            "           FROM member_activities a JOIN _derive d USING (activity) GROUP BY ALL"
            "           UNION ALL SELECT unit_code, year, quarter, 'member_participations', sum(count)::DOUBLE"
            "           FROM member_activities WHERE activity IN (SELECT activity FROM _part) GROUP BY ALL)"
            " SELECT f.unit_code, f.year, f.quarter, f.indicator, coalesce(d.derived, 0) AS derived,"
            " f.value AS reported FROM current_facts f LEFT JOIN d USING (unit_code, year, quarter, indicator)"
            " WHERE f.indicator IN (SELECT indicator FROM _derive UNION ALL SELECT 'member_participations')"
        ).df()
    finally:
        con.unregister("_derive")
        con.unregister("_part")


def test_derived_figures_sit_just_under_the_reported_ones(con):
    df = _derived(con)
    types = activity_types()
    assert set(df["indicator"]) == {types[a].indicator for a in BANDED} | {"member_participations"}
    above = df[df["derived"] > df["reported"]]
    assert above.empty, above.head().to_string()
    # a quarter: 80-95 % wherever an integer lies in that band (a figure of 1-3 has none)
    banded = df[df["indicator"] != "member_participations"].copy()
    feasible = banded["reported"].map(lambda x: math.ceil(0.8 * x - 1e-9) <= math.floor(0.95 * x + 1e-9))
    ratio = banded["derived"] / banded["reported"]
    off = banded[feasible & ((ratio < 0.8 - 1e-9) | (ratio > 0.95 + 1e-9))]
    assert (off["indicator"] == "trainees").all() and len(off) <= 3, off.head().to_string()
    for r in off.itertuples():  # trainees gave way: the participations reported had no room for 80 % of them
        ((attended,),) = con.execute(
            "SELECT sum(count) FROM member_activities WHERE unit_code = ? AND year = ? AND quarter = ?"
            " AND activity IN ('meeting_attended', 'speech')",
            [r.unit_code, r.year, r.quarter],
        ).fetchall()
        parts = df.query("unit_code == @r.unit_code and year == @r.year and quarter == @r.quarter")
        reported = parts.loc[parts["indicator"] == "member_participations", "reported"].item()
        assert r.derived < 0.8 * r.reported and reported - float(attended) < 0.8 * r.reported
    # a unit's year, where the year's figure is not tiny
    year = banded.groupby(["unit_code", "year", "indicator"])[["derived", "reported"]].sum()
    gave_way = year.index.isin(list(zip(off["unit_code"], off["year"], off["indicator"], strict=True)))
    year = year[(year["reported"] >= 20) & ~gave_way]
    assert ((year["derived"] / year["reported"]).between(0.8, 0.95)).all()
    # the whole demo, per figure: small ones too come near
    whole = banded.groupby("indicator")[["derived", "reported"]].sum()
    assert (whole["derived"] / whole["reported"]).between(0.82, 0.93).all(), whole.to_string()
    parts = df[df["indicator"] == "member_participations"]
    assert (parts["derived"] / parts["reported"]).between(0.9, 1.0).all()


def test_derived_figures_of_the_store_agree(con):
    """The demo's log gives county figures at or below the reported ones, and 委员人数 exactly."""
    df = derived_figures(con, 2024)
    assert not df.empty and df["derived"].dtype == float
    assert (df["difference"] <= 0).all()
    assert (df.loc[df["indicator"] == "members_total", "difference"] == 0).all()


def test_each_year_a_few_members_have_no_activity_and_a_few_stand_out(con):
    years = range(2019, int(con.execute("SELECT max(year) FROM current_facts").fetchall()[0][0]) + 1)
    for year in years:
        serving = member_year(con, year)
        idle = inactive(con, year)
        assert 0.015 < len(idle) / len(serving) < 0.05, year  # the 提醒谈话 list: short, never empty
        assert idle["unit_code"].nunique() >= 10
        by_unit = serving.assign(n=serving["activities"].astype(float)).groupby("unit_code")["n"]
        assert (by_unit.max() >= 2.5 * by_unit.median()).all(), year  # 优秀委员 candidates


def test_band():
    assert [band(x, 0.9, 0.5) for x in (0, 1, 2, 3, 7, 20, 100)] == [0, 1, 2, 3, 6, 18, 90]
    assert [band(x, 0.8, 0.0) for x in (1, 2, 3)] == [0, 1, 2]
    assert all(band(x, r, u) <= x for x in range(60) for r in (0.8, 0.95) for u in (0.0, 0.99))
