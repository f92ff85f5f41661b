"""Reads of member records for the 委员档案 page, the CLI and exports: a year per member (activities,
attendance, points), a member's record, the 提醒谈话 list, county figures derived from the log.

Aggregation is in SQL (store/sql/member_*.sql); the points rule is the store's (an admin set it) or
`data/member_points.csv`, handed to SQL as a table so that every score is computed by one query.

>>> with store.connect() as con:                                    # doctest: +SKIP
...     df = member_year(con, 2024, ["360424"])
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pyarrow as pa

from domain.members import PointsRule, activity_types
from store.queries import frame


def points_rule(con: duckdb.DuckDBPyConnection) -> PointsRule:
    """The rule an admin saved in the store, else the deployment's data file."""
    rows = con.execute(
        "SELECT activity, sector, points FROM member_points ORDER BY activity, sector"
    ).fetchall()
    return PointsRule(tuple((a, s, float(p)) for a, s, p in rows)) if rows else PointsRule.load()


def save_points_rule(con: duckdb.DuckDBPyConnection, rule: PointsRule) -> None:
    """Replace the stored rule (inside the caller's transaction)."""
    con.execute("DELETE FROM member_points")
    for a, s, p in rule.weights:
        con.execute("INSERT INTO member_points VALUES (?, ?, ?)", [a, s, p])


def _with_points(con: duckdb.DuckDBPyConnection, rule: PointsRule) -> None:
    con.register(
        "_points",
        pa.table({
            "activity": pa.array([a for a, _, _ in rule.weights] or ["-"], pa.string()),
            "sector": pa.array([s for _, s, _ in rule.weights] or ["-"], pa.string()),
            "points": pa.array([p for _, _, p in rule.weights] or [0.0], pa.float64()),
        }),
    )  # fmt: skip


def member_year(
    con: duckdb.DuckDBPyConnection, year: int, units: list[str] | None = None, rule: PointsRule | None = None
) -> pd.DataFrame:
    """Members serving at some time in `year` (in `units`; all when None): activities (leave and absence
    not counted), attended / on_leave / absent, points, last_activity (None: none ever). The counts per
    activity type are `activity_counts` (a province's 60,000 members: asked for the few shown)."""
    _with_points(con, rule or points_rule(con))
    try:
        df = frame(con, "member_year", {"year": int(year), "units": list(units or [])})
    finally:
        con.unregister("_points")
    idle = df.index[df["activities"] == 0]
    if len(idle):  # their last activity is before the year
        ids = df.loc[idle, "member_id"].tolist()
        last = last_before(con, int(year), ids)
        df["last_activity"] = df["last_activity"].astype(object)
        df.loc[idle, "last_activity"] = pd.Series([last.get(m) for m in ids], index=idle, dtype=object)
    return df


def _with_ids(con: duckdb.DuckDBPyConnection, member_ids: list[str]) -> None:
    con.register("_ids", pa.table({"member_id": pa.array(list(member_ids), pa.string())}))


def last_before(con: duckdb.DuckDBPyConnection, year: int, member_ids: list[str]) -> dict[str, dt.date]:
    """Each member's last activity before `year` (leave and absence are not activities); members with
    none left out. Looked for in the year before, then the 2 and 4 years before those, then all earlier:
    most members idle in a year were active the year before, and 15 years of a province's log (~18 M
    rows) are scanned only for those with none in the 7 years before."""
    ((first,),) = con.execute("SELECT min(date) FROM member_log").fetchall()
    found: dict[str, dt.date] = {}
    left, hi, span = list(member_ids), int(year), 1
    _with_ids(con, left)
    try:
        while left and first is not None and hi > first.year:
            lo = hi - span if span <= 4 else None
            rows = con.execute(
                "SELECT a.member_id, max(a.date) FROM member_activities a"
                " WHERE a.date < make_date(?, 1, 1) AND (? IS NULL OR a.date >= make_date(?, 1, 1))"
                " AND a.activity NOT IN ('meeting_leave', 'meeting_absent')"
                " AND a.member_id IN (SELECT member_id FROM _ids) GROUP BY a.member_id",
                [hi, lo, lo],
            ).fetchall()
            found.update((m, d) for m, d in rows)
            if lo is None:
                break
            if rows:
                left = [m for m in left if m not in found]
                _with_ids(con, left)
            hi, span = lo, span * 2
    finally:
        con.unregister("_ids")
    return found


def activity_counts(con: duckdb.DuckDBPyConnection, year: int, member_ids: list[str]) -> pd.DataFrame:
    """(member_id, activity, n): the given members' activities in `year` counted by type (leave and
    absence included) — a candidate's score in its parts."""
    _with_ids(con, member_ids)
    try:
        return con.execute(
            "SELECT member_id, activity, CAST(sum(count) AS BIGINT) AS n FROM member_activities"
            " WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)"
            " AND member_id IN (SELECT member_id FROM _ids) GROUP BY member_id, activity"
            " ORDER BY member_id, activity",
            {"year": int(year)},
        ).df()
    finally:
        con.unregister("_ids")


def activity_totals(con: duckdb.DuckDBPyConnection, year: int, member_ids: list[str]) -> dict[str, int]:
    """{activity: count} over the given members' activities in `year` (leave and absence included)."""
    _with_ids(con, member_ids)
    try:
        rows = con.execute(
            "SELECT activity, CAST(sum(count) AS BIGINT) FROM member_activities"
            " WHERE date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)"
            " AND member_id IN (SELECT member_id FROM _ids) GROUP BY activity ORDER BY activity",
            {"year": int(year)},
        ).fetchall()
    finally:
        con.unregister("_ids")
    return {str(a): int(n) for a, n in rows}


def inactive(con: duckdb.DuckDBPyConnection, year: int, units: list[str] | None = None) -> pd.DataFrame:
    """The 提醒谈话 list: members serving at some time in `year` with no activity in it."""
    df = member_year(con, year, units)
    return df[df["activities"] == 0].reset_index(drop=True)


def member_record(con: duckdb.DuckDBPyConnection, member_id: str) -> pd.DataFrame:
    """Every activity of a member, newest first, with the file, sheet, row and column it came from."""
    return frame(con, "member_record", {"member": member_id})


def member_info(con: duckdb.DuckDBPyConnection, member_id: str) -> dict | None:
    cur = con.execute("SELECT * FROM members_current WHERE member_id = ?", [member_id])
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(names, rows[0], strict=True)) if rows else None


def log_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with any logged activity, newest first."""
    return [
        int(y)
        for (y,) in con.execute("SELECT DISTINCT year FROM member_activities ORDER BY 1 DESC").fetchall()
    ]


def roster_size(con: duckdb.DuckDBPyConnection) -> int:
    ((n,),) = con.execute("SELECT count(*) FROM current_roster").fetchall()
    return int(n)


def derived_figures(con: duckdb.DuckDBPyConnection, year: int, quarter: int | None = None) -> pd.DataFrame:
    """Per unit with a logged period: county figures derived from the log (and 委员人数 from the
    roster) beside the unit's own reported figure and the difference (derived − reported).

    Columns: unit_code, indicator, derived, reported (NaN where the unit reported none), difference.
    The derived figures never enter indicator_values, which stays what the units reported.
    """
    types = activity_types()
    con.register("_derive", pa.table({
        "activity": pa.array([c for c, t in types.items() if t.indicator] or ["-"], pa.string()),
        "indicator": pa.array([t.indicator for t in types.values() if t.indicator] or ["-"], pa.string()),
    }))  # fmt: skip
    con.register(
        "_participation",
        pa.table(
            {"activity": pa.array([c for c, t in types.items() if t.participation] or ["-"], pa.string())}
        ),
    )
    try:
        derived = frame(con, "member_derived", {"year": int(year), "quarter": quarter})
    finally:
        con.unregister("_derive")
        con.unregister("_participation")
    if derived.empty:
        return pd.DataFrame(columns=["unit_code", "indicator", "derived", "reported", "difference"])
    end = (
        dt.date(year, 12, 31)
        if quarter is None
        else (pd.Timestamp(year, quarter * 3, 1) + pd.offsets.MonthEnd(0)).date()
    )
    units = sorted(set(derived["unit_code"]))
    counts = con.execute(
        "SELECT unit_code, 'members_total' AS indicator, count(*)::DOUBLE AS value FROM current_roster"
        " WHERE list_contains(?, unit_code) AND (start_date IS NULL OR start_date <= ?)"
        " AND (end_date IS NULL OR end_date >= ?) GROUP BY unit_code",
        [units, end, end],
    ).df()
    derived = pd.concat([derived, counts], ignore_index=True).rename(columns={"value": "derived"})
    reported = con.execute(
        "SELECT unit_code, indicator, sum(value) AS reported FROM current_facts WHERE year = ?"
        " AND (? IS NULL OR quarter = ?) AND list_contains(?, unit_code) GROUP BY unit_code, indicator",
        [year, quarter, quarter, units],
    ).df()
    if quarter is None:  # a stock (委员人数) is the year's last value, not the sum of its quarters
        stock = con.execute(
            "SELECT unit_code, arg_max(value, coalesce(quarter, 5)) AS reported FROM current_facts"
            " WHERE year = ? AND indicator = 'members_total' AND list_contains(?, unit_code) GROUP BY unit_code",
            [year, units],
        ).df()
        reported = reported[reported["indicator"] != "members_total"]
        stock["indicator"] = "members_total"
        reported = pd.concat([reported, stock], ignore_index=True)
    out = derived.merge(reported, on=["unit_code", "indicator"], how="left")
    out["difference"] = out["derived"] - out["reported"]
    return out.sort_values(["unit_code", "indicator"]).reset_index(drop=True)
