"""Annual targets: stored, imported from a sheet, and compared with the time of year."""

from __future__ import annotations

import pytest

from cli.main import main
from domain.dictionary import demo_units
from domain.periods import Period
from metrics.targets import combined_target, expected_share, progress
from store.targets import set_targets, targets
from store.units import upsert_units
from tests.helpers import make_xlsx


def test_expected_share_and_behind_plan():
    assert expected_share("flow", Period(2024, 3, "ytd")) == 0.75
    assert expected_share("flow", Period(2024, 3, "quarter")) is None
    assert expected_share("stock", Period(2024, 1, "ytd")) == 1.0
    p = progress(140, 200, "flow", Period(2024, 3, "ytd"))  # 70% done, 75% of the year gone
    assert p is not None and p.behind and p.share == pytest.approx(0.7)
    assert not progress(160, 200, "flow", Period(2024, 3, "ytd")).behind
    assert progress(85.0, 90.0, "ratio", Period(2024)).behind
    assert progress(10, None, "flow", Period(2024)) is None


def test_combined_target_needs_every_unit_and_never_adds_rates(store):
    with store.transaction() as con:
        set_targets(
            con,
            [
                ("A", 2024, "proposals_submitted", 100),
                ("B", 2024, "proposals_submitted", 50),
                ("A", 2024, "registration_rate", 90),
            ],
        )
        set_targets(con, [("A", 2024, "proposals_submitted", 120)])  # set again: replaced
        df = targets(con, 2024, ["A", "B", "C"])
    assert combined_target(df, "proposals_submitted", "flow", ["A", "B"]) == 170
    assert combined_target(df, "proposals_submitted", "flow", ["A", "B", "C"]) is None
    assert combined_target(df, "registration_rate", "ratio", ["A"]) == 90
    assert combined_target(df, "registration_rate", "ratio", ["A", "B"]) is None


def test_target_sheet_imports_through_the_loaders(store, tmp_path, capsys):
    with store.transaction() as con:
        upsert_units(con, demo_units())
    f = make_xlsx(
        tmp_path / "2025年目标任务.xlsx",
        {"目标": [["县（市、区）", "提交提案", "立案率"], ["修水縣", 180, "90%"]]},
    )
    assert main(["--db", store.target, "targets", "import", "--year", "2025", str(f)]) == 0
    assert "2025年目标 2 项" in capsys.readouterr().out
    with store.connect() as con:
        df = targets(con, 2025, ["360424"])
    assert sorted(zip(df["indicator"], df["value"], strict=True)) == [
        ("proposals_submitted", 180.0),
        ("registration_rate", 90.0),
    ]
    assert main(["--db", store.target, "targets", "import", "--year", "2025", str(f)]) == 0
    assert "未重复导入" in capsys.readouterr().out  # the same file twice is a duplicate, like sheets
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM batches WHERE kind = 'targets'").fetchall() == [(1,)]
    bad = make_xlsx(tmp_path / "bad.xlsx", {"目标": [["县（市、区）", "提交提案"], ["修水县", "很多"]]})
    assert main(["--db", store.target, "targets", "import", "--year", "2025", str(bad)]) == 1


def test_reverting_a_targets_batch_names_its_kind_in_chinese(store):
    from store.history import RevertRefused, revert
    from store.targets import save_targets

    b = save_targets(store, 2025, [("360424", "proposals_submitted", 180.0)], [], user="张科员")
    assert b is not None
    with pytest.raises(RevertRefused, match=f"批次 {b} 是目标任务，不是导入批次"):
        revert(store, b)


def test_save_targets_sets_and_clears_in_one_batch(store):
    """The 目标任务 page's save: setting without clearing (what crashed: an empty executemany) and back."""
    from store.targets import save_targets, targets

    assert save_targets(store, 2025, [], [], user="张科员") is None  # nothing to save, nothing written
    b = save_targets(store, 2025, [("360424", "proposals_submitted", 180.0)], [], user="张科员")
    with store.connect() as con:
        assert targets(con, 2025, ["360424"])["value"].tolist() == [180.0]
        assert con.execute("SELECT kind, user_name, n_new FROM batches WHERE id = ?", [b]).fetchall() == [
            ("targets", "张科员", 1)
        ]
    save_targets(store, 2025, [], [("360424", "proposals_submitted")], user="张科员")
    with store.connect() as con:
        assert targets(con, 2025, ["360424"]).empty
