"""`cppcc users …` and `cppcc audit`: accounts and the 操作日志 from the terminal (the same services as
the 账号管理 and 操作日志 pages, so the same rules hold)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from services import accounts
from store.connection import Store


def _password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    """From stdin (--password-stdin, one line) or asked twice at the terminal, never echoed."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise accounts.AccountError("两次输入的密码不一致")
    return first


def cmd_users(store: Store, args: argparse.Namespace) -> int:
    """Accounts: the first `users add … --role admin` turns sign-in on."""
    try:
        if args.users_command == "add":
            a = accounts.add_account(
                store, args.name, args.role, _password(args), args.unit or (), by=args.actor
            )
            units = f"，单位 {'、'.join(a.units)}" if a.units else ""
            print(
                f"已添加账号“{a.name}”（{accounts.ROLE_ZH[a.role]}{units}）。看板和命令行从现在起需要登录或 --user。"
            )
        elif args.users_command == "list":
            rows = accounts.accounts(store)
            if args.json:
                out = [{"name": a.name, "role": a.role, "units": list(a.units), "disabled": a.disabled,
                        "must_change": a.must_change, "locked": bool(a.locked_until and a.locked_until > dt.datetime.now())}
                       for a in rows]  # fmt: skip
                print(json.dumps({"users": out}, ensure_ascii=False, indent=2))
            elif not rows:
                print("还没有账号：未启用登录（看板只在本机 127.0.0.1 上提供）。")
            for a in [] if args.json else rows:
                state = "（已停用）" if a.disabled else ""
                print(f"{a.name}  {accounts.ROLE_ZH[a.role]}  {'、'.join(a.units)}{state}")
        elif args.users_command == "passwd":
            by = args.actor or accounts.open_actor()
            accounts.set_password(store, args.name, _password(args, "新密码："), by)
            print(
                f"已设置账号“{args.name}”的密码"
                + ("（下次登录时须修改）。" if by.name != args.name else "。")
            )
        else:
            accounts.set_disabled(
                store, args.name, args.users_command == "disable", args.actor or accounts.open_actor()
            )
            print(f"已{'停用' if args.users_command == 'disable' else '启用'}账号“{args.name}”。")
    except accounts.AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_audit(store: Store, args: argparse.Namespace) -> int:
    since = None
    if args.since:
        try:
            since = dt.datetime.fromisoformat(args.since)
        except ValueError:
            print(
                f"cppcc audit: --since {args.since}：应写作如 2024-10-01 或 2024-10-01T08:00", file=sys.stderr
            )
            return 2
    rows = accounts.audit(store, args.actor or accounts.open_actor(), since, args.by)
    if args.json:
        out = [{"id": r.id, "time": r.at.isoformat(timespec="seconds"), "user": r.actor, "address": r.address,
                "action": r.action, "outcome": r.outcome, "detail": r.detail} for r in rows]  # fmt: skip
        print(json.dumps({"entries": out}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("操作日志中没有符合条件的记录。")
    for r in rows:
        detail = json.dumps(r.detail, ensure_ascii=False) if r.detail else ""
        print(
            f"{r.id:>5}  {r.at:%Y-%m-%d %H:%M:%S}  {r.actor}  {r.address or ''}  {r.action}  {r.outcome}  {detail}"
        )
    return 0


def add_account_commands(sub: Any) -> None:
    """The `users` and `audit` subcommands, on the main parser's subparsers."""
    us = sub.add_parser("users", help="账号：添加第一个管理员账号即启用登录")
    usub2 = us.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    ua = usub2.add_parser("add", help="添加账号（密码从终端输入，或用 --password-stdin 从标准输入读取）")
    ua.add_argument("name", metavar="NAME")
    ua.add_argument("--role", required=True, choices=["viewer", "staff", "admin", "kiosk"])
    ua.add_argument("--unit", action="append", metavar="CODE", help="填报员负责的单位代码，可重复")
    ua.add_argument("--password-stdin", action="store_true")
    ul = usub2.add_parser("list", help="列出账号")
    ul.add_argument("--json", action="store_true")
    up = usub2.add_parser("passwd", help="设置账号的密码（管理员重设后，该账号下次登录须修改）")
    up.add_argument("name", metavar="NAME")
    up.add_argument("--password-stdin", action="store_true")
    for action, text in (("disable", "停用账号"), ("enable", "启用账号")):
        ud = usub2.add_parser(action, help=text)
        ud.add_argument("name", metavar="NAME")
    us.set_defaults(func=cmd_users)
    au = sub.add_parser("audit", help="查看操作日志（管理员）")
    au.add_argument("--since", metavar="DATE")
    au.add_argument("--by", metavar="NAME")
    au.add_argument("--json", action="store_true")
    au.set_defaults(func=cmd_audit)
