"""The batches: the history and what each covers, reverting one, removing the demo data."""

from __future__ import annotations

from typing import Any

from domain.accounts import Actor, require
from services import access
from store import history as _history
from store.connection import Store
from store.demo import remove_demo as _remove_demo
from store.history import (
    BatchRow,
    RevertRefused,
    batch_coverage,
    batch_file,
    batch_values,
    history,
)
from store.read import units as store_units

__all__ = [
    "BatchRow",
    "RevertRefused",
    "batch_coverage",
    "batch_file",
    "batch_values",
    "history",
    "remove_demo",
    "revert",
]


def remove_demo(store: Store, user: str | None = None, actor: Actor | None = None) -> int:
    """Delete the demo values (the units stay), recorded as a batch; returns how many values went."""
    who = access.resolve(store, actor, user)
    require(who, "demo")
    with store.transaction() as con:
        n = _remove_demo(con, user=access.label(who, user))
    access.audit(store, who, "demo_remove", {"values": n})
    return n


def revert(
    store: Store,
    batch_id: int,
    user: str | None = None,
    actor: Actor | None = None,
    address: str | None = None,
) -> int:
    """Undo a batch (store.history.revert) once the actor may change every unit it wrote; returns the
    new batch's id. A staff account reverts batches of its own units only."""
    who = access.resolve(store, actor, user)
    cover = batch_coverage(store).set_index("id")
    raw: Any = cover.at[batch_id, "units"] if batch_id in cover.index else None
    units = [str(u) for u in (raw if raw is not None else [])]
    with store.connect() as con:
        u = store_units(con)
    require(who, "revert", units, dict(zip(u["code"], u["name"], strict=True)))
    new = _history.revert(store, batch_id, user=access.label(who, user))
    access.audit(store, who, "revert", {"batch_id": batch_id, "new_batch": new, "units": units}, address)
    return new
