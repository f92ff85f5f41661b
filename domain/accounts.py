"""Who may do what: the roles, the actions, and the one rule deciding "may this actor do this to these
units". The services call `require` before they change anything, so the pages and the CLI obey the
same rule (never only a hidden button).

- 领导 viewer: every analysis page, 汇报模式, exports, decks of their own.
- 填报员 staff (for some units): as viewer, plus import, preview and revert batches of their own units.
- 管理员 admin: everything — units, dictionary, targets, presets, accounts, any batch.
- kiosk: only 汇报模式 (a lobby screen).

With no account in the store sign-in is off, and whoever reaches the pages acts as admin (`OPEN`).

>>> staff = Actor("修水填报员", "staff", ("360424",))
>>> may(staff, "import", ["360424"]), may(staff, "import", ["360424", "360423"]), may(staff, "targets")
(True, False, False)
>>> may(Actor("王主席", "viewer"), "export"), may(Actor("大屏", "kiosk"), "export")
(True, False)
>>> may(Actor("王主席", "viewer"), "member_records"), may(staff, "member_records", ["360423"])
(False, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Role = Literal["viewer", "staff", "admin", "kiosk"]
ROLES: tuple[Role, ...] = ("viewer", "staff", "admin", "kiosk")
ROLE_ZH = {"viewer": "领导", "staff": "填报员", "admin": "管理员", "kiosk": "大屏"}

Action = Literal[
    "view",  # the analysis pages, the brief
    "present",  # 汇报模式
    "export",  # pptx, pdf, xlsx, chart images
    "deck_own",  # save or delete a deck of one's own
    "deck_shared",  # save or delete a deck everyone sees
    "import",  # preview and import sheets (of the units given)
    "revert",  # revert a batch (touching the units given)
    "units",
    "dictionary",
    "targets",
    "presets",
    "accounts",
    "demo",
    "backup",
    "audit",
    "member_records",  # members' names and personal records (of the units given)
    "member_points",  # set the 履职积分 rule
]

_BY_ROLE: dict[str, frozenset[str]] = {
    "kiosk": frozenset({"present"}),
    "viewer": frozenset({"view", "present", "export", "deck_own"}),
    "staff": frozenset(
        {"view", "present", "export", "deck_own", "deck_shared", "import", "revert", "member_records"}
    ),
    "admin": frozenset(
        {"view", "present", "export", "deck_own", "deck_shared", "import", "revert", "units", "dictionary"}
        | {"targets", "presets", "accounts", "demo", "backup", "audit", "member_records", "member_points"}
    ),
}
_UNIT_SCOPED = frozenset({"import", "revert", "member_records"})  # a staff user's own units only


class PermissionDenied(PermissionError):
    """The actor may not do this; the message (Chinese) names what and why."""


@dataclass(frozen=True)
class Actor:
    """Who acts: an account (sign-in on), or anyone at all (sign-in off: `signed_in` False, admin)."""

    name: str
    role: Role
    units: tuple[str, ...] = ()  # a staff user's units
    signed_in: bool = True

    @property
    def role_zh(self) -> str:
        return ROLE_ZH[self.role]


def open_actor(label: str | None = None) -> Actor:
    """Sign-in off (no account in the store): whoever acts is an admin, recorded by the label given."""
    return Actor((label or "").strip() or "未登录", "admin", (), signed_in=False)


def may(actor: Actor, action: str, units: Iterable[str] = (), viewers_see_members: bool = False) -> bool:
    """Whether the actor may; `viewers_see_members` is the deployment's setting that lets 领导 see
    members' names and records (CPPCC_LEADERS_SEE_MEMBERS): without it they see aggregates only."""
    if action == "member_records" and actor.role == "viewer" and viewers_see_members:
        return True
    if action not in _BY_ROLE.get(actor.role, frozenset()):
        return False
    if action in _UNIT_SCOPED and actor.role == "staff":
        return set(units) <= set(actor.units)
    return True


ACTION_ZH = {
    "view": "查看分析页",
    "present": "汇报模式",
    "export": "导出",
    "deck_own": "保存自己的汇报材料",
    "deck_shared": "保存共享的汇报材料",
    "import": "导入报表",
    "revert": "撤销导入批次",
    "units": "管理单位",
    "dictionary": "修改指标字典",
    "targets": "设定目标任务",
    "presets": "保存指数权重方案",
    "accounts": "管理账号",
    "demo": "生成或删除演示数据",
    "backup": "备份或恢复数据库",
    "audit": "查看操作日志",
    "member_records": "查看委员个人履职档案",
    "member_points": "设定履职积分规则",
}


def require(
    actor: Actor, action: str, units: Iterable[str] = (), names: dict[str, str] | None = None,
    viewers_see_members: bool = False,
) -> None:  # fmt: skip
    """Raise PermissionDenied (Chinese) unless `may(actor, action, units)`."""
    units = list(units)
    if may(actor, action, units, viewers_see_members):
        return
    what = ACTION_ZH.get(action, action)
    if action in _UNIT_SCOPED and actor.role == "staff" and action in _BY_ROLE["staff"]:
        other = [u for u in units if u not in actor.units]
        shown = "、".join(f"{(names or {}).get(u, u)}（{u}）" for u in other)
        own = "、".join((names or {}).get(u, u) for u in actor.units)
        raise PermissionDenied(
            f"账号“{actor.name}”（{actor.role_zh}）只能为本单位（{own}）{what}，这次涉及其他单位：{shown}"
        )
    raise PermissionDenied(f"账号“{actor.name}”（{actor.role_zh}）没有权限{what}")
