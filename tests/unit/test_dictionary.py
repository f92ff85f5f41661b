"""The indicator dictionary: the codes of DOMAIN.md are a public contract."""

from __future__ import annotations

import csv

import pytest

from domain.dictionary import INDICATORS_CSV, indicator_from_row, load_dictionary

# DOMAIN.md's dictionary, verbatim: code -> (name, kind). Renaming or removing one breaks users.
CONTRACT = {
    "proposals_submitted": ("提案提交数", "flow"),
    "proposals_registered": ("立案数", "flow"),
    "proposals_collective": ("集体提案数", "flow"),
    "proposals_key": ("重点提案数", "flow"),
    "proposals_answered": ("办复数", "flow"),
    "proposals_satisfied": ("满意数", "flow"),
    "proposals_livelihood": ("民生类提案数", "flow"),
    "registration_rate": ("立案率", "ratio"),
    "reply_rate": ("办复率", "ratio"),
    "satisfaction_rate": ("满意率", "ratio"),
    "livelihood_share": ("民生类占比", "ratio"),
    "consult_plenary": ("全体会议协商", "flow"),
    "consult_standing": ("常委会议协商", "flow"),
    "consult_topic": ("专题协商", "flow"),
    "consult_counterpart": ("对口协商", "flow"),
    "consult_sector": ("界别协商", "flow"),
    "consult_proposal": ("提案办理协商", "flow"),
    "consult_grassroots": ("基层协商议事", "flow"),
    "consult_outcomes": ("协商成果转化", "flow"),
    "suggestions_made": ("意见建议", "flow"),
    "research_topics": ("调研课题", "flow"),
    "problems_found": ("发现问题", "flow"),
    "inspections": ("视察", "flow"),
    "supervision_activities": ("民主监督活动", "flow"),
    "info_collected": ("社情民意信息收集", "flow"),
    "info_submitted": ("报送上级", "flow"),
    "info_adopted": ("被采用", "flow"),
    "info_instructions": ("领导批示", "flow"),
    "adoption_rate": ("采用率", "ratio"),
    "members_total": ("委员人数", "stock"),
    "member_participations": ("委员参加活动人次", "flow"),
    "member_activities": ("组织委员活动", "flow"),
    "plenary_speeches": ("大会发言", "flow"),
    "trainings": ("培训班", "flow"),
    "trainees": ("培训人次", "flow"),
    "member_stations": ("委员工作站", "stock"),
    "members_commended": ("优秀委员", "flow"),
    "members_removed": ("撤销委员资格", "flow"),
    "reminder_talks": ("提醒谈话", "flow"),
    "participation_per_member": ("人均参加活动", "ratio"),
}


def test_every_contract_code_keeps_its_name_and_kind():
    d = load_dictionary()
    for code, (name, kind) in CONTRACT.items():
        assert (d[code].name, d[code].kind) == (name, kind), code


def test_rules_and_formulas_of_domain_md():
    d = load_dictionary()
    assert d["proposals_registered"].not_above == "proposals_submitted"
    assert d["proposals_key"].not_above == "proposals_registered"
    assert d["info_adopted"].not_above == "info_submitted"
    assert d["info_submitted"].not_above == "info_collected"
    assert (d["adoption_rate"].numerator, d["adoption_rate"].denominator) == (
        "info_adopted",
        "info_submitted",
    )
    assert d["reply_rate"].aliases == ("答复率",)


def test_dictionary_rejects_unknown_kind_and_dangling_reference(tmp_path):
    with pytest.raises(ValueError, match="类型"):
        indicator_from_row({"code": "x", "name": "x", "kind": "average"})
    rows = list(csv.DictReader(INDICATORS_CSV.open(encoding="utf-8")))
    rows[1]["not_above"] = "no_such_code"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(ValueError, match="no_such_code"):
        load_dictionary(bad)
