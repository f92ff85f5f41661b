"""Finding the table in a sheet: title lines, header row(s), columns, and the sheet's own unit.

Three shapes arrive (DOMAIN.md): *wide* (a row per unit, a column per indicator, maybe a two-level
header with merged group cells), *long* (unit, period, indicator, value columns) and *form*
(indicators down the rows of one unit's sheet). Long and form both have one figure per row, so
both are laid out as "rows": a label column and a value column.

>>> from domain.dictionary import load_dictionary
>>> m = IndicatorMatcher(load_dictionary())
>>> lay = locate([["某县统计表"], ["县区", "提交提案", "立案"], ["修水县", 35, 30]], m)
>>> lay.shape, lay.header_rows, [c.code for c in lay.columns]
('wide', [1], ['unit', 'proposals_submitted', 'proposals_registered'])
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from loaders.fold import cell_text, fold
from loaders.issues import column_letter
from loaders.match import IndicatorMatcher, UnitMatcher, header_role, is_measure_unit
from loaders.values import BadValue, Uncomputed, parse_value

HEADER_SCAN_ROWS = 30
TOTAL_LABELS = frozenset(fold(x) for x in ("合计", "总计", "小计", "全市合计", "全市总计", "总数", "汇总"))
SUBTOTAL = fold("小计")
_NOTE_PREFIXES = (
    "注",
    "说明",
    "备注",
    "填表说明",
    "填报人",
    "审核人",
    "制表",
    "负责人",
    "单位负责人",
    "数据来源",
    "填表人",
    "审核",
    "联系",
    "电话",
    "手机",
    "统计人",
    "经办人",
    "签字",
    "签发",
)
# Signature and contact lines under a form (填表人：张三  联系电话：138…): never figures, whatever they hold.
_SIGNATURES = ("填表人", "填报人", "审核人", "审核", "联系电话", "联系人", "电话", "手机", "制表人", "统计人",
               "经办人", "签字", "签发", "单位负责人", "负责人")  # fmt: skip
_HEADING = re.compile(r"^\s*[(（]?[一二三四五六七八九十]+[)）、.．]")
_REPORTER = re.compile(r"填报单位\s*[:：]\s*([^\s:：]*)")
# What follows the unit on a 填报单位 line: the office, the seal, a date field.
_SEAL = re.compile(r"[(（\[【]\s*(?:盖章|公章|印章|签章|章|盖公章)\s*[)）\]】]")
_DATE_TAIL = re.compile(r"(?:填报|填表|报送|制表|统计)?日期.*$")
_AFTER_UNIT = re.compile(r"(?:填报|填表|报送|制表|统计)?日期.*$|(?:政协)?(?:办公室|办公厅|秘书处|机关).*$")
_DATE_FIELD = re.compile(r"(?:填报|填表|报送|制表|统计)日期\s*[:：]?\s*\S*")
_CPPCC_LONG = re.compile(r"^中国人民政治协商会议(.+?)委员会$")


@dataclass
class Column:
    """A classified column: a role (unit, year, …), an indicator code, or unknown (`code` None)."""

    index: int
    header: str  # as written (the sub-header of a two-level header), or the Excel letter
    code: str | None  # indicator code, or a role name: unit, year, quarter, period, basis, ignored
    group: str = ""

    @property
    def is_role(self) -> bool:
        return self.code in ("unit", "year", "quarter", "period", "basis", "indicator", "value", "ignored")


@dataclass
class Layout:
    shape: str  # "wide" or "rows"
    header_rows: list[int]  # 0-based; empty for a form without a header row
    first_data: int  # 0-based
    columns: list[Column] = field(default_factory=list)
    label_col: int | None = None  # rows shape: the indicator names
    value_col: int | None = None  # rows shape: the figures

    def role(self, name: str) -> int | None:
        return next((c.index for c in self.columns if c.code == name), None)


def fill_merged(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    """Copy a merged cell's text into every cell it covers (group headers, a unit over its quarter rows).

    Numbers are not copied: a figure merged over two rows must not be counted twice.
    """
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if not isinstance(value, str) or not value.strip():
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value


def text(row: list[object], col: int | None) -> str:
    return cell_text(row[col]) if col is not None and col < len(row) else ""


def is_blank(row: list[object]) -> bool:
    return all(v is None or v == "" or (isinstance(v, str) and not v.strip()) for v in row)


def first_text(row: list[object], upto: int) -> str:
    """The first non-empty text among the first `upto` cells (合计 may sit in 序号 or 单位 column)."""
    for v in row[:upto]:
        if isinstance(v, str) and v.strip():
            return v
    return ""


def is_total(label: str) -> bool:
    folded = fold(label) if label else ""
    return folded in TOTAL_LABELS or folded.startswith(("合计", "总计", "小计"))


def is_note(row: list[object]) -> bool:
    """A 注/说明 line under (or over) a table, or a signature or contact line (填表人/审核人/联系电话…).

    >>> is_note(["联系电话：0792-7222222", 13907921234]), is_note(["审核人", "王五", "联系电话", "0792-1234567"])
    (True, True)
    """
    for v in row:  # every kind of note starts with one of the prefixes: most rows stop at their first cell
        t = cell_text(v)
        if t:
            if not t.startswith(_NOTE_PREFIXES):
                return False
            break
    else:
        return False
    cells = [t for t in map(cell_text, row) if t]
    head = cells[0].lstrip()
    if head.startswith(("注:", "注：", "说明:", "说明：", "备注:", "备注：")) or head.startswith(_SIGNATURES):
        return True
    return len(cells) <= 3 and head.startswith(_NOTE_PREFIXES) and not _has_number(row)


def plain_lead(cell: str) -> bool:
    """True when a row starting with this (non-empty) cell cannot be a note: is_note is then False."""
    head = cell.strip()
    return bool(head) and not head.startswith(_NOTE_PREFIXES)


def _has_number(row: list[object]) -> bool:
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)


def _classify(header: str, group: str, matcher: IndicatorMatcher) -> str | None:
    role = header_role(header) or (header_role(group) if not header else None)
    return role or matcher.match(header, group)


def locate(rows: list[list[object]], matcher: IndicatorMatcher) -> Layout | None:
    """Find the header (a long or wide one), else indicator names down a column (a form); None if neither."""
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        row = rows[r]
        codes = [_classify(cell_text(v), "", matcher) for v in row]
        if "indicator" in codes and "value" in codes:
            return _rows_layout(rows, r, matcher)
        n_ind = sum(1 for c in codes if c and c not in _ROLES)
        has_key = any(c in ("unit", "year", "quarter", "period") for c in codes)
        if not (has_key or n_ind >= 2):
            continue
        layout = _wide_layout(rows, r, codes, matcher)
        if layout is not None:
            return layout
    return _form_layout(rows, matcher)


_ROLES = ("unit", "year", "quarter", "period", "basis", "indicator", "value", "ignored")


def _wide_layout(
    rows: list[list[object]], r: int, codes: list[str | None], matcher: IndicatorMatcher
) -> Layout | None:
    head = rows[r]
    key_col = next((i for i, c in enumerate(codes) if c in ("unit", "year", "quarter", "period")), None)
    sub = rows[r + 1] if r + 1 < len(rows) else None
    two_level = (
        sub is not None
        and (key_col is None or text(sub, key_col) in ("", text(head, key_col)))
        and any(isinstance(v, str) and v.strip() and text(head, i) != v for i, v in enumerate(sub))
        and not any(matcher.match(text(sub, i)) is None and _parses(v) for i, v in enumerate(sub) if v != "")
    )
    width = max(len(head), len(sub) if two_level and sub else 0)
    columns = []
    for i in range(width):
        top = text(head, i)
        below = text(sub, i) if two_level and sub is not None else ""
        header, group = (below, top) if below and below != top else (top, "")
        code = _classify(header, group, matcher)
        columns.append(Column(i, header or column_letter(i), code if header else None, group))
    if not any(c.code and not c.is_role for c in columns):
        return None
    hdr = [r, r + 1] if two_level else [r]
    return Layout("wide", hdr, hdr[-1] + 1, columns)


def _parses(v: object) -> bool:
    if type(v) is Uncomputed:  # a figure's cell, though the file lacks the figure
        return True
    try:
        return parse_value(v) is not None
    except BadValue:
        return False


def _rows_layout(rows: list[list[object]], r: int, matcher: IndicatorMatcher) -> Layout:
    head = rows[r]
    columns = [
        Column(i, cell_text(v) or column_letter(i), _classify(cell_text(v), "", matcher))
        for i, v in enumerate(head)
    ]
    layout = Layout("rows", [r], r + 1, columns)
    layout.label_col = layout.role("indicator")
    layout.value_col = layout.role("value")
    for col in columns:  # one value column is read; another (本期数 beside 累计数) is listed, not dropped
        if col.code in ("indicator", "value") and col.index not in (layout.label_col, layout.value_col):
            col.code = None
    unit_col = layout.role("unit")
    if unit_col is not None:  # a form's 单位 column holds 件/次, not reporting units
        try:  # each distinct cell once: a long table repeats its units thousands of times
            cells = Counter(map(itemgetter(unit_col), rows[r + 1 :]))
        except IndexError:  # a short row
            cells = Counter(row[unit_col] if unit_col < len(row) else None for row in rows[r + 1 :])
        filled = measures = 0
        for v, n in cells.items():
            t = cell_text(v)
            if t:
                filled += n
                if is_measure_unit(t):
                    measures += n
        if filled and measures >= 0.8 * filled:
            columns[unit_col].code = "ignored"
    return layout


def _form_layout(rows: list[list[object]], matcher: IndicatorMatcher) -> Layout | None:
    """No header: the column holding the most indicator names is the label column."""
    hits: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        for c in range(min(4, len(row))):
            v = row[c]
            if isinstance(v, str) and v.strip() and matcher.match(v):
                hits.setdefault(c, []).append(r)
                break
    if not hits:
        return None
    label_col, found = max(hits.items(), key=lambda kv: len(kv[1]))
    if len(found) < 2:
        return None
    counts: dict[int, int] = {}  # per column, how often it holds a row's first figure
    numeric: set[int] = set()
    for r in found:
        first = True
        for c in range(label_col + 1, len(rows[r])):
            if _parses(rows[r][c]):
                numeric.add(c)
                if first:
                    counts[c] = counts.get(c, 0) + 1
                    first = False
    if not counts:
        return None
    value_col = max(counts, key=lambda c: counts[c])
    start = found[0]
    while start > 0 and _HEADING.match(text(rows[start - 1], label_col)):
        start -= 1
    columns = [
        Column(label_col, column_letter(label_col), "indicator"),
        Column(value_col, column_letter(value_col), "value"),
    ]
    for c in sorted(
        numeric
    ):  # other numeric columns (上年同期 …) are listed as unknown, never dropped silently
        if c != value_col:
            columns.append(Column(c, column_letter(c), None))
    return Layout("rows", [], start, columns, label_col, value_col)


def is_heading(label: str) -> bool:
    """`一、提案工作`: a group heading in a form."""
    return bool(_HEADING.match(label))


def context_lines(rows: list[list[object]], layout: Layout) -> list[str]:
    """The text of the rows above the table (title, 填报单位 line), each row's distinct cells joined."""
    top = layout.header_rows[0] if layout.header_rows else layout.first_data
    lines = []
    for row in rows[:top]:
        seen: list[str] = []
        for v in row:
            t = cell_text(v)
            if t and t not in seen:
                seen.append(t)
        if seen:
            lines.append(_DATE_FIELD.sub("", "  ".join(seen)).strip())  # a fill-in date is no period
    return lines


def unit_line_row(rows: list[list[object]], layout: Layout) -> int | None:
    """The Excel row of the 填报单位 line above the table, for a message about the unit it names."""
    top = layout.header_rows[0] if layout.header_rows else layout.first_data
    for r in range(top):
        if any("填报单位" in cell_text(v) for v in rows[r]):
            return r + 1
    return None


def reporter_name(stated: str) -> str:
    """The unit on a 填报单位 line, without the office, the seal or a date that follows it.

    >>> reporter_name("修水县政协办公室（盖章）"), reporter_name("中国人民政治协商会议修水县委员会（盖章）")
    ('修水县', '修水县')
    >>> reporter_name("修水县政协（盖章）填报日期：2024年7月5日"), reporter_name("（盖章）")
    ('修水县', '')
    """
    name = _SEAL.sub("", stated).strip()
    name = _AFTER_UNIT.sub("", name).strip()
    long = _CPPCC_LONG.match(name)
    if long:
        name = long.group(1)
    for suffix in ("政协委员会", "委员会", "政协"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip()


def reporting_unit(lines: list[str], sheet: str | None, units: UnitMatcher) -> tuple[str | None, str | None]:
    """(unit code, the 填报单位 as written) for a one-unit sheet: 填报单位 line, sheet name, then title."""
    stated = None
    for line in lines:
        m = _REPORTER.search(line)
        if m:
            stated = m.group(1)
            name = reporter_name(stated)
            code = units.match(name) if name else None
            if code:
                return code, stated
            stated = _DATE_TAIL.sub("", _SEAL.sub("", stated)).strip() if name else None
    if sheet:
        code = units.match(sheet)
        if code:
            return code, stated
    for line in lines:
        if "填报单位" in line:
            continue
        code = units.find_in(line)
        if code:
            return code, stated
    return None, stated
