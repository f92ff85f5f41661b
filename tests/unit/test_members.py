"""Member records: roster and activity-log imports (loaders, store, services) on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from cli.main import main
from domain.accounts import Actor, PermissionDenied
from domain.dictionary import demo_units
from loaders.activity_log import parse_log
from loaders.roster import parse_roster
from services import accounts, members
from services.batches import RevertRefused, revert
from store.connection import Store
from store.units import upsert_units
from tests.helpers import make_xlsx

SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "samples" / "members"
ROSTER = SAMPLES / "修水县政协委员名册_第十六届.xlsx"
LOG = SAMPLES / "修水县政协委员履职活动登记_2024年第三季度.xlsx"
TODAY = dt.date(2024, 12, 1)


def with_units(store: Store) -> Store:
    with store.transaction() as con:
        upsert_units(con, demo_units())
    return store


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def import_roster(store: Store, name: str = ROSTER.name, data: bytes | None = None):
    p = members.prepare_roster(store, name, ROSTER.read_bytes() if data is None else data, user="测试")
    assert p.status == "ready", [str(e) for e in p.errors]
    return members.commit_roster(store, p, user="测试")


def import_log(store: Store, name: str, data: bytes, **kw):
    p = members.prepare_log(store, name, data, user="测试", today=TODAY, **kw)
    if p.status != "ready":
        return p, None
    return p, members.commit_log(store, p, user="测试")


# ---- loaders ----------------------------------------------------------------------------------------


def test_the_sample_roster_reads_with_its_title_note_and_resignation():
    p = parse_roster(ROSTER.name, ROSTER.read_bytes(), units=demo_units())
    assert not p.issues
    assert len(p.members) == 40
    m17 = next(m for m in p.members if m.member_id == "XS16017")
    assert m17.end_date == dt.date(2024, 6, 30) and m17.unit_code == "360424" and m17.term == "第十六届"
    assert {m.sector for m in p.members} >= {"中国民主同盟", "中国共产党", "九三学社"}


@pytest.mark.parametrize(
    ("header", "cell", "code", "message"),
    [
        ("界别", "街道界", "unknown_sector", "第3行“界别”列：界别“街道界”不在界别表中，按原样记录"),
        (
            "任职起始",
            "2021-13-40",
            "bad_date",
            "第3行“任职起始”列：任职起始日期“2021-13-40”无法识别，应写作 2021-12-28",
        ),
        ("所在单位", "修水镇", "unknown_unit", "第3行“所在单位”列：找不到单位“修水镇”（是否为“修水县”？）"),
        ("性别", "未知", "bad_gender", "第3行“性别”列：性别“未知”无法识别，应为“男”或“女”"),
    ],
)
def test_a_bad_roster_cell_names_sheet_row_and_column(tmp_path, header, cell, code, message):
    head = ["委员编号", "姓名", "性别", "界别", "所在单位", "任职起始"]
    row = ["A1", "王建华", "男", "民盟", "修水县", "2021-12-28"]
    row[head.index(header)] = cell
    path = make_xlsx(tmp_path / "名册.xlsx", {"名册": [head, row]}, title="某县政协委员名册")
    p = parse_roster(path.name, path.read_bytes(), units=demo_units())
    found = [i for i in p.issues if i.code == code]
    assert found and found[0].message.startswith(message), [str(i) for i in p.issues]
    assert found[0].sheet == "名册" and found[0].row == 3 and found[0].column == header


def test_roster_short_sector_names_and_no_member_number(tmp_path):
    head = ["姓名", "性别", "出生年月", "界别", "所在单位", "是否常委", "任职起始"]
    rows = [head, ["张 三", "女", "1970.3", "九三", "360424", "是", "2021-12-28"],
            ["李四", "男", "1965年7月", "民建", "修水縣", "否", "2021/12/28"]]  # fmt: skip
    data = csv_bytes(rows, "gbk")
    p = parse_roster("名册.csv", data, units=demo_units())
    assert not p.errors, [str(i) for i in p.issues]
    zs, ls = p.members
    assert (zs.name, zs.sector, zs.birth, zs.standing, zs.unit_code) == (
        "张三",
        "九三学社",
        "1970-03",
        True,
        "360424",
    )
    assert (ls.sector, ls.birth, ls.start_date) == ("中国民主建国会", "1965-07", dt.date(2021, 12, 28))
    assert zs.member_id.startswith("M360424-") and zs.member_id != ls.member_id


def test_the_sample_log_reads():
    p = parse_log(LOG.name, LOG.read_bytes(), today=TODAY)
    assert not p.issues and p.n_rows == 86
    assert set(p.columns["activity"]) <= {
        "proposal_lead", "proposal_cosign", "meeting_attended", "meeting_leave", "research", "social_report",
        "speech", "training", "station_duty",
    }  # fmt: skip


def test_a_quarterly_log_with_a_count_per_type_and_period_from_its_title(tmp_path):
    rows = [["委员编号", "姓名", "提交提案", "联名提案", "参加会议（次）", "请假", "缺席"],
            ["XS16001", "赵海燕", 2, "", 3, 1, 0], ["XS16002", "胡国平", 0, 1, 4, "", ""]]  # fmt: skip
    path = make_xlsx(
        tmp_path / "登记.xlsx", {"Sheet1": rows}, title="修水县政协委员履职情况（2024年第三季度）"
    )
    p = parse_log(path.name, path.read_bytes(), today=TODAY)
    assert not p.issues, [str(i) for i in p.issues]
    got = sorted(
        zip(p.columns["member_id"], p.columns["activity"], p.columns["count"], p.columns["date"], strict=True)
    )
    assert got == [
        ("XS16001", "meeting_attended", 3, dt.date(2024, 9, 30)),
        ("XS16001", "meeting_leave", 1, dt.date(2024, 9, 30)),
        ("XS16001", "proposal_lead", 2, dt.date(2024, 9, 30)),
        ("XS16002", "meeting_attended", 4, dt.date(2024, 9, 30)),
        ("XS16002", "proposal_cosign", 1, dt.date(2024, 9, 30)),
    ]
    assert not any(p.columns["dated"])


@pytest.mark.parametrize(
    ("row", "code", "message"),
    [
        (
            ["XS1", "王", "2024-07-05", "跳舞", 1],
            "unknown_activity",
            "第2行“活动类型”列：活动类型“跳舞”无法识别",
        ),
        (
            ["XS1", "王", "2024-07-05", "参加会议", "两次"],
            "bad_count",
            "第2行“次数”列：次数“两次”应为 1 到 500 的整数",
        ),
        (
            ["XS1", "王", "2024-07-05", "参加会议", -1],
            "bad_count",
            "第2行“次数”列：次数“-1”应为 1 到 500 的整数",
        ),
        (
            ["XS1", "王", "2025-07-05", "参加会议", 1],
            "future_date",
            "第2行“日期”列：日期 2025-07-05 晚于今天（2024-12-01）",
        ),
        (["XS1", "王", "七月五日", "参加会议", 1], "bad_date", "第2行“日期”列：日期“七月五日”无法识别"),
    ],
)
def test_a_bad_log_row_names_row_and_column(row, code, message):
    data = csv_bytes([["委员编号", "姓名", "日期", "活动类型", "次数"], row])
    p = parse_log("登记.csv", data, today=TODAY)
    assert [i.code for i in p.errors] == [code]
    assert p.errors[0].message.startswith(message) and p.errors[0].row == 2


def test_the_same_activity_twice_in_one_file_is_an_error():
    rows = [
        ["委员编号", "姓名", "日期", "活动类型"],
        ["XS1", "王", "2024-07-05", "参加会议"],
        ["XS1", "王", "2024-07-05", "参加会议"],
    ]
    p = parse_log("登记.csv", csv_bytes(rows), today=TODAY)
    assert [(i.code, i.row) for i in p.errors] == [("duplicate_activity", 3)]
    assert "与第2行重复" in p.errors[0].message


def test_a_date_outside_the_stated_period_is_an_error():
    rows = [["委员编号", "姓名", "日期", "活动类型"], ["XS1", "王", "2024-06-30", "参加会议"]]
    p = parse_log("登记.csv", csv_bytes(rows), today=TODAY, period=(2024, 3))
    assert [i.code for i in p.errors] == ["outside_period"]
    assert "不在导入时注明的 2024年第3季度 内" in p.errors[0].message


# ---- store and services (both backends) -------------------------------------------------------------


def test_roster_then_log_then_views(store):
    with_units(store)
    r = import_roster(store)
    assert (r.status, r.counts["new"], r.counts["ended"]) == ("imported", 40, 1)
    _, res = import_log(store, LOG.name, LOG.read_bytes())
    assert res is not None and res.status == "imported" and res.values == 86
    with store.connect() as con:
        ((n, total),) = con.execute("SELECT count(*), sum(count) FROM member_activities").fetchall()
        cols = [d[0] for d in con.execute("SELECT * FROM members_current LIMIT 0").description]
        acols = [d[0] for d in con.execute("SELECT * FROM member_activities LIMIT 0").description]
    assert (n, total) == (86, 86)
    assert cols == ["member_id", "name", "gender", "sector", "unit_code", "unit_name", "term", "standing",
                    "start_date", "end_date"]  # fmt: skip
    assert acols == ["member_id", "unit_code", "date", "year", "quarter", "activity", "count", "batch_id"]
    df = members.inactive(store, 2024)
    # the sample's members 6, 12, 18, 24, 30, 36 and 17 (resigned in June) did nothing in the quarter
    assert sorted(df["member_id"]) == sorted(f"XS16{n:03d}" for n in (6, 12, 17, 18, 24, 30, 36))
    assert df["last_activity"].isna().all()


def test_the_log_is_checked_against_roster_term_and_what_is_stored(store):
    with_units(store)
    import_roster(store)
    head = ["委员编号", "姓名", "日期", "活动类型", "次数"]
    rows = [head,
            ["XS99999", "无名氏", "2024-07-05", "参加会议", 1],     # not in the roster
            ["XS16001", "王五", "2024-07-05", "参加会议", 1],        # the number is 赵海燕's
            ["XS16017", "吴卫东", "2024-08-01", "调研视察", 1],      # resigned 2024-06-30
            ["", "赵海燕", "2024-07-06", "培训", 1]]  # no number: found by name  # fmt: skip
    p, res = import_log(store, "登记.csv", csv_bytes(rows))
    assert res is None and p.status == "rejected"
    got = {(i.row, i.code): i.message for i in p.errors}
    assert got[(2, "unknown_member")].startswith(
        "第2行“委员编号”列：委员编号 XS99999（无名氏）不在委员名册中"
    )
    assert (
        got[(3, "name_mismatch")]
        == "第3行“委员编号”列：委员编号 XS16001 在名册中是“赵海燕”，表中写的是“王五”"
    )
    assert got[(4, "outside_term")] == (
        "第4行“日期”列：委员吴卫东的任职时间为 2021-12-28 至 2024-06-30，日期 2024-08-01 不在任职期内"
    )
    assert (5, "unknown_member") not in got and len(got) == 3
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM member_log").fetchall() == [(0,)]
    # the good rows alone import; the same rows again from another file are refused as stored
    ok = [head, ["", "赵海燕", "2024-07-06", "培训", 1]]
    _, res = import_log(store, "一.csv", csv_bytes(ok))
    assert res is not None and res.status == "imported"
    p, res = import_log(store, "二.csv", csv_bytes([*ok, ["XS16002", "胡国平", "2024-07-06", "培训", 1]]))
    assert res is None and [(i.row, i.code) for i in p.errors] == [(2, "duplicate_stored")]
    assert "（一.csv）导入，不重复导入" in p.errors[0].message


def test_a_second_roster_shows_its_changes_and_a_revert_brings_the_old_record_back(store, tmp_path):
    with_units(store)
    first = import_roster(store)
    import openpyxl

    wb = openpyxl.load_workbook(ROSTER)
    ws = wb.active
    ws["G5"] = "武宁县"  # member 3 moves
    ws["J6"] = "2024-09-30"  # member 4 resigns
    ws["F7"] = "民进"  # member 5 changes sector
    path = tmp_path / "名册（更新）.xlsx"
    wb.save(path)
    p = members.prepare_roster(store, path.name, path.read_bytes(), user="测试")
    changed = {c.member.member_id: c.fields for c in p.changes if c.action == "changed"}
    assert changed == {
        "XS16003": {"unit_code": ("360424", "360423")},
        "XS16004": {"end_date": (None, dt.date(2024, 9, 30))},
        "XS16005": {"sector": (p.changes[4].fields["sector"][0], "中国民主促进会")},
    }
    assert p.counts == {"new": 0, "changed": 3, "unchanged": 37, "ended": 1}
    second = members.commit_roster(store, p, user="测试")
    with store.connect() as con:
        assert con.execute(
            "SELECT unit_code FROM members_current WHERE member_id = 'XS16003'"
        ).fetchall() == [("360423",)]
    hist = members.member_history(store, "XS16003")
    assert [h["unit_code"] for h in hist] == ["360424", "360423"] and hist[1]["changed"] == "unit_code"
    revert(store, second.batch_id, user="测试")
    store.reset()
    with store.connect() as con:
        assert con.execute(
            "SELECT unit_code FROM members_current WHERE member_id = 'XS16003'"
        ).fetchall() == [("360424",)]
    # the first roster cannot go while activities of its members stand
    import_log(store, LOG.name, LOG.read_bytes())
    with pytest.raises(RevertRefused, match="已有履职活动记录"):
        revert(store, first.batch_id, user="测试")


def test_same_file_twice_is_a_duplicate(store):
    with_units(store)
    import_roster(store)
    p = members.prepare_roster(store, ROSTER.name, ROSTER.read_bytes(), user="测试")
    assert p.status == "duplicate" and p.duplicate_of is not None


def test_staff_may_import_and_see_only_their_own_units(store):
    with_units(store)
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")
    admin = Actor("管理员", "admin")
    wuning = Actor("武宁填报员", "staff", ("360423",))
    p = members.prepare_roster(store, ROSTER.name, ROSTER.read_bytes(), actor=wuning)
    assert p.status == "rejected" and {i.code for i in p.errors} == {"not_your_unit"} and len(p.errors) == 40
    assert p.errors[0].message.startswith(
        "第3行：委员赵海燕属于修水县（360424）：账号“武宁填报员”只能导入武宁县的名册"
    )
    p = members.prepare_roster(store, ROSTER.name, ROSTER.read_bytes(), actor=admin)
    assert members.commit_roster(store, p, actor=admin).status == "imported"
    with pytest.raises(PermissionDenied, match="查看委员个人履职档案"):
        members.inactive(store, 2024, "360424", actor=wuning)
    with pytest.raises(PermissionDenied):
        members.inactive(store, 2024, actor=Actor("王主席", "viewer"))
    assert members.visible_units(store, Actor("王主席", "viewer")) == []
    assert members.visible_units(store, wuning) == ["360423"]
    assert len(members.inactive(store, 2024, actor=wuning)) == 0  # their own units: none of 修水's


def test_leaders_see_members_only_where_the_setting_grants_it(store, monkeypatch):
    with_units(store)
    import_roster(store)
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")
    viewer = Actor("王主席", "viewer")
    monkeypatch.setenv("CPPCC_LEADERS_SEE_MEMBERS", "1")
    assert members.visible_units(store, viewer) is None
    df = members.inactive(store, 2024, actor=viewer, export="xlsx")
    assert len(df) == 40  # no activity imported yet
    with store.connect() as con:
        rows = con.execute(
            "SELECT actor, action, detail FROM audit_log WHERE action = 'member_export'"
        ).fetchall()
    assert rows and rows[-1][0] == "王主席" and json.loads(rows[-1][2])["members"] == 40


def test_removing_the_demo_removes_its_roster_and_log(store):
    with_units(store)
    import_roster(store)
    with store.transaction() as con:  # as if these were demo rows
        con.execute("UPDATE batches SET kind = 'demo'")
    store.reset()
    from services.batches import remove_demo

    remove_demo(store, user="测试")
    store.reset()
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM member_roster").fetchall() == [(0,)]


def test_points_follow_the_rule_and_an_admin_can_change_it(store):
    with_units(store)
    import_roster(store)
    rows = [["委员编号", "姓名", "日期", "活动类型", "次数"], ["XS16001", "赵海燕", "2024-07-05", "提交提案", 2],
            ["XS16001", "赵海燕", "2024-07-06", "缺席", 1]]  # fmt: skip
    import_log(store, "登记.csv", csv_bytes(rows))
    df = members.member_year(store, 2024).set_index("member_id")
    assert df.at["XS16001", "points"] == 2 * 3 - 2 and df.at["XS16001", "absent"] == 1
    from domain.members import PointsRule

    members.save_points_rule(store, PointsRule((("proposal_lead", "", 5.0),)))
    store.reset()
    df = members.member_year(store, 2024).set_index("member_id")
    assert df.at["XS16001", "points"] == 10


# ---- the CLI contract --------------------------------------------------------------------------------


def test_cli_members_and_activities(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    with_units(Store(db))
    assert main(["--db", str(db), "members", "import", "--dry-run", "--json", str(ROSTER)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["status"] == "ready" and out["files"][0]["counts"]["new"] == 40
    assert main(["--db", str(db), "members", "import", str(ROSTER)]) == 0
    assert "已导入" in capsys.readouterr().out
    assert main(["--db", str(db), "activities", "import", "--json", "--period", "2024Q3", str(LOG)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["status"] == "imported" and out["files"][0]["values"] == 86
    assert main(["--db", str(db), "members", "inactive", "--year", "2024", "--unit", "360424", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == 2024 and out["unit"] == "360424" and len(out["members"]) == 7
    assert set(out["members"][0]) >= {"member_id", "name", "unit_code", "last_activity"}
    assert all(m["last_activity"] is None for m in out["members"])
    assert main(["--db", str(db), "members", "inactive", "--year", "2025", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["members"]) == 39 and {m["last_activity"] for m in out["members"]} - {None}
    bad = tmp_path / "坏.csv"
    bad.write_bytes(
        csv_bytes([["委员编号", "姓名", "日期", "活动类型"], ["XS16001", "赵海燕", "2024-07-05", "跳舞"]])
    )
    assert main(["--db", str(db), "activities", "import", "--json", str(bad)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (
        out["files"][0]["errors"][0]["row"] == 2
        and out["files"][0]["errors"][0]["code"] == "unknown_activity"
    )


def test_cli_inactive_needs_the_right_when_sign_in_is_on(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    store = with_units(Store(db))
    import_roster(store)
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")
    accounts.add_account(store, "王主席", "viewer", "viewer-pass-1")
    assert main(["--db", str(db), "--user", "王主席", "members", "inactive", "--year", "2024", "--json"]) == 1
    assert "没有权限查看委员个人履职档案" in capsys.readouterr().err
    assert main(["--db", str(db), "--user", "管理员", "members", "inactive", "--year", "2024", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["members"]) == 40
    with store.connect() as con:
        assert con.execute("SELECT actor FROM audit_log WHERE action = 'member_export'").fetchall() == [
            ("管理员",)
        ]


def test_a_backup_and_restore_keep_the_roster_and_log(store, tmp_path):
    from services.setup import backup, restore

    with_units(store)
    import_roster(store)
    import_log(store, LOG.name, LOG.read_bytes())
    sums = backup(store, tmp_path / "备份.duckdb")
    assert sums["member_roster"][0] == 40 and sums["member_log"][0] == 86
    target = with_units(Store(tmp_path / "new.duckdb"))
    restore(target, tmp_path / "备份.duckdb", force=True)
    with target.connect() as con:
        assert con.execute("SELECT count(*) FROM member_activities").fetchall() == [(86,)]
        assert con.execute("SELECT count(*) FROM members_current").fetchall() == [(40,)]


def test_cli_activities_import_takes_big_files_and_names_its_limit(tmp_path, capsys):
    from cli.members import LOG_MAX_BYTES

    assert LOG_MAX_BYTES >= 128 * 1024 * 1024  # a province's year (~55 MB of CSV) fits
    db = tmp_path / "s.duckdb"
    with_units(Store(db))
    assert main(["--db", str(db), "activities", "import", "--json", "--max-bytes", "1000", str(LOG)]) == 1
    err = json.loads(capsys.readouterr().out)["files"][0]["errors"][0]
    assert "超过上限" in err["message"]


def test_cli_members_import_lists_what_the_roster_changes(tmp_path, capsys):
    import openpyxl

    db = tmp_path / "s.duckdb"
    import_roster(with_units(Store(db)))
    wb = openpyxl.load_workbook(ROSTER)
    wb.active["G5"] = "武宁县"
    wb.active["J6"] = "2024-09-30"
    path = tmp_path / "名册（更新）.xlsx"
    wb.save(path)
    assert main(["--db", str(db), "members", "import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "新增 0，修改 2，未变 38，其中任职终止 1" in out
    assert "  ~ XS16003 梁明辉：所在单位：修水县 → 武宁县" in out
    assert "  ~ XS16004 邓红霞：任职终止：（空） → 2024-09-30" in out
    assert main(["--db", str(db), "members", "import", "--json", str(path)]) == 0
    changes = json.loads(capsys.readouterr().out)["files"][0]["changes"]
    assert {c["member_id"]: c["fields"] for c in changes} == {
        "XS16003": {"unit_code": ["360424", "360423"]},
        "XS16004": {"end_date": [None, "2024-09-30"]},
    }
