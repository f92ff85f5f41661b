"""Setting a store up and keeping it: units, the dictionary staff extend, targets, index presets,
backup and restore."""

from __future__ import annotations

from collections.abc import Sequence

from domain.dictionary import Unit
from loaders.issues import Issue
from loaders.unit_list import UnitListError, read_unit_list
from store import dictionary as _dictionary
from store import presets as _presets
from store.backup import BackupError, backup, restore
from store.connection import Store
from store.dictionary import DictionaryError
from store.presets import PresetError
from store.targets import TargetImport, import_targets, save_targets
from store.units import UnitChange, apply_units

__all__ = [
    "BackupError",
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


def add_to_dictionary(store: Store, additions: Sequence[tuple[str, str, dict[str, str]]], user: str) -> None:
    """Headers staff chose to keep, in one transaction: (header, "alias"|"new", detail)."""
    with store.transaction() as con:
        for header, action, detail in additions:
            if action == "alias":
                _dictionary.add_alias(con, header, detail["indicator"], user=user)
            else:
                _dictionary.add_indicator(
                    con, detail["name"], detail["unit"], detail["kind"], detail["domain"], user=user
                )


def save_preset(store: Store, name: str, weights: dict[str, float], user: str | None) -> str:
    with store.transaction() as con:
        return _presets.save_preset(con, name, weights, user)


def delete_preset(store: Store, name: str) -> None:
    with store.transaction() as con:
        _presets.delete_preset(con, name)
