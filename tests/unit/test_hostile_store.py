"""Hostile files against a real store (issue 9): refused whole with the store unchanged (a hash of
indicator_values before and after), rules checked across files, a figure far from its unit's history
warned, and `-0` stored as 0.
"""

from __future__ import annotations

import hashlib
import io
import math

import openpyxl
import pytest

from domain.dictionary import demo_units, load_dictionary
from metrics.summary import Figure, count_clause, domain_sentence
from store.connection import Store
from store.cross_rules import revert_rule_violations
from store.history import revert
from store.ingest import commit, prepare
from store.units import upsert_units
from tests.helpers import snapshot
from tests.unit.loaders.hostile_files import F, Raw, raw_xlsx

HEAD = ["县区", "提交提案", "立案", "办复", "满意"]


@pytest.fixture
def st(store: Store) -> Store:
    with store.transaction() as con:
        upsert_units(con, demo_units())
    return store


def xlsx(rows: list[list[object]], sheet: str = "汇总") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def digest(store: Store) -> str:
    with store.connect() as con:
        rows = con.execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def imp(store: Store, name: str, data: bytes, compare: bool = True):
    return commit(store, prepare(store, name, data, user="王芳", compare=compare))


HOSTILE = {
    "formula_no_value": lambda: xlsx([HEAD, ["修水县", 40, 30, "=C2-5", 10]]),
    "formula_error": lambda: raw_xlsx({"汇总": [HEAD, ["修水县", 40, 30, F("C2/0", error="#DIV/0!"), 10]]}),
    "formula_stale": lambda: raw_xlsx({"汇总": [HEAD, ["修水县", 40, 30, F("C2-5", cached=0), 0]]}, True),
    "implausible": lambda: xlsx([HEAD, ["修水县", 1e308, 30, 20, 10], ["武宁县", 1e308, 3, 2, 1]]),
    "not_finite": lambda: raw_xlsx(
        {"汇总": [["县区", "委员参加活动人次", "委员人数", "人均参加活动"], ["修水县", 120, 100, Raw("inf")]]}
    ),
    "ratio_mismatch": lambda: xlsx([["县区", "提交提案", "立案", "立案率"], ["修水县", 40, 30, 60]]),
    "not_above_stored": lambda: xlsx([HEAD[:4], ["修水县", 40, 30, 2]]),  # 办复 2 < the stored 满意 4
}


@pytest.mark.parametrize("compare", [True, False], ids=["previewed", "cli"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_and_the_store_is_unchanged(st, case, compare) -> None:
    assert imp(st, "2024Q1_old.xlsx", xlsx([HEAD, ["修水县", 40, 30, 20, 4]])).status == "imported"
    before = digest(st)
    result = imp(st, "2024Q1.xlsx", HOSTILE[case](), compare=compare)
    assert result.status == "rejected"
    assert case in [e.code for e in result.errors], result.errors
    err = next(e for e in result.errors if e.code == case)
    assert err.sheet == "汇总" and err.row == 2 and err.column
    assert digest(st) == before


def test_a_rule_across_files_names_both_sources(st) -> None:
    first = imp(st, "2024Q1.xlsx", xlsx([HEAD, ["修水县", 40, 30, 4, 4]]))
    p = prepare(st, "2024Q1更正.xlsx", xlsx([["县区", "办复"], ["修水县", 0]]), user="王芳")
    assert p.status == "rejected"
    [err] = p.errors
    assert (err.file, err.sheet, err.row, err.column, err.code) == (
        "2024Q1更正.xlsx",
        "汇总",
        2,
        "办复",
        "not_above_stored",
    )
    assert err.message == (
        f"第2行“办复”列：办复数 0 小于库中批次 {first.batch_id}（2024Q1.xlsx 工作表“汇总”第2行“满意”列）的满意数 4"
        "（满意数不得超过办复数）：导入后修水县2024年第一季度的数据将相互矛盾，请核对本文件，或先撤销库中的那一批次"
    )
    p = prepare(st, "2024Q1补报.xlsx", xlsx([["县区", "立案"], ["修水县", 45]]), user="王芳")
    [err] = p.errors
    assert err.message.startswith(
        f"第2行“立案”列：立案数 45 大于库中批次 {first.batch_id}（2024Q1.xlsx 工作表“汇总”第2行“提交提案”列）的提案提交数 40"
    )


def test_a_consistent_correction_imports(st) -> None:
    imp(st, "2024Q1.xlsx", xlsx([HEAD, ["修水县", 40, 30, 4, 4]]))
    result = imp(st, "2024Q1更正.xlsx", xlsx([["县区", "办复", "满意"], ["修水县", 3, 3]]))
    assert result.status == "imported", result.errors


def test_a_figure_far_from_its_units_history_is_warned(st) -> None:
    for q, n in ((1, 30), (2, 35)):
        imp(st, f"2024Q{q}.xlsx", xlsx([HEAD[:3], ["修水县", n + 10, n]], sheet=f"2024Q{q}"))
    data = xlsx([HEAD[:3], ["修水县", 40000, 30000]], sheet="2024Q3")
    p = prepare(st, "2024Q3.xlsx", data, user="王芳")
    assert p.status == "ready"
    far = [w for w in p.warnings if w.code == "far_from_history"]
    assert [(w.row, w.column) for w in far] == [(2, "立案"), (2, "提交提案")]
    assert far[0].message == (
        "第2行“立案”列：修水县2024年第三季度的立案数 30000 是该单位库中最大季度值 35（2024年第二季度）的 857 倍，"
        "请核对是否多输了数位"
    )
    result = commit(st, prepare(st, "2024Q3.xlsx", data, user="王芳", compare=False))  # the CLI's way
    assert result.status == "imported"
    assert "far_from_history" in [w.code for w in result.warnings]


def test_revert_side_rules(st) -> None:
    dic = load_dictionary()
    imp(st, "2024Q1a.xlsx", xlsx([HEAD[:3], ["修水县", 10, 8]]))
    b = imp(st, "2024Q1b.xlsx", xlsx([HEAD[:2], ["修水县", 20]])).batch_id
    c = imp(st, "2024Q1c.xlsx", xlsx([["县区", "立案"], ["修水县", 15]])).batch_id
    with st.connect() as con:
        assert revert_rule_violations(con, c, dic) == []
        [message] = revert_rule_violations(con, b, dic)
    assert message == (
        f"撤销批次 {b} 后，修水县2024年第一季度的立案数 15（库中批次 {c}（2024Q1c.xlsx 工作表“汇总”第2行“立案”列））"
        "将大于提案提交数 10（库中批次 1（2024Q1a.xlsx 工作表“汇总”第2行“提交提案”列））：立案数不得超过提案提交数"
    )
    revert(st, c)
    with st.connect() as con:
        assert revert_rule_violations(con, b, dic) == []


def test_minus_zero_is_stored_as_zero(st) -> None:
    result = imp(st, "2024Q1.xlsx", raw_xlsx({"汇总": [["县区", "立案"], ["修水县", Raw("-0")]]}))
    assert result.status == "imported"
    with st.connect() as con:
        (value,) = con.execute(
            "SELECT value FROM indicator_values WHERE indicator = 'proposals_registered'"
        ).fetchone()
    assert value == 0 and math.copysign(1.0, value) == 1.0


def test_the_summary_never_overflows() -> None:
    """Two 1e308 once made a total of inf and the 提案工作 page died in round(inf)."""
    inf = float("inf")
    assert count_clause("共提交提案", Figure(inf, 10.0), "件") is None
    assert (
        domain_sentence(
            "proposals", {"proposals_submitted": Figure(inf, inf), "registration_rate": Figure(float("nan"))}
        )
        == ""
    )
    assert domain_sentence("members", {"participation_per_member": Figure(inf)}) == ""


def test_revert_refuses_what_would_break_a_rule(st) -> None:
    """revert() itself checks the figures as they would stand after it (the page and the CLI share it)."""
    from store.history import RevertRefused

    imp(st, "2024Q1a.xlsx", xlsx([HEAD[:3], ["修水县", 10, 8]]))
    b = imp(st, "2024Q1b.xlsx", xlsx([HEAD[:2], ["修水县", 20]])).batch_id
    imp(st, "2024Q1c.xlsx", xlsx([["县区", "立案"], ["修水县", 15]]))
    before = snapshot(st)
    with pytest.raises(RevertRefused, match=f"不能撤销批次 {b}.*立案数 15.*将大于提案提交数 10"):
        revert(st, b)
    assert snapshot(st) == before
