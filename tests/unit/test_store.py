"""The store against real DuckDB files: migrations, the SQL interface, history, locking across processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from domain.dictionary import load_dictionary
from store.connection import Store, StoreBusy, resolve_db_path
from store.migrate import LATEST_VERSION, migrate, schema_version
from tests.helpers import add_batch, fact


def test_new_file_gets_latest_schema_and_dictionary(store):
    with store.connect() as con:
        assert schema_version(con) == LATEST_VERSION
        codes = {r[0] for r in con.execute("SELECT code FROM indicators").fetchall()}
    assert codes == set(load_dictionary().codes())


def test_older_file_is_upgraded_without_losing_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, upto=1) == 1  # a file made by the first release
    con.execute("INSERT INTO batches (id, kind, file_name) VALUES (7, 'import', 'q1.xlsx')")
    con.execute(
        "INSERT INTO facts (batch_id, unit_code, year, quarter, indicator, value)"
        " VALUES (7, '360402', 2024, 1, 'proposals_submitted', 35)"
    )
    con.close()

    store = Store(path)
    with store.connect() as con:
        assert schema_version(con) == LATEST_VERSION
        assert con.execute("SELECT value FROM indicator_values").fetchall() == [(35.0,)]
        con.execute("INSERT INTO targets (unit_code, year, indicator, value) VALUES ('360402', 2024, 'x', 1)")


def test_the_unused_meta_table_is_dropped(tmp_path):
    path = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, upto=5) == 5
    con.execute("INSERT INTO meta VALUES ('demo', 'true')")  # nothing wrote it, but a file may hold a row
    con.close()
    with Store(path).connect() as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "meta" not in tables and {"units", "facts", "batches", "batch_files"} <= tables


def test_file_from_a_newer_release_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    con.execute("INSERT INTO schema_version (version) VALUES (?)", [LATEST_VERSION + 1])
    con.close()
    with pytest.raises(RuntimeError, match="请升级 cppcc-dashboard"), Store(path).connect():
        pass


def test_indicator_values_view_is_the_documented_contract(store):
    add_batch(store, [fact("360402", 2024, 1, "proposals_submitted", 35)])
    with store.connect() as con:
        con.execute("INSERT INTO units (code, name, level) VALUES ('360402', '濂溪区', 'district')")
        cur = con.execute("SELECT * FROM indicator_values")
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    assert cols == ["unit_code", "unit_name", "year", "quarter", "indicator", "indicator_name", "value"]
    assert rows == [("360402", "濂溪区", 2024, 1, "proposals_submitted", "提案提交数", 35.0)]


def test_current_value_is_latest_batch_not_reverted(store):
    add_batch(store, [fact("U", 2024, 1, "inspections", 3)])
    b2 = add_batch(store, [fact("U", 2024, 1, "inspections", 5)])
    with store.connect() as con:
        assert con.execute("SELECT value FROM indicator_values").fetchone() == (5.0,)
        con.execute("UPDATE batches SET reverted_by = 99 WHERE id = ?", [b2])
        assert con.execute("SELECT value FROM indicator_values").fetchone() == (3.0,)
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (2,)


def test_rejected_transaction_changes_nothing(store):
    add_batch(store, [fact("U", 2024, 1, "inspections", 3)])
    with pytest.raises(ValueError), store.transaction() as con:
        con.execute(
            "INSERT INTO facts (batch_id, unit_code, year, quarter, indicator, value)"
            " VALUES (1, 'U', 2024, 2, 'inspections', 4)"
        )
        raise ValueError("a validation error half way")
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (1,)


HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")


def _hold(path, seconds):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_gets_a_clear_message_when_the_lock_is_held_too_long(duck_store):
    store = duck_store
    with store.connect():
        pass
    proc = _hold(store.path, 6)
    try:
        quick = Store(store.path, busy_timeout=0.5)
        with pytest.raises(StoreBusy, match=r"正被另一个程序.*占用.*请稍后重试"), quick.connect():
            pass
    finally:
        proc.kill()
        proc.wait()


def test_second_process_waits_for_a_short_lock_and_then_works(duck_store):
    store = duck_store
    add_batch(store, [fact("U", 2024, 1, "inspections", 3)])
    proc = _hold(store.path, 1.0)
    try:
        t0 = time.monotonic()
        add_batch(Store(store.path, busy_timeout=10), [fact("U", 2024, 2, "inspections", 4)])
        assert time.monotonic() - t0 > 0.3  # it did wait for the other process
    finally:
        proc.wait()
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (2,)


def test_db_path_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("CPPCC_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db_path(None) == tmp_path / "env.duckdb"
    assert resolve_db_path(str(tmp_path / "cli.duckdb")) == tmp_path / "cli.duckdb"
    monkeypatch.delenv("CPPCC_DB")
    assert resolve_db_path(None).name == "cppcc.duckdb"
