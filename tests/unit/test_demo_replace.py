"""A demo store starts real on its first real import: the demo values go, in the same transaction,
and the preview is computed against the store as it will be (never against demo quarters)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli.main import main
from store.connection import Store
from store.demo import demo_values, has_demo
from store.ingest import commit, prepare
from store.read import is_demo
from tests.helpers import make_xlsx

HEAD = ["县（市、区）", "提交提案", "立案", "办复"]


@pytest.fixture
def demo_store(demo_db: Path, tmp_path: Path) -> Store:
    db = tmp_path / "demo-copy.duckdb"
    shutil.copy(demo_db, db)
    return Store(db, busy_timeout=2.0)


def _counts(store: Store) -> tuple[int, int]:
    with store.connect() as con:
        facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
        batches = con.execute("SELECT count(*) FROM batches").fetchall()[0][0]
    return int(facts), int(batches)


def test_preview_compares_without_the_demo_and_commit_needs_consent(demo_store, tmp_path):
    f = make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    p = prepare(demo_store, f.name, f.read_bytes(), user="王芳")
    assert p.status == "ready" and p.replaces_demo > 1000
    assert p.counts == {"new": 3, "changed": 0, "unchanged": 0}  # not 'changed' against demo values
    before = _counts(demo_store)
    refused = commit(demo_store, p)
    assert refused.status == "rejected" and refused.errors[0].code == "demo_data"
    assert "演示数据" in refused.errors[0].message
    assert _counts(demo_store) == before  # nothing written, nothing removed

    done = commit(demo_store, p, replace_demo=True, user="李科员")
    assert done.status == "imported" and done.replaced_demo == p.replaces_demo
    with demo_store.connect() as con:
        assert not has_demo(con) and demo_values(con) == 0 and not is_demo(con)
        kinds = con.execute("SELECT kind, user_name FROM batches ORDER BY id").fetchall()
        (n,) = con.execute("SELECT count(*) FROM current_facts").fetchall()[0]
        (kept,) = con.execute(  # type: ignore[misc]
            "SELECT octet_length(content) FROM batch_files WHERE batch_id = ?", [done.batch_id]
        ).fetchone()
    assert kinds == [("demo_removed", "李科员"), ("import", "李科员")]
    assert n == 3 and kept == len(f.read_bytes())


def test_a_refused_import_keeps_the_demo(demo_store, tmp_path):
    """The form sample's cumulative 1-9月 needs Q1-Q2: refused, and the demo stays as it was."""
    f = make_xlsx(tmp_path / "2024年1-9月.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    p = prepare(demo_store, f.name, f.read_bytes(), cumulative=True)
    assert p.status == "rejected"
    assert all(e.code == "cumulative_gap" for e in p.errors)  # against the real store: no quarters yet
    before = _counts(demo_store)
    assert commit(demo_store, p, replace_demo=True).status == "rejected"
    assert _counts(demo_store) == before


def test_cli_refuses_without_replace_demo(demo_store, tmp_path, capsys):
    f = make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    db = str(demo_store.path)
    assert main(["--db", db, "import", "--json", str(f)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["errors"][0]["code"] == "demo_data"
    assert main(["--db", db, "import", "--dry-run", "--json", str(f)]) == 0
    dry = json.loads(capsys.readouterr().out)["files"][0]
    assert dry["status"] == "ready" and [w["code"] for w in dry["warnings"]] == ["demo_data"]
    assert main(["--db", db, "import", "--replace-demo", "--json", str(f)]) == 0
    done = json.loads(capsys.readouterr().out)["files"][0]
    assert done["status"] == "imported" and done["replaced_demo"] > 1000
    assert main(["--db", db, "demo"]) == 1  # a real store never gets demo data back


def test_cli_demo_remove(demo_store, capsys):
    db = str(demo_store.path)
    assert main(["--db", db, "demo", "--remove"]) == 0
    assert "已删除演示数据" in capsys.readouterr().out
    with demo_store.connect() as con:
        assert not has_demo(con) and not is_demo(con)
        (units,) = con.execute("SELECT count(*) FROM units").fetchall()[0]
    assert units == 14  # the units stay
    assert main(["--db", db, "demo", "--remove"]) == 0
    assert "没有演示数据" in capsys.readouterr().out


def test_approximate_figures_are_warned(tmp_path):
    from domain.dictionary import demo_units
    from store.units import upsert_units

    store = Store(tmp_path / "s.duckdb")
    with store.transaction() as con:
        upsert_units(con, demo_units())
    f = make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", "53余", 30, 20]]})
    p = prepare(store, f.name, f.read_bytes())
    (w,) = [w for w in p.warnings if w.code == "approximate"]
    assert (w.row, w.column) == (2, "提交提案") and "按 53 导入并标记为约数" in w.message
    assert bool(p.rows.loc[p.rows["indicator"] == "proposals_submitted", "approximate"].iloc[0])
