"""Decks (汇报材料) kept in the database, so every presenter sees the same ones.

>>> with store.transaction() as con:                                  # doctest: +SKIP
...     save_deck(con, Deck("常委会", "2024Q3", (SlideSpec("kpis"),)), user="王芳")
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from domain.decks import Deck, DeckError, SlideSpec


@dataclass(frozen=True)
class StoredDeck:
    deck: Deck
    updated_by: str | None
    updated_at: dt.datetime | None
    owner: str | None = None  # a viewer's own deck; None: shared


def save_deck(
    con: duckdb.DuckDBPyConnection, deck: Deck, user: str | None = None, owner: str | None = None
) -> None:
    """Insert or replace the deck of that name (the name, period and rights are checked by the service)."""
    con.execute(
        "INSERT OR REPLACE INTO decks (name, period, slides, updated_by, updated_at, owner)"
        " VALUES (?, ?, ?, ?, current_timestamp, ?)",
        [deck.name, deck.period, deck.to_json(), user, owner],
    )


def owner_of(con: duckdb.DuckDBPyConnection, name: str) -> tuple[bool, str | None]:
    """(whether a deck of that name exists, its owner)."""
    rows = con.execute("SELECT owner FROM decks WHERE name = ?", [name]).fetchall()
    return (bool(rows), rows[0][0] if rows else None)


def _parse(name: str, period: str, slides: str) -> Deck:
    try:
        return Deck.from_json(name, slides, period)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a hand-edited row
        raise DeckError(f"汇报材料“{name}”的内容无法读取：{exc}") from exc


def list_decks(con: duckdb.DuckDBPyConnection) -> list[StoredDeck]:
    rows = con.execute(
        "SELECT name, period, slides, updated_by, updated_at, owner FROM decks ORDER BY name"
    ).fetchall()
    out = []
    for name, period, slides, user, at, owner in rows:
        try:
            deck = _parse(str(name), str(period), str(slides))
        except DeckError:
            deck = Deck(str(name), str(period), ())
        out.append(StoredDeck(deck, user, at, owner))
    return out


def get_deck(con: duckdb.DuckDBPyConnection, name: str) -> Deck | None:
    rows = con.execute("SELECT name, period, slides FROM decks WHERE name = ?", [name]).fetchall()
    return _parse(str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None


def delete_deck(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("DELETE FROM decks WHERE name = ? RETURNING name", [name]).fetchall())


def slide_json(spec: SlideSpec) -> str:
    return json.dumps(spec.to_dict(), ensure_ascii=False)
