"""`cppcc members` and `cppcc activities`: member records from the terminal (a contract, like `import`).

    cppcc [--db PATH] members import [--dry-run] [--json] [--user NAME] [--replace-demo] FILE...
    cppcc [--db PATH] members inactive --year Y [--unit CODE] [--json]
    cppcc [--db PATH] activities import [--dry-run] [--json] [--period P] [--user NAME] [--replace-demo] FILE...

The import commands report as `cppcc import` does ({"files": [...]} with --json; exit 1 when a file
is rejected). `members inactive --json` prints {"year", "unit", "members": [{"member_id", "name",
"unit_code", "unit_name", "sector", "start_date", "end_date", "last_activity"}]}, last_activity an ISO
date or null; with sign-in on it needs an account allowed to see members, and it is audited.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from cli.report import result_json, result_text
from loaders import Issue, parse_period_option
from services import members
from services.imports import DEMO_REFUSED, ImportResult
from store.connection import Store
from store.errors import StoreError
from store.read import store_units
from store.roster import FIELD_ZH, fmt_field

_EMPTY = {"new": 0, "changed": 0, "unchanged": 0}
LOG_MAX_BYTES = 256 * 1024 * 1024


def _rejected(file: str, code: str, message: str) -> ImportResult:
    return ImportResult(
        file, "rejected", None, 0, dict(_EMPTY), [], [Issue("error", file, None, None, None, message, code)]
    )


def _one(
    store: Store, path: Path, args: argparse.Namespace, kind: str, period: Any
) -> tuple[ImportResult, Any]:
    if not path.is_file():
        return _rejected(path.name, "file_not_found", f"找不到文件 {path}"), None
    data = path.read_bytes()
    size = {"max_bytes": args.max_bytes}
    if kind == "roster":
        p: Any = members.prepare_roster(store, path.name, data, user=args.user, actor=args.actor, **size)
    else:
        p = members.prepare_log(
            store, path.name, data, user=args.user, actor=args.actor, period=period, **size
        )
    if args.dry_run and p.status == "ready":
        warnings = list(p.warnings)
        if p.replaces_demo and not args.replace_demo:
            warnings.append(Issue("warning", path.name, None, None, None, DEMO_REFUSED, "demo_data"))
        ready = ImportResult(path.name, "ready", None, p.n_values, p.counts, warnings, [])
        ready.skipped_sheets = list(p.parsed.skipped_sheets) if p.parsed else []
        return ready, p
    commit = members.commit_roster if kind == "roster" else members.commit_log
    return commit(store, p, replace_demo=args.replace_demo, user=args.user, actor=args.actor), p


SHOWN_NEW = 20  # new members listed by name in the text report (then counted)


def _changes_text(p: Any, names: dict[str, str]) -> list[str]:
    """What a roster changes, a line per member: + new (the first 20), ~ changed with each field."""

    def unit(code: object) -> str:
        return names.get(str(code), str(code))

    lines, new = [], [c for c in p.changes if c.action == "new"]
    for c in new[:SHOWN_NEW]:
        end = f"，任职终止 {c.member.end_date}" if c.member.end_date else ""
        lines.append(
            f"  + {c.member.member_id} {c.member.name}（{unit(c.member.unit_code)}，{c.member.sector or '未填界别'}{end}）"
        )
    if len(new) > SHOWN_NEW:
        lines.append(f"  ……另有 {len(new) - SHOWN_NEW} 名新增委员")
    for c in p.changes:
        if c.action == "changed":
            detail = "；".join(
                f"{FIELD_ZH[f]}：{unit(a) if f == 'unit_code' else fmt_field(f, a)} → {unit(b) if f == 'unit_code' else fmt_field(f, b)}"
                for f, (a, b) in c.fields.items()
            )
            lines.append(f"  ~ {c.member.member_id} {c.member.name}：{detail}")
    return lines


def _changes_json(p: Any) -> list[dict[str, Any]]:
    return [
        {"member_id": c.member.member_id, "name": c.member.name, "unit_code": c.member.unit_code, "action": c.action,
         "fields": {f: [_plain(a), _plain(b)] for f, (a, b) in c.fields.items()}}
        for c in p.changes if c.action != "unchanged"
    ]  # fmt: skip


def _plain(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _import(store: Store, args: argparse.Namespace, kind: str) -> int:
    period = None
    if getattr(args, "period", None):
        try:
            period = parse_period_option(args.period)
        except ValueError as exc:
            print(f"cppcc activities import: --period {args.period}：{exc}", file=sys.stderr)
            return 2
    results: list[ImportResult] = []
    extra: list[dict[str, Any]] = []
    names = {u.code: u.name for u in _units(store)} if kind == "roster" else {}
    for name in args.files:
        p: Any = None
        try:
            result, p = _one(store, Path(name), args, kind, period)
            results.append(result)
        except StoreError as exc:
            results.append(_rejected(Path(name).name, "store_busy", str(exc)))
        ok = results[-1].status in ("imported", "ready") and p is not None and kind == "roster"
        extra.append({"changes": _changes_json(p)} if ok else {})
        if not args.json:
            text = result_text(results[-1], dry_run=args.dry_run)
            if kind == "roster" and results[-1].status in ("imported", "ready"):
                c = results[-1].counts
                text = text.replace("个数值", "名委员").replace(
                    f"未变 {c['unchanged']}", f"未变 {c['unchanged']}，其中任职终止 {c.get('ended', 0)}"
                )
                if ok:
                    text = "\n".join([text, *_changes_text(p, names)])
            elif kind == "activities":
                text = text.replace("个数值", "条履职记录")
            print(text, flush=True)
    if args.json:
        files = [result_json(r) | more for r, more in zip(results, extra, strict=True)]
        print(json.dumps({"files": files}, ensure_ascii=False, indent=2))
    return 1 if any(r.status == "rejected" for r in results) else 0


def _units(store: Store) -> list[Any]:
    try:
        with store.connect() as con:
            return store_units(con)
    except StoreError:
        return []


def cmd_members_import(store: Store, args: argparse.Namespace) -> int:
    return _import(store, args, "roster")


def cmd_activities_import(store: Store, args: argparse.Namespace) -> int:
    return _import(store, args, "activities")


def _iso(v: Any) -> str | None:
    return (
        None if v is None or (not isinstance(v, str) and pd.isna(v)) else pd.Timestamp(v).date().isoformat()
    )


def cmd_members_inactive(store: Store, args: argparse.Namespace) -> int:
    unit = args.unit
    if unit:
        with store.connect() as con:
            units = store_units(con)
        found = next((u.code for u in units if unit in (u.code, u.name, *u.aliases)), None)
        if found is None:
            print(f"找不到单位 {unit}：请用单位代码（如 360424）或名称", file=sys.stderr)
            return 2
        unit = found
    df = members.inactive(store, args.year, unit, actor=args.actor, user=args.user,
                          export="json" if args.json else "text")  # fmt: skip
    if args.json:
        rows = [
            {"member_id": r.member_id, "name": r.name, "unit_code": r.unit_code, "unit_name": r.unit_name,
             "sector": r.sector, "start_date": _iso(r.start_date), "end_date": _iso(r.end_date),
             "last_activity": _iso(r.last_activity)}
            for r in df.itertuples()
        ]  # fmt: skip
        print(json.dumps({"year": args.year, "unit": unit, "members": rows}, ensure_ascii=False, indent=2))
        return 0
    if df.empty:
        print(f"{args.year}年没有无履职记录的委员" + (f"（{unit}）" if unit else ""))
        return 0
    print(f"{args.year}年无履职记录的委员（提醒谈话名单）：{len(df)} 名")
    for r in df.to_dict("records"):
        last = _iso(r["last_activity"]) or "从无记录"
        print(
            f"  {r['unit_name'] or r['unit_code']}  {r['member_id']}  {r['name']}  {r['sector'] or ''}  最近一次履职：{last}"
        )
    return 0


def add_member_commands(sub: Any) -> None:
    m = sub.add_parser("members", help="委员名册与提醒谈话名单")
    msub = m.add_subparsers(dest="members_command", required=True)
    mi = msub.add_parser("import", help="导入委员名册（新增委员、变动与任职终止，先显示变化）")
    _import_options(mi)
    mi.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help=argparse.SUPPRESS)
    mi.set_defaults(func=cmd_members_import)
    mn = msub.add_parser("inactive", help="某年在任但无任何履职记录的委员（提醒谈话名单）")
    mn.add_argument("--year", type=int, required=True, help="年度，如 2024")
    mn.add_argument("--unit", metavar="CODE", help="只列一个单位（代码或名称）")
    mn.add_argument("--json", action="store_true", help="以 JSON 输出")
    mn.add_argument("--user", metavar="NAME", help=argparse.SUPPRESS)
    mn.set_defaults(func=cmd_members_inactive)
    a = sub.add_parser("activities", help="委员履职活动登记")
    asub = a.add_subparsers(dest="activities_command", required=True)
    ai = asub.add_parser("import", help="导入履职活动登记（每行一次活动，或每人每季度各类活动次数）")
    _import_options(ai)
    ai.add_argument("--period", metavar="P", help="表中活动所属的季度或年度，如 2024Q3（日期不在其中即报错）")
    ai.add_argument(  # a province's year is 1.2 M rows, ~55 MB of CSV: more than the upload page's 20 MB
        "--max-bytes",
        type=int,
        default=LOG_MAX_BYTES,
        help=f"文件大小上限（字节，默认 {LOG_MAX_BYTES // 2**20} MB）",
    )
    ai.set_defaults(func=cmd_activities_import)


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--user", metavar="NAME", help="记录在批次中的导入人（默认当前系统用户）")
    p.add_argument("--replace-demo", action="store_true", help="数据库中是演示数据时，删除演示数据后导入")
