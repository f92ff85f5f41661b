"""The `cppcc` command. Its options and JSON output are a contract: extend them, never rename.

    cppcc [--db PATH] demo
    cppcc [--db PATH] units import FILE

Exit codes: 0 success, 1 the work was refused (the message says why), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from loaders.unit_list import UnitListError, read_unit_list
from store.connection import Store, StoreBusy, StoreConflict, resolve_db_path
from store.demo import NotDemoDatabase, build_demo
from store.units import upsert_units

LEVEL_ZH = {"city": "市本级", "district": "区", "county": "县", "county_city": "县级市"}
FIELD_ZH = {"name": "名称", "aliases": "别名", "level": "级别"}


def _fmt(field: str, value: object) -> str:
    if field == "aliases":
        return "、".join(value) if value else "（无）"  # type: ignore[arg-type]
    if field == "level":
        return LEVEL_ZH.get(str(value), str(value))
    return str(value)


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    batch, n = build_demo(store)
    print(f"已生成演示数据：{n:,} 个数值（批次 {batch}），数据库 {store.path}")
    return 0


def cmd_units_import(store: Store, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.exists():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 1
    try:
        units = read_unit_list(path)
    except UnitListError as exc:
        print(f"未导入 {path.name}，请修改后重试：", file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    with store.transaction() as con:
        changes = upsert_units(con, units)
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cppcc", description="政协履职数据看板的命令行工具")
    p.add_argument(
        "--db", metavar="PATH", help="DuckDB 数据库文件（默认取环境变量 CPPCC_DB，否则 data/cppcc.duckdb）"
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    d = sub.add_parser("demo", help="生成（重建）演示数据")
    d.set_defaults(func=cmd_demo)
    u = sub.add_parser("units", help="管理填报单位")
    usub = u.add_subparsers(dest="units_command", required=True, metavar="ACTION")
    ui = usub.add_parser("import", help="从 CSV 或 XLSX（列：code, name, aliases, level）新增或更新单位")
    ui.add_argument("file", metavar="FILE")
    ui.set_defaults(func=cmd_units_import)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = Store(resolve_db_path(args.db))
    try:
        return int(args.func(store, args))
    except (StoreBusy, StoreConflict, NotDemoDatabase) as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
