"""Member files made by other programs, with formulas, error cells, hostile text and impossible
numbers: each problem is an error naming sheet, row and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from domain.dictionary import demo_units
from loaders.activity_log import parse_log
from loaders.roster import parse_roster
from services import members
from tests.unit.test_members import LOG, ROSTER, TODAY, import_roster, with_units

HEAD = ["委员编号", "姓名", "日期", "活动类型", "次数"]


def openpyxl_bytes(rows: list[list[object]], title: str = "登记") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_count_formula_saved_without_its_result_is_refused_not_read_as_one():
    """openpyxl writes formulas without results: reading the blank as 次数 1 would import a wrong figure."""
    data = openpyxl_bytes([HEAD, ["XS16001", "赵海燕", "2024-07-05", "参加会议", "=1+1"]])
    p = parse_log("登记.xlsx", data, today=TODAY)
    assert [(i.row, i.column, i.code) for i in p.errors] == [(2, "次数", "formula_no_value")]
    assert "单元格 E2 是公式“=1+1”，文件中没有保存计算结果" in p.errors[0].message
    assert p.n_rows == 0


def test_error_cells_name_their_cell():
    data = openpyxl_bytes([HEAD, ["XS16001", "赵海燕", "2024-07-05", "参加会议", "#REF!"]])
    p = parse_log("登记.xlsx", data, today=TODAY)
    assert [(i.row, i.column, i.code) for i in p.errors] == [(2, "次数", "error_value")]
    roster = openpyxl_bytes(
        [["委员编号", "姓名", "性别", "界别", "所在单位"], ["A1", "王建华", "#N/A", "民盟", "修水县"]]
    )
    r = parse_roster("名册.xlsx", roster, units=demo_units())
    assert [(i.row, i.column) for i in r.errors] == [(2, "性别")]
    assert (
        r.errors[0].message
        == "第2行“性别”列：单元格 C2 是错误值 #N/A：请改正，在 Excel/WPS 中打开并保存后再上传"
    )


def test_an_xlsxwriter_log_with_formula_counts(tmp_path):
    """XlsxWriter saves a formula's result as 0 unless told, and asks for a recalculation on opening:
    no saved result is trusted (as for indicator sheets), so neither count passes as data."""
    path = tmp_path / "xw.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("登记")
    ws.write_row(0, 0, HEAD)
    ws.write_row(1, 0, ["XS16001", "赵海燕", "2024-07-05", "参加会议"])
    ws.write_formula(1, 4, "=1+1")  # cached 0
    ws.write_row(2, 0, ["XS16002", "胡国平", "2024-07-06", "培训"])
    ws.write_formula(2, 4, "=1+1", None, 2)  # cached 2, as Excel would have saved it
    wb.close()
    p = parse_log(path.name, path.read_bytes(), today=TODAY)
    assert [(i.row, i.column, i.code) for i in p.errors] == [
        (2, "次数", "formula_stale"),
        (3, "次数", "formula_stale"),
    ]
    assert "fullCalcOnLoad" in p.errors[0].message and p.n_rows == 0


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by dev.py test")
@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_files_saved_by_libreoffice_read_the_same(tmp_path, fmt):
    out = tmp_path / "out"
    for src in (ROSTER, LOG):
        shutil.copy(src, tmp_path / src.name)
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
             f"{fmt}:{'calc8' if fmt == 'ods' else 'Calc MS Excel 2007 XML'}", "--outdir", str(out),
             str(tmp_path / src.name)],
            capture_output=True, timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    roster = out / ROSTER.with_suffix(f".{fmt}").name
    log = out / LOG.with_suffix(f".{fmt}").name
    a = parse_roster(ROSTER.name, ROSTER.read_bytes(), units=demo_units())
    b = parse_roster(roster.name, roster.read_bytes(), units=demo_units())
    strip = [
        (m.member_id, m.name, m.sector, m.unit_code, m.start_date, m.end_date, m.birth) for m in a.members
    ]
    assert [
        (m.member_id, m.name, m.sector, m.unit_code, m.start_date, m.end_date, m.birth) for m in b.members
    ] == strip
    x = parse_log(LOG.name, LOG.read_bytes(), today=TODAY)
    y = parse_log(log.name, log.read_bytes(), today=TODAY)
    assert (
        not y.issues
        and y.columns["date"] == x.columns["date"]
        and y.columns["activity"] == x.columns["activity"]
    )


def test_names_holding_markup_are_kept_as_text_and_never_matched_loosely(store):
    with_units(store)
    rows = [["委员编号", "姓名", "界别", "所在单位", "任职起始"],
            ["H1", "<b>王</b>", "民盟", "修水县", "2021-12-28"], ["H2", "**李四**", "民建", "修水县", "2021-12-28"],
            ["H3", "[张](http://x.example)", "九三", "修水县", "2021-12-28"]]  # fmt: skip
    p = members.prepare_roster(store, "名册.xlsx", openpyxl_bytes(rows, "名册"), user="测试")
    assert p.status == "ready", [str(e) for e in p.errors]
    members.commit_roster(store, p, user="测试")
    with store.connect() as con:
        names = [n for (n,) in con.execute("SELECT name FROM members_current ORDER BY member_id").fetchall()]
    assert names == ["<b>王</b>", "**李四**", "[张](http://x.example)"]
    log = openpyxl_bytes([HEAD, ["H1", "王", "2024-07-05", "参加会议", 1]])
    q = members.prepare_log(store, "登记.xlsx", log, user="测试", today=TODAY)
    assert [i.code for i in q.errors] == ["name_mismatch"]


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        (["XS16001", "赵海燕", "2024-07-05", "参加会议", 10**9], "次数", "bad_count"),
        (["XS16001", "赵海燕", "2024-07-05", "参加会议", 0], "次数", "bad_count"),
        (["XS16001", "赵海燕", "1899-07-05", "参加会议", 1], "日期", None),  # parsed; outside the term
        (["XS16001", "赵海燕", "2024-02-30", "参加会议", 1], "日期", "bad_date"),
    ],
)
def test_impossible_values_are_refused_and_nothing_is_written(store, cells, column, code):
    with_units(store)
    import_roster(store)
    p = members.prepare_log(store, "登记.xlsx", openpyxl_bytes([HEAD, cells]), user="测试", today=TODAY)
    assert p.status == "rejected"
    assert p.errors[0].column == column and p.errors[0].row == 2
    assert p.errors[0].code == (code or "outside_term")
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM member_log").fetchall() == [(0,)]


def test_a_log_for_a_future_quarter_by_year_and_quarter_columns(store):
    with_units(store)
    import_roster(store)
    rows = [["委员编号", "姓名", "年度", "季度", "活动类型", "次数"], ["XS16001", "赵海燕", 2024, "第三季度", "调研视察", 2],
            ["XS16002", "胡国平", "2024年", 3, "大会发言", 1]]  # fmt: skip
    p = members.prepare_log(store, "季度登记.xlsx", openpyxl_bytes(rows), user="测试", today=TODAY)
    assert p.status == "ready", [str(e) for e in p.errors]
    r = members.commit_log(store, p, user="测试")
    with store.connect() as con:
        got = con.execute(
            "SELECT member_id, date, quarter, count FROM member_activities ORDER BY 1"
        ).fetchall()
    assert r.status == "imported" and got == [
        ("XS16001", dt.date(2024, 9, 30), 3, 2),
        ("XS16002", dt.date(2024, 9, 30), 3, 1),
    ]


def test_kill_9_in_the_middle_of_an_activities_import_leaves_the_store_as_it_was(duck_store, tmp_path):
    import os
    import signal
    import sys
    import time

    with_units(duck_store)
    import_roster(duck_store)
    # a big log (every member every day of the quarter) so that the import is still running when killed
    rows = [HEAD] + [[f"XS16{n:03d}", None, (dt.date(2024, 7, 1) + dt.timedelta(days=d)).isoformat(), "调研视察", 1]
                     for n in (1, 2, 3, 4, 5) for d in range(90)] * 1  # fmt: skip
    big = tmp_path / "大.csv"
    big.write_text(
        "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows), encoding="utf-8"
    )
    root = str(Path(__file__).resolve().parents[2])
    code = "\n".join([
        f"import sys, time; sys.path.insert(0, {root!r})",
        "import store.member_log as ml",
        "orig = ml.new_batch",
        "def slow(con, *a, **k):",
        "    b = orig(con, *a, **k); print('BATCH', flush=True); time.sleep(30); return b",
        "ml.new_batch = slow",
        "from cli.main import main",
        f"sys.exit(main(['--db', {str(duck_store.path)!r}, 'activities', 'import', {str(big)!r}]))",
    ])  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.time() + 60
    while time.time() < deadline and "BATCH" not in (proc.stdout.readline() or ""):
        pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    duck_store.reset()
    with duck_store.connect() as con:
        assert con.execute("SELECT count(*) FROM member_log").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM batches WHERE kind = 'activities'").fetchall() == [(0,)]
