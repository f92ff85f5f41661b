"""Name folding: the one spelling a header or unit name is compared in.

Sheets spell the same name many ways (修水縣, 修 水 县, `１. 提交提案（件）`); both sides of every
comparison are folded the same way, so a Traditional alias and a Simplified header meet.
Folding keeps any bracket that is not a measurement unit: 县（市、区） stays 县(市、区).

>>> fold("１. 提交提案（件）"), fold("修水縣"), fold("县（市、区）"), fold("（一）提案工作")
('提交提案', '修水县', '县(市、区)', '提案工作')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_CC: OpenCC | None = None

_CIRCLED = re.compile(r"^[\u2460-\u2473\u2776-\u277f]")  # ①…⑳ ❶…❿, before NFKC turns them into digits
_SPACE = re.compile(r"\s+")
_CN_NUM = "一二三四五六七八九十"
_NUMBERING = re.compile(rf"^(?:\([{_CN_NUM}]+\)|[{_CN_NUM}]+[、.]|\(\d{{1,2}}\)|\d{{1,2}}(?:[、)]|\.(?!\d)))")
MEASURE_UNITS = (
    "件", "次", "%", "人次", "场次", "个", "篇", "条", "名", "期", "万元", "元", "人", "项", "场", "家",
    "件次", "人次/人", "户", "天", "小时",
)  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(MEASURE_UNITS, key=len, reverse=True))
_UNIT_BRACKET = re.compile(rf"[(\[【](?:单位[:：]?)?(?:{_UNIT_ALT})(?:[、,/](?:{_UNIT_ALT}))*[)\]】]")
_TRAILING = re.compile(r"[:：%]+$")
_BRACKETED = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]")


def _converter() -> OpenCC:
    global _CC
    if _CC is None:
        _CC = OpenCC("t2s")
    return _CC


def _once(text: str) -> str:
    text = _CIRCLED.sub("", text.strip())
    text = unicodedata.normalize("NFKC", text)
    text = _converter().convert(text)
    text = _SPACE.sub("", text)
    base = text
    while True:
        stripped = _TRAILING.sub("", _UNIT_BRACKET.sub("", _NUMBERING.sub("", text)))
        if stripped == text:
            break
        text = stripped
    return text or base


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a header or unit name: Traditional->Simplified, full-width->half-width, no spaces,
    no bracketed measurement unit, no leading numbering. Idempotent; never empty for non-blank text.

    >>> fold("基层协商议事（场次）"), fold("一、提案工作"), fold("立案率（%）"), fold("一、")
    ('基层协商议事', '提案工作', '立案率', '一、')
    """
    folded = _once(text)
    for _ in range(3):  # a fixed point, so that fold(fold(x)) == fold(x)
        again = _once(folded)
        if again == folded:
            break
        folded = again
    return folded


def variants(folded: str) -> list[str]:
    """Other ways a folded header may name an indicator: without its brackets, or a bracket's content.

    >>> variants("基层协商议事(有事好商量)")
    ['基层协商议事', '有事好商量']
    """
    if "(" not in folded and "[" not in folded and "【" not in folded:
        return []
    out = []
    outside = _BRACKETED.sub("", folded)
    if outside and outside != folded:
        out.append(outside)
    out.extend(m for m in _BRACKETED.findall(folded) if m)
    return out


def cell_text(value: object) -> str:
    """A cell as text: numbers that are whole print without `.0` (calamine gives floats).

    >>> cell_text(2024.0), cell_text(None), cell_text(" 修水县 ")
    ('2024', '', '修水县')
    """
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
