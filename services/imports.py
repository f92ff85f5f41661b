"""Importing statistics sheets: check and preview (`prepare`), then write (`commit`), all or nothing.

Both ask who acts (services.access): a viewer may not import; a staff account's file holding another
unit's rows is refused whole, each such row named; every import is written to the audit log.

>>> p = prepare(store, "2024Q3.xlsx", data, user="王芳")             # doctest: +SKIP
>>> commit(store, p, replace_demo=True, user="王芳").status           # doctest: +SKIP
'imported'
"""

from __future__ import annotations

from typing import Any

from domain.accounts import Actor, require
from loaders.issues import Issue
from services import access
from store import ingest
from store.connection import Store
from store.ingest import DEMO_REFUSED, ImportResult, Prepared
from store.read import units as store_units

__all__ = ["DEMO_REFUSED", "ImportResult", "Prepared", "commit", "prepare"]


def _names(store: Store) -> dict[str, str]:
    with store.connect() as con:
        u = store_units(con)
    return dict(zip(u["code"], u["name"], strict=True))


def prepare(
    store: Store, name: str, data: bytes, *, actor: Actor | None = None, user: str | None = None, **kw: Any
) -> Prepared:
    """Read and check a file (store.ingest.prepare). For a staff account, rows of another unit make
    the whole file rejected, each named (sheet, row, unit)."""
    who = access.resolve(store, actor, user)
    require(who, "import")
    p = ingest.prepare(store, name, data, user=access.label(who, user), **kw)
    if who.role != "staff" or p.table is None or p.status != "ready":
        return p
    rows = p.rows
    other = rows[~rows["unit_code"].isin(who.units)]
    if other.empty:
        return p
    names = _names(store)
    seen: set[tuple[object, object, object]] = set()
    for sheet, row, unit in zip(other["source_sheet"], other["source_row"], other["unit_code"], strict=True):
        if (sheet, row, unit) in seen:
            continue
        seen.add((sheet, row, unit))
        p.errors.append(
            Issue(
                "error", name, sheet, int(row) if row == row and row is not None else None, None,
                f"这一行是“{names.get(unit, unit)}”（{unit}）的数据：账号“{who.name}”只能导入本单位"
                f"（{'、'.join(names.get(u, u) for u in who.units)}）的报表，整个文件未导入",
                "not_your_unit",
            )
        )  # fmt: skip
    p.status = "rejected"
    return p


def commit(
    store: Store, prepared: Prepared, *, replace_demo: bool = False, user: str | None = None,
    actor: Actor | None = None, address: str | None = None,
) -> ImportResult:  # fmt: skip
    """Write a prepared file (store.ingest.commit) once the actor may import every unit in it."""
    who = access.resolve(store, actor, user)
    units = sorted(set(prepared.rows["unit_code"])) if prepared.table is not None else []
    require(who, "import", units, _names(store))
    if replace_demo and prepared.replaces_demo:
        require(who, "demo")
    result = ingest.commit(
        store, prepared, replace_demo=replace_demo, user=access.label(who, user) or prepared.user
    )
    access.audit(
        store, who, "import",
        {"file": prepared.file, "sha256": prepared.sha256, "status": result.status,
         "batch_id": getattr(result, "batch_id", None), "units": units, "values": prepared.n_values},
        address, "ok" if result.status in ("imported", "duplicate") else "refused",
    )  # fmt: skip
    return result
