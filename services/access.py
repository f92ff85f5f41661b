"""The one place the services ask "who acts": the actor given (a signed-in account, or the CLI's
--user account), else — with sign-in off — anyone, as an admin recorded under the label given.
With sign-in on and no actor, every change is refused (deny by default)."""

from __future__ import annotations

from domain.accounts import Actor, PermissionDenied, open_actor
from store import accounts as _store
from store.connection import Store


def resolve(store: Store, actor: Actor | None, label: str | None = None) -> Actor:
    if actor is not None:
        return actor
    if store.exists():
        with store.connect() as con:
            if _store.count(con) > 0:
                raise PermissionDenied("已启用登录：请先登录（命令行请用 --user 指定账号）")
    return open_actor(label)


def label(actor: Actor, fallback: str | None) -> str | None:
    """The name a batch records: the account when signed in, else the free-text label."""
    return actor.name if actor.signed_in else fallback


def audit(
    store: Store, actor: Actor, action: str, detail: dict, address: str | None = None, outcome: str = "ok"
) -> None:
    with store.transaction() as con:
        _store.append_audit(con, actor.name, action, detail, address, outcome)


__all__ = ["PermissionDenied", "audit", "label", "resolve"]
