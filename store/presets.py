"""Named weight sets of the composite index (县区对比), kept in the database so everyone sees them.

>>> with store.transaction() as con:                                  # doctest: +SKIP
...     save_preset(con, "提案为主", {"proposals_submitted": 2, "registration_rate": 1}, user="王芳")
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

import duckdb

from store.errors import StoreError

MAX_NAME = 40


class PresetError(StoreError, ValueError):
    """A preset that cannot be saved; the message says why."""


@dataclass(frozen=True)
class Preset:
    name: str
    weights: dict[str, float]
    created_by: str | None
    updated_at: dt.datetime | None


def _check(name: str, weights: dict[str, float]) -> tuple[str, dict[str, float]]:
    name = name.strip()
    if not name:
        raise PresetError("方案名称不能为空")
    if len(name) > MAX_NAME:
        raise PresetError(f"方案名称不能超过 {MAX_NAME} 个字")
    clean: dict[str, float] = {}
    for code, w in weights.items():
        w = float(w)
        if math.isnan(w) or w < 0:
            raise PresetError(f"指标 {code} 的权重应为不小于 0 的数")
        clean[str(code)] = w
    if not any(w > 0 for w in clean.values()):
        raise PresetError("至少要有一个指标的权重大于 0")
    return name, clean


def save_preset(
    con: duckdb.DuckDBPyConnection, name: str, weights: dict[str, float], user: str | None = None
) -> str:
    """Insert or overwrite the preset of that name; returns the stored (trimmed) name."""
    name, clean = _check(name, weights)
    con.execute(
        "INSERT OR REPLACE INTO index_presets (name, weights, created_by, updated_at)"
        " VALUES (?, ?, ?, current_timestamp)",
        [name, json.dumps(clean, ensure_ascii=False), user],
    )
    return name


def list_presets(con: duckdb.DuckDBPyConnection) -> list[Preset]:
    """Every preset, by name."""
    rows = con.execute(
        "SELECT name, weights, created_by, updated_at FROM index_presets ORDER BY name"
    ).fetchall()
    out = []
    for name, weights, user, at in rows:
        try:
            parsed = {str(k): float(v) for k, v in json.loads(weights).items()}
        except (ValueError, TypeError, AttributeError):
            parsed = {}
        out.append(Preset(str(name), parsed, user, at))
    return out


def delete_preset(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Remove a preset; False when none had that name."""
    row = con.execute("DELETE FROM index_presets WHERE name = ? RETURNING name", [name]).fetchone()
    return row is not None
