"""Headers -> indicator codes or column roles, and unit names -> unit codes, after folding.

Each distinct string is folded and looked up once (the matchers cache), so a 6,000-row sheet
costs one lookup per distinct unit name, not per row.

>>> from domain.dictionary import load_dictionary, demo_units
>>> IndicatorMatcher(load_dictionary()).match("2. 立案数（件）")
'proposals_registered'
>>> UnitMatcher(demo_units()).match("修水縣政協")
'360424'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from domain.dictionary import Dictionary, Unit
from loaders.fold import MEASURE_UNITS, fold, variants

# Non-indicator column headers met in real sheets (DOMAIN.md), by role, folded.
ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    "unit": (
        "单位",
        "填报单位",
        "县(市、区)",
        "县(市,区)",
        "县区",
        "区县",
        "地区",
        "单位名称",
        "县(市区)",
        "县市区",
    ),
    "year": ("年度", "年份", "年"),
    "quarter": ("季度",),
    "period": ("期间", "统计期间", "报告期", "时间", "统计时间", "所属期"),
    "basis": ("口径", "统计口径"),
    "indicator": ("指标", "指标名称", "项目", "统计项目", "指标项"),
    "value": ("数值", "数据", "值", "数量", "指标值", "完成数", "本期数", "累计数", "数值(件)"),
    "ignored": ("序号", "备注", "填报人", "联系电话", "说明", "计量单位", "编号", "审核人"),
}
_ROLE_BY_NAME = {fold(name): role for role, names in ROLE_HEADERS.items() for name in names}
_MEASURES = frozenset(fold(u) for u in MEASURE_UNITS) | {"件次", "场", "个数"}


def header_role(header: str) -> str | None:
    """The role of a non-indicator header (unit, year, quarter, period, basis, indicator, value, ignored).

    >>> header_role("县（市、区）"), header_role("統計口徑"), header_role("县")
    ('unit', 'basis', None)
    """
    return _ROLE_BY_NAME.get(fold(header)) if header else None


def is_measure_unit(text: str) -> bool:
    """A measurement unit such as 件 or 人次 (a form's 单位 column holds these, not units).

    >>> is_measure_unit("件"), is_measure_unit("修水县")
    (True, False)
    """
    return fold(text) in _MEASURES


class IndicatorMatcher:
    """Finds the dictionary code a header names, by name or alias, optionally helped by its group."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        exact: dict[str, str] = {}
        for ind in dictionary:
            if not ind.importable:
                continue
            for name in (ind.name, *ind.aliases, ind.code):
                exact.setdefault(fold(name), ind.code)
        # A trailing 数 is often added or left out (提交提案数 / 提交提案): index both, unless ambiguous.
        loose: dict[str, str | None] = {}
        for key, code in exact.items():
            for other in (key[:-1] if key.endswith("数") else key + "数",):
                if other and other not in exact:
                    loose[other] = code if loose.get(other, code) == code else None
        self._index = {**{k: v for k, v in loose.items() if v}, **exact}
        self._cache: dict[tuple[str, str], str | None] = {}

    def _lookup(self, folded: str) -> str | None:
        code = self._index.get(folded)
        if code is None:
            for v in variants(folded):
                code = self._index.get(v)
                if code:
                    break
        return code

    def match(self, header: str, group: str = "") -> str | None:
        """The code for a header; `group` (a merged cell above it, or a form's heading) may decide.

        >>> from domain.dictionary import load_dictionary
        >>> m = IndicatorMatcher(load_dictionary())
        >>> m.match("收集", "社情民意信息"), m.match("基层协商议事（有事好商量）"), m.match("合计")
        ('info_collected', 'consult_grassroots', None)
        """
        key = (header, group)
        if key in self._cache:
            return self._cache[key]
        folded = fold(header) if header else ""
        code = self._lookup(folded) if folded else None
        if code is None and group:
            fg = fold(group)
            code = self._lookup(fg + folded) or (self._lookup(fg) if not folded else None)
        self._cache[key] = code
        return code


class UnitMatcher:
    """Finds the unit code a name means: name or alias, folded, with or without a 政协 suffix."""

    _SUFFIXES = ("政协委员会", "委员会", "政协")

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = list(units)
        self._index: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for u in self.units:
            for name in (u.name, *u.aliases):
                key = fold(name)
                self._index.setdefault(key, u.code)
                self._names.setdefault(key, u.name)
        self._cache: dict[str, str | None] = {}

    def match(self, name: str) -> str | None:
        """The unit code for a name, or None."""
        if name in self._cache:
            return self._cache[name]
        key = fold(name) if name else ""
        code = self._index.get(key)
        if code is None:
            for suffix in self._SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self._index:
                    code = self._index[key[: -len(suffix)]]
                    break
        self._cache[name] = code
        return code

    def suggest(self, name: str) -> str | None:
        """The closest known unit name, for an error message (difflib).

        >>> from domain.dictionary import demo_units
        >>> UnitMatcher(demo_units()).suggest("修水镇")
        '修水县'
        """
        key = fold(name) if name else ""
        for suffix in self._SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                break
        close = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.5)
        return self._names[close[0]] if close else None

    def find_in(self, text: str) -> str | None:
        """A unit named anywhere in a title or sheet name, the longest name winning."""
        folded = fold(text) if text else ""
        best: tuple[int, str] | None = None
        for key, code in self._index.items():
            if len(key) >= 2 and key in folded and (best is None or len(key) > best[0]):
                best = (len(key), code)
        return best[1] if best else None

    def name_of(self, code: str) -> str:
        """The display name of a unit code."""
        return next((u.name for u in self.units if u.code == code), code)
