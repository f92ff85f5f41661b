"""Reverting an import, and the list of batches (the history page and `cppcc history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.connection import Store
from store.facts import new_batch


class RevertRefused(RuntimeError):
    """The batch cannot be reverted; the message says why."""


def revert(store: Store, batch_id: int, user: str | None = None) -> int:
    """Undo an import (recorded as a batch of kind 'revert'); returns the new batch's id."""
    with store.transaction() as con:
        row = con.execute(
            "SELECT kind, reverted_by, file_name FROM batches WHERE id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise RevertRefused(f"没有编号为 {batch_id} 的导入批次，请用 cppcc history 查看批次编号")
        kind, reverted_by, file_name = row
        if kind != "import":
            what = {"revert": "撤销记录", "demo": "演示数据"}.get(kind, kind)
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
        new = new_batch(
            con, "revert", file_name=file_name, user=user, reverts=batch_id, note=f"撤销批次 {batch_id}"
        )
        con.execute("UPDATE batches SET reverted_by = ? WHERE id = ?", [new, batch_id])
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
