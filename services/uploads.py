"""The upload page's one door: a file is an indicator sheet, a member roster or an activity log —
recognised from its headers — and is prepared and committed by the service for its kind, so every
rule (validation, permission, audit) of that kind holds on the page as in the CLI.

>>> p = prepare_upload(store, "名册.xlsx", data, actor=me)           # doctest: +SKIP
>>> kind_of(p), commit_upload(store, p, actor=me).status             # doctest: +SKIP
('roster', 'imported')
"""

from __future__ import annotations

from typing import Any

from loaders import Book, Limits, LoadError, read_book
from loaders.activity_log import member_file_kind
from services import imports, members
from services.imports import ImportResult, Prepared
from services.members import LogPrepared, RosterPrepared
from store.connection import Store

AnyPrepared = Prepared | RosterPrepared | LogPrepared


def file_kind(name: str, data: bytes) -> tuple[str, Book | None]:
    """('roster' | 'activities' | 'indicators', the file read): the book is handed on to the import of
    its kind, so a file is read once. A file that cannot be read is left to the indicator import (and
    read by it), whose message says why."""
    try:
        book = read_book(name, data, Limits())
    except LoadError:
        return "indicators", None
    return member_file_kind(book) or "indicators", book


def kind_of(p: AnyPrepared) -> str:
    return (
        "roster"
        if isinstance(p, RosterPrepared)
        else "activities"
        if isinstance(p, LogPrepared)
        else "indicators"
    )


def prepare_upload(store: Store, name: str, data: bytes, *, period: Any = None, cumulative: Any = None,
                   **kw: Any) -> AnyPrepared:  # fmt: skip
    kind, book = file_kind(name, data)
    if kind == "roster":
        return members.prepare_roster(store, name, data, book=book, **kw)
    if kind == "activities":
        return members.prepare_log(store, name, data, period=period, book=book, **kw)
    return imports.prepare(store, name, data, period=period, cumulative=cumulative, book=book, **kw)


def commit_upload(store: Store, p: AnyPrepared, **kw: Any) -> ImportResult:
    if isinstance(p, RosterPrepared):
        return members.commit_roster(store, p, **kw)
    if isinstance(p, LogPrepared):
        return members.commit_log(store, p, **kw)
    return imports.commit(store, p, **kw)
