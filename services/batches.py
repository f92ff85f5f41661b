"""The batches: the history and what each covers, reverting one, removing the demo data."""

from __future__ import annotations

from store.connection import Store
from store.demo import remove_demo as _remove_demo
from store.history import (
    BatchRow,
    RevertRefused,
    batch_coverage,
    batch_file,
    batch_values,
    history,
    revert,
)

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


def remove_demo(store: Store, user: str | None = None) -> int:
    """Delete the demo values (the units stay), recorded as a batch; returns how many values went."""
    with store.transaction() as con:
        return _remove_demo(con, user=user)
