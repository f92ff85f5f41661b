"""What a roster (委员名册) and an activity log (履职活动登记) have in common: finding the header row
under a title, naming its columns, the rows of the table (notes and totals under it left out), dates.

>>> rows = [["修水县政协委员名册"], ["序号", "委员编号", "姓名", "界别"], [1, "XS001", "王建华", "民盟"], [],
...         ["注：第17号委员辞去委员职务。"]]
>>> t = find_table(rows, ROSTER_HEADERS)
>>> t.header, t.roles, [r for r, _ in t.body(rows)]
(1, {'member_id': 1, 'name': 2, 'sector': 3}, [3])
>>> parse_date("2024年7月5日"), parse_date(45478.0), parse_date("2024.07"), parse_date("1965-03", month_ok=True)
(datetime.date(2024, 7, 5), datetime.date(2024, 7, 5), None, '1965-03')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from loaders.fold import cell_text, fold
from loaders.table import is_note, is_total
from loaders.values import Uncomputed

HEADER_SCAN_ROWS = 30
# A first cell that could be 合计/总计/小计/汇总 (any spelling) holds one of these: only such a cell is
# folded (opencc) to be sure — folding every row's member number cost 3.5 s of a 1.2 M-row year.
_TOTALISH = re.compile("[合总總小汇彙匯计計数數]").search


def _aliases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(alias): role for role, names in table.items() for alias in names}


ROSTER_HEADERS = _aliases(
    {
        "member_id": ("委员编号", "编号", "委员证号", "委员证编号", "证号", "委员号", "代码"),
        "name": ("姓名", "委员姓名", "名字"),
        "gender": ("性别",),
        "birth": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
        "sector": ("界别", "所属界别", "界别名称"),
        "unit": (
            "所在单位",
            "所属单位",
            "所在政协",
            "所属政协",
            "政协",
            "委员会",
            "单位",
            "县区",
            "县(市、区)",
        ),
        "party": ("党派", "政治面貌", "党派(政治面貌)"),
        "term": ("届次", "届别", "届"),
        "standing": ("是否常委", "常委", "常务委员", "是否常务委员"),
        "start_date": (
            "任职起始",
            "任职开始",
            "起始日期",
            "任职时间",
            "任职起始日期",
            "任职日期",
            "增补日期",
        ),
        "end_date": ("任职终止", "任职结束", "终止日期", "离任日期", "任职终止日期", "免职日期", "退出日期"),
        "end_reason": ("终止原因", "变动原因", "离任原因", "变动情况"),
        "station": ("委员工作站", "所在工作站", "工作站", "委员之家", "委员工作室"),
        "seq": ("序号", "序"),
    }
)
LOG_HEADERS = _aliases(
    {
        "member_id": ("委员编号", "编号", "委员证号", "委员证编号", "证号", "委员号"),
        "name": ("姓名", "委员姓名", "委员"),
        "date": ("日期", "活动日期", "时间", "活动时间", "履职日期", "登记日期"),
        "year": ("年度", "年份", "年"),
        "quarter": ("季度", "季"),
        "activity": ("活动类型", "履职类型", "类型", "活动", "履职事项", "活动项目", "履职活动", "项目"),
        "count": ("次数", "数量", "件数", "篇数", "人次", "次"),
        "note": ("备注", "说明", "活动内容", "内容", "活动名称"),
        "unit": ("所在单位", "所属单位", "单位", "县区"),
        "seq": ("序号", "序"),
    }
)


@dataclass
class Table:
    """A located table: its header row (0-based), the column of each role, and any other columns."""

    header: int
    roles: dict[str, int]
    headers: list[str]  # the header cells as written
    other: dict[int, str] = field(default_factory=dict)  # columns no role took: header as written

    def body(self, rows: list[list[object]]) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells) of each data row: blank rows skipped, 合计 rows and the notes
        under the table left out (the table ends at the first note line)."""
        first = min(self.roles.values())
        for i in range(self.header + 1, len(rows)):
            row = rows[i]
            if not any(v is not None and v != "" for v in row):
                continue
            if is_note(row):
                break
            label = cell_text(row[first]) if first < len(row) else ""
            if label and _TOTALISH(label) and is_total(label):
                continue
            yield i + 1, row


def find_table(
    rows: list[list[object]], headers: dict[str, str], extra: dict[str, str] | None = None
) -> Table | None:
    """The first row (of the first 30) naming 姓名 or 委员编号 and at least one more known column.

    `extra` maps more folded headers to roles (an activity type's name as a column of counts).
    """
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        cells = [cell_text(v) for v in rows[r]]
        roles: dict[str, int] = {}
        other: dict[int, str] = {}
        for c, text in enumerate(cells):
            if not text:
                continue
            key = fold(text)
            role = headers.get(key) or (extra or {}).get(key)
            if role is None and key.endswith(("(次)", "(件)", "(篇)")):
                role = (extra or {}).get(key[:-3])
            if role is not None and role not in roles:
                roles[role] = c
            else:
                other[c] = text
        if ("name" in roles or "member_id" in roles) and len(roles) >= 3:
            roles.pop("seq", None)
            return Table(r, roles, cells, other)
    return None


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(cell: object, month_ok: bool = False) -> dt.date | str | None:
    """A date cell: a date, an Excel serial number, 2024-07-05, 2024/7/5, 2024年7月5日; None if not one.

    With `month_ok` a year and month alone (1965-03, 1965.3, 1965年3月) is returned as 'YYYY-MM'.
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 20000 < cell < 80000:  # an Excel serial date (1954–2119) the sheet did not format
            return _EXCEL_EPOCH + dt.timedelta(days=int(cell))
        return None
    text = cell_text(cell).replace("．", ".").replace("－", "-").replace("／", "/")
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d\d-\d\d[ T]", text) else text
    m = _DATE.match(text)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    if m.group(3) is None:
        return f"{y:04d}-{mo:02d}" if month_ok and 1 <= mo <= 12 and 1900 <= y <= 2100 else None
    try:
        return dt.date(y, mo, int(m.group(3)))
    except ValueError:
        return None


def uncomputed(row: list[object], cols: list[int]) -> tuple[int, Uncomputed] | None:
    """The first of these cells whose value the file does not hold (a formula saved without its
    result, an error value such as #REF!): reading it as blank would import a wrong figure."""
    for c in cols:
        if c < len(row) and type(row[c]) is Uncomputed:
            return c, row[c]  # type: ignore[return-value]
    return None


def cell_problem(cell: Uncomputed) -> str:
    """What to say about such a cell (an error value is not always where a number belongs)."""
    if cell.formula is None:
        return f"单元格 {cell.ref} 是错误值 {cell.error}：请改正，在 Excel/WPS 中打开并保存后再上传"
    return cell.message


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter (a quarter's counts are dated there)."""
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, quarter * 3 + 1, 1) - dt.timedelta(days=1)


def yes(cell: object) -> bool:
    """是/√/Y/1/常委 → True."""
    return fold(cell_text(cell)).lower() in {"是", "√", "✓", "y", "yes", "1", "true", "常委", "是常委"}
