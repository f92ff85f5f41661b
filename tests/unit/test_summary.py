"""The generated summary: report-style Chinese, right numbers, nothing said about a missing figure."""

from __future__ import annotations

from domain.periods import Period
from metrics.summary import Figure, domain_sentence, figures_for, paragraph
from tests.helpers import add_batch, fact


def test_report_style_sentence_with_changes():
    f = {
        "proposals_submitted": Figure(1234, 1173),
        "proposals_registered": Figure(1050, 983),
        "registration_rate": Figure(85.1, 83.8),
        "proposals_answered": Figure(1050, 983),
        "reply_rate": Figure(100.0, 100.0),
    }
    assert domain_sentence("proposals", f) == (
        "共提交提案1,234件，同比增长5.2%；立案1,050件，立案率85.1%，较上年提高1.3个百分点；"
        "办复1,050件，办复率100.0%，与上年持平"
    )


def test_missing_figures_make_no_sentence_and_no_change_without_last_year():
    f = {"info_collected": Figure(1800, None, approximate=True), "info_adopted": Figure(85, 90)}
    assert domain_sentence("social", f) == "收集社情民意信息1,800余篇，被采用85篇"
    assert domain_sentence("proposals", f) == ""
    assert paragraph("全市政协系统", "2023年", {}) == ""
    text = paragraph("全市政协系统", "2023年", f)
    assert text == "2023年，全市政协系统收集社情民意信息1,800余篇，被采用85篇。"


def test_decrease_and_flat_wording():
    assert (
        domain_sentence("consultation", {"consult_total": Figure(90, 100)})
        == "开展协商活动90次，同比下降10.0%"
    )
    assert (
        domain_sentence("consultation", {"consult_grassroots": Figure(5500, 5500)})
        == "基层协商议事5,500场次，与上年同期持平"
    )


def test_figures_come_from_the_metrics_module(store):
    add_batch(
        store,
        [
            fact("A", 2024, 1, "proposals_submitted", 30),
            fact("A", 2024, 1, "proposals_registered", 24),
            fact("B", 2024, 2, "proposals_submitted", 10),
            fact("B", 2024, 2, "proposals_registered", 10),
            fact("A", 2023, 1, "proposals_submitted", 32),
            fact("A", 2023, 1, "proposals_registered", 16),
        ],
    )
    with store.connect() as con:
        f = figures_for(con, Period(2024), ["A", "B"])
    assert f["proposals_submitted"] == Figure(40, 32)
    assert f["registration_rate"].value == 85.0 and f["registration_rate"].previous == 50.0
    assert paragraph("全市政协系统", "2024年", f).startswith(
        "2024年，全市政协系统共提交提案40件，同比增长25.0%；立案34件，立案率85.0%，较上年提高35.0个百分点。"
    )
