"""AppTest of 委员档案 on a store holding a roster and an activity log made in the test: what an admin, a
领导 and a county's 填报员 each see, the 提醒谈话 list and its audited download, 优秀委员候选 with each
score's parts and rule, a member's record with every activity's source, English, an empty store.

The store (both backends): 修水县 (360424) XS001 王建华 (民盟), XS002 李**秀英** (特邀人士), XS003 张三丰
(经济界); 武宁县 (360423) WN001 陈<b>立</b> (教育界), WN002 赵六 (民革, left 2024-06-30). In 2024 only
XS001 and XS002 have activities: 提醒谈话 = WN001, WN002, XS003.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from domain.accounts import Actor
from domain.dictionary import demo_units
from services import accounts
from store import member_log, roster
from store.open import open_store
from store.units import upsert_units
from tests.helpers import make_xlsx

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "member_records.py")
XS, WN = "360424", "360423"  # 修水县, 武宁县
NAMES = ["王建华", "李**秀英**", "张三丰", "陈<b>立</b>", "赵六"]
IDS = ["XS001", "XS002", "XS003", "WN001", "WN002"]
ROSTER = [
    ["委员编号", "姓名", "性别", "界别", "所在单位", "任职起始", "任职终止"],
    ["XS001", "王建华", "男", "民盟", "修水县", "2021-12-28", ""],
    ["XS002", "李**秀英**", "女", "特邀人士", "修水县", "2021-12-28", ""],
    ["XS003", "张三丰", "男", "经济界", "修水县", "2021-12-28", ""],
    ["WN001", "陈<b>立</b>", "女", "教育界", "武宁县", "2021-12-28", ""],
    ["WN002", "赵六", "男", "民革", "武宁县", "2021-12-28", "2024-06-30"],
]
LOG = (
    "委员编号,姓名,日期,活动类型,次数,备注\n"
    "XS001,王建华,2024-07-05,提交提案,1,\n"  # 3 points
    "XS001,王建华,2024-08-05,参加会议,1,常委会\n"  # 1 point: XS001 = 4
    "XS002,李**秀英**,2024-08-05,委员工作站接待,2,\n"  # 2 × 3 (特邀人士's rule) = 6
    "XS002,李**秀英**,2024-09-05,缺席,1,\n"  # −2: XS002 = 4
    "WN001,陈<b>立</b>,2024-03-05,请假,1,\n"  # leave is no activity
    "WN002,赵六,2023-03-05,调研视察,1,\n"  # last year's
)


@pytest.fixture
def db(store, tmp_path, monkeypatch):
    with store.transaction() as con:
        upsert_units(con, demo_units())
    data = make_xlsx(tmp_path / "名册.xlsx", {"委员名册": ROSTER}, title="政协委员名册").read_bytes()
    p = roster.prepare_roster(store, "名册.xlsx", data)
    assert p.status == "ready", p.errors
    assert roster.commit_roster(store, p).status == "imported"
    p = member_log.prepare_log(store, "履职登记.csv", LOG.encode(), today=dt.date(2025, 1, 1))
    assert p.status == "ready", p.errors
    assert member_log.commit_log(store, p).status == "imported"
    monkeypatch.setenv("CPPCC_DB", store.target)
    monkeypatch.delenv("CPPCC_LEADERS_SEE_MEMBERS", raising=False)
    return store


def run(actor: Actor | None = None, lang: str | None = None, **params: str) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(PAGE, default_timeout=60)
    if actor is not None:
        at.session_state["_actor"] = actor
    if lang:
        at.session_state["lang"] = lang
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def signin_on(store) -> None:
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")


def page_text(at: AppTest) -> str:
    """Everything the page shows, sidebar included: element protos as text, tables and charts decoded."""
    out, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if node.type in ("dataframe", "arrow_data_frame"):  # the name differs between Streamlit versions
            out.append(node.value.to_csv())
        elif node.type == "plotly_chart":
            out.append(json.dumps(json.loads(node.proto.spec), ensure_ascii=False))
        elif getattr(node, "proto", None) is not None:
            out.append(text_format.MessageToString(node.proto, as_utf8=True))
    return "\n".join(out)


def table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def audit_rows(store, action: str) -> list[dict]:
    """The audit log as another process sees it now (a PostgreSQL store's mirror here may lag a second)."""
    fresh = open_store(store.target)
    try:
        with fresh.connect() as con:
            rows = con.execute(
                "SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY id", [action]
            ).fetchall()
    finally:
        fresh.close()
    return [{"actor": a, **json.loads(d)} for a, d in rows]


def test_admin_sees_the_cards_and_the_reminder_list(db):
    at = run()  # sign-in off: whoever opens the page is an admin
    cards = {m.label: m.value for m in at.metric}
    assert cards == {
        "在任委员": "5 人",  # WN002 left in June: still serving in 2024
        "有履职记录": "2 人",
        "无履职记录": "3 人",
        "平均履职积分": "1.6 分",  # (4 + 4 + 0 + 0 + 0) / 5
        "会议出勤率": "33.3%",  # 1 attended ÷ (1 attended + 1 on leave + 1 absent)
    }
    inactive = table(at, "最近一次履职")
    assert dict(zip(inactive["姓名"], inactive["最近一次履职"], strict=True)) == {
        "陈<b>立</b>": "从无记录",  # shown as written, never as markup
        "赵六": "2023-03-05",
        "张三丰": "从无记录",
    }
    assert "共 3 名委员" in [c.value for c in at.caption]
    assert at.query_params["mr_year"] in ("2024", ["2024"])


def test_candidates_show_each_score_with_its_parts_and_the_rule_of_the_sector(db):
    at = run()
    top = table(at, "积分构成")
    rows = {r["委员编号"]: r for r in top.to_dict("records")}
    assert list(rows) == ["XS001", "XS002"]  # 4 points each, more activities first; nobody else scored
    assert rows["XS001"]["积分构成"] == "提交提案 1次×3 = 3分；参加会议 1次×1 = 1分"
    assert rows["XS002"]["积分构成"] == "缺席 1次×-2 = -2分；委员工作站接待 2次×3 = 6分"
    assert "委员工作站接待 ×2" in rows["XS001"]["适用规则"]
    assert "委员工作站接待 ×3" in rows["XS002"]["适用规则"]  # 特邀人士's own weight


def test_a_members_record_lists_every_activity_with_its_source(db):
    at = run()
    assert not [s for s in at.selectbox if s.key == "mr_member"]  # nothing searched yet: nothing listed
    at.text_input(key="mr_member_q").input("xs").run()  # any case; 修水's three
    assert at.selectbox(key="mr_member").options == [
        "王建华（XS001）· 修水县", "李**秀英**（XS002）· 修水县", "张三丰（XS003）· 修水县"
    ]  # fmt: skip
    assert at.selectbox(key="mr_member").value is None
    at.selectbox(key="mr_member").set_value("XS002").run()
    assert not at.exception
    fields = table(at, "内容")
    assert dict(zip(fields["项目"], fields["内容"], strict=True))["姓名"] == "李**秀英**"
    acts = table(at, "工作表")
    assert list(acts["活动类型"]) == ["缺席", "委员工作站接待"]  # newest first
    assert list(acts["文件"]) == ["履职登记.csv"] * 2 and list(acts["行"]) == [5, 4]
    versions = table(at, "导入时间")
    assert list(versions["文件"]) == ["名册.xlsx"] and list(versions["变动"]) == ["新增"]


def test_the_member_search_picks_the_one_found_and_says_when_none_or_more(db, monkeypatch):
    at = run()
    at.text_input(key="mr_member_q").input("武宁 赵").run()  # every word: the unit and the name
    assert at.selectbox(key="mr_member").options == ["赵六（WN002）· 武宁县"]
    assert dict(zip(*table(at, "内容").T.values, strict=True))["委员编号"] == "WN002"  # the one found, shown
    at.text_input(key="mr_member_q").input("<b>无此人").run()
    assert any("没有姓名、编号或单位含“&lt;b&gt;无此人”的委员" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key == "mr_member"]
    monkeypatch.setattr("ui.member_records_tables.SEARCH", 2)
    at.text_input(key="mr_member_q").input("县").run()
    assert len(at.selectbox(key="mr_member").options) == 2
    assert "共 5 名委员符合，下面列出前 2 名：请输入更完整的姓名或编号。" in [c.value for c in at.caption]


@pytest.fixture
def files(monkeypatch) -> dict:
    """The file makers the page hands its list downloads (a browser's click calls one; AppTest cannot)."""
    from streamlit.delta_generator import DeltaGenerator

    made: dict = {}
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        if str(kwargs.get("key", "")).startswith("mr_inactive"):
            made[kwargs["key"]] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return made


def test_the_download_writes_the_audit_log(db, files):
    at = run()
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["mr_inactive_xlsx"].proto.ignore_rerun and buttons["mr_inactive_csv"].proto.ignore_rerun
    assert audit_rows(db, "member_export") == []  # the list shown is no export
    book = openpyxl.load_workbook(io.BytesIO(files["mr_inactive_xlsx"]()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "委员编号", "姓名") and sorted(r[2] for r in rows[1:]) == sorted(
        ["陈<b>立</b>", "赵六", "张三丰"]
    )
    (row,) = audit_rows(db, "member_export")  # written before the file is handed over
    assert row["list"] == "inactive" and row["format"] == "xlsx"
    assert row["year"] == 2024 and row["members"] == 3 and row["units"] == "all"


def test_a_viewer_sees_aggregates_only(db):
    signin_on(db)
    at = run(Actor("王主席", "viewer"))
    text = page_text(at)
    assert not [n for n in NAMES + IDS if n in text]
    assert "仅显示汇总数据" in at.info[0].value
    assert {m.label: m.value for m in at.metric}["无履职记录"] == "3 人"  # the count, no list
    assert not [b for b in at.get("download_button") if b.key.startswith("mr_inactive")]
    assert not [s for s in at.selectbox if s.key == "mr_member"] and not at.text_input
    subheaders = [s.value for s in at.subheader]
    assert (
        "提醒谈话名单" not in subheaders and "履职档案" not in subheaders and "优秀委员候选" not in subheaders
    )
    assert "积分构成" not in text and "各单位委员履职积分分布" in subheaders  # the charts remain


def test_a_viewer_sees_names_where_the_deployment_allows(db, monkeypatch):
    signin_on(db)
    monkeypatch.setenv("CPPCC_LEADERS_SEE_MEMBERS", "1")
    at = run(Actor("王主席", "viewer"))
    assert set(table(at, "最近一次履职")["姓名"]) == {"陈<b>立</b>", "赵六", "张三丰"}
    assert not any("仅显示汇总数据" in i.value for i in at.info)


def test_staff_see_only_their_own_units_members(db, files):
    signin_on(db)
    at = run(Actor("修水填报员", "staff", (XS,)))
    text = page_text(at)
    assert all(n in text for n in ("王建华", "李**秀英**", "张三丰"))
    assert not [n for n in ("陈<b>立</b>", "赵六", "WN001", "WN002") if n in text]
    assert at.selectbox(key="mr_unit").options == ["本单位（全部）", "修水县"]
    assert {m.label: m.value for m in at.metric}["在任委员"] == "3 人"
    assert list(table(at, "最近一次履职")["姓名"]) == ["张三丰"]
    assert "张三丰" in files["mr_inactive_csv"]().decode("utf-8-sig")
    (row,) = audit_rows(db, "member_export")
    assert row["actor"] == "修水填报员" and row["units"] == [XS] and row["format"] == "csv"


def test_filters_are_kept_in_the_url(db):
    at = run(mr_unit=XS, mr_sector="特邀人士")
    assert at.selectbox(key="mr_unit").value == XS and at.selectbox(key="mr_sector").value == "特邀人士"
    assert {m.label: m.value for m in at.metric}["在任委员"] == "1 人"
    at.selectbox(key="mr_year").set_value("2023").run()
    assert at.query_params["mr_year"] in ("2023", ["2023"])
    assert at.query_params["mr_unit"] in (XS, [XS])


def test_english_shows_no_chinese_of_the_page(db):
    at = run(lang="en")
    data = [
        *NAMES,
        "修水县",
        "武宁县",
        "中国民主同盟",
        "特邀人士",
        "经济界",
        "教育界",
        "中国国民党革命委员会",
    ]
    data += ["名册.xlsx", "履职登记.csv", "政协委员名册"]
    own = [
        *(x.value for x in (*at.title, *at.subheader, *at.caption, *at.info)),
        *(m.label for m in at.metric),
        *(m.value for m in at.metric),
        *(s.label for s in at.selectbox),
        *(c for d in at.dataframe for c in d.value.columns),
        *(b.label for b in at.get("download_button")),
    ]
    for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart")):
        own += [spec["layout"].get(a, {}).get("title", {}).get("text", "") for a in ("xaxis", "yaxis")]
    text = "\n".join(own)
    for d in data:
        text = text.replace(d, "")
    assert not re.findall(r".{0,20}[\u4e00-\u9fff]+.{0,20}", text)
    assert at.title[0].value == "Member records"


def test_the_rule_is_a_table_for_viewers_and_admins_save_it(db):
    signin_on(db)
    at = run(Actor("王主席", "viewer"))
    assert "每次积分（分）" in table(at, "每次积分（分）").columns and not at.button
    at = run(Actor("管理员", "admin"))
    at.button(key="mr_rule_save").click().run()
    assert not at.exception and not at.error
    assert any("积分规则已保存（14 条）" in s.value for s in at.success)
    assert len(audit_rows(db, "member_points")) == 1


def test_an_empty_store_says_where_to_upload(tmp_path, monkeypatch):
    from store.connection import Store

    with Store(tmp_path / "empty.duckdb").connect():
        pass
    monkeypatch.setenv("CPPCC_DB", str(tmp_path / "empty.duckdb"))
    at = run()
    assert "数据上传" in at.info[0].value and not at.metric


def test_scores_follow_the_rule_an_admin_saved(db):
    from domain.members import PointsRule
    from services import members

    rule = PointsRule.load()
    weights = tuple(w for w in rule.weights if w[:2] != ("station_duty", "特邀人士"))
    members.save_points_rule(db, PointsRule((*weights, ("station_duty", "特邀人士", 5.0))))
    at = run()
    top = table(at, "积分构成")
    assert list(top["委员编号"]) == ["XS002", "XS001"]  # 2 × 5 − 2 = 8 before 4
    assert list(top["履职积分（分）"]) == [8.0, 4.0]
    rules = table(at, "每次积分（分）")
    assert rules[rules["界别"] == "特邀人士"]["每次积分（分）"].tolist() == [5.0]


def test_the_edited_rule_table_reads_back_or_says_what_is_wrong():
    import pandas as pd

    from domain.members import PointsRule
    from ui.member_records_tables import rule_from_table, rule_table

    table = rule_table(PointsRule.load())
    added = pd.DataFrame([["调研视察", "特邀人士", 4.0], [None, None, None]], columns=table.columns)
    rule = rule_from_table(pd.concat([table, added], ignore_index=True))  # the editor's empty row is skipped
    assert rule.weight("research", "特邀人士") == 4.0 and rule.weight("research", "经济界") == 2.0
    with pytest.raises(ValueError, match="“委员工作站接待”在“特邀人士”下有两行"):
        rule_from_table(pd.concat([table, table.tail(1)], ignore_index=True))
    bad = pd.DataFrame([["提交提案", "全部界别", None]], columns=table.columns)
    with pytest.raises(ValueError, match="“提交提案”这一行没有填积分"):
        rule_from_table(bad)


def test_the_shared_filters_survive_a_visit_to_the_page(demo_db, monkeypatch):
    """The page has its own filters (a year of the log, one unit, a sector): the analysis pages' period
    and units are kept while it is shown, and are there again on the next analysis page."""
    monkeypatch.setenv("CPPCC_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(PAGE).parents[1] / "dashboard.py"), default_timeout=60).run()
    at.selectbox(key="year").set_value(2023).run()
    at.multiselect(key="units").set_value([XS]).run()
    at.switch_page("views/member_records.py").run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert at.query_params["year"] in ("2023", ["2023"]) and at.query_params["units"] in (XS, [XS])
    at.switch_page("views/members.py").run()
    assert at.selectbox(key="year").value == 2023 and at.multiselect(key="units").value == [XS]
