"""A roster (委员名册) → validated member records; every problem names file, sheet, row and column.

Comparing with the stored roster (what is new, what changed) is the store's part (store/members.py).

>>> from domain.dictionary import demo_units
>>> data = "委员编号,姓名,性别,界别,所在单位,任职起始\\nXS001,王建华,男,民盟,修水县,2021-12-28\\n".encode()
>>> p = parse_roster("名册.csv", data, units=demo_units())
>>> [(m.member_id, m.name, m.sector, m.unit_code, m.start_date) for m in p.members]
[('XS001', '王建华', '中国民主同盟', '360424', datetime.date(2021, 12, 28))]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from domain.dictionary import Unit
from domain.members import GENDERS, member_key, sectors
from loaders.fold import cell_text, fold
from loaders.issues import HasIssues, Issue, IssueLog, column_letter
from loaders.match import UnitMatcher
from loaders.member_table import ROSTER_HEADERS, Table, cell_problem, find_table, parse_date, uncomputed, yes
from loaders.readers import Book, read_book
from loaders.safety import Limits

_TERM = re.compile(r"第([一二三四五六七八九十]+|\d+)届")
ROSTER_FIELDS = ("name", "gender", "birth", "sector", "unit_code", "party", "term", "standing", "start_date",
                 "end_date", "end_reason", "station")  # fmt: skip


@dataclass(frozen=True)
class Member:
    """One member's record as a roster gives it, with the row it was read from."""

    member_id: str
    name: str
    gender: str | None
    birth: str | None
    sector: str | None
    unit_code: str
    party: str | None
    term: str | None
    standing: bool
    start_date: dt.date | None
    end_date: dt.date | None
    end_reason: str | None
    station: str | None
    sheet: str | None
    row: int


@dataclass
class ParsedRoster(HasIssues):
    file: str
    sha256: str
    size: int
    members: list[Member]
    issues: list[Issue]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)


class SectorMatcher:
    """界别 as written → its full name (民盟 → 中国民主同盟), folded; None for a name not in the list."""

    def __init__(self) -> None:
        self.index: dict[str, str] = {}
        for name, others in sectors().items():
            for alias in (name, *others):
                self.index.setdefault(fold(alias), name)

    def match(self, written: str) -> str | None:
        key = fold(written)
        return self.index.get(key) or (self.index.get(key[:-1]) if key.endswith("界别") else None)


def _text(row: list[object], col: int | None) -> str:
    return cell_text(row[col]) if col is not None and col < len(row) else ""


def _header(t: Table, role: str) -> str:
    c = t.roles[role]
    return t.headers[c] or column_letter(c)


def parse_roster(
    name: str, data: bytes, *, units: list[Unit], book: Book | None = None, max_bytes: int = 20 * 1024 * 1024
) -> ParsedRoster:
    """Read a roster; raises LoadError when the file cannot be read at all."""
    book = book or read_book(name, data, Limits(max_bytes=max_bytes))
    log = IssueLog(name)
    matcher = UnitMatcher(units)
    sector_of = SectorMatcher()
    members: list[Member] = []
    seen: dict[str, tuple[str | None, int]] = {}
    file_unit = matcher.find_in(PurePath(name).stem)
    for grid in book.grids:
        t = find_table(grid.rows, ROSTER_HEADERS)
        if t is None or "name" not in t.roles:
            continue
        title = " ".join(cell_text(v) for row in grid.rows[: t.header] for v in row if cell_text(v))
        sheet_unit = matcher.find_in(title) or matcher.find_in(grid.name or "") or file_unit
        term_m = _TERM.search(title) or _TERM.search(PurePath(name).stem)
        sheet_term = term_m.group(0) if term_m else None
        for r, row in t.body(grid.rows):
            members_row = _member(name, grid.name, t, r, row, log, matcher, sector_of, sheet_unit, sheet_term)
            if members_row is None:
                continue
            first = seen.get(members_row.member_id)
            if first is not None:
                log.add("error", grid.name, r, _header(t, "member_id") if "member_id" in t.roles else None,
                        f"第{r}行：委员{members_row.name}（{members_row.member_id}）在本文件中出现两次"
                        f"（另见{'工作表“' + first[0] + '”' if first[0] else ''}第{first[1]}行），请删去重复的一行",
                        "duplicate_member")  # fmt: skip
                continue
            seen[members_row.member_id] = (grid.name, r)
            members.append(members_row)
    if not members and not log.has_errors:
        log.add("error", None, None, None,
                "文件中没有找到委员名册（表头应有“姓名”以及“委员编号”“界别”“所在单位”“任职起始”等列）",
                "no_roster")  # fmt: skip
    return ParsedRoster(
        name, hashlib.sha256(data).hexdigest(), len(data), members, log.finish(), book.skipped
    )


def _member(
    file: str, sheet: str | None, t: Table, r: int, row: list[object], log: IssueLog, units: UnitMatcher,
    sector_of: SectorMatcher, sheet_unit: str | None, sheet_term: str | None,
) -> Member | None:  # fmt: skip
    roles = t.roles

    def err(role: str | None, message: str, code: str) -> None:
        col = _header(t, role) if role in roles else None
        log.add("error", sheet, r, col, f"第{r}行" + (f"“{col}”列" if col else "") + f"：{message}", code)

    def warn(role: str, message: str, code: str) -> None:
        col = _header(t, role)
        log.add("warning", sheet, r, col, f"第{r}行“{col}”列：{message}", code)

    bad_cell = uncomputed(row, sorted(roles.values()))
    if bad_cell is not None:
        c, cell = bad_cell
        col = t.headers[c] or column_letter(c)
        log.add("error", sheet, r, col, f"第{r}行“{col}”列：{cell_problem(cell)}", cell.code)
        return None
    name = _text(row, roles.get("name")).replace(" ", "").replace("\u3000", "")
    mid = _text(row, roles.get("member_id"))
    if not name:
        if mid:
            err("name", f"委员编号 {mid} 没有姓名", "no_name")
        return None
    unit_text = _text(row, roles.get("unit"))
    unit = units.match(unit_text) if unit_text else sheet_unit
    if unit is None and unit_text and unit_text.isdigit() and unit_text in {u.code for u in units.units}:
        unit = unit_text
    if unit is None:
        if unit_text:
            near = units.suggest(unit_text)
            err("unit", f"找不到单位“{unit_text}”" + (f"（是否为“{near}”？）" if near else "")
                + "：请写单位名称或代码，或先在“单位管理”页添加该单位", "unknown_unit")  # fmt: skip
        else:
            err("unit", f"委员{name}没有所在单位：请加“所在单位”列，或在表头标题中写明单位", "no_unit")
        return None
    gender_text = _text(row, roles.get("gender"))
    gender = GENDERS.get(gender_text.lower()) if gender_text else None
    if gender_text and gender is None:
        err("gender", f"性别“{gender_text}”无法识别，应为“男”或“女”", "bad_gender")
        return None
    birth: str | None = None
    if "birth" in roles and _text(row, roles["birth"]):
        b = parse_date(row[roles["birth"]], month_ok=True)
        if b is None:
            err(
                "birth",
                f"出生年月“{_text(row, roles['birth'])}”无法识别，应写作 1965-03 或 1965-03-12",
                "bad_date",
            )
            return None
        birth = b.isoformat() if isinstance(b, dt.date) else b
    dates: dict[str, dt.date | None] = {}
    for role, what in (("start_date", "任职起始"), ("end_date", "任职终止")):
        dates[role] = None
        if role in roles and _text(row, roles[role]):
            d = parse_date(row[roles[role]])
            if not isinstance(d, dt.date):
                err(role, f"{what}日期“{_text(row, roles[role])}”无法识别，应写作 2021-12-28", "bad_date")
                return None
            dates[role] = d
    start, end = dates["start_date"], dates["end_date"]
    if start and end and end < start:
        err("end_date", f"任职终止日期 {end} 早于任职起始日期 {start}", "end_before_start")
        return None
    sector_text = _text(row, roles.get("sector"))
    sector = sector_of.match(sector_text) if sector_text else None
    if sector_text and sector is None:
        warn("sector", f"界别“{sector_text}”不在界别表中，按原样记录", "unknown_sector")
        sector = sector_text
    if not mid:
        mid = member_key(name, unit, birth)
    term = _text(row, roles.get("term")) or sheet_term
    return Member(
        mid, name, gender, birth, sector, unit, _text(row, roles.get("party")) or None, term or None,
        yes(row[roles["standing"]]) if "standing" in roles and roles["standing"] < len(row) else False,
        start, end, _text(row, roles.get("end_reason")) or None, _text(row, roles.get("station")) or None,
        sheet, r,
    )  # fmt: skip
