"""Member records (委员履职档案): the activity types, the sectors (界别) and the points rule (履职积分),
read from the data files in `data/` — a deployment edits them, the codes are a contract.

>>> types = activity_types()
>>> types["meeting_absent"].name, types["meeting_absent"].attendance
('缺席', 'absent')
>>> sectors()["中国民主同盟"]
('民盟', '民主同盟')
>>> rule = PointsRule.load()
>>> rule.weight("station_duty", "经济界"), rule.weight("station_duty", "特邀人士")
(2.0, 3.0)
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from domain.dictionary import DATA_DIR

ACTIVITY_TYPES_CSV = DATA_DIR / "activity_types.csv"
SECTORS_CSV = DATA_DIR / "sectors.csv"
POINTS_CSV = DATA_DIR / "member_points.csv"

Attendance = Literal["attended", "leave", "absent", ""]
GENDERS = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女"}


@dataclass(frozen=True)
class ActivityType:
    """One kind of activity a member's record holds (提交提案, 参加会议, 缺席 …)."""

    code: str
    name: str
    name_en: str
    aliases: tuple[str, ...]
    attendance: Attendance  # a meeting attended / on leave / absent: the attendance rate's parts
    participation: bool  # counts towards 委员参加活动人次 (member_participations)
    indicator: str | None  # the county indicator this activity's count is, where one is


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (cell or "").split(";") if s.strip())


def activity_types(path: Path = ACTIVITY_TYPES_CSV) -> dict[str, ActivityType]:
    """The activity types, by code, in the file's order."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, ActivityType] = {}
    for r in rows:
        att = (r.get("attendance") or "").strip()
        if att not in ("attended", "leave", "absent", ""):
            raise ValueError(f"{path.name}：活动类型 {r['code']} 的 attendance 只能是 attended/leave/absent")
        out[r["code"].strip()] = ActivityType(
            r["code"].strip(),
            r["name"].strip(),
            (r.get("name_en") or r["code"]).strip(),
            _split(r.get("aliases")),
            att,  # type: ignore[arg-type]
            (r.get("participation") or "0").strip() in ("1", "true", "是"),
            (r.get("indicator") or "").strip() or None,
        )
    return out


def sectors(path: Path = SECTORS_CSV) -> dict[str, tuple[str, ...]]:
    """界别 full names with their short forms and other spellings (民盟 is 中国民主同盟), in order."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["name"].strip(): _split(r.get("short")) + _split(r.get("aliases")) for r in rows}


@dataclass(frozen=True)
class PointsRule:
    """履职积分: points per activity, per sector where a sector's weight differs (sector '' = all)."""

    weights: tuple[tuple[str, str, float], ...]  # (activity, sector, points)

    @classmethod
    def load(cls, path: Path = POINTS_CSV) -> PointsRule:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            lines = [ln for ln in fh if not ln.lstrip().startswith("#")]
        rows = list(csv.DictReader(lines))
        return cls(
            tuple(
                (r["activity"].strip(), (r.get("sector") or "").strip(), float(r["points"]))
                for r in rows
                if (r.get("activity") or "").strip()
            )
        )

    def weight(self, activity: str, sector: str | None) -> float:
        default = 0.0
        for a, s, p in self.weights:
            if a == activity and s and s == sector:
                return p
            if a == activity and not s:
                default = p
        return default

    def describe(self, types: dict[str, ActivityType], sector: str | None = None) -> str:
        """The rule as one line, for beside a score: 提交提案 ×3 + 联名提案 ×1 …"""
        parts = []
        for code, t in types.items():
            w = self.weight(code, sector)
            if w:
                parts.append(f"{t.name} ×{w:g}")
        return " + ".join(parts).replace("+ -", "− ").replace("×-", "×−")


def member_key(name: str, unit_code: str, birth: str | None) -> str:
    """An id for a member the office's roster gives no number: name + unit + birth date identify one.

    >>> member_key("王建华", "360424", "1965-03")
    'M360424-c251517f'
    """
    digest = hashlib.sha256(f"{name}|{unit_code}|{birth or ''}".encode()).hexdigest()[:8]
    return f"M{unit_code}-{digest}"
