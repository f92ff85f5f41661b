"""Reads a unit list (CSV or a workbook: code, name, aliases separated by ';', level) for
`cppcc units import` and the 单位管理 page.

It goes through the same safe readers as statistics sheets (size and zip checks, GBK/UTF-8
decoding), and every problem is an Issue naming file, sheet, row and the column as its header is
written (代码, not code). Headers may be English or Chinese. Offices label every county-level unit
with one generic word (县(市、区), 县市区, 区县, 县区): the exact level then follows from the code
(GB/T 2260: …00 the city itself, 01–20 districts, 21–80 counties, 81–99 county-level cities) or, where
the code does not settle it, from the name.

>>> units, issues = read_unit_list("units.csv", "代码,名称,级别\\n360424,修水县,县(市、区)\\n".encode("gbk"))
>>> [(u.code, u.name, u.level) for u in units], issues
([('360424', '修水县', 'county')], [])
"""

from __future__ import annotations

import re

from domain.dictionary import UNIT_LEVELS, Unit
from loaders.issues import Issue, LoadError
from loaders.readers import read_book

_HEADERS = {
    "code": ("code", "代码", "区划代码", "行政区划代码", "单位代码"),
    "name": ("name", "名称", "单位", "单位名称"),
    "aliases": ("aliases", "别名", "简称"),
    "level": ("level", "级别", "层级", "类型"),
}
_LEVELS = {
    "city": "city",
    "市本级": "city",
    "市级": "city",
    "本级": "city",
    "district": "district",
    "区": "district",
    "市辖区": "district",
    "county": "county",
    "县": "county",
    "county_city": "county_city",
    "县级市": "county_city",
}
_GENERIC = {"县(市、区)", "县（市、区）", "县市区", "县(市,区)", "区县", "县区", "县(区)", "县（区）", "县级"}
_CODE_RE = re.compile(r"^\d{6}$")


class UnitListError(ValueError):
    """The file cannot be used; `issues` names every faulty row (`problems`: the same as text)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        self.problems = [_text(i) for i in issues]
        super().__init__("\n".join(self.problems))


def _text(i: Issue) -> str:
    where = i.file + (f"，工作表“{i.sheet}”" if i.sheet else "")
    if i.row:
        where += f"，第{i.row}行"
    if i.column:
        where += f"“{i.column}”列"
    return f"{where}：{i.message}"


def level_from_code(code: str) -> str:
    """GB/T 2260's last two digits: 00 the city itself, 01–20 districts, 21–80 counties, 81–99 cities.

    >>> level_from_code("360400"), level_from_code("360402"), level_from_code("360424"), level_from_code("360481")
    ('city', 'district', 'county', 'county_city')
    """
    tail = int(code[-2:])
    if tail == 0:
        return "city"
    if tail <= 20:
        return "district"
    if tail <= 80:
        return "county"
    return "county_city"


def infer_level(name: str, code: str | None = None) -> str:
    """From the name (市本级, …区, …县, …市), else the code: 市本级 -> city, …区 -> district …"""
    if "本级" in name:
        return "city"
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    if name.endswith("市"):
        return "county_city"
    return level_from_code(code) if code else "county"


def _level(text: str, name: str, code: str) -> str | None:
    """The level a cell states: an exact one, or a generic county-level label settled by name or code."""
    folded = text.replace(" ", "")
    exact = _LEVELS.get(folded.lower() if folded.isascii() else folded)
    if exact:
        return exact
    if folded in _GENERIC or folded.replace("（", "(").replace("）", ")") in _GENERIC:
        by_name = infer_level(name)
        if name.endswith(("区", "县", "市")):
            return by_name
        by_code = level_from_code(code)
        return by_code if by_code != "city" else "county"
    return None


def read_unit_list(file: str, data: bytes) -> tuple[list[Unit], list[Issue]]:
    """Parse and check the whole file; raise UnitListError naming every faulty row.

    Returns (units, warnings): a level inferred from a generic label is not a warning; an unreadable
    file raises UnitListError with the reader's own Chinese message.
    """
    try:
        book = read_book(file, data)
    except LoadError as exc:
        raise UnitListError(list(exc.issues)) from exc
    if not book.grids:
        raise UnitListError([Issue("error", file, None, None, None, "文件中没有可读取的工作表", "empty")])
    grid = book.grids[0]
    sheet = grid.name
    rows = [["" if c is None else str(c).strip() for c in r] for r in grid.rows]
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(r)]
    if not numbered:
        raise UnitListError([Issue("error", file, sheet, None, None, "文件是空的", "empty")])
    head_row, head = numbered[0]
    lowered = [h.lower() for h in head]
    cols: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for n, h in enumerate(lowered):
            if h in names:
                cols[key] = n
                break
    missing = [k for k in ("code", "name") if k not in cols]
    if missing:
        wanted = "、".join({"code": "代码（code）", "name": "名称（name）"}[k] for k in missing)
        raise UnitListError(
            [
                Issue(
                    "error",
                    file,
                    sheet,
                    head_row,
                    None,
                    f"表头缺少 {wanted} 列（应有 代码、名称、别名、级别 四列，或 code、name、aliases、level）",
                    "unit_list_header",
                )
            ]
        )
    header = {k: head[i] for k, i in cols.items()}
    problems: list[Issue] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}

    def cell(r: list[str], key: str) -> str:
        i = cols.get(key)
        return r[i].strip() if i is not None and i < len(r) else ""

    def bad(n: int, key: str, message: str) -> None:
        problems.append(Issue("error", file, sheet, n, header.get(key), message, "unit_list_row"))

    for n, r in numbered[1:]:
        code, name = cell(r, "code"), cell(r, "name")
        if code.endswith(".0"):
            code = code[:-2]
        if not _CODE_RE.match(code):
            bad(n, "code", f"代码“{code}”应为6位行政区划代码，如 360402")
            continue
        if not name:
            bad(n, "name", "名称为空")
            continue
        if code in seen:
            bad(n, "code", f"代码 {code} 与第{seen[code]}行重复")
            continue
        seen[code] = n
        level_text = cell(r, "level")
        level = _level(level_text, name, code) if level_text else infer_level(name, code)
        if level is None:
            bad(
                n,
                "level",
                f"级别“{level_text}”无法识别，应为 市本级、区、县、县级市（或 {'、'.join(UNIT_LEVELS)}，"
                "或 县(市、区) 等统称，由名称或代码判断）",
            )
            continue
        aliases = tuple(a.strip() for a in re.split(r"[;；,，、]", cell(r, "aliases")) if a.strip())
        units.append(Unit(code, name, aliases, level, sort_order=len(units) + 1))
    if problems:
        raise UnitListError(problems)
    return units, []
