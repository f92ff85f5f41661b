"""The dictionary in force: `data/indicators.csv` plus what staff added on the upload page.

A header that matches no indicator is never dropped silently: the upload page offers to add it as an
alias of an existing indicator, or as a new indicator (a flow or a stock), or to skip it. Additions
live in the database (so every entry point, CLI included, sees them) and never change the file.

>>> with store.transaction() as con:                                   # doctest: +SKIP
...     add_alias(con, "提案件数", "proposals_submitted", user="王芳")
"""

from __future__ import annotations

import re
from dataclasses import replace

import duckdb

from domain.dictionary import Dictionary, Indicator, load_dictionary
from loaders.fold import fold
from store.errors import StoreError

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{2,40}$")


class DictionaryError(StoreError, ValueError):
    """An addition that would make the dictionary ambiguous or invalid; the message says why."""


def effective_dictionary(con: duckdb.DuckDBPyConnection, base: Dictionary | None = None) -> Dictionary:
    """The file's indicators, the added ones (kept in `indicators`), each with its added aliases."""
    base = base or load_dictionary()
    extra_aliases: dict[str, list[str]] = {}
    for alias, code in con.execute(
        "SELECT alias, indicator FROM custom_aliases ORDER BY added_at"
    ).fetchall():
        extra_aliases.setdefault(code, []).append(alias)
    items = [replace(i, aliases=i.aliases + tuple(extra_aliases.get(i.code, ()))) for i in base]
    added = con.execute(
        "SELECT i.code, i.name, i.domain, i.unit, i.kind, i.description, i.sort_order FROM custom_indicators c"
        " JOIN indicators i USING (code) ORDER BY i.sort_order"
    ).fetchall()
    known = {i.code for i in items}
    for code, name, domain, unit, kind, description, order in added:
        if code not in known:
            items.append(
                Indicator(
                    code,
                    name,
                    domain,
                    unit,
                    kind,
                    tuple(extra_aliases.get(code, ())),
                    description=description,
                    sort_order=order,
                )
            )
    return Dictionary(tuple(items))


def _taken(dictionary: Dictionary, text: str) -> Indicator | None:
    """The indicator whose name or alias folds to the same text, if any."""
    key = fold(text)
    for ind in dictionary:
        if key in {fold(n) for n in (ind.name, *ind.aliases)}:
            return ind
    return None


def add_alias(con: duckdb.DuckDBPyConnection, alias: str, indicator: str, user: str | None = None) -> None:
    """Make a header spelling match an existing indicator from now on."""
    dictionary = effective_dictionary(con)
    alias = alias.strip()
    if indicator not in dictionary:
        raise DictionaryError(f"指标 {indicator} 不存在")
    clash = _taken(dictionary, alias)
    if clash is not None:
        raise DictionaryError(f"“{alias}”已是指标“{clash.name}”的名称或别名")
    con.execute(
        "INSERT INTO custom_aliases (alias, indicator, added_by) VALUES (?, ?, ?)", [alias, indicator, user]
    )


def add_indicator(
    con: duckdb.DuckDBPyConnection,
    name: str,
    unit: str,
    kind: str,
    domain: str,
    user: str | None = None,
    code: str | None = None,
    description: str = "",
) -> str:
    """A new flow or stock indicator named as the header; returns its code (custom_NNN unless given)."""
    dictionary = effective_dictionary(con)
    name, unit = name.strip(), unit.strip()
    if not name or not unit:
        raise DictionaryError("新指标须有名称和计量单位")
    if kind not in ("flow", "stock"):
        raise DictionaryError("新指标的类型只能是累加量（flow）或时点量（stock）")
    clash = _taken(dictionary, name)
    if clash is not None:
        raise DictionaryError(f"“{name}”已是指标“{clash.name}”的名称或别名，请改为添加别名")
    if code is None:
        n = con.execute("SELECT count(*) FROM custom_indicators").fetchone()
        code = f"custom_{(n[0] if n else 0) + 1:03d}"
        while code in dictionary:
            code = f"{code}_1"
    if not _CODE_RE.match(code) or code in dictionary:
        raise DictionaryError(f"指标代码“{code}”无效或已存在：应为小写字母开头的字母、数字和下划线")
    order = con.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM indicators").fetchone()
    con.execute(
        "INSERT INTO indicators (code, name, domain, unit, kind, description, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            code,
            name,
            domain,
            unit,
            kind,
            description or f"由 {user or '工作人员'} 在数据上传时添加",
            order[0] if order else 0,
        ],
    )
    con.execute("INSERT INTO custom_indicators (code, added_by) VALUES (?, ?)", [code, user])
    return code
