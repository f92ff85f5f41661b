"""Importing files into the store: all or nothing, history, duplicates, cumulative flows, revert, CLI contract."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from cli.main import main
from domain.dictionary import demo_units
from store.connection import Store
from store.history import RevertRefused, revert
from store.ingest import commit, prepare
from store.units import upsert_units
from tests.helpers import make_xlsx, snapshot

HEAD = ["县（市、区）", "提交提案", "立案", "办复"]


@pytest.fixture
def st(store: Store) -> Store:
    with store.transaction() as con:
        upsert_units(con, demo_units())
    return store


def imp(store: Store, path: Path, **kw):
    return commit(store, prepare(store, path.name, path.read_bytes(), user="王芳", **kw))


def test_wide_sheet_is_imported_with_its_source(st, tmp_path):
    f = make_xlsx(
        tmp_path / "2024年第一季度.xlsx",
        {"汇总": [HEAD, ["修水县", 35, 30, 20], ["濂溪区", 20, 18, None]]},
        title="九江市政协系统2024年第一季度履职数据统计表",
    )
    r = imp(st, f)
    assert r.status == "imported" and r.counts == {"new": 5, "changed": 0, "unchanged": 0}
    with st.connect() as con:
        row = con.execute(
            "SELECT value, source_sheet, source_row, source_column FROM current_facts"
            " WHERE unit_code = '360424' AND indicator = 'proposals_registered'"
        ).fetchone()
        batch = con.execute(
            "SELECT file_name, user_name, n_new, sha256 FROM batches WHERE id = ?", [r.batch_id]
        ).fetchone()
    assert row == (30.0, "汇总", 3, "立案")
    assert batch[:3] == ("2024年第一季度.xlsx", "王芳", 5) and len(batch[3]) == 64
    assert ("360402", "濂溪区", 2024, 1, "proposals_answered", "办复数", 0.0) not in snapshot(
        st
    )  # empty is not 0


def test_same_file_twice_is_reported_as_duplicate(st, tmp_path):
    f = make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    first = imp(st, f)
    again = imp(st, f)
    assert again.status == "duplicate" and again.batch_id == first.batch_id


def test_reimport_supersedes_keeps_history_and_revert_restores_exactly(st, tmp_path):
    imp(
        st,
        make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20], ["濂溪区", 20, 18, 10]]}),
    )
    before = snapshot(st)
    fix = imp(st, make_xlsx(tmp_path / "2024Q1-更正.xlsx", {"汇总": [HEAD, ["修水县", 36, 30, 21]]}))
    assert fix.counts == {"new": 0, "changed": 2, "unchanged": 1}
    assert ("360424", "修水县", 2024, 1, "proposals_submitted", "提案提交数", 36.0) in snapshot(st)
    revert(st, fix.batch_id, user="王芳")
    assert snapshot(st) == before
    with pytest.raises(RevertRefused, match=r"已于批次 .* 撤销"):
        revert(st, fix.batch_id)


def test_commit_compares_again_with_what_landed_since_the_preview(st, tmp_path):
    """A file previewed on the upload page, then another import of the same period, then confirm: the
    figures of the confirmed file are what is current, and its counts are those of the moment of writing."""
    imp(st, make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]}))
    late = make_xlsx(tmp_path / "2024Q1-核定.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 21]]})
    previewed = prepare(st, late.name, late.read_bytes(), user="王芳")
    assert previewed.counts == {"new": 0, "changed": 1, "unchanged": 2}
    other = imp(st, make_xlsx(tmp_path / "2024Q1-另一份.xlsx", {"汇总": [HEAD, ["修水县", 40, 30, 20]]}))
    assert other.counts == {"new": 0, "changed": 1, "unchanged": 2}
    r = commit(st, previewed)
    assert r.status == "imported" and r.counts == {"new": 0, "changed": 2, "unchanged": 1} and r.values == 3
    current = {row[4]: row[6] for row in snapshot(st)}
    assert current == {"proposals_submitted": 35, "proposals_registered": 30, "proposals_answered": 21}
    with st.connect() as con:
        assert con.execute("SELECT n_new, n_changed, n_unchanged FROM batches WHERE id = ?",
                           [r.batch_id]).fetchall() == [(0, 2, 1)]  # fmt: skip


def test_cumulative_commit_is_refused_when_its_earlier_quarter_was_reverted_since_the_preview(st, tmp_path):
    q1 = imp(st, make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", 30, 25, 10]]}))
    f = make_xlsx(tmp_path / "2024年1-6月.xlsx", {"汇总": [HEAD, ["修水县", 42, 35, 30]]})
    previewed = prepare(st, f.name, f.read_bytes(), cumulative=True)
    assert previewed.status == "ready"
    revert(st, q1.batch_id)
    before = snapshot(st)
    r = commit(st, previewed)
    assert r.status == "rejected" and r.batch_id is None
    assert "但库中缺少2024年第一季度的数据" in r.errors[0].message
    assert snapshot(st) == before


def test_rejected_file_changes_nothing_and_names_row_and_column(st, tmp_path):
    imp(st, make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]}))
    before = snapshot(st)
    bad = make_xlsx(
        tmp_path / "2024Q2.xlsx", {"汇总": [HEAD, ["修水县", 35, 40, 20], ["濂溪区", 20, 18, "很多"]]}
    )
    r = imp(st, bad)
    assert r.status == "rejected" and r.batch_id is None
    where = {(e.sheet, e.row, e.column) for e in r.errors}
    assert ("汇总", 2, "立案") in where and ("汇总", 3, "办复") in where
    assert snapshot(st) == before


def test_cumulative_upload_becomes_quarterly_flows_and_pins_what_it_used(st, tmp_path):
    q1 = imp(st, make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", 30, 25, 10]]}))
    cum = imp(
        st,
        make_xlsx(tmp_path / "2024年1-6月.xlsx", {"汇总": [HEAD, ["修水县", 42, 35, 30]]}),
        cumulative=True,
    )
    assert cum.status == "imported", cum.errors
    values = {(r[3], r[4]): r[6] for r in snapshot(st)}
    assert values[(2, "proposals_submitted")] == 12 and values[(2, "proposals_answered")] == 20
    with pytest.raises(RevertRefused, match=r"不能撤销批次 \d+（2024年第一季度.xlsx）.*请先撤销这些批次"):
        revert(st, q1.batch_id)
    revert(st, cum.batch_id)
    revert(st, q1.batch_id)
    assert snapshot(st) == []


def test_cumulative_that_goes_down_or_lacks_earlier_quarters_is_refused(st, tmp_path):
    r = imp(
        st,
        make_xlsx(tmp_path / "2024年1-6月.xlsx", {"汇总": [HEAD, ["修水县", 42, 35, 30]]}),
        cumulative=True,
    )
    assert r.status == "rejected"
    assert r.errors[0].message.startswith(
        "“提案提交数”是2024年1-6月的累计数，换算为单季度数需要此前各季度的数据，但库中缺少2024年第一季度的数据"
    )
    imp(st, make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [HEAD, ["修水县", 50, 25, 10]]}))
    r = imp(
        st,
        make_xlsx(tmp_path / "2024年1-6月b.xlsx", {"汇总": [HEAD, ["修水县", 42, 35, 30]]}),
        cumulative=True,
    )
    assert r.status == "rejected"
    assert "累计数 42 小于截至上季度的累计数 50，累计数不应减少，请核对" in [e.message for e in r.errors]


def test_four_imports_at_once_all_land(st, tmp_path):
    files = [
        make_xlsx(tmp_path / f"2024年第{q}季度.xlsx", {"汇总": [HEAD, ["修水县", 30 + n, 25, 10]]})
        for n, q in enumerate("一二三四")
    ]
    results: list = []
    threads = [threading.Thread(target=lambda f=f: results.append(imp(st, f))) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == ["imported"] * 4
    assert len(snapshot(st)) == 12


def test_cli_import_json_contract_and_exit_codes(st, tmp_path, capsys):
    good = make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    bad = make_xlsx(tmp_path / "2024Q2.xlsx", {"汇总": [HEAD, ["修水县", 35, 40, 20]]})
    db = ["--db", st.target]
    assert main([*db, "import", "--json", "--user", "王芳", str(good), str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    ok, rejected = report["files"]
    assert set(ok) >= {"file", "status", "batch_id", "values", "warnings", "errors"}
    assert (ok["file"], ok["status"], ok["values"], ok["errors"]) == ("2024Q1.xlsx", "imported", 3, [])
    assert rejected["status"] == "rejected" and rejected["batch_id"] is None
    assert set(rejected["errors"][0]) >= {"sheet", "row", "column", "message"}
    assert (rejected["errors"][0]["row"], rejected["errors"][0]["column"]) == (2, "立案")

    assert main([*db, "import", "--json", str(good)]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["status"] == "duplicate"
    assert main([*db, "import", "--period", "2024Q9", str(good)]) == 2
    assert main([*db, "import", "--dry-run", str(tmp_path / "absent.xlsx")]) == 1
    assert "找不到文件" in capsys.readouterr().out


def test_cli_history_and_revert(st, tmp_path, capsys):
    db = ["--db", st.target]
    f = make_xlsx(tmp_path / "2024Q1.xlsx", {"汇总": [HEAD, ["修水县", 35, 30, 20]]})
    assert main([*db, "import", "--dry-run", str(f)]) == 0
    assert "试运行，未写入" in capsys.readouterr().out and snapshot(st) == []
    assert main([*db, "import", str(f)]) == 0
    capsys.readouterr()
    assert main([*db, "history", "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)["batches"][0]
    assert (batch["file"], batch["new"], batch["kind"]) == ("2024Q1.xlsx", 3, "import")
    assert main([*db, "revert", str(batch["batch_id"])]) == 0
    assert snapshot(st) == []
    assert main([*db, "revert", "999"]) == 1
    assert "没有编号为 999 的导入批次" in capsys.readouterr().err


def test_filled_template_imports_without_warnings(st, tmp_path):
    out = tmp_path / "模板.xlsx"
    assert main(["--db", st.target, "template", "--out", str(out), "--year", "2024"]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(out)
    ws = wb["提案工作"]
    assert ws.freeze_panes == "B2" and ws["D1"].comment is not None
    assert [c.value for c in ws[1]][:4] == ["县（市、区）", "年度", "季度", "提案提交数"]
    ws.append(["修水县", 2024, "第一季度", 35, 30, 3, 2, 20, 18, 12])
    wb.save(out)
    r = imp(st, out)
    assert r.status == "imported", r.errors
    assert r.warnings == []
    assert r.values == 7
