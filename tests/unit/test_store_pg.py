"""What only the PostgreSQL store has: several instances over one database, real concurrent writers,
the server going away and coming back, URLs with passwords, copy-store and backups across backends,
a schema upgrade in place. (Everything else runs on both backends through the `store` fixture.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

import store.pg as pg_module
from cli.main import main
from demo.build import build_demo
from domain.dictionary import demo_units
from services import accounts
from store.connection import Store
from store.copy import store_checksums
from store.errors import StoreUnavailable
from store.ingest import commit, prepare
from store.open import open_store
from store.pg import PgStore, redact
from store.units import upsert_units
from tests.helpers import add_batch, fact, make_xlsx, snapshot
from tests.pgcluster import Cluster

HEAD = ["县（市、区）", "提交提案", "立案", "办复"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(pg_cluster: Cluster) -> str:
    return pg_cluster.new_database()


def _open(url: str) -> PgStore:
    s = open_store(url, busy_timeout=5.0)
    assert isinstance(s, PgStore)
    return s


def _cppcc(*args: str) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "cppcc"
    return subprocess.Popen(
        [str(exe), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=os.environ
    )


def test_an_import_on_one_instance_shows_on_the_others_next_read(url, tmp_path):
    a, b = _open(url), _open(url)
    with a.transaction() as con:
        upsert_units(con, demo_units())
    assert snapshot(b) == []
    before = b.version()
    f = make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    r = commit(a, prepare(a, f.name, f.read_bytes(), user="王芳"))
    assert r.status == "imported"
    time.sleep(pg_module.FRESH_SECONDS)  # what B was told about changes holds this long
    assert b.version() > before  # the other instance's cache keys change
    assert snapshot(b) == snapshot(a) and len(snapshot(b)) == 3
    # and what psql, DBeaver or a BI tool reads is the same: the documented view in PostgreSQL itself
    with psycopg.connect(url) as pg:
        rows = pg.execute(
            "SELECT unit_code, unit_name, year, quarter, indicator, indicator_name, value FROM indicator_values"
            " ORDER BY 1, 2, 3, 4, 5, 6, 7"
        ).fetchall()
    assert [tuple(r) for r in rows] == snapshot(a)
    a.close()
    b.close()


def test_indicator_values_in_postgresql_has_the_documented_columns_and_the_demo_rows(url, demo_db):
    s = _open(url)
    build_demo(s)
    with psycopg.connect(url) as pg:
        cols = pg.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'indicator_values'"
            " ORDER BY ordinal_position"
        ).fetchall()
        n, total = pg.execute("SELECT count(*), sum(value) FROM indicator_values").fetchone()  # type: ignore[misc]
    assert [c for c, _ in cols] == [
        "unit_code", "unit_name", "year", "quarter", "indicator", "indicator_name", "value",
    ]  # fmt: skip
    assert (
        dict(cols)["quarter"] == "smallint" and dict(cols)["value"] == "double precision"
    )  # no TINYINT there
    with Store(demo_db).connect() as con:
        want = con.execute("SELECT count(*), sum(value) FROM indicator_values").fetchall()[0]
    assert (n, total) == want
    s.close()


def test_concurrent_cli_imports_from_real_processes_never_interleave(url, tmp_path):
    s = _open(url)
    with s.transaction() as con:
        upsert_units(con, demo_units())
    files = []
    for q in (1, 2, 3, 4):
        files.append(
            make_xlsx(tmp_path / f"2024Q{q}.xlsx", {"汇总": [HEAD, ["修水县", 10 * q, 8 * q, 5 * q]]})
        )
    twin = tmp_path / "copy" / "2024Q1.xlsx"
    twin.parent.mkdir()
    twin.write_bytes(files[0].read_bytes())  # the same sheet sent twice: one import, one duplicate
    procs = [_cppcc("--db", url, "import", "--json", str(f)) for f in [*files, twin]]
    outs = [p.communicate(timeout=120) for p in procs]
    time.sleep(pg_module.FRESH_SECONDS)
    statuses = sorted(json.loads(out)["files"][0]["status"] for out, _ in outs)
    assert statuses == ["duplicate", "imported", "imported", "imported", "imported"], outs
    with s.connect() as con:
        per_batch = con.execute(
            "SELECT b.id, b.n_new + b.n_changed, count(f.id) FROM batches b LEFT JOIN facts f ON f.batch_id = b.id"
            " GROUP BY ALL ORDER BY 1"
        ).fetchall()
        values = con.execute(
            "SELECT quarter, indicator, value FROM indicator_values WHERE unit_code = '360424' ORDER BY 1, 2"
        ).fetchall()
    assert len(per_batch) == 4 and all(
        recorded == stored for _, recorded, stored in per_batch
    )  # no half batch
    assert values == sorted(
        (q, code, float(v * q))
        for q in (1, 2, 3, 4)
        for code, v in (("proposals_submitted", 10), ("proposals_registered", 8), ("proposals_answered", 5))
    )
    s.close()


def test_a_failed_write_leaves_postgresql_as_it_was(url):
    s = _open(url)
    add_batch(s, [fact("360424", 2024, 1, "inspections", 3)])
    before = snapshot(s)
    with pytest.raises(RuntimeError, match="boom"), s.transaction() as con:
        con.execute("DELETE FROM facts")
        con.execute("INSERT INTO units (code, name, level) VALUES ('999999', 'x', 'county')")
        raise RuntimeError("boom")
    assert snapshot(s) == before
    fresh = _open(url)  # read again from PostgreSQL, not from the mirror that saw the failed work
    assert snapshot(fresh) == before
    with psycopg.connect(url) as pg:
        assert pg.execute("SELECT count(*) FROM units WHERE code = '999999'").fetchone() == (0,)
    s.close()
    fresh.close()


def test_the_server_going_away_gives_a_chinese_message_and_the_store_recovers(pg_cluster):
    s = _open(pg_cluster.new_database())
    add_batch(s, [fact("360424", 2024, 1, "inspections", 3)])
    pg_cluster.stop()
    try:
        with pytest.raises(StoreUnavailable, match="数据库暂时不可用"):
            add_batch(s, [fact("360424", 2024, 2, "inspections", 4)])
        with pytest.raises(StoreUnavailable, match="数据库暂时不可用"), s.connect():
            pass
    finally:
        pg_cluster.start()
    # the same object reconnects by itself: the pool retries with a backoff, which under load can
    # outlast one 5 s wait, so the write is tried until it goes through (it never lands twice)
    deadline = time.monotonic() + 60
    while True:
        try:
            add_batch(s, [fact("360424", 2024, 2, "inspections", 4)])
            break
        except StoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with s.connect() as con:
        assert con.execute("SELECT count(*) FROM facts").fetchall() == [(2,)]
    s.close()


def test_a_password_in_the_url_is_never_printed(pg_cluster, capsys):
    secret_url = f"postgresql://cppcc:s3cret-Pw@127.0.0.1:{pg_cluster.port + 1}/nowhere"
    assert redact(secret_url) == f"postgresql://cppcc:***@127.0.0.1:{pg_cluster.port + 1}/nowhere"
    os.environ["CPPCC_BUSY_TIMEOUT"] = "1"
    try:
        assert main(["--db", secret_url, "history"]) == 1
    finally:
        del os.environ["CPPCC_BUSY_TIMEOUT"]
    out, err = capsys.readouterr()
    assert "数据库暂时不可用" in err and "***" in err
    assert "s3cret-Pw" not in out + err


def test_copy_store_moves_a_whole_store_to_postgresql_and_back(url, demo_db, tmp_path, capsys):
    source = tmp_path / "source.duckdb"
    source.write_bytes(demo_db.read_bytes())
    with Store(source).connect() as con:
        want = store_checksums(con)
    assert main(["--db", url, "copy-store", "--from", str(source)]) == 0
    assert "逐表核对行数和校验和一致" in capsys.readouterr().out
    back = tmp_path / "back.duckdb"
    assert main(["--db", str(back), "copy-store", "--from", url]) == 0
    with Store(back).connect() as con:
        assert store_checksums(con) == want  # every table, every row, through PostgreSQL and back
    assert main(["--db", url, "copy-store", "--from", str(source)]) == 1  # has data: --force needed
    assert "--force" in capsys.readouterr().err
    assert main(["--db", url, "copy-store", "--from", str(source), "--force"]) == 0


def test_backup_and_restore_of_a_postgresql_store(url, tmp_path, capsys):
    s = _open(url)
    with s.transaction() as con:
        upsert_units(con, demo_units())
    add_batch(s, [fact("360424", 2024, 1, "inspections", 3)])
    out = tmp_path / "b.duckdb"
    assert main(["--db", url, "backup", "--out", str(out)]) == 0
    assert snapshot(Store(out)) == snapshot(s)
    add_batch(s, [fact("360424", 2024, 2, "inspections", 9)])
    assert main(["--db", url, "restore", str(out)]) == 1  # data there: --force
    assert main(["--db", url, "restore", str(out), "--force"]) == 0
    assert snapshot(_open(url)) == snapshot(Store(out))
    capsys.readouterr()
    s.close()


def test_an_older_postgresql_store_is_upgraded_in_place(url, monkeypatch):
    real = pg_module.migrate
    monkeypatch.setattr(
        pg_module, "migrate", lambda con, upto=None: real(con, upto=6 if upto is None else min(upto, 6))
    )
    old = _open(url)
    add_batch(old, [fact("360424", 2024, 1, "inspections", 3)])
    with psycopg.connect(url) as pg:
        assert pg.execute("SELECT max(version) FROM schema_version").fetchone() == (6,)
        assert pg.execute("SELECT to_regclass('decks')").fetchone() == (None,)
    old.close()
    monkeypatch.undo()
    new = _open(url)
    assert len(snapshot(new)) == 1  # the data kept
    with psycopg.connect(url) as pg:
        assert pg.execute("SELECT max(version) FROM schema_version").fetchone() == (pg_module.LATEST_VERSION,)
        cols = {
            r[0]
            for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'decks'"
            )
        }
    assert "owner" in cols  # 008's new column of 007's new table
    new.close()


def test_sessions_sign_in_lockout_and_the_cookie_key_are_shared_by_instances(url):
    a, b = _open(url), _open(url)
    with a.transaction() as con:
        upsert_units(con, demo_units())
    accounts.add_account(a, "管理员", "admin", "admin-pass-1")
    accounts.add_account(a, "王主席", "viewer", "viewer-pass-1")
    cookie = accounts.start_session(a, "王主席")  # signed in through instance A
    found = accounts.session_actor(b, cookie)  # the balancer sends the next request to B
    assert found is not None and found[0].name == "王主席"
    accounts.end_session(b, cookie)  # signed out on B
    assert accounts.session_actor(a, cookie) is None  # … is signed out on A
    for _ in range(accounts.lock_after()):
        with pytest.raises(accounts.SignInFailed):
            accounts.authenticate(a, "王主席", "wrong")
    with pytest.raises(accounts.SignInFailed):
        accounts.authenticate(b, "王主席", "viewer-pass-1")  # the right password, but locked on B too
    assert [r.detail.get("reason") for r in accounts.audit(b, accounts.actor_for(b, "管理员"))][:1] == [
        "locked"
    ]
    a.close()
    b.close()


def test_member_views_in_postgresql_hold_what_the_mirror_holds(url):
    from tests.unit.test_members import LOG, import_log, import_roster, with_units

    s = with_units(_open(url))
    import_roster(s)
    _, res = import_log(s, LOG.name, LOG.read_bytes())
    assert res is not None and res.status == "imported"
    with psycopg.connect(url) as pg:
        people = pg.execute("SELECT * FROM members_current ORDER BY member_id").fetchall()
        acts = pg.execute(
            "SELECT member_id, unit_code, date, year, quarter, activity, count FROM member_activities"
            " ORDER BY member_id, date, activity"
        ).fetchall()
        cols = [c for (c,) in pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'member_activities'"
            " ORDER BY ordinal_position").fetchall()]  # fmt: skip
    with s.connect() as con:
        mirror = con.execute("SELECT * FROM members_current ORDER BY member_id").fetchall()
        mirror_acts = con.execute(
            "SELECT member_id, unit_code, date, year, quarter, activity, count FROM member_activities"
            " ORDER BY member_id, date, activity"
        ).fetchall()
    assert len(people) == 40 and people == mirror
    assert len(acts) == 86 and acts == mirror_acts
    assert cols == ["member_id", "unit_code", "date", "year", "quarter", "activity", "count", "batch_id"]
