"""The `cppcc` command. Its options and JSON output are a contract: extend them, never rename.

    cppcc [--db PATH] import [--dry-run] [--json] [--period P] [--cumulative] [--user NAME] [--replace-demo] FILE...
    cppcc [--db PATH] history [--json]
    cppcc [--db PATH] revert BATCH_ID
    cppcc [--db PATH] template --out FILE.xlsx
    cppcc [--db PATH] targets import --year YEAR FILE
    cppcc [--db PATH] demo [--remove]
    cppcc [--db PATH] units import FILE
    cppcc [--db PATH] init
    cppcc [--db PATH] backup --out FILE.duckdb
    cppcc [--db PATH] restore FILE.duckdb [--force]
    cppcc [--db PATH] export --format pptx|pdf|xlsx [--deck NAME] [--period P] --out FILE
    cppcc [--db PATH] users add NAME --role viewer|staff|admin|kiosk [--unit CODE ...] [--password-stdin]
    cppcc [--db PATH] users list [--json] | users passwd NAME [--password-stdin] | users disable|enable NAME
    cppcc [--db PATH] audit [--since DATE] [--by NAME] [--json]
    cppcc [--db PATH] members import [--dry-run] [--json] [--replace-demo] FILE...
    cppcc [--db PATH] members inactive --year Y [--unit CODE] [--json]
    cppcc [--db PATH] activities import [--dry-run] [--json] [--period P] [--replace-demo] FILE...

`--user NAME` may come before the command (or after `import`, `revert`, `targets import`, `demo`). With
sign-in off (no account in the store) it is a free-text label; with it on, it names the account the
command acts as, and every writing command needs it and obeys that account's rights.

Exit codes: 0 success (import: every file imported or already imported), 1 the work was refused
(import: any file rejected; each file is all-or-nothing on its own), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cli.accounts import add_account_commands
from cli.members import add_member_commands
from cli.report import result_json, result_text
from demo.build import build_demo
from domain.accounts import PermissionDenied
from domain.dictionary import demo_units, load_dictionary
from exports.template import write_template
from loaders import Issue, parse_period_option
from services import accounts, decks
from services.batches import RevertRefused, history, remove_demo, revert
from services.imports import DEMO_REFUSED, ImportResult, commit, prepare
from services.setup import UnitListError, apply_units, backup, copy_store, import_targets, read_units, restore
from store.connection import Store
from store.dictionary import effective_dictionary
from store.errors import StoreError
from store.open import open_store
from store.read import store_units

LEVEL_ZH = {"city": "市本级", "district": "区", "county": "县", "county_city": "县级市"}
FIELD_ZH = {"name": "名称", "aliases": "别名", "level": "级别"}


def _fmt(field: str, value: object) -> str:
    if field == "aliases":
        return "、".join(value) if value else "（无）"  # type: ignore[arg-type]
    if field == "level":
        return LEVEL_ZH.get(str(value), str(value))
    return str(value)


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    if args.remove:
        n = remove_demo(store, user=args.user, actor=args.actor)
        print(
            f"已删除演示数据：{n:,} 个数值（单位列表保留），数据库 {store.label}"
            if n
            else "数据库中没有演示数据。"
        )
        return 0
    if args.actor is not None:
        from domain.accounts import require

        require(args.actor, "demo")
    batch, n = build_demo(store)
    print(f"已生成演示数据：{n:,} 个数值（批次 {batch}），数据库 {store.label}")
    return 0


def cmd_init(store: Store, args: argparse.Namespace) -> int:
    existed = store.exists()
    with store.connect():
        pass
    print(f"数据库 {store.label} 已存在，结构已是最新。" if existed else f"已建立空数据库：{store.label}")
    if not existed:
        print("下一步：用 cppcc units import 导入填报单位列表，再导入各县区报表。")
    return 0


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    out = Path(args.out)
    sums = backup(store, out, actor=args.actor)
    rows = sum(n for n, _ in sums.values())
    print(f"已备份到 {out}：{len(sums)} 张表、{rows:,} 行，逐表核对行数和校验和一致。")
    return 0


def cmd_copy_store(store: Store, args: argparse.Namespace) -> int:
    source = open_store(args.source, busy_timeout=_busy_timeout())
    try:
        sums = copy_store(store, source, force=args.force, actor=args.actor)
    finally:
        source.close()
    rows = sum(n for n, _ in sums.values())
    print(
        f"已从 {source.label} 复制到 {store.label}：{len(sums)} 张表、{rows:,} 行，逐表核对行数和校验和一致。"
    )
    return 0


def cmd_restore(store: Store, args: argparse.Namespace) -> int:
    sums = restore(store, Path(args.file), force=args.force, actor=args.actor)
    rows = sum(n for n, _ in sums.values())
    print(f"已从 {args.file} 恢复到 {store.label}：{len(sums)} 张表、{rows:,} 行，逐表核对一致。")
    return 0


def cmd_units_import(store: Store, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 1
    try:
        units, _ = read_units(path.name, path.read_bytes())
    except UnitListError as exc:
        print(f"未导入 {path.name}，请修改后重试：", file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    changes = apply_units(store, units, actor=args.actor)
    counts = {a: sum(c.action == a for c in changes) for a in ("added", "updated", "unchanged")}
    print(
        f"已导入 {path.name}：新增 {counts['added']} 个单位，更新 {counts['updated']} 个，"
        f"未变 {counts['unchanged']} 个。"
    )
    for c in changes:
        if c.action == "added":
            print(f"  + {c.code} {c.name}")
        elif c.action == "updated":
            detail = "；".join(
                f"{FIELD_ZH[k]}：{_fmt(k, a)} → {_fmt(k, b)}" for k, (a, b) in c.fields.items()
            )
            print(f"  ~ {c.code} {c.name}：{detail}")
    return 0


def _import_one(
    store: Store, path: Path, args: argparse.Namespace, period: tuple[int, int | None] | None
) -> ImportResult:
    if not path.is_file():
        missing = Issue("error", path.name, None, None, None, f"找不到文件 {path}", "file_not_found")
        return ImportResult(
            path.name, "rejected", None, 0, {"new": 0, "changed": 0, "unchanged": 0}, [], [missing]
        )
    prepared = prepare(
        store,
        path.name,
        path.read_bytes(),
        user=args.user,
        actor=args.actor,
        period=period,
        cumulative=True if args.cumulative else None,
        max_bytes=args.max_bytes,
        compare=args.dry_run,  # a real import compares inside its write transaction
    )
    if args.dry_run and prepared.status == "ready":
        warnings = list(prepared.warnings)
        if prepared.replaces_demo and not args.replace_demo:
            warnings.append(Issue("warning", path.name, None, None, None, DEMO_REFUSED, "demo_data"))
        ready = ImportResult(path.name, "ready", None, prepared.n_values, prepared.counts, warnings, [])
        ready.skipped_sheets = list(prepared.parsed.skipped_sheets) if prepared.parsed else []
        return ready
    return commit(store, prepared, replace_demo=args.replace_demo, user=args.user, actor=args.actor)


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    period = None
    if args.period:
        try:
            period = parse_period_option(args.period)
        except ValueError as exc:
            print(f"cppcc import: --period {args.period}：{exc}", file=sys.stderr)
            return 2
    results: list[ImportResult] = []
    for name in args.files:
        try:
            results.append(_import_one(store, Path(name), args, period))
        except StoreError as exc:  # busy, or a conflict: this file is refused, the report still printed
            err = Issue("error", Path(name).name, None, None, None, str(exc), "store_busy")
            results.append(
                ImportResult(
                    Path(name).name, "rejected", None, 0, {"new": 0, "changed": 0, "unchanged": 0}, [], [err]
                )
            )
        if not args.json:
            print(result_text(results[-1]), flush=True)
    if args.json:
        print(json.dumps({"files": [result_json(r) for r in results]}, ensure_ascii=False, indent=2))
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_history(store: Store, args: argparse.Namespace) -> int:
    batches = history(store)
    if args.json:
        rows = [
            {
                "batch_id": b.id,
                "kind": b.kind,
                "file": b.file_name,
                "user": b.user_name,
                "time": b.created_at.isoformat(timespec="seconds"),
                "new": b.n_new,
                "changed": b.n_changed,
                "unchanged": b.n_unchanged,
                "reverts": b.reverts,
                "reverted_by": b.reverted_by,
                "sha256": b.sha256,
            }
            for b in batches
        ]
        print(json.dumps({"batches": rows}, ensure_ascii=False, indent=2))
        return 0
    if not batches:
        print("还没有任何导入批次。")
        return 0
    kinds = {"import": "导入", "revert": "撤销", "demo": "演示", "targets": "目标", "roster": "名册", "activities": "履职",
             "demo_removed": "删除演示"}  # fmt: skip
    for b in batches:
        state = f"（已由批次 {b.reverted_by} 撤销）" if b.reverted_by is not None else ""
        detail = (
            f"撤销批次 {b.reverts}"
            if b.kind == "revert"
            else f"新增 {b.n_new}，修改 {b.n_changed}，未变 {b.n_unchanged}"
        )
        print(
            f"{b.id:>4}  {b.created_at:%Y-%m-%d %H:%M}  {kinds.get(b.kind, b.kind)}  {b.file_name or ''}  {b.user_name or ''}  {detail}{state}"
        )
    return 0


def cmd_revert(store: Store, args: argparse.Namespace) -> int:
    try:
        new = revert(store, args.batch_id, user=args.user, actor=args.actor)
    except RevertRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已撤销批次 {args.batch_id}（记为批次 {new}）：该批次写入的数值已恢复为导入前的值。")
    return 0


def cmd_template(store: Store, args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"文件夹 {out.parent} 不存在：请先建立它，或换一个 --out 路径", file=sys.stderr)
        return 1
    if store.exists():  # the store's dictionary: with the indicators and aliases staff added
        with store.connect() as con:
            units, dictionary = store_units(con), effective_dictionary(con)
    else:
        units, dictionary = [], load_dictionary()
        print(f"没有数据库 {store.label}：模板按随程序提供的指标字典和九江市单位列表生成。")
    write_template(out, dictionary, units or demo_units(), args.year or dt.date.today().year)
    print(f"已生成填报模板：{out}")
    return 0


def cmd_targets_import(store: Store, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 1
    result = import_targets(store, path.name, path.read_bytes(), args.year, user=args.user, actor=args.actor)
    if result.status == "imported":
        print(f"已导入 {path.name}：{args.year}年目标 {result.count} 项（批次 {result.batch_id}）")
        return 0
    if result.status == "duplicate":
        print(f"= 未重复导入 {path.name}：同一文件已于批次 {result.batch_id} 导入为{args.year}年目标")
        return 0
    print(f"未导入 {path.name}：发现 {len(result.errors)} 个错误，整个文件未写入", file=sys.stderr)
    for issue in result.errors:
        print(f"    · {issue.message}", file=sys.stderr)
    return 1


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "命令行"


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """A deck (the ready-made `default` when none is named) for a period, as pptx, pdf or xlsx."""
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"文件夹 {out.parent} 不存在：请先建立它，或换一个 --out 路径", file=sys.stderr)
        return 1
    try:
        rendered = decks.render(store, args.deck, args.period)
        data = decks.export(rendered, args.format)
    except (decks.DeckError, decks.ExportUnavailable) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    who = args.actor or (
        accounts.actor_for(store, args.user)
        if args.user and accounts.signin_enabled(store)
        else accounts.open_actor(args.user or _os_user())
    )
    accounts.record(
        store,
        who,
        "export",
        {
            "format": args.format,
            "deck": rendered.deck.name,
            "period": rendered.period.label,
            "file": out.name,
        },
    )
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written file under the asked name
    n = len(rendered.slides)
    print(
        f"已导出 {out}：汇报材料“{rendered.deck.name}”，{rendered.period_text}，{n} 张幻灯片（{len(data):,} 字节）"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cppcc", description="政协履职数据看板的命令行工具")
    p.add_argument(
        "--db",
        metavar="PATH",
        help="数据库：DuckDB 文件路径，或 postgresql://用户@主机:端口/库名（默认取环境变量 CPPCC_DB，否则 data/cppcc.duckdb）",
    )
    p.add_argument(
        "--user", dest="global_user", metavar="NAME",
        help="操作人：未启用登录时为记录的姓名；启用登录后为账号，写入类命令必须指定",
    )  # fmt: skip
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    im = sub.add_parser(
        "import", help="导入季度统计表（xlsx、xlsm、xls、csv），每个文件要么全部导入，要么不导入"
    )
    im.add_argument("files", nargs="+", metavar="FILE")
    im.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    im.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    im.add_argument(
        "--period", metavar="P", help="表中未写明期间时使用的期间，如 2024Q1、2024年第一季度、2023"
    )
    im.add_argument("--cumulative", action="store_true", help="表中数值为年初至今的累计数")
    im.add_argument("--user", metavar="NAME", help="记录在批次中的导入人（默认当前系统用户）")
    im.add_argument(
        "--replace-demo",
        action="store_true",
        help="数据库中是演示数据时，先删除演示数据再导入（真实数据的第一次导入）",
    )
    im.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help=argparse.SUPPRESS)
    im.set_defaults(func=cmd_import)
    h = sub.add_parser("history", help="列出导入批次")
    h.add_argument("--json", action="store_true", help="以 JSON 输出")
    h.set_defaults(func=cmd_history)
    rv = sub.add_parser("revert", help="撤销一个导入批次")
    rv.add_argument("batch_id", type=int, metavar="BATCH_ID")
    rv.add_argument("--user", metavar="NAME", help=argparse.SUPPRESS)
    rv.set_defaults(func=cmd_revert)
    tp = sub.add_parser("template", help="生成 Excel 填报模板")
    tp.add_argument("--out", required=True, metavar="FILE.xlsx")
    tp.add_argument("--year", type=int, help=argparse.SUPPRESS)
    tp.set_defaults(func=cmd_template)
    tg = sub.add_parser("targets", help="年度目标任务")
    tsub = tg.add_subparsers(dest="targets_command", required=True, metavar="ACTION")
    ti = tsub.add_parser("import", help="从表格导入某年的目标任务（每行一个单位，每列一个指标）")
    ti.add_argument("file", metavar="FILE")
    ti.add_argument("--year", type=int, required=True, help="目标所属年度，如 2025")
    ti.add_argument("--user", metavar="NAME", help="记录在批次中的导入人")
    ti.set_defaults(func=cmd_targets_import)
    ini = sub.add_parser("init", help="建立一个空数据库（真实数据从这里开始：先导入单位列表）")
    ini.set_defaults(func=cmd_init)
    bk = sub.add_parser("backup", help="把整个数据库复制为一个经核对的备份文件（看板运行时也可以）")
    bk.add_argument("--out", required=True, metavar="FILE.duckdb")
    bk.set_defaults(func=cmd_backup)
    cs = sub.add_parser(
        "copy-store",
        help="把另一个数据库（DuckDB 文件或 postgresql://…）整个复制到 --db 指定的数据库，逐表核对",
    )
    cs.add_argument(
        "--from", dest="source", required=True, metavar="SOURCE", help="源：文件路径或 postgresql://…"
    )
    cs.add_argument("--force", action="store_true", help="目标已有数据时替换它")
    cs.set_defaults(func=cmd_copy_store)
    rs = sub.add_parser("restore", help="用备份文件替换数据库（已有数据时须加 --force）")
    rs.add_argument("file", metavar="FILE.duckdb")
    rs.add_argument("--force", action="store_true", help="替换已有数据")
    rs.set_defaults(func=cmd_restore)
    d = sub.add_parser("demo", help="生成（重建）演示数据；--remove 删除演示数据")
    d.add_argument("--remove", action="store_true", help="删除演示数据（单位列表保留），开始使用真实数据")
    d.add_argument("--user", metavar="NAME", help=argparse.SUPPRESS)
    d.set_defaults(func=cmd_demo)
    u = sub.add_parser("units", help="管理填报单位")
    usub = u.add_subparsers(dest="units_command", required=True, metavar="ACTION")
    ui = usub.add_parser("import", help="从 CSV 或 XLSX（列：code, name, aliases, level）新增或更新单位")
    ui.add_argument("file", metavar="FILE")
    ui.set_defaults(func=cmd_units_import)
    ex = sub.add_parser("export", help="把汇报材料导出为 PowerPoint（可编辑图表）、PDF 报告或 Excel 数据")
    ex.add_argument("--format", required=True, choices=["pptx", "pdf", "xlsx"], help="导出格式")
    ex.add_argument(
        "--deck", default="default", metavar="NAME", help="汇报材料名称（默认 default：内置的主要指标）"
    )
    ex.add_argument(
        "--period",
        metavar="P",
        help="期间：2024（全年）、2024Q3（一个季度）、2024Q1-Q3 或 2024年1-9月（年初至今）；默认为有数据的最近期间",
    )
    ex.add_argument("--out", required=True, metavar="FILE")
    ex.set_defaults(func=cmd_export)
    add_account_commands(sub)
    add_member_commands(sub)
    return p


def _busy_timeout() -> float:
    """Seconds an open waits for another process's lock: CPPCC_BUSY_TIMEOUT, else 15."""
    try:
        return max(0.1, float(os.environ.get("CPPCC_BUSY_TIMEOUT", "15")))
    except ValueError:
        return 15.0


# Commands that may create the store; every other one refuses a missing file (a mistyped --db
# must never leave an empty store, or its folders, behind).
CREATES = {"init", "demo", "units", "restore", "copy-store"}
# Commands that change nothing: with sign-in on they need no --user (an export is still logged).
READ_ONLY = {"history", "template", "export", "init"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = open_store(args.db, busy_timeout=_busy_timeout())
    creates = args.command in CREATES and not (args.command == "demo" and args.remove)
    args.user = getattr(args, "user", None) or args.global_user
    args.actor = None
    try:
        if not creates and args.command != "template" and not store.exists():
            what = "数据库文件" if store.target == str(store.path) else "数据库（其中还没有本系统的表）"
            print(
                f"找不到{what} {store.label}：请检查 --db 或 CPPCC_DB。"
                "新建数据库请用 cppcc init（或 cppcc demo 生成演示数据）",
                file=sys.stderr,
            )
            return 1
        if args.command not in READ_ONLY and store.exists():
            try:
                signed = accounts.signin_enabled(store)
            except StoreError:  # busy: the command reports it where it would (import: per file, in its JSON)
                signed = False
            first_admin = args.command == "users" and args.users_command == "add" and not signed
            if signed and not first_admin:
                args.actor = accounts.actor_for(store, args.user)
        return int(args.func(store, args))
    except PermissionDenied as exc:  # the account may not do this: the same rule as on the pages
        print(str(exc), file=sys.stderr)
        return 1
    except StoreError as exc:  # busy, conflict, a refusal: the message says what to do
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
