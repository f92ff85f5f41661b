"""The `cppcc` command: demo, units import; messages in Chinese; exit codes 0 / 1 / 2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cli.main import main
from store.connection import Store
from tests.helpers import add_batch, fact


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_units_import_adds_then_reports_updates(tmp_path, capsys):
    db = str(tmp_path / "u.duckdb")
    f = write_csv(
        tmp_path / "units.csv",
        "code,name,aliases,level\n140902,忻府区,忻府;忻府區,district\n140921,定襄县,定襄,county\n",
    )
    assert main(["--db", db, "units", "import", str(f)]) == 0
    out = capsys.readouterr().out
    assert "新增 2 个单位，更新 0 个，未变 0 个" in out and "+ 140902 忻府区" in out

    write_csv(
        f,
        "code,name,aliases,level\n140902,忻府区,忻府,district\n140921,定襄县,定襄,county\n"
        "140900,市本级,忻州市政协,市本级\n",
    )
    assert main(["--db", db, "units", "import", str(f)]) == 0
    out = capsys.readouterr().out
    assert "新增 1 个单位，更新 1 个，未变 1 个" in out
    assert "~ 140902 忻府区：别名：忻府、忻府區 → 忻府" in out
    with Store(Path(db)).connect() as con:
        assert con.execute("SELECT level FROM units WHERE code = '140900'").fetchone() == ("city",)


def test_units_import_reads_xlsx_with_chinese_headers(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["代码", "名称", "别名", "级别"])
    ws.append([360424, "修水县", "修水；修水縣", "县"])
    wb.save(tmp_path / "u.xlsx")
    assert main(["--db", str(tmp_path / "x.duckdb"), "units", "import", str(tmp_path / "u.xlsx")]) == 0
    with Store(tmp_path / "x.duckdb").connect() as con:
        assert con.execute("SELECT name, aliases, level FROM units").fetchone() == (
            "修水县",
            ["修水", "修水縣"],
            "county",
        )


def test_units_import_names_every_bad_row_and_changes_nothing(tmp_path, capsys):
    db = str(tmp_path / "u.duckdb")
    f = write_csv(
        tmp_path / "bad.csv",
        "code,name,aliases,level\n36042,修水县,,county\n360425,,,county\n"
        "360426,德安县,,乡镇\n360426,德安县,,county\n",
        encoding="gb18030",
    )
    assert main(["--db", db, "units", "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv，第2行“code”列：代码“36042”应为6位行政区划代码，如 360402" in err
    assert "bad.csv，第3行“name”列：名称为空" in err
    assert "bad.csv，第4行“level”列：级别“乡镇”无法识别" in err
    with Store(Path(db)).connect() as con:
        assert con.execute("SELECT count(*) FROM units").fetchone() == (0,)


def test_demo_builds_and_refuses_a_database_with_imports(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    assert main(["--db", str(db), "demo"]) == 0
    assert "已生成演示数据" in capsys.readouterr().out
    assert main(["--db", str(db), "demo"]) == 0  # rebuilding demo data is fine
    with Store(db).connect() as con:
        assert con.execute("SELECT count(*) FROM batches").fetchone() == (1,)
    add_batch(Store(db), [fact("360402", 2024, 1, "inspections", 3)])
    assert main(["--db", str(db), "demo"]) == 1
    assert "已有导入的数据" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_console_script_honours_cppcc_db(tmp_path):
    exe = shutil.which("cppcc", path=str(Path(sys.executable).parent))
    assert exe, "the cppcc console script is installed with the project"
    env = {"CPPCC_DB": str(tmp_path / "env.duckdb"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([exe, "demo"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "env.duckdb").exists()
