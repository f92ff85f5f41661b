"""Which commands create a store, backup and restore verified by checksums, unit lists read safely
(issue 8 item 7, issue 10): a mistyped --db never leaves an empty store behind."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from store.backup import checksums
from store.connection import Store
from tests.helpers import add_batch, fact


@pytest.mark.parametrize(
    "command",
    [
        ["history"],
        ["history", "--json"],
        ["revert", "3"],
        ["import", "x.xlsx"],
        ["backup", "--out", "b.duckdb"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_command_that_does_not_create_names_the_missing_store(tmp_path, capsys, command):
    db = tmp_path / "typo" / "typo.duckdb"
    assert main(["--db", str(db), *command]) == 1
    assert f"找不到数据库文件 {db}" in capsys.readouterr().err
    assert not db.exists() and not db.parent.exists()


def test_init_creates_an_empty_store_and_says_what_next(tmp_path, capsys):
    db = tmp_path / "new" / "cppcc.duckdb"
    assert main(["--db", str(db), "init"]) == 0
    assert "已建立空数据库" in capsys.readouterr().out and db.exists()
    assert main(["--db", str(db), "history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"batches": []}


def test_template_without_a_store_says_so_and_a_missing_folder_is_an_error(tmp_path, capsys):
    db = tmp_path / "none.duckdb"
    assert main(["--db", str(db), "template", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert "随程序提供的指标字典" in capsys.readouterr().out
    assert (tmp_path / "t.xlsx").exists() and not db.exists()
    assert main(["--db", str(db), "template", "--out", str(tmp_path / "no" / "t.xlsx")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_backup_and_restore_are_verified_copies(tmp_path, capsys):
    src = Store(tmp_path / "live.duckdb")
    add_batch(src, [fact("360402", 2024, 1, "inspections", 3), fact("360424", 2024, 1, "inspections", 5)])
    out = tmp_path / "bk" / "2024-10-01.duckdb"
    assert main(["--db", str(src.path), "backup", "--out", str(out)]) == 0
    assert "逐表核对行数和校验和一致" in capsys.readouterr().out
    assert main(["--db", str(src.path), "backup", "--out", str(out)]) == 1  # never overwrites
    assert "已存在" in capsys.readouterr().err

    target = tmp_path / "restored.duckdb"
    assert main(["--db", str(target), "restore", str(out)]) == 0
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{src.path}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{target}' AS b (READ_ONLY)")
    assert checksums(con, "a") == checksums(con, "b")
    con.close()
    add_batch(Store(target), [fact("360402", 2024, 2, "inspections", 4)])
    assert main(["--db", str(target), "restore", str(out)]) == 1  # data there: --force needed
    assert "--force" in capsys.readouterr().err
    assert main(["--db", str(target), "restore", "--force", str(out)]) == 0
    with Store(target).connect() as con2:
        assert con2.execute("SELECT count(*) FROM facts").fetchall() == [(2,)]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, capsys):
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert main(["--db", str(tmp_path / "t.duckdb"), "restore", str(other)]) == 1
    assert "不是本系统的数据库备份" in capsys.readouterr().err


def test_unit_list_in_a_wrong_encoding_or_shape_is_a_chinese_error(tmp_path, capsys):
    db = str(tmp_path / "u.duckdb")
    bad = tmp_path / "units.csv"
    bad.write_bytes(b"code,name\n360424,\xff\xff\xff\n")  # neither UTF-8 nor GB18030
    assert main(["--db", db, "units", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "units.csv：无法识别文件编码" in err
    fake = tmp_path / "units.xlsx"
    fake.write_text("<html>not a workbook</html>")
    assert main(["--db", db, "units", "import", str(fake)]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_unit_list_generic_county_labels_and_chinese_column_names(tmp_path, capsys):
    db = tmp_path / "u.duckdb"
    f = tmp_path / "units.csv"
    f.write_bytes(
        "代码,名称,别名,级别\n360400,市本级,,县(市、区)\n360402,濂溪区,,县（市、区）\n"
        "360424,修水县,修水,县市区\n360481,瑞昌市,,区县\n360483,庐山,,县区\n".encode("gbk")
    )
    assert main(["--db", str(db), "units", "import", str(f)]) == 0
    with Store(db).connect() as con:
        levels = dict(con.execute("SELECT code, level FROM units").fetchall())
    assert levels == {
        "360400": "county",  # a generic county label on a …00 code: the office meant a county-level unit
        "360402": "district",
        "360424": "county",
        "360481": "county_city",
        "360483": "county_city",  # 庐山: the name does not settle it, the code (81–99) does
    }
    f.write_bytes("代码,名称,级别\n36042,修水县,县\n360425,永修县,乡镇\n".encode("gbk"))
    assert main(["--db", str(db), "units", "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert "第2行“代码”列" in err and "第3行“级别”列：级别“乡镇”无法识别" in err


def test_import_into_a_store_without_units_says_units_come_first(tmp_path, capsys):
    from tests.helpers import make_xlsx

    db = tmp_path / "fresh.duckdb"
    assert main(["--db", str(db), "init"]) == 0
    f = make_xlsx(tmp_path / "2024年第一季度.xlsx", {"汇总": [["县（市、区）", "提交提案"], ["修水县", 35]]})
    assert main(["--db", str(db), "import", "--json", str(f)]) == 1
    report = json.loads(capsys.readouterr().out.split("\n", 2)[-1])["files"][0]
    assert [e["code"] for e in report["errors"]] == ["no_units"] and report["warnings"] == []


def test_import_reports_hidden_sheets_in_text_and_json(tmp_path, capsys):
    import openpyxl

    from domain.dictionary import demo_units
    from store.units import upsert_units

    db = tmp_path / "s.duckdb"
    with Store(db).transaction() as con:
        upsert_units(con, demo_units())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["县（市、区）", "提交提案"])
    ws.append(["修水县", 35])
    hidden = wb.create_sheet("旧数据")
    hidden.append(["县（市、区）", "提交提案"])
    hidden.sheet_state = "hidden"
    f = tmp_path / "2024年第一季度.xlsx"
    wb.save(f)
    assert main(["--db", str(db), "import", "--dry-run", str(f)]) == 0
    assert "未读取的工作表：“旧数据”（隐藏工作表）" in capsys.readouterr().out
    assert main(["--db", str(db), "import", "--json", str(f)]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    assert report["skipped_sheets"] == [{"sheet": "旧数据", "reason": "隐藏工作表"}]


def test_import_json_reports_a_busy_store(tmp_path, capsys, monkeypatch):
    """Another process holds the file: the JSON report is printed all the same, with the error."""
    import subprocess
    import sys

    from tests.helpers import make_xlsx

    db = tmp_path / "busy.duckdb"
    assert main(["--db", str(db), "init"]) == 0
    capsys.readouterr()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("CPPCC_BUSY_TIMEOUT", "0.5")
        f = make_xlsx(
            tmp_path / "2024年第一季度.xlsx", {"汇总": [["县（市、区）", "提交提案"], ["修水县", 35]]}
        )
        assert main(["--db", str(db), "import", "--json", str(f)]) == 1
        report = json.loads(capsys.readouterr().out)["files"][0]
        assert report["status"] == "rejected" and report["errors"][0]["code"] == "store_busy"
        assert "占用" in report["errors"][0]["message"]
    finally:
        holder.kill()
