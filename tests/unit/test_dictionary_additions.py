"""Headers that match no indicator: added as an alias or as a new indicator, they import from then on."""

from __future__ import annotations

import pytest

from domain.dictionary import demo_units
from domain.periods import Period
from metrics.aggregate import compute, value_of
from store.dictionary import DictionaryError, add_alias, add_indicator, effective_dictionary
from store.ingest import commit, prepare
from store.units import upsert_units
from tests.helpers import make_xlsx


@pytest.fixture
def st(store):
    with store.transaction() as con:
        upsert_units(con, demo_units())
    return store


def sheet(tmp_path, name="2024年第一季度.xlsx"):
    return make_xlsx(
        tmp_path / name,
        {
            "汇总": [
                ["县（市、区）", "提交提案", "提案件数（新口径）", "走访群众（人次）"],
                ["修水县", 35, 30, 120],
            ]
        },
    )


def test_unknown_columns_are_warned_then_alias_and_new_indicator_import(st, tmp_path):
    f = sheet(tmp_path)
    p = prepare(st, f.name, f.read_bytes())
    assert p.status == "ready" and p.n_values == 1
    assert [h for _, h in p.parsed.unknown_columns] == ["提案件数（新口径）", "走访群众（人次）"]
    assert {w.code for w in p.warnings} == {"unknown_column"}

    with st.transaction() as con:
        add_alias(con, "提案件数（新口径）", "proposals_registered", user="王芳")
        code = add_indicator(con, "走访群众", "人次", "flow", "members", user="王芳")
    assert code == "custom_001"
    with st.connect() as con:
        d = effective_dictionary(con)
    assert "提案件数（新口径）" in d["proposals_registered"].aliases and d[code].name == "走访群众"

    p = prepare(st, f.name, f.read_bytes())
    assert p.parsed.unknown_columns == [] and p.n_values == 3
    assert commit(st, p).status == "imported"
    with st.connect() as con:
        df = compute(con, [Period(2024, 1, "quarter")], ["360424"], [code, "registration_rate"])
    assert value_of(df, "2024Q1", code) == 120
    assert value_of(df, "2024Q1", "registration_rate") == pytest.approx(30 / 35 * 100)


def test_additions_that_would_be_ambiguous_are_refused(st):
    with st.transaction() as con:
        with pytest.raises(DictionaryError, match="已是指标“立案数”的名称或别名"):
            add_alias(con, "立案", "proposals_submitted")
        with pytest.raises(DictionaryError, match="请改为添加别名"):
            add_indicator(con, "提交提案（件）", "件", "flow", "proposals")
        with pytest.raises(DictionaryError, match="类型只能是"):
            add_indicator(con, "新指标", "件", "ratio", "proposals")
        with pytest.raises(DictionaryError, match="不存在"):
            add_alias(con, "随便", "no_such_code")
