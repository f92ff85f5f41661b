"""Setting a store up and keeping it: units, the dictionary staff extend, targets, index presets,
backup and restore."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from domain.accounts import Actor, require
from domain.dictionary import Unit
from loaders.issues import Issue
from loaders.unit_list import UnitListError, read_unit_list
from services import access
from store import backup as _backup
from store import copy as _copy
from store import dictionary as _dictionary
from store import presets as _presets
from store import targets as _targets
from store import units as _units
from store.backup import BackupError, Checksums
from store.connection import Store
from store.dictionary import DictionaryError
from store.presets import PresetError
from store.targets import TargetImport
from store.units import UnitChange

__all__ = [
    "BackupError",
    "Checksums",
    "DictionaryError",
    "PresetError",
    "TargetImport",
    "UnitChange",
    "UnitListError",
    "add_to_dictionary",
    "apply_units",
    "backup",
    "delete_preset",
    "import_targets",
    "read_units",
    "restore",
    "save_preset",
    "save_targets",
]


def read_units(file: str, data: bytes) -> tuple[list[Unit], list[Issue]]:
    """A unit list read through the safe readers (raises UnitListError naming every faulty row)."""
    return read_unit_list(file, data)


def apply_units(
    store: Store, units: list[Unit], dry_run: bool = False, actor: Actor | None = None
) -> list[UnitChange]:
    """Add or update units in one transaction (a dry run computes the changes and rolls back)."""
    who = access.resolve(store, actor)
    if not dry_run:
        require(who, "units")
    changes = _units.apply_units(store, units, dry_run=dry_run)
    if not dry_run:
        access.audit(store, who, "units", {"changed": [c.code for c in changes]})
    return changes


def save_targets(
    store: Store,
    year: int,
    changed: Sequence[tuple[str, str, float]],
    cleared: Sequence[tuple[str, str]],
    user: str | None = None,
    actor: Actor | None = None,
) -> int | None:
    """What the 目标任务 page saves (store.targets.save_targets), as an admin."""
    who = access.resolve(store, actor, user)
    require(who, "targets")
    batch = _targets.save_targets(store, year, changed, cleared, access.label(who, user))
    if batch is not None:
        access.audit(
            store,
            who,
            "targets",
            {"year": year, "batch_id": batch, "set": len(changed), "cleared": len(cleared)},
        )
    return batch


def import_targets(
    store: Store, name: str, data: bytes, year: int, user: str | None = None, actor: Actor | None = None
) -> TargetImport:
    who = access.resolve(store, actor, user)
    require(who, "targets")
    result = _targets.import_targets(store, name, data, year, access.label(who, user))
    access.audit(store, who, "targets_import", {"file": name, "year": year, "status": result.status})
    return result


def backup(store: Store, out: Path, actor: Actor | None = None) -> Checksums:
    require(access.resolve(store, actor), "backup")
    return _backup.backup(store, out)


def restore(store: Store, source: Path, force: bool = False, actor: Actor | None = None) -> Checksums:
    require(access.resolve(store, actor), "backup")
    return _backup.restore(store, source, force=force)


def copy_store(target: Store, source: Store, force: bool = False, actor: Actor | None = None) -> Checksums:
    """The whole of `source` into `target` (DuckDB file or PostgreSQL, either way), verified."""
    require(access.resolve(target, actor), "backup")
    return _copy.copy_store(source, target, force=force)


def add_to_dictionary(
    store: Store, additions: Sequence[tuple[str, str, dict[str, str]]], user: str, actor: Actor | None = None
) -> None:
    """Headers staff chose to keep, in one transaction: (header, "alias"|"new", detail)."""
    who = access.resolve(store, actor, user)
    require(who, "dictionary")
    access.audit(store, who, "dictionary", {"headers": [h for h, _, _ in additions]})
    with store.transaction() as con:
        for header, action, detail in additions:
            if action == "alias":
                _dictionary.add_alias(con, header, detail["indicator"], user=user)
            else:
                _dictionary.add_indicator(
                    con, detail["name"], detail["unit"], detail["kind"], detail["domain"], user=user
                )


def save_preset(
    store: Store, name: str, weights: dict[str, float], user: str | None, actor: Actor | None = None
) -> str:
    who = access.resolve(store, actor, user)
    require(who, "presets")
    with store.transaction() as con:
        saved = _presets.save_preset(con, name, weights, access.label(who, user))
    access.audit(store, who, "preset_save", {"name": saved, "weights": weights})
    return saved


def delete_preset(store: Store, name: str, actor: Actor | None = None) -> None:
    who = access.resolve(store, actor)
    require(who, "presets")
    with store.transaction() as con:
        _presets.delete_preset(con, name)
    access.audit(store, who, "preset_delete", {"name": name})
