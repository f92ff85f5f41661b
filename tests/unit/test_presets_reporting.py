"""Weight presets (migration 004) and the reporting-progress query, on real DuckDB files."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from domain.dictionary import load_dictionary
from store.connection import Store
from store.migrate import migrate, schema_version
from store.presets import PresetError, delete_preset, list_presets, save_preset
from store.reporting import last_reported, missing_units, partial_units, state, status
from tests.helpers import add_batch, fact

DIC = load_dictionary()
N_ALL = sum(1 for i in DIC if i.importable)  # 40 with data/indicators.csv
N_PROPOSALS = sum(1 for i in DIC.by_domain("proposals") if i.importable)  # 7 counts + 4 rates


def test_presets_save_list_overwrite_delete(store):
    with store.transaction() as con:
        assert (
            save_preset(con, "  提案为主 ", {"proposals_submitted": 2, "registration_rate": 1}, "王芳")
            == "提案为主"
        )
        save_preset(con, "均衡", {"info_adopted": 1.5})
    with store.transaction() as con:
        save_preset(con, "提案为主", {"proposals_submitted": 3}, "李明")  # same name: overwritten
        presets = list_presets(con)
    assert [p.name for p in presets] == ["均衡", "提案为主"]
    assert presets[1].weights == {"proposals_submitted": 3.0}
    assert presets[1].created_by == "李明" and presets[1].updated_at is not None
    with store.transaction() as con:
        assert delete_preset(con, "均衡") is True
        assert delete_preset(con, "均衡") is False
        assert [p.name for p in list_presets(con)] == ["提案为主"]


@pytest.mark.parametrize(
    ("name", "weights", "message"),
    [
        ("", {"a": 1}, "名称不能为空"),
        ("x" * 41, {"a": 1}, "不能超过"),
        ("负数", {"a": -1}, "不小于 0"),
        ("全零", {"a": 0}, "大于 0"),
    ],
)
def test_bad_presets_are_refused(store, name, weights, message):
    with pytest.raises(PresetError, match=message), store.transaction() as con:
        save_preset(con, name, weights)


def test_names_are_bound_parameters_not_sql(store):
    evil = "x'); DROP TABLE index_presets; --"
    with store.transaction() as con:
        save_preset(con, evil, {"a": 1})
        assert [p.name for p in list_presets(con)] == [evil]


def test_a_version_3_file_gets_the_presets_table(tmp_path):
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, upto=3) == 3
    con.close()
    with Store(path).connect() as con:
        assert schema_version(con) >= 4
        save_preset(con, "a", {"b": 1})
        assert len(list_presets(con)) == 1


@pytest.fixture
def reported(store):
    """Three units in 2024: A complete-ish, B only Q1, C nothing; a whole-year figure for A."""
    b1 = add_batch(
        store,
        [
            fact("A", 2024, 1, "proposals_submitted", 10),
            fact("A", 2024, 1, "proposals_registered", 8),  # with submitted: registration_rate counts
            fact("A", 2024, 2, "proposals_submitted", 5),
            fact("A", 2024, 2, "info_adopted", 2),
            fact("A", 2024, None, "trainings", 3),
            fact("B", 2024, 1, "reply_rate", 90, reported_ratio=True),  # a rate reported alone
            fact("B", 2023, 4, "inspections", 1),
        ],
    )
    b2 = add_batch(store, [fact("A", 2024, 2, "proposals_registered", 4)])
    with store.transaction() as con:
        con.execute("UPDATE batches SET created_at = TIMESTAMP '2024-04-08 10:30' WHERE id = ?", [b1])
        con.execute("UPDATE batches SET created_at = TIMESTAMP '2024-07-05 16:00' WHERE id = ?", [b2])
        return status(con, 2024, ["A", "B", "C"])


def _cell(df: pd.DataFrame, unit: str, quarter: int | None, domain: str | None) -> tuple[int, int]:
    q = df["quarter"].isna() if quarter is None else df["quarter"] == quarter
    d = df["domain"].isna() if domain is None else df["domain"] == domain
    row = df[(df["unit_code"] == unit) & q & d]
    assert len(row) == 1
    return int(row["n_reported"].iloc[0]), int(row["n_expected"].iloc[0])


def test_status_counts_indicators_per_domain_and_quarter(reported):
    assert _cell(reported, "A", 1, "proposals") == (
        3,
        N_PROPOSALS,
    )  # submitted, registered, registration_rate
    assert _cell(reported, "A", 2, "proposals") == (3, N_PROPOSALS)  # same, the registered value from batch 2
    assert _cell(reported, "A", 2, "social") == (1, 5)
    assert _cell(reported, "A", 2, None) == (4, N_ALL)  # 3 proposals + 1 social
    assert _cell(reported, "B", 1, "proposals") == (1, N_PROPOSALS)  # the reported rate
    assert _cell(reported, "C", 3, None) == (0, N_ALL)  # a unit with nothing still has its row
    assert _cell(reported, "A", None, "members") == (1, 11)  # whole-year figures: quarter None
    assert _cell(reported, "B", 4, None) == (0, N_ALL)  # 2023's value does not count for 2024


def test_last_reporting_and_missing_units(reported):
    last = last_reported(reported).set_index("unit_code")
    assert last.loc["A", "last_reported_at"] == pd.Timestamp("2024-07-05 16:00")
    assert (last.loc["A", "last_year"], last.loc["A", "last_quarter"]) == (2024, 2)
    assert last.loc["B", "last_reported_at"] == pd.Timestamp("2024-04-08 10:30")
    assert (last.loc["B", "last_year"], last.loc["B", "last_quarter"]) == (2024, 1)
    assert pd.isna(last.loc["C", "last_reported_at"])
    assert missing_units(reported, 2) == ["B", "C"]
    assert missing_units(reported, 1, "social") == ["A", "B", "C"]
    assert partial_units(reported, 2) == ["A"]
    assert (state(3, 11), state(11, 11), state(0, 11)) == ("partial", "full", "none")


def test_status_of_no_units_is_empty(store):
    with store.connect() as con:
        assert status(con, 2024, []).empty
