"""Reverting an import, and the list of batches (the history page and `cppcc history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from store.connection import Store
from store.cross_rules import revert_rule_violations
from store.dictionary import effective_dictionary
from store.errors import StoreError
from store.facts import new_batch
from store.queries import frame


class RevertRefused(StoreError):
    """The batch cannot be reverted; the message says why."""


KIND_ZH = {
    "import": "导入批次",
    "revert": "撤销记录",
    "demo": "演示数据",
    "demo_removed": "删除演示数据的记录",
    "targets": "目标任务",
    "roster": "委员名册",
    "activities": "履职活动登记",
}
REVERTIBLE = ("import", "roster", "activities")


def revert(store: Store, batch_id: int, user: str | None = None) -> int:
    """Undo an import (recorded as a batch of kind 'revert'); returns the new batch's id."""
    with store.transaction() as con:
        row = con.execute(
            "SELECT kind, reverted_by, file_name FROM batches WHERE id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise RevertRefused(f"没有编号为 {batch_id} 的导入批次，请用 cppcc history 查看批次编号")
        kind, reverted_by, file_name = row
        if kind not in REVERTIBLE:
            what = KIND_ZH.get(kind, kind)
            raise RevertRefused(f"批次 {batch_id} 是{what}，不是导入批次，不能撤销")
        if reverted_by is not None:
            raise RevertRefused(f"批次 {batch_id}（{file_name}）已于批次 {reverted_by} 撤销")
        deps = con.execute(
            "SELECT d.batch_id, b.file_name FROM batch_dependencies d JOIN batches b ON b.id = d.batch_id"
            " WHERE d.depends_on = ? AND b.reverted_by IS NULL ORDER BY d.batch_id",
            [batch_id],
        ).fetchall()
        if deps:
            names = "、".join(f"批次 {b}（{f}）" for b, f in deps)
            raise RevertRefused(
                f"不能撤销批次 {batch_id}（{file_name}）：{names}的累计数是据它换算为单季度数的。"
                "请先撤销这些批次，再撤销本批次"
            )
        if kind == "roster":
            orphans = con.execute(
                "SELECT DISTINCT l.member_id, r.name FROM member_roster r"
                " JOIN member_log l ON l.member_id = r.member_id JOIN batches b ON b.id = l.batch_id"
                " WHERE r.batch_id = ? AND r.changed = '' AND b.reverted_by IS NULL AND b.kind <> 'revert'"
                " AND NOT EXISTS (SELECT 1 FROM member_roster o JOIN batches ob ON ob.id = o.batch_id"
                "   WHERE o.member_id = r.member_id AND o.batch_id <> r.batch_id AND ob.reverted_by IS NULL"
                "   AND ob.kind <> 'revert') ORDER BY 1 LIMIT 6",
                [batch_id],
            ).fetchall()
            if orphans:
                names = "、".join(f"{n}（{m}）" for m, n in orphans[:5]) + ("等" if len(orphans) > 5 else "")
                raise RevertRefused(
                    f"不能撤销批次 {batch_id}（{file_name}）：它新增的委员{names}已有履职活动记录。"
                    "请先撤销这些委员的履职活动登记批次"
                )
        broken = [] if kind != "import" else revert_rule_violations(con, batch_id, effective_dictionary(con))
        if broken:  # the figures as they would stand after the revert break a consistency rule
            raise RevertRefused(f"不能撤销批次 {batch_id}（{file_name}）：" + "；".join(broken))
        new = new_batch(
            con, "revert", file_name=file_name, user=user, reverts=batch_id, note=f"撤销批次 {batch_id}"
        )
        con.execute("UPDATE batches SET reverted_by = ? WHERE id = ?", [new, batch_id])
        con.execute(  # the revert's own row says how many values it returned to their earlier state
            "UPDATE batches SET n_changed = (SELECT count(*) FROM facts WHERE batch_id = $b)"
            " + (SELECT count(*) FROM member_roster WHERE batch_id = $b)"
            " + (SELECT count(*) FROM member_log WHERE batch_id = $b) WHERE id = $n",
            {"b": batch_id, "n": new},
        )
    return new


@dataclass(frozen=True)
class BatchRow:
    id: int
    kind: str
    file_name: str | None
    user_name: str | None
    created_at: dt.datetime
    n_new: int
    n_changed: int
    n_unchanged: int
    reverts: int | None
    reverted_by: int | None
    sha256: str | None
    size_bytes: int | None
    note: str | None


def history(store: Store) -> list[BatchRow]:
    """Every batch, newest first."""
    with store.connect() as con:
        rows = con.execute(
            "SELECT id, kind, file_name, user_name, created_at, n_new, n_changed, n_unchanged, reverts,"
            " reverted_by, sha256, size_bytes, note FROM batches ORDER BY id DESC"
        ).fetchall()
    return [BatchRow(*r) for r in rows]


def batch_coverage(store: Store) -> pd.DataFrame:
    """Per batch: the periods and units of the values it wrote (a revert: of the batch it undid).

    Columns: id, n_values, periods (list of (year, quarter); quarter None for a whole year), units
    (list of unit codes); targets batches list their year.
    """
    with store.connect() as con:
        df = frame(con, "batch_coverage")
    periods = [
        sorted(
            (
                (int(p["year"]), None if p["quarter"] is None else int(p["quarter"]))
                for p in (() if ps is None else ps)
            ),
            key=lambda p: (p[0], p[1] or 0),
        )
        for ps in df["periods"]
    ]
    df["periods"] = pd.Series(periods, index=df.index, dtype=object)
    df["units"] = [[] if u is None else sorted(u) for u in df["units"]]
    return df


def batch_values(store: Store, batch_id: int) -> pd.DataFrame:
    """The values a batch wrote, as stored: unit, period, indicator, value, approximate, source."""
    with store.connect() as con:
        return frame(con, "batch_values", {"batch": batch_id})


def batch_file(store: Store, batch_id: int) -> bytes | None:
    """The file an import came from (kept since schema version 5), or None."""
    with store.connect() as con:
        rows = con.execute("SELECT content FROM batch_files WHERE batch_id = ?", [batch_id]).fetchall()
    return bytes(rows[0][0]) if rows else None
