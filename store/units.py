"""Adds or updates reporting units, reporting exactly what changed.

>>> with store.transaction() as con:                               # doctest: +SKIP
...     changes = upsert_units(con, read_unit_list(Path("units.csv")))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from domain.dictionary import Unit
from store.connection import Store


@dataclass(frozen=True)
class UnitChange:
    code: str
    name: str
    action: str  # added | updated | unchanged
    fields: dict[str, tuple[object, object]] = field(default_factory=dict)  # field -> (old, new)


def upsert_units(con: duckdb.DuckDBPyConnection, units: list[Unit]) -> list[UnitChange]:
    """Insert new units and update changed ones (units absent from the list are kept)."""
    existing = {
        r[0]: {"name": r[1], "aliases": tuple(r[2] or ()), "level": r[3], "sort_order": r[4]}
        for r in con.execute("SELECT code, name, aliases, level, sort_order FROM units").fetchall()
    }
    changes: list[UnitChange] = []
    for u in units:
        new = {"name": u.name, "aliases": tuple(u.aliases), "level": u.level, "sort_order": u.sort_order}
        old = existing.get(u.code)
        if old is None:
            con.execute(
                "INSERT INTO units (code, name, aliases, level, sort_order) VALUES (?, ?, ?, ?, ?)",
                [u.code, u.name, list(u.aliases), u.level, u.sort_order],
            )
            changes.append(UnitChange(u.code, u.name, "added"))
            continue
        diff = {k: (old[k], new[k]) for k in ("name", "aliases", "level") if old[k] != new[k]}
        if diff or old["sort_order"] != new["sort_order"]:
            con.execute(
                "UPDATE units SET name = ?, aliases = ?, level = ?, sort_order = ? WHERE code = ?",
                [u.name, list(u.aliases), u.level, u.sort_order, u.code],
            )
        changes.append(UnitChange(u.code, u.name, "updated" if diff else "unchanged", diff))
    return changes


def apply_units(store: Store, units: list[Unit], dry_run: bool = False) -> list[UnitChange]:
    """What `cppcc units import` and the 单位管理 page do: add or update units in one transaction.

    With `dry_run` the changes are computed and rolled back (the page's preview before confirming).
    """
    with store.connect() as con:
        con.begin()
        try:
            changes = upsert_units(con, units)
        except BaseException:
            con.rollback()
            raise
        if dry_run:
            con.rollback()
        else:
            con.commit()
    return changes
