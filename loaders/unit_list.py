"""Reads a unit list (CSV or XLSX: code, name, aliases separated by ';', level) for `cppcc units import`.

Headers may be English or Chinese (代码/名称/别名/级别). Every problem is reported with its row.

>>> read_unit_list(Path("units.csv"))                              # doctest: +SKIP
[Unit(code='360402', name='濂溪区', aliases=('濂溪',), level='district', sort_order=1)]
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from metrics.dictionary import UNIT_LEVELS, Unit

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
    "district": "district",
    "区": "district",
    "市辖区": "district",
    "county": "county",
    "县": "county",
    "county_city": "county_city",
    "县级市": "county_city",
}
_CODE_RE = re.compile(r"^\d{6}$")


class UnitListError(ValueError):
    """The file cannot be used; `problems` lists every row at fault."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _rows(path: Path) -> tuple[str, list[list[str]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        return sheet.name, [["" if c is None else str(c).strip() for c in r] for r in sheet.to_python()]
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        return "", [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    raise UnitListError([f"{path.name}：不支持的文件类型 {suffix or '（无扩展名）'}，请使用 .csv 或 .xlsx"])


def infer_level(name: str) -> str:
    """市本级 -> city, …区 -> district, …县 -> county, …市 -> county_city."""
    if "本级" in name:
        return "city"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "county"


def read_unit_list(path: Path) -> list[Unit]:
    """Parse and check the whole file; raise UnitListError naming every faulty row."""
    sheet, rows = _rows(path)
    where = f"{path.name}" + (f"，工作表“{sheet}”" if sheet else "")
    rows = [r for r in rows if any(r)]
    if not rows:
        raise UnitListError([f"{where}：文件是空的"])
    header = [h.strip().lower() for h in rows[0]]
    cols: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for n, h in enumerate(header):
            if h in names:
                cols[key] = n
                break
    missing = [k for k in ("code", "name") if k not in cols]
    if missing:
        raise UnitListError(
            [f"{where}：第1行缺少列 {'、'.join(missing)}（应有 code、name、aliases、level 四列）"]
        )
    problems: list[str] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}

    def cell(r: list[str], key: str) -> str:
        i = cols.get(key)
        return r[i].strip() if i is not None and i < len(r) else ""

    for n, r in enumerate(rows[1:], start=2):
        code, name = cell(r, "code"), cell(r, "name")
        if code.endswith(".0"):
            code = code[:-2]
        if not _CODE_RE.match(code):
            problems.append(f"{where}，第{n}行“code”列：代码“{code}”应为6位行政区划代码，如 360402")
            continue
        if not name:
            problems.append(f"{where}，第{n}行“name”列：名称为空")
            continue
        if code in seen:
            problems.append(f"{where}，第{n}行“code”列：代码 {code} 与第{seen[code]}行重复")
            continue
        seen[code] = n
        level_text = cell(r, "level")
        level = (
            _LEVELS.get(level_text.lower() if level_text.isascii() else level_text) if level_text else None
        )
        if level_text and level is None:
            problems.append(
                f"{where}，第{n}行“level”列：级别“{level_text}”无法识别，应为 {'、'.join(UNIT_LEVELS)}"
                "（或 市本级、区、县、县级市）"
            )
            continue
        aliases = tuple(a.strip() for a in re.split(r"[;；]", cell(r, "aliases")) if a.strip())
        units.append(Unit(code, name, aliases, level or infer_level(name), sort_order=n - 1))
    if problems:
        raise UnitListError(problems)
    return units
