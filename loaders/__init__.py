"""Files -> validated long records: read, find the table, fold names, parse values and periods, validate.

Pure Python (no streamlit, no duckdb): the upload page and the CLI call `parse_file` alike.

>>> from domain.dictionary import load_dictionary, demo_units
>>> csv_bytes = "县区,提交提案,立案\\n修水縣,35,40\\n".encode("gbk")
>>> pf = parse_file("2024Q1.csv", csv_bytes, dictionary=load_dictionary(), units=demo_units(),
...                 today=datetime.date(2024, 6, 1))
>>> pf.ok, [(r.unit_code, r.year, r.quarter, r.indicator, r.value) for r in pf.records][0]
(False, ('360424', 2024, 1, 'proposals_submitted', 35.0))
>>> print(pf.errors[0])
2024Q1.csv：第2行“立案”列：立案数 40 大于提案提交数 35（立案数不得超过提案提交数）
"""

from __future__ import annotations

import datetime
import gc
import hashlib
from pathlib import PurePath

from domain.dictionary import Dictionary, Unit
from loaders.extract import FileContext, extract_sheet
from loaders.issues import Issue, IssueLog, LoadError
from loaders.match import IndicatorMatcher, UnitMatcher
from loaders.periods import find_period, parse_period_option
from loaders.ratios import settle_scale
from loaders.readers import Book, read_book
from loaders.records import ParsedFile, Record, Records
from loaders.safety import Limits
from loaders.validate import validate

__all__ = [
    "Book",
    "Issue",
    "Limits",
    "LoadError",
    "ParsedFile",
    "Record",
    "Records",
    "parse_book",
    "parse_file",
    "parse_period_option",
    "read_book",
]

_MATCHERS: dict[tuple[int, int], tuple[IndicatorMatcher, UnitMatcher]] = {}


def _matchers(dictionary: Dictionary, units: list[Unit]) -> tuple[IndicatorMatcher, UnitMatcher]:
    """Matchers are built once per (dictionary, unit list) and keep their lookup caches across files."""
    key = (hash(dictionary.indicators), hash(tuple(units)))
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        found = _MATCHERS[key] = (IndicatorMatcher(dictionary), UnitMatcher(units))
    return found


def parse_file(
    name: str,
    data: bytes,
    *,
    dictionary: Dictionary,
    units: list[Unit],
    period: tuple[int, int | None] | None = None,
    cumulative: bool | None = None,
    today: datetime.date | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ParsedFile:
    """Parse one uploaded file; raises LoadError when it cannot be read at all.

    `period` and `cumulative` are what the uploader stated (--period 2024Q1, --cumulative); a sheet
    that says otherwise is an error. Problems in the content are in `.issues`, all of them at once.
    """
    book = read_book(name, data, Limits(max_bytes=max_bytes))
    return parse_book(
        name,
        data,
        book,
        dictionary=dictionary,
        units=units,
        period=period,
        cumulative=cumulative,
        today=today,
    )


def parse_book(
    name: str,
    data: bytes,
    book: Book,
    *,
    dictionary: Dictionary,
    units: list[Unit],
    period: tuple[int, int | None] | None = None,
    cumulative: bool | None = None,
    today: datetime.date | None = None,
) -> ParsedFile:
    """parse_file after its read_book: a caller may read the file while it fetches the units and dictionary."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # 240,000 records (or CSV rows) per big sheet: GC passes would cost a third of the time
    try:
        return _parse_book(name, data, book, dictionary, units, period, cumulative, today)
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse_book(
    name: str,
    data: bytes,
    book: Book,
    dictionary: Dictionary,
    units: list[Unit],
    period: tuple[int, int | None] | None,
    cumulative: bool | None,
    today: datetime.date | None,
) -> ParsedFile:
    indicators, unit_matcher = _matchers(dictionary, units)
    log = IssueLog(name)
    ctx = FileContext(
        file=name,
        dictionary=dictionary,
        indicators=indicators,
        units=unit_matcher,
        log=log,
        period=period,
        cumulative=cumulative,
        file_hint=find_period(PurePath(name).stem),
    )
    ctx.skipped.extend(book.skipped)
    for grid in book.grids:
        extract_sheet(ctx, grid)
    names = {u.code: u.name for u in units}
    assert ctx.known.suspects is not None
    settle_scale(ctx.records, ctx.rates, dictionary, log, ctx.known.suspects)
    derived = validate(ctx.records, dictionary, log, names, today=today, known=ctx.known)
    if derived:  # rates given beside their parts: checked against them, recomputed, never stored
        ctx.records = ctx.records.without(derived)
    if not ctx.records and not log.has_errors:
        reasons = "；".join(f"“{s}”：{why}" for s, why in ctx.skipped) or "没有可导入的数据行"
        log.add("error", None, None, None, f"文件中没有找到可导入的数据（{reasons}）", "no_data")
    return ParsedFile(
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        records=ctx.records,
        issues=log.finish(),
        skipped_sheets=ctx.skipped,
        unknown_columns=ctx.unknown_columns,
        encoding=book.encoding,
        formula_cells=ctx.formula_cells,
    )
