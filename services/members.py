"""Member records for the pages and the CLI alike: importing a roster or an activity log (who may,
for which units, audited), and reading members' personal records under the privacy rule.

Names and records are personal data: an admin sees them, staff for their own units, 领导 only where
the deployment sets CPPCC_LEADERS_SEE_MEMBERS=1; everyone else sees aggregates. Every export of
personal data (a download, `members inactive --json`) is written to the audit log.

>>> p = prepare_roster(store, "名册.xlsx", data, actor=me)           # doctest: +SKIP
>>> commit_roster(store, p, actor=me).status                          # doctest: +SKIP
'imported'
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from domain.accounts import Actor, PermissionDenied, may, require
from domain.members import PointsRule
from loaders import Issue
from services import access
from store import member_queries as q
from store import roster as _roster
from store.connection import Store
from store.ingest import ImportResult
from store.member_log import LogPrepared
from store.member_log import commit_log as _commit_log
from store.member_log import prepare_log as _prepare_log
from store.read import units as store_units
from store.roster import RosterPrepared
from store.roster import commit_roster as _commit_roster
from store.roster import prepare_roster as _prepare_roster

__all__ = [
    "LogPrepared", "RosterPrepared", "commit_log", "commit_roster", "inactive", "member_record",
    "member_year", "prepare_log", "prepare_roster", "visible_units",
]  # fmt: skip


def viewers_see_members() -> bool:
    """The deployment's setting: 领导 (viewers) may see members' names and records."""
    return os.environ.get("CPPCC_LEADERS_SEE_MEMBERS", "").strip().lower() in ("1", "true", "yes", "是")


def _names(store: Store) -> dict[str, str]:
    with store.connect() as con:
        u = store_units(con)
    return dict(zip(u["code"], u["name"], strict=True))


def _scope(store: Store, p: RosterPrepared | LogPrepared, who: Actor, units: list[str]) -> None:
    """A staff account's file naming members of another unit is refused whole, each row named."""
    if who.role != "staff" or p.status != "ready":
        return
    other = [u for u in units if u not in who.units]
    if not other:
        return
    names = _names(store)
    own = "、".join(names.get(u, u) for u in who.units)
    if isinstance(p, RosterPrepared):
        for c in p.changes:
            if c.member.unit_code in other:
                u = c.member.unit_code
                p.errors.append(Issue("error", p.file, c.member.sheet, c.member.row, None,
                                      f"第{c.member.row}行：委员{c.member.name}属于{names.get(u, u)}（{u}）：账号“{who.name}”"
                                      f"只能导入{own}的名册，整个文件未导入", "not_your_unit"))  # fmt: skip
    else:
        shown = "、".join(f"{names.get(u, u)}（{u}）" for u in other)
        p.errors.append(Issue("error", p.file, None, None, None,
                              f"文件中有{shown}委员的履职记录：账号“{who.name}”只能导入{own}的记录，整个文件未导入",
                              "not_your_unit"))  # fmt: skip
    p.status = "rejected"


def _prepare(read: Any, store: Store, name: str, data: bytes, actor: Actor | None, user: str | None,
             **kw: Any) -> Any:  # fmt: skip
    who = access.resolve(store, actor, user)
    require(who, "import")
    p = read(store, name, data, user=access.label(who, user), **kw)
    _scope(store, p, who, p.units)
    return p


def _commit(write: Any, action: str, store: Store, p: RosterPrepared | LogPrepared, replace_demo: bool,
            user: str | None, actor: Actor | None, address: str | None) -> ImportResult:  # fmt: skip
    """Write once the actor may import every unit the file touches (and remove the demo, if it goes)."""
    who = access.resolve(store, actor, user)
    if p.status == "ready":
        require(who, "import", p.units, _names(store))
        if replace_demo and p.replaces_demo:
            require(who, "demo")
    result: ImportResult = write(store, p, replace_demo=replace_demo, user=access.label(who, user) or p.user)
    _audit_import(store, who, action, p.file, p.sha256, result, p.units, address)
    return result


def prepare_roster(store: Store, name: str, data: bytes, *, actor: Actor | None = None,
                   user: str | None = None, **kw: Any) -> RosterPrepared:  # fmt: skip
    """Read a roster and show what it changes (store.roster.prepare_roster); writes nothing."""
    return _prepare(_prepare_roster, store, name, data, actor, user, **kw)


def commit_roster(store: Store, p: RosterPrepared, *, replace_demo: bool = False, user: str | None = None,
                  actor: Actor | None = None, address: str | None = None) -> ImportResult:  # fmt: skip
    return _commit(_commit_roster, "roster_import", store, p, replace_demo, user, actor, address)


def prepare_log(store: Store, name: str, data: bytes, *, actor: Actor | None = None,
                user: str | None = None, **kw: Any) -> LogPrepared:  # fmt: skip
    """Read an activity log and check it against the roster and the store; writes nothing."""
    return _prepare(_prepare_log, store, name, data, actor, user, **kw)


def commit_log(store: Store, p: LogPrepared, *, replace_demo: bool = False, user: str | None = None,
               actor: Actor | None = None, address: str | None = None) -> ImportResult:  # fmt: skip
    return _commit(_commit_log, "activities_import", store, p, replace_demo, user, actor, address)


def _audit_import(store: Store, who: Actor, action: str, file: str, sha: str, result: ImportResult,
                  units: list[str], address: str | None) -> None:  # fmt: skip
    outcome = "ok" if result.status in ("imported", "duplicate") else "refused"
    access.audit(store, who, action, {"file": file, "sha256": sha, "status": result.status,
                                      "batch_id": result.batch_id, "units": units, "rows": result.values},
                 address, outcome)  # fmt: skip


def visible_units(store: Store, actor: Actor | None) -> list[str] | None:
    """The units whose members the actor may see by name: None = every unit, [] = none (aggregates only)."""
    who = access.resolve(store, actor)
    if who.role == "staff":
        return list(who.units)
    return None if may(who, "member_records", (), viewers_see_members()) else []


def member_year(store: Store, year: int, units: list[str] | None = None) -> pd.DataFrame:
    """Per member serving in `year`: activities, attendance, points (aggregate-safe: the caller hides
    names from actors without `member_records`)."""
    with store.connect() as con:
        return q.member_year(con, year, units)


def inactive(store: Store, year: int, unit: str | None = None, *, actor: Actor | None = None,
             user: str | None = None, export: str | None = None, address: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The 提醒谈话 list for `year` (one unit, or all the actor may see by name). With `export`
    (the format: json, xlsx, csv) the list leaves the system and the audit log records it."""
    who = access.resolve(store, actor, user)
    units = [unit] if unit else None
    if units is None and who.role == "staff":
        units = list(who.units)
    require(who, "member_records", units or (), _names(store), viewers_see_members())
    with store.connect() as con:
        df = q.inactive(con, year, units)
    if export:
        access.audit(store, who, "member_export",
                     {"list": "inactive", "year": year, "units": units or "all", "format": export, "members": len(df)},
                     address)  # fmt: skip
    return df


def member_record(
    store: Store, member_id: str, *, actor: Actor | None = None
) -> tuple[dict | None, pd.DataFrame]:
    """A member's record and every activity with its source; PermissionDenied outside the actor's right."""
    who = access.resolve(store, actor)
    with store.connect() as con:
        info = q.member_info(con, member_id)
        if info is None:
            return None, pd.DataFrame()
        require(who, "member_records", [info["unit_code"]], None, viewers_see_members())
        return info, q.member_record(con, member_id)


def member_history(store: Store, member_id: str, *, actor: Actor | None = None) -> list[dict]:
    """Every version of a member's roster record (moves, end dates), oldest first, under the same right."""
    info, _ = member_record(store, member_id, actor=actor)
    if info is None:
        return []
    with store.connect() as con:
        return _roster.member_history(con, member_id)


def audit_export(
    store: Store, actor: Actor | None, what: str, detail: dict, address: str | None = None
) -> None:
    """Record that personal data left the system (a page's download)."""
    who = access.resolve(store, actor)
    access.audit(store, who, "member_export", {"list": what, **detail}, address)


def points_rule(store: Store) -> PointsRule:
    with store.connect() as con:
        return q.points_rule(con)


def save_points_rule(store: Store, rule: PointsRule, *, actor: Actor | None = None) -> None:
    who = access.resolve(store, actor)
    require(who, "member_points")
    with store.transaction() as con:
        q.save_points_rule(con, rule)
    access.audit(store, who, "member_points", {"weights": [list(w) for w in rule.weights]})


def derived_figures(store: Store, year: int, quarter: int | None = None) -> pd.DataFrame:
    with store.connect() as con:
        return q.derived_figures(con, year, quarter)


def log_years(store: Store) -> list[int]:
    with store.connect() as con:
        return q.log_years(con)


def today() -> dt.date:
    return dt.date.today()


def activity_counts(store: Store, year: int, member_ids: list[str]) -> pd.DataFrame:
    """(member_id, activity, n): the given members' activities in `year` by type — the parts of their
    scores (aggregate-safe as member_year: the caller shows them only where names may be seen)."""
    with store.connect() as con:
        return q.activity_counts(con, year, member_ids)


def activity_totals(store: Store, year: int, member_ids: list[str]) -> dict[str, int]:
    """{activity: count} over the given members' activities in `year` (an aggregate)."""
    with store.connect() as con:
        return q.activity_totals(con, year, member_ids)


def member_file(
    store: Store, member_id: str, *, actor: Actor | None = None
) -> tuple[dict | None, pd.DataFrame, list[dict]]:
    """member_record and member_history in one read: the record, every activity with its source, every
    version of the roster record — the right checked once, on one connection."""
    who = access.resolve(store, actor)
    with store.connect() as con:
        info = q.member_info(con, member_id)
        if info is None:
            return None, pd.DataFrame(), []
        require(who, "member_records", [info["unit_code"]], None, viewers_see_members())
        return info, q.member_record(con, member_id), _roster.member_history(con, member_id)


__all__ += [
    "PermissionDenied",
    "activity_counts",
    "activity_totals",
    "audit_export",
    "derived_figures",
    "log_years",
    "member_file",
    "points_rule",
    "save_points_rule",
]
