"""Benchmark: member records (委员履职档案) at province scale — 60,000 members × 20 activities a year × 15
years (18 million rows in member_log).

In one run, on a store built once and cached under --work (keyed on the sizes):

1. import: one more year's log (members × per-year rows, a CSV: an xlsx sheet holds 1,048,576 rows at
   most) through `prepare_log` + `commit_log` on a fresh copy of the store each lap, round-robin with
   bare reads of the same file (loaders.readers.read_book, the csv module, DuckDB read_csv) and with
   parse_log alone, each lap in a child process (peak memory per measurement); medians and ratios.
   Then one import in process under cProfile: where the time goes. prepare_log is given max_bytes =
   the file's size: the default (20 MB, also what `cppcc activities import` passes) refuses a
   province's yearly CSV (55.7 MB at the default sizes).
2. services: what the 委员档案 page asks (services.members.member_year, inactive, member_record,
   member_history, member_file, activity_totals, activity_counts, derived_figures, log_years) warm,
   against their raw SQL (the same query text on a connection opened for it, and on one held open); and
   views/member_records.py's AppTest run, cold and warm, then with a member searched and picked in its
   履职档案. Target (issue): every page ≤ 300 ms warm.
3. memory: a real `streamlit run app.py -- --db STORE`, every page of the navigation opened once through
   Streamlit's websocket protocol (as bench/serve_scale.py), the server's RSS after each.

    .venv/bin/python bench/members_scale.py [--members 60000 --years 15 --per-year 20] [--runs 3]
        [--parts import,profile,services,memory] [--work /tmp/cppcc-members-bench] [--no-facts]

The synthetic store: the 150 units of bench/import_speed.py with the provincial facts of
bench/pages_speed.py (unless --no-facts, for the pages that read indicators), a roster batch of every
member (400 a unit at full size) and a second one changing 5 % of them (current_roster picks the
latest), one 'activities' batch per year written in file order (unit, date, member). Rows are
pseudo-random from hash(): 13 activity types, 1–3 counts for reports and co-signed proposals, a
distinct date per row, and 2 % of member-years with only leave and absence (the 提醒谈话 list).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 300.0
IMPORT_RATIO = 5.0  # import ≤ ~5× the bare read of the same file
VERSION = 1  # of the store's generator: a change here rebuilds the cached stores

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟"
)
GIVEN = "建华国强明伟芳秀英敏静丽军洋勇艳杰娟涛超霞平刚桂兰文辉玉萍红志成海波丹宇峰磊晨欣怡浩然思源嘉"

# activity codes by share of rows (percent, cumulative bound), as a county's log might run
MIX = (
    (30, "meeting_attended"), (34, "meeting_leave"), (36, "meeting_absent"), (42, "proposal_lead"),
    (52, "proposal_cosign"), (62, "research"), (72, "social_report"), (75, "social_adopted"),
    (76, "social_instructed"), (80, "speech"), (88, "training"), (94, "consultation"), (100, "station_duty"),
)  # fmt: skip


def first_year(years: int) -> int:
    """The store holds `years` years ending the year before last; the import is last year (≤ today)."""
    return dt.date.today().year - 1 - years


def store_path(work: Path, members: int, years: int, per_year: int, facts: bool) -> Path:
    tag = f"m{members}-y{years}-p{per_year}{'-facts' if facts else ''}-v{VERSION}"
    return work / f"members-{tag}.duckdb"


def _activity(year: int) -> str:
    """The activity code of row k of member i in `year`: by MIX, or leave/absence alone for 2 % of member-years."""
    h = f"hash(m.i, {year}, k.k, 'a') % 100"
    idle = f"hash(m.i, {year}, 'idle') % 50 = 0"
    mix = " ".join(f"WHEN {h} < {bound} THEN '{code}'" for bound, code in MIX)
    return f"CASE WHEN {idle} THEN (CASE WHEN {h} < 60 THEN 'meeting_leave' ELSE 'meeting_absent' END) ELSE (CASE {mix} END) END"


def _rows_sql(year: int, per_year: int, names: dict[str, str] | None = None) -> str:
    """One year's log rows for every member of `_m`: (member_id, name, unit_code, date, activity, count), in
    file order (unit, date, member). With `names` the activity is its Chinese name (the import file)."""
    step = 365 // per_year  # row k of a member falls in the k-th slice of the year: dates distinct
    inner = (
        f"SELECT m.i, m.member_id, m.name, m.unit_code, k.k, CAST(make_date({year}, 1, 1)"
        f" + CAST(k.k * {step} + hash(m.i, {year}, k.k, 'd') % {step} AS INTEGER) AS DATE) AS date,"
        f" {_activity(year)} AS a FROM _m m, range({per_year}) k(k)"
    )
    count = f"CASE WHEN a IN ('social_report', 'proposal_cosign') THEN 1 + CAST(hash(i, {year}, k, 'c') % 3 AS INTEGER) ELSE 1 END"
    act = (
        "a"
        if not names
        else "CASE a " + " ".join(f"WHEN '{c}' THEN '{n}'" for c, n in names.items()) + " END"
    )
    return (
        f"SELECT member_id, name, unit_code, date, {act} AS activity, {count} AS count"
        f" FROM ({inner}) ORDER BY unit_code, date, member_id"
    )


def _members_table(con: Any, members: int) -> None:
    """`_m` (i, member_id, name, unit_code): the members, spread over the units in turn."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _u AS SELECT row_number() OVER (ORDER BY sort_order, code) - 1 AS idx, code"
        " FROM units"
    )
    (n_units,) = con.execute("SELECT count(*) FROM _u").fetchone()
    sur, giv = len(SURNAMES), len(GIVEN)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _m AS
        SELECT r.i, u.code || lpad(CAST(r.i // {n_units} + 1 AS VARCHAR), 4, '0') AS member_id,
               substr('{SURNAMES}', CAST(1 + hash(r.i, 's') % {sur} AS INTEGER), 1)
               || substr('{GIVEN}', CAST(1 + hash(r.i, 'g1') % {giv} AS INTEGER), 1)
               || CASE WHEN hash(r.i, 'len') % 3 = 0 THEN ''
                       ELSE substr('{GIVEN}', CAST(1 + hash(r.i, 'g2') % {giv} AS INTEGER), 1) END AS name,
               u.code AS unit_code
        FROM range({members}) r(i) JOIN _u u ON u.idx = r.i % {n_units}"""
    )


def build_store(path: Path, members: int, years: int, per_year: int, facts: bool) -> None:
    """The synthetic store (see the module's docstring), written with DuckDB SQL, migrated by Store."""
    from bench.import_speed import units
    from domain.members import sectors
    from store.connection import Store
    from store.facts import new_batch
    from store.units import upsert_units

    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    if facts:
        from bench.pages_speed import build_store as provincial

        provincial(tmp)  # 150 units, 10 years of every indicator
    store = Store(tmp)
    y0 = first_year(years)
    sector_list = list(sectors())
    with store.transaction() as con:
        if not facts:
            upsert_units(con, units())
        _members_table(con, members)
        rb = new_batch(
            con, "roster", file_name="全省政协委员名册.xlsx", user="bench", note="委员名册（基准测试）"
        )
        sec = "[" + ", ".join(f"'{s}'" for s in sector_list) + "]"
        con.execute(
            f"""INSERT INTO member_roster (batch_id, member_id, name, gender, birth, sector, unit_code, party, term,
                standing, start_date, end_date, end_reason, station, changed, source_sheet, source_row)
            SELECT {rb}, member_id, name, CASE WHEN hash(i, 'sex') % 5 < 2 THEN '女' ELSE '男' END,
                   CAST(1950 + hash(i, 'born') % 40 AS VARCHAR) || '-' || lpad(CAST(1 + hash(i, 'bm') % 12 AS VARCHAR), 2, '0'),
                   {sec}[CAST(1 + hash(i, 'sector') % {len(sector_list)} AS INTEGER)], unit_code,
                   CASE WHEN hash(i, 'party') % 3 = 0 THEN '中共党员' ELSE '群众' END, '第十五届',
                   hash(i, 'standing') % 15 = 0, DATE '{y0}-01-01', NULL, NULL,
                   '第' || CAST(1 + hash(i, 'station') % 8 AS VARCHAR) || '委员工作站', '', '名册', CAST(i + 3 AS INTEGER)
            FROM _m ORDER BY i"""
        )
        con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [members, rb])
        rb2 = new_batch(con, "roster", file_name="委员名册（调整）.xlsx", user="bench", note="委员工作站调整")
        con.execute(
            f"""INSERT INTO member_roster (batch_id, member_id, name, gender, birth, sector, unit_code, party, term,
                standing, start_date, end_date, end_reason, station, changed, source_sheet, source_row)
            SELECT {rb2}, member_id, name, gender, birth, sector, unit_code, party, term, standing, start_date,
                   end_date, end_reason, '第9委员工作站', 'station', source_sheet, source_row
            FROM member_roster WHERE batch_id = {rb} AND hash(member_id, 'moved') % 20 = 0"""
        )
    for year in range(y0, y0 + years):
        with store.transaction() as con:
            _members_table(con, members)
            b = new_batch(con, "activities", file_name=f"{year}年履职活动登记.csv", user="bench",
                          note=f"履职活动登记：{members * per_year} 条")  # fmt: skip
            con.execute(
                "INSERT INTO member_log (batch_id, member_id, unit_code, date, dated, activity, count, note,"
                f" source_sheet, source_row, source_column) SELECT {b}, member_id, unit_code, date, true, activity,"
                " count, NULL, NULL, CAST(row_number() OVER () + 1 AS INTEGER), '活动类型'"
                f" FROM ({_rows_sql(year, per_year)})"
            )
            con.execute("UPDATE batches SET n_new = ? WHERE id = ?", [members * per_year, b])
        print(f"  {year}: {members * per_year:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
    with store.connect() as con:
        con.execute("CHECKPOINT")
    tmp.rename(path)


def write_log_csv(db: Path, out: Path, year: int, members: int, per_year: int) -> int:
    """The year's log as a county office would send it: 委员编号, 姓名, 日期, 活动类型, 次数. Returns rows."""
    import duckdb

    from domain.members import activity_types

    names = {c: t.name for c, t in activity_types().items()}
    con = duckdb.connect(str(db), read_only=True)
    try:
        _members_table(con, members)
        con.execute(
            f"COPY (SELECT member_id AS 委员编号, name AS 姓名, strftime(date, '%Y-%m-%d') AS 日期,"
            f" activity AS 活动类型, count AS 次数 FROM ({_rows_sql(year, per_year, names)}))"
            f" TO '{out}' (HEADER, DELIMITER ',')"
        )
    finally:
        con.close()
    return members * per_year


# --- 1. import -----------------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import csv, io, json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import duckdb
    from loaders.activity_log import parse_log
    from loaders.readers import read_book
    from loaders.safety import Limits
    from store.connection import Store
    from store.member_log import commit_log, prepare_log
    what, path, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    data = path.read_bytes()
    out = {{}}
    if what == "import":
        store = Store(Path(db))
        with store.connect():
            pass  # migrations checked (none to run) outside the timing
    t0 = time.perf_counter()
    if what == "read_book":
        book = read_book(path.name, data, Limits(max_bytes=len(data) + 1))
        out["rows"] = sum(len(g.rows) for g in book.grids)
    elif what == "csv_module":
        out["rows"] = len(list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))))
    elif what == "duckdb_csv":
        out["rows"] = duckdb.connect().read_csv(str(path)).to_arrow_table().num_rows
    elif what == "parse_log":
        p = parse_log(path.name, data, max_bytes=len(data) + 1)
        assert not p.errors, p.errors[:3]
        out["rows"] = p.n_rows
    else:  # import: prepare_log + commit_log, as the upload page and `cppcc activities import` do
        p = prepare_log(store, path.name, data, user="bench", max_bytes=len(data) + 1)
        assert p.status == "ready", (p.status, [i.message for i in p.errors[:3]])
        out["prepare_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        r = commit_log(store, p)
        assert r.status == "imported", (r.status, [i.message for i in r.errors[:3]])
        out["commit_s"] = time.perf_counter() - t1
        out["rows"] = r.values
    out["seconds"] = time.perf_counter() - t0
    # VmHWM: this process's peak since exec (ru_maxrss would carry the forking parent's over)
    status = Path("/proc/self/status").read_text()
    out["max_rss_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps(out))
""").format(root=str(ROOT))

IMPORT_PLAN = ("import", "parse_log", "read_book", "csv_module", "duckdb_csv")


def measure(what: str, csv_path: Path, seed: Path, work: Path) -> dict:
    db = work / "lap.duckdb"
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    if what == "import":
        shutil.copy(seed, db)  # a fresh copy each lap: the import appends to it
    out = subprocess.run(
        [sys.executable, "-c", CHILD, what, str(csv_path), str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_bench(seed: Path, csv_path: Path, work: Path, runs: int, n_rows: int) -> dict[str, dict]:
    runs_by: dict[str, list[dict]] = {w: [] for w in IMPORT_PLAN}
    for n in range(runs):  # round-robin: a slow spell of this shared machine falls on all alike
        for what in IMPORT_PLAN:
            r = measure(what, csv_path, seed, work)
            runs_by[what].append(r)
            print(
                f"  lap {n + 1} {what:11s} {r['seconds']:7.2f} s  rss {r['max_rss_mb']:6.0f} MB", flush=True
            )
    res = {}
    for what, rs in runs_by.items():
        res[what] = {
            "median_s": statistics.median(r["seconds"] for r in rs),
            "runs": [r["seconds"] for r in rs],
            "peak_rss_mb": max(r["max_rss_mb"] for r in rs),
        }
        if what == "import":
            res[what]["prepare_s"] = statistics.median(r["prepare_s"] for r in rs)
            res[what]["commit_s"] = statistics.median(r["commit_s"] for r in rs)
    size = csv_path.stat().st_size
    print(f"\nimport of one year's log: {n_rows:,} rows, {csv_path.name} {size / 1e6:.1f} MB (CSV)")
    print(f"{'measurement':22s} {'median s':>9s} {'peak MB':>8s} {'÷ read_book':>11s} {'÷ duckdb':>9s}  runs")
    rb, dk = res["read_book"]["median_s"], res["duckdb_csv"]["median_s"]
    for what in IMPORT_PLAN:
        m = res[what]["median_s"]
        runs_txt = " ".join(f"{t:.2f}" for t in res[what]["runs"])
        print(f"{what:22s} {m:9.2f} {res[what]['peak_rss_mb']:8.0f} {m / rb:11.2f} {m / dk:9.2f}  {runs_txt}")
        if what == "import":
            for part in ("prepare_s", "commit_s"):
                v = res[what][part]
                print(f"  {part[:-2]:20s} {v:9.2f} {'':8s} {v / rb:11.2f} {v / dk:9.2f}")
    ratio = res["import"]["median_s"] / rb
    flag = "  ← over" if ratio > IMPORT_RATIO else ""
    print(f"import ÷ bare read (read_book) = {ratio:.2f} (target ≲ {IMPORT_RATIO:.0f}){flag}")
    return res


def profile_import(seed: Path, csv_path: Path, work: Path, top: int = 22) -> None:
    """One import in process under cProfile: the functions where its time goes."""
    import cProfile
    import io
    import pstats

    from store.connection import Store
    from store.member_log import commit_log, prepare_log

    db = work / "lap.duckdb"
    for f in (db, Path(f"{db}.wal")):
        f.unlink(missing_ok=True)
    shutil.copy(seed, db)
    store = Store(db)
    with store.connect():
        pass
    data = csv_path.read_bytes()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    p = prepare_log(store, csv_path.name, data, user="bench", max_bytes=len(data) + 1)
    r = commit_log(store, p)
    prof.disable()
    wall = time.perf_counter() - t0
    assert r.status == "imported", r.status
    st = pstats.Stats(prof)
    print(f"\nprofile of one import ({wall:.1f} s under cProfile, which slows the Python part):")
    keys = {  # (function, file): the import's steps, outermost first
        ("prepare_log", "store/member_log.py"): "prepare: read, parse, check (writes nothing)",
        ("read_book", "loaders/readers.py"): "  the bare read (csv module)",
        ("parse_log", "loaders/activity_log.py"): "  the file → activity rows",
        ("_read_sheet", "loaders/activity_log.py"): "    the per-row loop",
        ("body", "loaders/member_table.py"): "      rows of the table (blank, 合计, notes)",
        ("is_total", "loaders/table.py"): "        合计 test on the first cell (fold)",
        ("is_note", "loaders/table.py"): "        note test",
        ("parse_date", "loaders/member_table.py"): "      dates",
        ("cell_text", "loaders/fold.py"): "      cell → text",
        ("_count", "loaders/activity_log.py"): "      次数",
        ("uncomputed", "loaders/member_table.py"): "      formula/error cells",
        ("check_log", "store/member_log.py"): "  SQL check (prepare and again in commit)",
        ("_incoming", "store/member_log.py"): "    Python lists → Arrow",
        ("commit_log", "store/member_log.py"): "commit: check again, insert, file kept",
    }
    stats: dict = st.stats  # type: ignore[attr-defined]
    print(f"  {'step':46s} {'function':12s} {'calls':>9s} {'cum s':>7s} {'own s':>7s}")
    for (name, file), label in keys.items():
        for (f, _line, fn), (_cc, nc, tt, ct, _callers) in stats.items():
            if fn == name and f.endswith(file):
                print(f"  {label:46s} {name[:12]:12s} {nc:9d} {ct:7.2f} {tt:7.2f}")
                break
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    print("  top by own time:")
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    for line in lines[start : start + top + 1]:
        if line.strip():
            print("   " + line.replace(str(ROOT) + "/", ""))
    # the SQL check alone, on the checked file: run it as check_log does, timed
    from loaders.activity_log import parse_log
    from store.member_log import check_log

    parsed = parse_log(csv_path.name, data, max_bytes=len(data) + 1)
    for p2 in (db, Path(f"{db}.wal")):
        p2.unlink(missing_ok=True)
    shutil.copy(seed, db)
    with Store(db).connect() as con:
        t = time.perf_counter()
        check_log(con, parsed)
        print(
            f"  check_log (SQL over the file against {stored_rows(con):,} stored rows): {time.perf_counter() - t:.2f} s"
        )


def stored_rows(con: Any) -> int:
    return int(con.execute("SELECT count(*) FROM member_log").fetchone()[0])


# --- 2. services and the page -------------------------------------------------------------------


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(first call ms, median of `runs` further calls ms)."""
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    laps = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        laps.append((time.perf_counter() - t) * 1000)
    return first, statistics.median(laps)


def services_bench(path: Path, runs: int) -> list[tuple[str, float, float, float, float, int]]:
    """Each service the page calls, warm, beside its raw SQL (fresh connection, and one held open)."""
    import duckdb
    import pyarrow as pa

    from domain.members import activity_types
    from loaders.member_table import quarter_end
    from services import members as svc
    from store import member_queries as q
    from store import roster as roster_mod
    from store.connection import Store
    from store.queries import sql

    store = Store(path)
    with store.connect() as con:
        year = q.log_years(con)[0]
        (member,) = con.execute(  # type: ignore[misc]
            "SELECT member_id FROM current_roster ORDER BY member_id LIMIT 1 OFFSET (SELECT count(*) // 2 FROM current_roster)"
        ).fetchone()
        (unit,) = con.execute("SELECT unit_code FROM current_roster WHERE member_id = ?", [member]).fetchone()  # type: ignore[misc]
        rule = q.points_rule(con)
    types = activity_types()

    def points(con: duckdb.DuckDBPyConnection) -> None:
        con.register("_points", pa.table({
            "activity": pa.array([a for a, _, _ in rule.weights], pa.string()),
            "sector": pa.array([s for _, s, _ in rule.weights], pa.string()),
            "points": pa.array([p for _, _, p in rule.weights], pa.float64()),
        }))  # fmt: skip

    def derive(con: duckdb.DuckDBPyConnection) -> None:
        con.register("_derive", pa.table({
            "activity": pa.array([c for c, t in types.items() if t.indicator], pa.string()),
            "indicator": pa.array([t.indicator for t in types.values() if t.indicator], pa.string()),
        }))  # fmt: skip
        con.register("_participation", pa.table({
            "activity": pa.array([c for c, t in types.items() if t.participation], pa.string())}))  # fmt: skip

    cols = ", ".join("r." + c for c in roster_mod._COLS)

    def raw_year(units: list[str]) -> Callable[[duckdb.DuckDBPyConnection], int]:
        def run(con: duckdb.DuckDBPyConnection) -> int:
            points(con)
            t = con.sql(sql("member_year"), params={"year": year, "units": units}).to_arrow_table()
            acts = t.column("activities").to_pylist()
            idle = [m for m, n in zip(t.column("member_id").to_pylist(), acts, strict=True) if n == 0]
            q.last_before(con, year, idle)  # the idle members' last activity: the service's second step
            return t.num_rows

        return run

    with store.connect() as con:
        everyone = [m for (m,) in con.execute("SELECT member_id FROM current_roster").fetchall()]
        top = everyone[:: len(everyone) // 10][:10]

    def raw_counts(ids: list[str], per_member: bool) -> Callable[[duckdb.DuckDBPyConnection], int]:
        by = "member_id, activity" if per_member else "activity"

        def run(con: duckdb.DuckDBPyConnection) -> int:
            con.register("_ids", pa.table({"member_id": pa.array(ids, pa.string())}))
            return len(con.execute(
                f"SELECT {by}, CAST(sum(count) AS BIGINT) FROM member_activities WHERE date BETWEEN"
                f" make_date({year}, 1, 1) AND make_date({year}, 12, 31) AND member_id IN (SELECT member_id"
                f" FROM _ids) GROUP BY {by} ORDER BY {by}"
            ).fetchall())  # fmt: skip

        return run

    def raw_record(con: duckdb.DuckDBPyConnection) -> int:
        con.execute("SELECT * FROM members_current WHERE member_id = ?", [member]).fetchall()
        return con.sql(sql("member_record"), params={"member": member}).to_arrow_table().num_rows

    def raw_history(con: duckdb.DuckDBPyConnection) -> int:
        con.execute("SELECT * FROM members_current WHERE member_id = ?", [member]).fetchall()
        return len(con.execute(
            f"SELECT r.batch_id, b.created_at, b.file_name, r.changed, r.source_sheet, r.source_row, {cols}"
            " FROM member_roster r JOIN batches b ON b.id = r.batch_id"
            " WHERE r.member_id = ? AND b.reverted_by IS NULL AND b.kind <> 'revert' ORDER BY r.batch_id, r.id",
            [member],
        ).fetchall())  # fmt: skip

    def raw_file(con: duckdb.DuckDBPyConnection) -> int:
        return raw_record(con) + raw_history(con)

    def raw_derived(quarter: int | None) -> Callable[[duckdb.DuckDBPyConnection], int]:
        end = dt.date(year, 12, 31) if quarter is None else quarter_end(year, quarter)

        def run(con: duckdb.DuckDBPyConnection) -> int:
            derive(con)
            t = con.sql(sql("member_derived"), params={"year": year, "quarter": quarter}).to_arrow_table()
            units = sorted(set(t.column("unit_code").to_pylist()))
            con.execute(
                "SELECT unit_code, 'members_total' AS indicator, count(*)::DOUBLE AS value FROM current_roster"
                " WHERE list_contains(?, unit_code) AND (start_date IS NULL OR start_date <= ?)"
                " AND (end_date IS NULL OR end_date >= ?) GROUP BY unit_code",
                [units, end, end],
            ).fetchall()
            con.execute(
                "SELECT unit_code, indicator, sum(value) AS reported FROM current_facts WHERE year = ?"
                " AND (? IS NULL OR quarter = ?) AND list_contains(?, unit_code) GROUP BY unit_code, indicator",
                [year, quarter, quarter, units],
            ).fetchall()
            if quarter is None:
                con.execute(
                    "SELECT unit_code, arg_max(value, coalesce(quarter, 5)) AS reported FROM current_facts"
                    " WHERE year = ? AND indicator = 'members_total' AND list_contains(?, unit_code) GROUP BY unit_code",
                    [year, units],
                ).fetchall()
            return t.num_rows

        return run

    def raw_years(con: duckdb.DuckDBPyConnection) -> int:
        return len(con.execute("SELECT DISTINCT year FROM member_activities ORDER BY 1 DESC").fetchall())

    cases: list[tuple[str, Callable[[], Any], Callable[[duckdb.DuckDBPyConnection], int]]] = [
        (f"member_year {year} (all)", lambda: svc.member_year(store, year), raw_year([])),
        (f"member_year {year} ({unit})", lambda: svc.member_year(store, year, [unit]), raw_year([unit])),
        (f"inactive {year} (all)", lambda: svc.inactive(store, year), raw_year([])),
        (f"inactive {year} ({unit})", lambda: svc.inactive(store, year, unit), raw_year([unit])),
        (f"member_record {member}", lambda: svc.member_record(store, member), raw_record),
        (f"member_history {member}", lambda: svc.member_history(store, member), raw_history),
        (f"member_file {member}", lambda: svc.member_file(store, member), raw_file),
        (
            f"activity_totals {year} (all)",
            lambda: svc.activity_totals(store, year, everyone),
            raw_counts(everyone, False),
        ),
        (
            f"activity_counts {year} (top 10)",
            lambda: svc.activity_counts(store, year, top),
            raw_counts(top, True),
        ),
        (f"derived_figures {year}", lambda: svc.derived_figures(store, year), raw_derived(None)),
        (f"derived_figures {year}Q4", lambda: svc.derived_figures(store, year, 4), raw_derived(4)),
        ("log_years", lambda: svc.log_years(store), raw_years),
    ]
    out = []
    print(f"\nservices of the 委员档案 page (ms; warm = median of {runs} after a first call):")
    print(
        f"{'service':34s} {'rows':>7s} {'first':>7s} {'warm':>7s} {'raw':>7s} {'held':>7s} {'warm/raw':>8s}"
    )
    for name, service, raw in cases:
        failed = None
        try:
            result = service()
            rows = len(result[1]) if isinstance(result, tuple) else len(result)
            first, warm = _median_ms(service, runs)
        except Exception as exc:  # a service that fails at this size: said, its raw SQL still timed
            failed, rows, first, warm = f"{type(exc).__name__}: {exc}", 0, float("nan"), float("nan")

        def fresh(raw: Callable[[duckdb.DuckDBPyConnection], int] = raw) -> None:
            con = duckdb.connect(str(path))
            try:
                raw(con)
            finally:
                con.close()

        _, raw_ms = _median_ms(fresh, runs)
        con = duckdb.connect(str(path))
        try:
            _, held_ms = _median_ms(partial(raw, con), runs)
        finally:
            con.close()
        flag = "  ← over 300 ms" if warm > TARGET_MS or raw_ms > TARGET_MS else ""
        flag += f"  ← FAILS: {failed[:120]}" if failed else ""
        print(f"{name:34s} {rows:7d} {first:7.0f} {warm:7.0f} {raw_ms:7.0f} {held_ms:7.0f} {warm / raw_ms:8.2f}{flag}",
              flush=True)  # fmt: skip
        out.append((name, first, warm, raw_ms, held_ms, rows))
    _, open_ms = _median_ms(lambda: duckdb.connect(str(path)).close(), runs)
    print(f"{'(opening the file alone)':34s} {'':7s} {'':7s} {'':7s} {open_ms:7.0f}")
    return out


MEMBER_QUERIES = (
    "member_year", "inactive", "member_record", "member_info", "log_years", "roster_size", "derived_figures",
    "points_rule", "activity_counts", "activity_totals",
)  # fmt: skip


def page_bench(path: Path, runs: int) -> None:
    """views/member_records.py's AppTest run, cold and warm, beside its raw queries (as pages_speed)."""
    page = ROOT / "views" / "member_records.py"
    if not page.exists():
        print("\nviews/member_records.py: not there yet (being written) — its AppTest run not measured")
        return
    import logging

    import bench.pages_speed as ps

    class Count(logging.Handler):  # what the page logs (a failed part is logged, the page goes on)
        def __init__(self) -> None:
            super().__init__(logging.ERROR)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    logger = logging.getLogger("cppcc")
    counted, propagate = Count(), logger.propagate
    logger.addHandler(counted)
    logger.propagate = False

    class Outermost(ps.Recorder):
        """pages_speed's recorder, keeping only outermost calls (inactive calls member_year: once)."""

        depth = 0

        def _wrap(self, fn):
            import duckdb

            def recorded(*args, **kwargs):
                if args and isinstance(args[0], duckdb.DuckDBPyConnection) and Outermost.depth == 0:
                    self.calls.append((fn, args[1:], kwargs))
                Outermost.depth += 1
                try:
                    return fn(*args, **kwargs)
                finally:
                    Outermost.depth -= 1

            return recorded

        def replay(self, path: Path) -> float:
            """As pages_speed's, a call that raises (the page logged it and went on) timed to its raise."""
            from store.connection import Store

            t0 = time.perf_counter()
            with Store(path).connect() as con:
                for fn, args, kwargs in self.calls:
                    try:
                        fn(con, *args, **kwargs)  # type: ignore[operator]
                    except Exception:  # the page logged it and went on: reported from its log
                        continue
            return time.perf_counter() - t0

    extra = (*(("store.member_queries", f) for f in MEMBER_QUERIES), ("store.roster", "member_history"))
    saved, saved_recorder = ps.QUERY_FUNCTIONS, ps.Recorder
    ps.QUERY_FUNCTIONS, ps.Recorder = saved + extra, Outermost  # type: ignore[assignment, misc]
    try:
        cold, warm, raw = ps.page_times(path, "views/member_records.py", runs)
    except AssertionError as exc:
        print(f"\nviews/member_records.py: the page raised in AppTest: {str(exc)[:300]}")
        return
    finally:
        ps.QUERY_FUNCTIONS, ps.Recorder = saved, saved_recorder  # type: ignore[misc]
        logger.removeHandler(counted)
        logger.propagate = propagate
    found, picked, again = picked_page(path, runs)
    raw_txt = f"{raw * 1000:.0f}" if raw else "—"
    ratio = f"{warm / raw:.2f}" if raw else "—"
    flag = "  ← over 300 ms" if warm * 1000 > TARGET_MS else ""
    print(f"\npage views/member_records.py (AppTest): cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms,"
          f" raw queries {raw_txt} ms, warm/raw {ratio}{flag}")  # fmt: skip
    print("  (raw: every query-function call the cold run made, replayed uncached)")
    flag = "  ← over 300 ms" if max(found, again) * 1000 > TARGET_MS else ""
    print(f"  a member searched (王, the first 50 of thousands listed) {found * 1000:.0f} ms, picked"
          f" {picked * 1000:.0f} ms, then warm {again * 1000:.0f} ms{flag}")  # fmt: skip
    if counted.records:
        r = counted.records[0]
        cause = f" — {type(r.exc_info[1]).__name__}: {r.exc_info[1]}" if r.exc_info and r.exc_info[1] else ""
        print(f"  the page logged {len(counted.records)} error(s): {r.getMessage()}{cause}"[:240])


def picked_page(path: Path, runs: int) -> tuple[float, float, float]:
    """The page's 履职档案 in use: (the run after typing a surname in the search box, the run after picking
    the 4th member listed, the median of `runs` runs after that) in seconds, the page warm before."""
    from streamlit.testing.v1 import AppTest

    os.environ["CPPCC_DB"] = str(path)
    at = AppTest.from_file(str(ROOT / "views" / "member_records.py"), default_timeout=120)
    at.run().run()
    t0 = time.perf_counter()
    at.text_input(key="mr_member_q").input("王").run()
    found = time.perf_counter() - t0
    box = at.selectbox(key="mr_member")
    t0 = time.perf_counter()
    box.select_index(3).run()
    picked = time.perf_counter() - t0
    assert not at.exception, at.exception
    laps = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        laps.append(time.perf_counter() - t0)
    return found, picked, statistics.median(laps)


# --- 3. memory of a real server -----------------------------------------------------------------


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, MB."""
    vals = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            vals[line.split(":")[0]] = int(line.split()[1]) / 1024
    return vals.get("VmRSS", 0.0), vals.get("VmHWM", 0.0)


async def open_pages(
    ws_url: str, pages: list[str], pid: int, log: Path
) -> list[tuple[str, float, float, float, str]]:
    """One browser session opening each page in turn: (page, seconds to the run's end, RSS, HWM, what
    went wrong: error boxes shown, a traceback the server logged meanwhile)."""
    import websockets
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = []
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:  # type: ignore[list-item]
        for page in pages:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = ""
            msg.rerun_script.page_name = page
            seen = log.stat().st_size
            t0 = time.perf_counter()
            await ws.send(msg.SerializeToString())
            errors: list[str] = []
            async for raw in ws:
                fm = ForwardMsg()
                fm.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    el = fm.delta.new_element
                    if el.WhichOneof("type") == "exception":
                        errors.append(f"exception {el.exception.type}")
                    elif el.WhichOneof("type") == "alert" and el.alert.format == Alert.ERROR:
                        errors.append("error box: " + el.alert.body.splitlines()[0][:60])
                if kind == "script_finished":
                    break
            took = time.perf_counter() - t0
            rss, hwm = rss_mb(pid)
            with log.open(encoding="utf-8", errors="replace") as f:
                f.seek(seen)
                added = f.read()
            if "Traceback" in added:
                last = [line for line in added.splitlines() if line and not line.startswith(" ")]
                errors.append("traceback: " + (last[-2] if len(last) > 1 else "")[:80])
            out.append((page or "(default)", took, rss, hwm, "; ".join(errors)))
    return out


def memory_bench(path: Path, work: Path) -> None:
    import socket
    import urllib.request

    from ui.navigation import PAGES

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = (work / "server.log").open("w")
    env = {k: v for k, v in os.environ.items() if k != "CPPCC_DB"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--", "--db", str(path)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"streamlit did not start; log: {work / 'server.log'}") from None
                time.sleep(0.3)
        started = rss_mb(proc.pid)
        pages = ["", *[p.url_path for p in PAGES]]
        ws = url.replace("http://", "ws://") + "/_stcore/stream"
        results = asyncio.run(open_pages(ws, pages, proc.pid, work / "server.log"))
        again = asyncio.run(open_pages(ws, pages, proc.pid, work / "server.log"))
        print(f"\nserver memory (streamlit run app.py -- --db {path.name}; pid {proc.pid}):")
        print(f"  after start: RSS {started[0]:.0f} MB")
        print(
            f"  {'page':14s} {'first s':>8s} {'RSS MB':>8s} {'peak MB':>8s} {'again s':>8s} {'RSS MB':>8s}  problems"
        )
        for (page, took, rss, hwm, wrong), (_, took2, rss2, _, _) in zip(results, again, strict=True):
            print(f"  {page:14s} {took:8.2f} {rss:8.0f} {hwm:8.0f} {took2:8.2f} {rss2:8.0f}  {wrong}")
        rss, hwm = rss_mb(proc.pid)
        print(f"  after every page twice: RSS {rss:.0f} MB, peak (VmHWM) {hwm:.0f} MB")
        text = (work / "server.log").read_text(errors="replace")
        if "Traceback" in text:
            print(f"  the server logged a traceback: see {work / 'server.log'}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--members", type=int, default=60_000)
    ap.add_argument("--years", type=int, default=15)
    ap.add_argument("--per-year", type=int, default=20, help="activities per member and year (≤ 180)")
    ap.add_argument("--runs", type=int, default=3, help="import laps (each on a fresh copy of the store)")
    ap.add_argument("--page-runs", type=int, default=5, help="warm calls of each service / page")
    ap.add_argument("--work", type=Path, default=Path("/tmp/cppcc-members-bench"))
    ap.add_argument("--parts", default="import,profile,services,memory")
    ap.add_argument("--no-facts", action="store_true", help="units only, no provincial indicator data")
    ap.add_argument("--rebuild", action="store_true", help="build the store again even when cached")
    args = ap.parse_args()
    if not 1 <= args.per_year <= 180:
        ap.error("--per-year: 1 to 180 (one distinct date per activity)")
    parts = set(args.parts.split(","))
    import logging

    from streamlit.logger import get_logger

    for name in (
        "streamlit",
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.scriptrunner_utils.script_run_context",
        "streamlit.runtime.state.session_state_proxy",
    ):
        get_logger(name).setLevel(logging.ERROR)
    args.work.mkdir(parents=True, exist_ok=True)
    path = store_path(args.work, args.members, args.years, args.per_year, not args.no_facts)
    if args.rebuild:
        path.unlink(missing_ok=True)
    y0 = first_year(args.years)
    rows = args.members * args.per_year * args.years
    if not path.exists():
        print(
            f"building {path} ({args.members:,} members × {args.per_year} × {args.years} years = {rows:,} rows)"
        )
        t = time.perf_counter()
        build_store(path, args.members, args.years, args.per_year, not args.no_facts)
        print(f"built in {time.perf_counter() - t:.0f} s")
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        n_log, n_roster = (int(x) for x in con.execute(  # type: ignore[union-attr]
            "SELECT (SELECT count(*) FROM member_log), (SELECT count(*) FROM member_roster)").fetchone())  # fmt: skip
    finally:
        con.close()
    print(f"store {path}: {path.stat().st_size / 1e6:.0f} MB; member_log {n_log:,} rows ({y0}–{y0 + args.years - 1}),"
          f" member_roster {n_roster:,} rows, {args.members:,} members")  # fmt: skip
    year = y0 + args.years
    csv_path = args.work / f"{year}年履职活动登记-m{args.members}-p{args.per_year}.csv"
    if parts & {"import", "profile"} and not csv_path.exists():
        write_log_csv(path, csv_path, year, args.members, args.per_year)
    if "import" in parts:
        import_bench(path, csv_path, args.work, args.runs, args.members * args.per_year)
    if "profile" in parts:
        profile_import(path, csv_path, args.work)
    if "services" in parts:
        services_bench(path, args.page_runs)
        page_bench(path, args.page_runs)
    if "memory" in parts:
        memory_bench(path, args.work)
    for p in (args.work / "lap.duckdb", args.work / "lap.duckdb.wal"):
        p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
