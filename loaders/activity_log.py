"""An activity log (履职活动登记) → validated activity rows; every problem names file, sheet, row, column.

Two shapes: one row per activity (委员编号, 姓名, 日期, 活动类型, 次数) — 年度 + 季度 may stand for the
date, and 次数 is 1 when there is none — or one row per member per quarter with a column of counts
per activity type (提交提案, 参加会议, 请假 …). Whether a member is known, serving on that date, or
the activity already stored is the store's check (store/members.py), made in SQL over the whole file.

>>> data = "委员编号,姓名,日期,活动类型\\nXS001,王建华,2024-07-05,参加会议\\n".encode()
>>> p = parse_log("登记.csv", data, today=datetime.date(2024, 12, 1))
>>> p.columns["member_id"], p.columns["date"], p.columns["activity"], p.columns["count"]
(['XS001'], [datetime.date(2024, 7, 5)], ['meeting_attended'], [1])
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from domain.members import ActivityType, activity_types
from loaders.fold import cell_text, fold
from loaders.issues import HasIssues, Issue, IssueLog, column_letter
from loaders.member_table import (
    LOG_HEADERS,
    Table,
    cell_problem,
    find_table,
    parse_date,
    quarter_end,
    uncomputed,
)
from loaders.periods import find_period, parse_quarter, parse_year
from loaders.readers import Book, read_book
from loaders.safety import Limits

MAX_COUNT = 500  # one member, one activity type, one day or quarter: more is a typing error
LOG_COLUMNS = ("member_id", "name", "date", "dated", "activity", "count", "note", "sheet", "row", "column")


@dataclass
class ParsedLog(HasIssues):
    file: str
    sha256: str
    size: int
    columns: dict[str, list]  # LOG_COLUMNS, one list each (1.2 M rows a year in a province)
    issues: list[Issue]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    period: tuple[int, int | None] | None = None  # what the file is for, where it says

    @property
    def n_rows(self) -> int:
        return len(self.columns["member_id"])


class ActivityMatcher:
    """活动类型 as written → its code (the names the committee uses, folded)."""

    def __init__(self, types: dict[str, ActivityType]) -> None:
        self.types = types
        self.index: dict[str, str] = {}
        for code, t in types.items():
            for alias in (t.name, *t.aliases, code):
                self.index.setdefault(fold(alias), code)
        self._cache: dict[str, str | None] = {}

    def match(self, written: str) -> str | None:
        found = self._cache.get(written, "")
        if found == "":
            key = fold(written)
            found = self.index.get(key)
            if found is None and key.endswith(("次数", "件数", "篇数")):
                found = self.index.get(key[:-2])
            self._cache[written] = found
        return found

    def known(self) -> str:
        return "、".join(t.name for t in self.types.values())


def parse_log(
    name: str, data: bytes, *, book: Book | None = None, period: tuple[int, int | None] | None = None,
    today: datetime.date | None = None, types: dict[str, ActivityType] | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ParsedLog:  # fmt: skip
    """Read an activity log; raises LoadError when the file cannot be read at all.

    `period` is what the uploader stated (--period 2024Q3): a date outside it is an error, and a
    sheet with neither dates nor 年度/季度 takes it (or the period its title or file name states).
    """
    book = book or read_book(name, data, Limits(max_bytes=max_bytes))
    today = today or datetime.date.today()
    matcher = ActivityMatcher(types or activity_types())
    log = IssueLog(name)
    cols: dict[str, list] = {c: [] for c in LOG_COLUMNS}
    wide_keys = {k: f"count:{code}" for k, code in matcher.index.items()}
    hint = find_period(PurePath(name).stem)
    for grid in book.grids:
        t = find_table(grid.rows, LOG_HEADERS, wide_keys)
        if t is None:
            continue
        wide = {c: role[6:] for role, c in t.roles.items() if role.startswith("count:")}
        if "activity" not in t.roles and not wide:
            continue
        title = " ".join(cell_text(v) for row in grid.rows[: t.header] for v in row if cell_text(v))
        h = find_period(title)
        sheet_hint = find_period(grid.name or "")
        year = period[0] if period else (h.year or sheet_hint.year or hint.year)
        quarter = period[1] if period else (h.quarter or sheet_hint.quarter or hint.quarter)
        _read_sheet(name, grid.name, grid.rows, t, wide, matcher, log, cols, period, year, quarter, today)
    if not cols["member_id"] and not log.has_errors:
        log.add("error", None, None, None,
                "文件中没有找到履职活动登记（表头应有“委员编号”或“姓名”，以及“日期”或“年度”“季度”，"
                f"和“活动类型”列或各活动类型的次数列：{matcher.known()}）", "no_log")  # fmt: skip
    return ParsedLog(
        name, hashlib.sha256(data).hexdigest(), len(data), cols, log.finish(), book.skipped, period
    )


def _read_sheet(
    file: str, sheet: str | None, rows: list[list[object]], t: Table, wide: dict[int, str],
    matcher: ActivityMatcher, log: IssueLog, cols: dict[str, list], period: tuple[int, int | None] | None,
    year: int | None, quarter: int | None, today: datetime.date,
) -> None:  # fmt: skip
    roles = t.roles
    head = {role: (t.headers[c] or column_letter(c)) for role, c in roles.items()}
    c_id, c_name = roles.get("member_id"), roles.get("name")
    c_date, c_year, c_q = roles.get("date"), roles.get("year"), roles.get("quarter")
    c_act, c_count, c_note = roles.get("activity"), roles.get("count"), roles.get("note")
    if c_date is None and c_year is None and (year is None or quarter is None):
        log.add("error", sheet, t.header + 1, None,
                f"第{t.header + 1}行：表中没有“日期”列，也没有“年度”“季度”列，标题和文件名也没有写明季度："
                "请加日期列，或导入时注明季度（如 --period 2024Q3）", "no_date")  # fmt: skip
        return
    ids, names, dates, dated, acts, counts = (
        cols[c] for c in ("member_id", "name", "date", "dated", "activity", "count")
    )
    notes, sheets, rownums, columns = cols["note"], cols["sheet"], cols["row"], cols["column"]
    seen: dict[tuple, int] = {}
    date_of: dict[str, datetime.date | str | None] = {}  # a year's ~365 date texts, each parsed once
    n = len
    # formula and error cells exist only in workbooks (a CSV grid, name None, holds text alone)
    used = sorted({*roles.values(), *wide}) if sheet is not None else []

    def error(r: int, role: str | None, message: str, code: str) -> None:
        if log.full("error", sheet, code):
            return
        col = head.get(role) if role else None
        log.add("error", sheet, r, col, f"第{r}行" + (f"“{col}”列" if col else "") + f"：{message}", code)

    for r, row in t.body(rows):
        width = n(row)
        mid = cell_text(row[c_id]) if c_id is not None and c_id < width else ""
        who = cell_text(row[c_name]).replace(" ", "") if c_name is not None and c_name < width else ""
        if not mid and not who:
            continue
        bad_cell = uncomputed(row, used)
        if bad_cell is not None:
            c, cell = bad_cell
            col = t.headers[c] or column_letter(c)
            if not log.full("error", sheet, cell.code):
                log.add("error", sheet, r, col, f"第{r}行“{col}”列：{cell_problem(cell)}", cell.code)
            continue
        # the date: a 日期 cell, or 年度 + 季度 (a quarter's counts), or the period the file states
        is_dated = True
        if c_date is not None and c_date < width and cell_text(row[c_date]):
            date_cell = row[c_date]
            if type(date_cell) is str:
                d = date_of.get(date_cell)
                if d is None:
                    d = date_of[date_cell] = parse_date(date_cell)
            else:
                d = parse_date(date_cell)
            if not isinstance(d, datetime.date):
                error(r, "date", f"日期“{cell_text(row[c_date])}”无法识别，应写作 2024-07-05", "bad_date")
                continue
        else:
            try:
                y = (
                    parse_year(row[c_year])
                    if c_year is not None and c_year < width and cell_text(row[c_year])
                    else year
                )
                q = (parse_quarter(row[c_q])[0] if c_q is not None and c_q < width and cell_text(row[c_q])
                     else quarter)  # fmt: skip
            except ValueError as exc:
                error(r, "quarter" if c_q is not None else "year", str(exc), "bad_period")
                continue
            if y is None or q is None:
                error(r, "date", "没有日期，也没有年度和季度", "no_date")
                continue
            d, is_dated = quarter_end(y, q), False
        if d > today and is_dated:
            error(r, "date", f"日期 {d} 晚于今天（{today}），请核对", "future_date")
            continue
        if period is not None:
            py, pq = period
            if d.year != py or (pq is not None and (d.month - 1) // 3 + 1 != pq):
                stated = f"{py}年" + (f"第{pq}季度" if pq else "")
                error(r, "date", f"日期 {d} 不在导入时注明的 {stated} 内", "outside_period")
                continue
        note = cell_text(row[c_note]) if c_note is not None and c_note < width else ""
        items: list[tuple[str, int, str]] = []  # (activity, count, column)
        if c_act is not None:
            written = cell_text(row[c_act]) if c_act < width else ""
            code = matcher.match(written) if written else None
            if code is None:
                error(r, "activity", (f"活动类型“{written}”无法识别" if written else "没有活动类型")
                      + f"：应为 {matcher.known()} 之一（可在 data/activity_types.csv 中增加别名）",
                      "unknown_activity")  # fmt: skip
                continue
            raw = row[c_count] if c_count is not None and c_count < width else None
            count = _count(raw)
            if count is None:
                error(r, "count", f"次数“{cell_text(raw)}”应为 1 到 {MAX_COUNT} 的整数", "bad_count")
                continue
            items.append((code, count, head["activity"]))
        else:
            bad = False
            for c, code in wide.items():
                raw = row[c] if c < width else None
                if raw is None or cell_text(raw) in ("", "0", "-", "—", "/"):
                    continue
                count = _count(raw)
                if count is None:
                    col = t.headers[c] or column_letter(c)
                    if not log.full("error", sheet, "bad_count"):
                        log.add("error", sheet, r, col,
                                f"第{r}行“{col}”列：次数“{cell_text(raw)}”应为 0 到 {MAX_COUNT} 的整数", "bad_count")  # fmt: skip
                    bad = True
                    continue
                items.append((code, count, t.headers[c] or column_letter(c)))
            if bad:
                continue
        for code, count, column in items:
            key = (mid or who, d, code, count)
            first = seen.get(key)
            if first is not None:
                error(r, "activity" if c_act is not None else None,
                      f"与第{first}行重复：同一委员、同一日期、同一活动类型和次数在本文件中出现两次", "duplicate_activity")  # fmt: skip
                continue
            seen[key] = r
            ids.append(mid)
            names.append(who)
            dates.append(d)
            dated.append(is_dated)
            acts.append(code)
            counts.append(count)
            notes.append(note or None)
            sheets.append(sheet)
            rownums.append(r)
            columns.append(column)


def _count(raw: object) -> int | None:
    """次数: a whole number 1–500 (blank means 1); None when it is not one."""
    if type(raw) is str and raw.isdigit():  # the common case, 1.2 M times a year: "1"
        n = int(raw)
        return n if 1 <= n <= MAX_COUNT else None
    if raw is None or raw == "":
        return 1
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        v = float(raw)
    else:
        text = cell_text(raw).rstrip("次件篇")
        if not text:
            return 1
        try:
            v = float(text)
        except ValueError:
            return None
    if not v.is_integer() or v < 1 or v > MAX_COUNT:
        return None
    return int(v)


def member_file_kind(book: Book, types: dict[str, ActivityType] | None = None) -> str | None:
    """'roster' or 'activities' when a sheet of the book is a member roster or an activity log, else
    None (an indicator sheet). A roster names members with 界别, 任职 dates or 性别; a log names them
    with an activity type (a 活动类型 column, or a column of counts per type).

    >>> from loaders.readers import read_book
    >>> member_file_kind(read_book("a.csv", "姓名,性别,界别\\n王建华,男,民盟\\n".encode()))
    'roster'
    >>> member_file_kind(read_book("b.csv", "县区,提交提案\\n修水县,35\\n".encode())) is None
    True
    """
    from loaders.member_table import ROSTER_HEADERS

    matcher = ActivityMatcher(types or activity_types())
    wide_keys = {k: f"count:{code}" for k, code in matcher.index.items()}
    for grid in book.grids:
        log = find_table(grid.rows, LOG_HEADERS, wide_keys)
        if log is not None and ("activity" in log.roles or any(r.startswith("count:") for r in log.roles)):
            return "activities"
        roster = find_table(grid.rows, ROSTER_HEADERS)
        if (
            roster is not None
            and "name" in roster.roles
            and set(roster.roles) & {"sector", "start_date", "gender", "term", "birth"}
        ):
            return "roster"
    return None
