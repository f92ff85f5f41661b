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


def _rows(p: Prepared) -> list[tuple[str, str | None, int | None]]:
    """(unit, sheet, row) of every table row a prepared file would write, once each, in file order —
    from its records, which a real import has before it compares (its table is made in the commit)."""
    if p.parsed is not None:
        return list(dict.fromkeys((u, sh, r) for u, _, _, sh, r in p.parsed.records.runs))
    if p.table is not None:
        rows = p.rows
        return list(
            dict.fromkeys(zip(rows["unit_code"], rows["source_sheet"], rows["source_row"], strict=True))
        )
    return []


def units_of(p: Prepared) -> list[str]:
    """The units a prepared file would write."""
    return sorted({u for u, _, _ in _rows(p)})


def prepare(
    store: Store, name: str, data: bytes, *, actor: Actor | None = None, user: str | None = None, **kw: Any
) -> Prepared:
    """Read and check a file (store.ingest.prepare). For a staff account, rows of another unit make
    the whole file rejected, each named (sheet, row, unit)."""
    who = access.resolve(store, actor, user)
    require(who, "import")
    p = ingest.prepare(store, name, data, user=access.label(who, user), **kw)
    if who.role != "staff" or p.status != "ready":
        return p
    other = [(sheet, row, unit) for unit, sheet, row in _rows(p) if unit not in who.units]
    if not other:
        return p
    names = _names(store)
    for sheet, row, unit in other:
        p.errors.append(
            Issue(
                "error", name, sheet, int(row) if row is not None else None, None,
                f"这一行是{names.get(unit, unit)}（{unit}）的数据：账号“{who.name}”只能导入"
                f"{'、'.join(names.get(u, u) for u in who.units)}的报表，整个文件未导入",
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
    if prepared.status != "ready":  # refused already (its errors say why): nothing is written
        return ingest.commit(
            store, prepared, replace_demo=replace_demo, user=access.label(who, user) or prepared.user
        )
    units = units_of(prepared)
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
