"""The demo roster and log (demo/members.py draws them) as the store's rows: `demo_members` is the
entry (the demo's county figures in, Arrow tables out) and `write_demo_members` inserts them under the
demo batch, inside build_demo's transaction (demo/build.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from demo.members import ACTS, EPOCH, NEEDED, NOTES, SEED, A, DemoMember, DemoUnit, term_name
from domain.dictionary import Unit
from domain.members import activity_types
from loaders.roster import ROSTER_FIELDS


@dataclass(frozen=True)
class DemoMembers:
    """The rows to write: roster versions as first appointed (for members whose record changed later,
    written first so the current roster is the later version), the roster as it stands, the log."""

    roster_first: pa.Table
    roster: pa.Table
    log: pa.Table


def demo_members(units: list[Unit], frame: pd.DataFrame, seed: int = SEED) -> DemoMembers:
    """The demo roster and log for `units`, from the demo figures `frame` (demo.generate's columns)."""
    types = activity_types()
    missing = [a for a in ACTS if a not in types]
    if missing:
        raise ValueError(f"data/activity_types.csv 中缺少演示数据用到的活动类型：{'、'.join(missing)}")
    wanted = {*NEEDED, *(t.indicator for c, t in types.items() if c in A and t.indicator)}
    wide = (
        frame[frame["indicator"].isin(wanted)]
        .pivot_table(index=["unit_code", "year", "quarter"], columns="indicator", values="value")
        .reindex(columns=sorted(wanted))
        .fillna(0.0)
        .sort_index()
    )
    codes = wide.index.get_level_values(0)
    members: list[DemoMember] = []
    parts: list[tuple[np.ndarray, ...]] = []
    for unit in units:
        part = wide[codes == unit.code]
        if part.empty:
            continue
        periods = [(int(y), int(q)) for _, y, q in part.index]
        u = DemoUnit(unit, periods, {c: part[c].tolist() for c in part.columns}, seed, types)
        u.roster()
        mem, day, act, note = u.log(seed)
        parts.append((mem + len(members), day, act, note))
        members += u.members
    return DemoMembers(*_roster_tables(members), _log_table(members, parts))


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _roster_tables(members: list[DemoMember]) -> tuple[pa.Table, pa.Table]:
    first, final = [], []
    for m in members:
        row = {"member_id": m.member_id, "name": m.name, "gender": m.gender, "birth": m.birth, "sector": m.sector,
               "unit_code": m.unit_code, "party": m.party, "term": term_name(m.last_term),
               "standing": m.standing.get(m.last_term, False), "start_date": _day(m.start),
               "end_date": _day(m.end), "end_reason": m.end_reason,
               "station": f"第{m.station}委员工作站" if m.station else None}  # fmt: skip
        was = {**row, "term": term_name(m.first_term), "standing": m.standing.get(m.first_term, False),
               "end_date": None, "end_reason": None}  # fmt: skip
        changed = [f for f in ROSTER_FIELDS if was[f] != row[f]]
        if changed:
            first.append({**was, "changed": ""})
        final.append({**row, "changed": ",".join(changed)})
    kinds = {"standing": pa.bool_(), "start_date": pa.date32(), "end_date": pa.date32()}
    schema = pa.schema([(c, kinds.get(c, pa.string())) for c in ("member_id", *ROSTER_FIELDS, "changed")])
    return pa.Table.from_pylist(first, schema), pa.Table.from_pylist(final, schema)


def _log_table(members: list[DemoMember], parts: list[tuple[np.ndarray, ...]]) -> pa.Table:
    """Events summed per member, day and activity (a count > 1 is several on one day), sorted."""
    if not parts:
        parts = [(np.zeros(0, np.int64),) * 4]
    mem, day, act, note = (np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(4))
    key = (mem * 10**7 + day) * 16 + act
    order = np.argsort(key, kind="stable")
    keys, first, counts = np.unique(key[order], return_index=True, return_counts=True)
    m, d, a = keys // 16 // 10**7, keys // 16 % 10**7, keys % 16
    return pa.table({
        "member_id": pa.array([x.member_id for x in members]).take(pa.array(m)),
        "unit_code": pa.array([x.unit_code for x in members]).take(pa.array(m)),
        "date": pa.array((d - EPOCH).astype("datetime64[D]")),
        "activity": pa.array(ACTS).take(pa.array(a)),
        "count": pa.array(counts.astype("int32")),
        "note": pa.array(NOTES, pa.string()).take(pa.array(note[order][first])),
    })  # fmt: skip


def write_demo_members(con: duckdb.DuckDBPyConnection, batch: int, rows: DemoMembers) -> tuple[int, int]:
    """Insert the rows under `batch` (the caller's transaction); returns (members, log rows)."""
    cols = ", ".join(("member_id", *ROSTER_FIELDS, "changed"))
    for table in (rows.roster_first, rows.roster):  # the later version gets the larger id
        con.register("_demo_roster", table)
        try:
            con.execute(
                f"INSERT INTO member_roster (batch_id, {cols}) SELECT ?, {cols} FROM _demo_roster", [batch]
            )
        finally:
            con.unregister("_demo_roster")
    con.register("_demo_log", rows.log)
    try:
        con.execute(
            "INSERT INTO member_log (batch_id, member_id, unit_code, date, dated, activity, count, note)"
            " SELECT ?, member_id, unit_code, date, true, activity, count, note FROM _demo_log",
            [batch],
        )
    finally:
        con.unregister("_demo_log")
    return rows.roster.num_rows, rows.log.num_rows
