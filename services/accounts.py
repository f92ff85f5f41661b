"""Accounts and sign-in, for the pages and the CLI alike: who the actor is, passwords (Argon2id through
argon2-cffi), the lock after repeated wrong passwords, sessions behind a signed cookie, and the audit
log (操作日志) every change is written to.

Sign-in is on as soon as the store holds one account. Without any (the demo, one person's store on one
machine) whoever acts is an admin, as before, and the server listens on 127.0.0.1 only.

Settings (environment): CPPCC_IDLE_MINUTES (a session ends after this long unused, default 30),
CPPCC_LOCK_AFTER (wrong passwords before the lock, default 5), CPPCC_LOCK_MINUTES (default 15),
CPPCC_SECRET (the cookie signing key; else a random key kept in `<store>.secret`, mode 0600).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts import ROLE_ZH, ROLES, Actor, PermissionDenied, open_actor, require
from store import accounts as _store
from store.accounts import Account, AuditRow
from store.connection import Store
from store.read import units as store_units

__all__ = ["Account", "Actor", "AuditRow", "PermissionDenied", "SignInFailed"]

MIN_PASSWORD = 8
SIGNIN_FAILED = "用户名或密码不正确，或账号已被暂时锁定（连续输错多次会锁定一段时间），请稍后再试或联系管理员"
_HASHER = PasswordHasher()
_NAME = re.compile(r"[^\x00-\x1f\x7f/\\]{1,40}")


class SignInFailed(PermissionError):
    """A sign-in refused; the message never says whether the name exists."""


class AccountError(ValueError):
    """An account that cannot be added or changed; the message (Chinese) says why."""


def _int_env(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def idle_minutes() -> int:
    return _int_env("CPPCC_IDLE_MINUTES", 30)


def lock_after() -> int:
    return _int_env("CPPCC_LOCK_AFTER", 5)


def lock_minutes() -> int:
    return _int_env("CPPCC_LOCK_MINUTES", 15)


def signin_enabled(store: Store) -> bool:
    """On as soon as the store holds one account."""
    if not store.exists():
        return False
    with store.connect() as con:
        return _store.count(con) > 0


def _actor(a: Account) -> Actor:
    return Actor(a.name, a.role, a.units)  # type: ignore[arg-type]


def actor_for(store: Store, name: str | None) -> Actor:
    """The actor a command acts as: with sign-in off, anyone (an admin labelled `name`); with it on,
    the account `name` (required, enabled). Raises PermissionDenied (Chinese) otherwise."""
    if not signin_enabled(store):
        return open_actor(name)
    if not name:
        raise PermissionDenied("已启用登录：请用 --user 指定操作的账号（cppcc users list 列出账号）")
    with store.connect() as con:
        a = _store.get(con, name.strip())
    if a is None or a.disabled:
        raise PermissionDenied(f"没有名为“{name}”的可用账号（cppcc users list 列出账号）")
    return _actor(a)


def _check_new(
    store: Store, name: str, role: str, units: Sequence[str], password: str
) -> tuple[str, list[str]]:
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise AccountError("账号名应为 1 至 40 个字，不能含有 / \\ 或控制字符")
    if role not in ROLES:
        raise AccountError(f"角色应为 {'、'.join(f'{r}（{ROLE_ZH[r]}）' for r in ROLES)} 之一")
    with store.connect() as con:
        known = set(store_units(con)["code"])
    unknown = [u for u in units if u not in known]
    if unknown:
        raise AccountError(f"单位代码 {'、'.join(unknown)} 不在单位列表中")
    if role == "staff" and not units:
        raise AccountError("填报员账号至少要有一个单位（--unit 代码）")
    check_password(password)
    return name, list(dict.fromkeys(units))


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")


def add_account(
    store: Store, name: str, role: str, password: str, units: Sequence[str] = (), by: Actor | None = None,
    address: str | None = None,
) -> Account:  # fmt: skip
    """Add an account. The first one must be an admin (it turns sign-in on, and someone must manage)."""
    first = not signin_enabled(store)
    by = by or open_actor()
    if not first:
        require(by, "accounts")
    elif role != "admin":
        raise AccountError("第一个账号必须是管理员（--role admin）：启用登录后需要有人管理账号")
    name, units = _check_new(store, name, role, units, password)
    with store.transaction() as con:
        if _store.get(con, name) is not None:
            raise AccountError(f"已有名为“{name}”的账号")
        _store.insert(con, name, role, units, _HASHER.hash(password))
        _store.append_audit(
            con, by.name, "account_add", {"account": name, "role": role, "units": units}, address
        )
        a = _store.get(con, name)
    assert a is not None
    return a


def accounts(store: Store, by: Actor | None = None) -> list[Account]:
    """Every account (an admin's view; the CLI with sign-in off lists them for anyone)."""
    if by is not None:
        require(by, "accounts")
    with store.connect() as con:
        return _store.all_accounts(con)


def set_password(
    store: Store, name: str, password: str, by: Actor, address: str | None = None, old: str | None = None
) -> None:
    """A user changes their own password (giving the old one), or an admin resets one (the user must
    change it at the next sign-in). Every session of the account ends."""
    check_password(password)
    with store.transaction() as con:
        a = _store.get(con, name)
        if a is None:
            raise AccountError(f"没有名为“{name}”的账号")
        own = by.signed_in and by.name == name
        if own:
            if old is not None and not _verify(a, old):
                raise AccountError("原密码不正确")
        else:
            require(by, "accounts")
        _store.update(
            con, name, password_hash=_HASHER.hash(password), must_change=not own, failed=0, locked_until=None
        )
        _store.append_audit(
            con, by.name, "password_change" if own else "password_reset", {"account": name}, address
        )
    _drop_account_sessions(store, name)


def set_disabled(store: Store, name: str, disabled: bool, by: Actor, address: str | None = None) -> None:
    require(by, "accounts")
    with store.transaction() as con:
        a = _store.get(con, name)
        if a is None:
            raise AccountError(f"没有名为“{name}”的账号")
        if disabled and a.role == "admin":
            admins = [x for x in _store.all_accounts(con) if x.role == "admin" and not x.disabled]
            if len(admins) <= 1:
                raise AccountError("不能停用最后一个可用的管理员账号")
        _store.update(con, name, disabled=disabled)
        _store.append_audit(
            con, by.name, "account_disable" if disabled else "account_enable", {"account": name}, address
        )
    if disabled:
        _drop_account_sessions(store, name)


def _verify(a: Account, password: str) -> bool:
    try:
        return bool(a.password_hash) and _HASHER.verify(a.password_hash or "", password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(store: Store, name: str, password: str, address: str | None = None) -> Account:
    """The account, when the name and password match and it is neither disabled nor locked; else
    SignInFailed with one message for every cause. Each attempt is in the audit log (written before
    the refusal is raised: a failed attempt still counts towards the lock)."""
    now = dt.datetime.now()
    name = (name or "").strip()
    ok: Account | None = None
    with store.transaction() as con:
        a = _store.get(con, name)
        if a is None:
            _HASHER.hash(password or "x")  # the same time spent as for a known name
            _store.append_audit(
                con, name[:40] or "（空）", "signin", {"reason": "unknown"}, address, "refused"
            )
        elif a.disabled or (a.locked_until is not None and a.locked_until > now):
            reason = "disabled" if a.disabled else "locked"
            _store.append_audit(con, a.name, "signin", {"reason": reason}, address, "refused")
        elif not _verify(a, password):
            failed = a.failed + 1
            locked = now + dt.timedelta(minutes=lock_minutes()) if failed >= lock_after() else None
            _store.update(con, a.name, failed=0 if locked else failed, locked_until=locked)
            detail = {"reason": "password", "locked": locked is not None}
            _store.append_audit(con, a.name, "signin", detail, address, "refused")
        else:
            _store.update(con, a.name, failed=0, locked_until=None)
            _store.append_audit(con, a.name, "signin", {}, address)
            ok = a
    if ok is None:
        raise SignInFailed(SIGNIN_FAILED)
    return ok


# Sessions are kept apart from the store's tables (a write to them at every page run would invalidate
# every cached query): `store.sessions` — in the server process for a DuckDB file (a restart signs
# everyone out), in the shared database for PostgreSQL (any instance honours any session). The cookie
# holds `token.signature` (HMAC-SHA256 with the store's key); the store only sha256(token), the account
# and when it was last used.


def _drop_account_sessions(store: Store, account: str) -> None:
    store.sessions.drop_account(account)


def _secret(store: Store) -> bytes:
    if env := os.environ.get("CPPCC_SECRET"):
        return env.encode()
    secret = store.shared_secret()
    return secret if isinstance(secret, bytes) else secret.encode()


def _sign(store: Store, token: str) -> str:
    mac = hmac.new(_secret(store), token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(store: Store, account: str) -> str:
    """A new session for the account; returns the cookie value (token.signature)."""
    token = secrets.token_urlsafe(32)
    store.sessions.put(_sha(token), account)
    return f"{token}.{_sign(store, token)}"


def _token(store: Store, cookie: str | None) -> str | None:
    """The token of a cookie whose signature is ours (a tampered cookie: None)."""
    if not cookie or "." not in cookie:
        return None
    token, sig = cookie.rsplit(".", 1)
    return token if hmac.compare_digest(sig, _sign(store, token)) else None


def session_actor(store: Store, cookie: str | None, keep_alive: bool = False) -> tuple[Actor, bool] | None:
    """(actor, must change password) for a valid session cookie used within CPPCC_IDLE_MINUTES, else
    None (and an idle session ends). Using it keeps it alive; a kiosk account's never idles out."""
    token = _token(store, cookie)
    if token is None:
        return None
    key = _sha(token)
    found = store.sessions.get(key)
    if found is None:
        return None
    name, idle_for = found
    with store.connect() as con:
        a = _store.get(con, name)
    idle = idle_for > idle_minutes() * 60
    if a is None or a.disabled or (idle and a.role != "kiosk" and not keep_alive):
        store.sessions.drop(key)
        return None
    store.sessions.touch(key)
    return _actor(a), a.must_change


def end_session(store: Store, cookie: str | None, address: str | None = None) -> None:
    token = _token(store, cookie)
    if token is None:
        return
    account = store.sessions.drop(_sha(token))
    if account:
        with store.transaction() as con:
            _store.append_audit(con, account, "signout", {}, address)


def record(store: Store, actor: Actor, action: str, detail: dict[str, Any] | None = None, address: str | None = None, outcome: str = "ok") -> None:  # fmt: skip
    """A line of the 操作日志 (exports, and what the services do not write themselves)."""
    with store.transaction() as con:
        _store.append_audit(con, actor.name, action, detail, address, outcome)


def audit(
    store: Store, by: Actor, since: dt.datetime | None = None, name: str | None = None
) -> list[AuditRow]:
    require(by, "audit")
    with store.connect() as con:
        return _store.audit(con, since, name)
