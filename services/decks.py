"""汇报材料 for the pages and the CLI alike: the decks (the ready-made `default` and those saved), a
deck rendered for a period, and its exports (PowerPoint, PDF, Excel). One door, so a rule (names,
periods, an empty period refused) holds for `cppcc export` and the buttons the same way.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import duckdb

from domain.accounts import Actor, may, require
from domain.decks import (
    DEFAULT_DECK,
    MAX_SLIDES,
    Deck,
    DeckError,
    SlideSpec,
    check_name,
    check_period,
    parse_period_text,
)
from domain.periods import Period
from exports import slides as _slides
from exports.slides import RenderedDeck, Source, default_deck, has_data, period_for, render_deck, store_source
from exports.tables import sheets_xlsx
from services import access
from store import decks as _store
from store.connection import Store
from store.dictionary import effective_dictionary

Format = Literal["pptx", "pdf", "xlsx"]
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = [
    "DEFAULT_DECK",
    "MIME",
    "Deck",
    "DeckError",
    "ExportUnavailable",
    "RenderedDeck",
    "SlideSpec",
    "Source",
]


def _visible(owner: str | None, actor: Actor | None) -> bool:
    """A shared deck, or the actor's own (an admin sees every one; sign-in off: all)."""
    return (
        owner is None or actor is None or not actor.signed_in or actor.role == "admin" or owner == actor.name
    )


def decks(store: Store, actor: Actor | None = None) -> list[Deck]:
    """The ready-made deck first, then the saved ones the actor may see, by name."""
    with store.connect() as con:
        return [default_deck(), *(s.deck for s in _store.list_decks(con) if _visible(s.owner, actor))]


def get(store: Store, name: str | None, actor: Actor | None = None) -> Deck:
    """The deck of that name (`default` when none is given); DeckError names an unknown one (or
    another viewer's own deck, which does not exist for this actor)."""
    name = (name or DEFAULT_DECK).strip() or DEFAULT_DECK
    if name == DEFAULT_DECK:
        return default_deck()
    with store.connect() as con:
        deck = _store.get_deck(con, name)
        owner = _store.owner_of(con, name)[1]
    if deck is None or not _visible(owner, actor):
        raise DeckError(f"没有名为“{name}”的汇报材料")
    return deck


def _owner_for(con: duckdb.DuckDBPyConnection, name: str, who: Actor) -> str | None:
    """Who may write the deck of that name, and as whose: a viewer writes their own decks only
    (a new one becomes theirs); staff and admins write the shared ones."""
    exists, owner = _store.owner_of(con, name)
    if exists and owner is not None:
        if owner != who.name and who.role != "admin":
            raise DeckError(f"没有名为“{name}”的汇报材料")
        require(who, "deck_own")
        return owner
    if exists or may(who, "deck_shared"):
        require(who, "deck_shared")
        return None
    require(who, "deck_own")
    return who.name


def _checked(deck: Deck) -> Deck:
    name = check_name(deck.name)
    if name == DEFAULT_DECK:
        raise DeckError(f"“{DEFAULT_DECK}”是内置的汇报材料，不能覆盖；请另存为新的名称")
    if len(deck.slides) > MAX_SLIDES:
        raise DeckError(f"一份汇报材料最多 {MAX_SLIDES} 张幻灯片")
    slides = tuple(replace(s, title=s.title.strip()[:80], note=s.note.strip()[:2000]) for s in deck.slides)
    return Deck(name, check_period(deck.period), slides)


def save(store: Store, deck: Deck, user: str | None = None, actor: Actor | None = None) -> Deck:
    """Save (insert or replace) a deck; returns it as stored (trimmed name, period label)."""
    who = access.resolve(store, actor, user)
    deck = _checked(deck)
    with store.transaction() as con:
        _store.save_deck(con, deck, access.label(who, user), _owner_for(con, deck.name, who))
    return deck


def add_slide(
    store: Store,
    name: str,
    spec: SlideSpec,
    user: str | None = None,
    period: str = "latest",
    actor: Actor | None = None,
) -> Deck:
    """Append a slide to the deck of that name, creating the deck (with `period`) when it is new."""
    who = access.resolve(store, actor, user)
    name = check_name(name)
    with store.transaction() as con:
        owner = _owner_for(con, name, who)
        deck = _store.get_deck(con, name)
        deck = _checked(
            Deck(name, period, (spec,)) if deck is None else replace(deck, slides=(*deck.slides, spec))
        )
        _store.save_deck(con, deck, access.label(who, user), owner)
    return deck


def duplicate(
    store: Store, name: str, new_name: str, user: str | None = None, actor: Actor | None = None
) -> Deck:
    """A copy of a deck (the ready-made one too) under a new name, which must be free."""
    who = access.resolve(store, actor, user)
    source = get(store, name, who)
    new_name = check_name(new_name)
    with store.transaction() as con:
        if new_name == DEFAULT_DECK or _store.owner_of(con, new_name)[0]:
            raise DeckError(f"已有名为“{new_name}”的汇报材料")
        deck = _checked(replace(source, name=new_name))
        _store.save_deck(con, deck, access.label(who, user), _owner_for(con, new_name, who))
    return deck


def delete(store: Store, name: str, actor: Actor | None = None) -> None:
    if name == DEFAULT_DECK:
        raise DeckError("内置的汇报材料不能删除")
    who = access.resolve(store, actor)
    with store.transaction() as con:
        if not _store.owner_of(con, name)[0]:
            raise DeckError(f"没有名为“{name}”的汇报材料")
        _owner_for(con, name, who)
        _store.delete_deck(con, name)


def render(
    store: Store, name: str | None, period: str | Period | None = None, lang: str = "zh"
) -> RenderedDeck:
    """The deck's slides computed for a period: the one given (2024, 2024Q3, 2024Q1-Q3, 2024年1-9月),
    else the deck's own; DeckError (Chinese) for an unknown deck or period, or one without data."""
    deck = get(store, name)
    asked = parse_period_text(period) if isinstance(period, str) and period.strip() else period
    with store.connect() as con:
        src = store_source(con, effective_dictionary(con))
        chosen = period_for(deck, src, asked if isinstance(asked, Period) else None)
        if not has_data(src, chosen):
            text = _slides.period_text(chosen, src.quarters, lang)
            raise DeckError(f"{text}没有任何数据，无法生成汇报材料")
        return render_deck(src, deck, chosen, lang)


def deck_xlsx(rendered: RenderedDeck) -> bytes:
    """The data behind a deck: one sheet per slide, with its title, period and source above the table."""
    sheets = []
    for n, s in enumerate(rendered.slides, start=1):
        head = [s.title, f"{s.period_text} · {s.scope}", s.source]
        if s.summary:
            head.append(s.summary)
        if s.empty:
            head.append(s.empty)
        sheets.append((s.title or f"幻灯片{n}", head, s.table()))
    return sheets_xlsx(sheets)


class ExportUnavailable(RuntimeError):
    """What this machine lacks to make a file (chromium, the PDF libraries); the message says what to install."""


PDF_NEEDS = (
    "导出 PDF 需要 WeasyPrint 所用的 Pango 库和 chromium：请以 root 运行 python3 dev.py serve，"
    "或 apt-get install libpango-1.0-0 libpangoft2-1.0-0 chromium fonts-noto-cjk"
)


def unavailable(fmt: str) -> str | None:
    """None when `fmt` (pptx, pdf, xlsx, png, svg) can be made here, else what to install (Chinese)."""
    if fmt in ("pptx", "xlsx"):
        return None
    from exports import images

    if fmt == "pdf":
        try:
            import weasyprint  # noqa: F401  (loads Pango: an OSError where it is missing)
        except (ImportError, OSError):
            return PDF_NEEDS
    return images.available()


def export(rendered: RenderedDeck, fmt: Format, lang: str = "zh") -> bytes:
    """The deck as a file: pptx (native charts), pdf (the report of the period) or xlsx (its data).
    Raises ExportUnavailable when this machine lacks what the format needs."""
    if fmt == "xlsx":
        return deck_xlsx(rendered)
    if fmt == "pptx":
        from exports.pptx import deck_pptx

        return deck_pptx(rendered, lang)
    if fmt == "pdf":
        if missing := unavailable("pdf"):
            raise ExportUnavailable(missing)
        from exports.images import ImageError
        from exports.pdf import report_pdf

        try:
            return report_pdf(rendered, lang)
        except ImageError as exc:
            raise ExportUnavailable(str(exc)) from exc
    raise DeckError(f"不支持的导出格式：{fmt}")


def chart_image(
    fig: object, fmt: Literal["png", "svg"], width: int | None = None, height: int | None = None
) -> bytes:
    """A chart as PNG (2x, sharp on a slide) or SVG; ExportUnavailable where chromium is missing."""
    from exports import images

    if missing := images.available():
        raise ExportUnavailable(missing)
    try:
        if fmt == "svg":
            return images.svg(fig, width=width, height=height)
        return images.png(fig, width=width, height=height, scale=2)
    except images.ImageError as exc:
        raise ExportUnavailable(str(exc)) from exc


def file_name(rendered: RenderedDeck, fmt: str) -> str:
    """'汇报材料_default_2024年1-9月.pptx' (characters Windows refuses replaced)."""
    stem = f"汇报材料_{rendered.deck.name}_{rendered.period_text}"
    stem = "".join("_" if ch in '\\/:*?"<>|' or ch.isspace() else ch for ch in stem)
    return f"{stem}.{fmt}"
