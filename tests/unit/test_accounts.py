"""Accounts and roles (issue 12): the role × action matrix called on the service layer the pages and
the CLI share, passwords and the lock, sessions behind a signed cookie, and the audit log."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from cli.main import main
from domain.accounts import Actor, PermissionDenied, open_actor
from domain.dictionary import demo_units
from services import accounts, batches, imports, setup
from store.connection import Store
from store.pg import PgStore
from store.units import upsert_units
from tests.helpers import make_xlsx

HEAD = ["县（市、区）", "提交提案", "立案", "办复"]
XIUSHUI, WUNING = "360424", "360423"


@pytest.fixture
def st(store: Store) -> Store:
    with store.transaction() as con:
        upsert_units(con, demo_units())
    accounts.add_account(store, "管理员", "admin", "admin-pass-1")
    accounts.add_account(store, "修水填报员", "staff", "staff-pass-1", [XIUSHUI])
    accounts.add_account(store, "王主席", "viewer", "viewer-pass-1")
    accounts.add_account(store, "大屏", "kiosk", "kiosk-pass-1")
    return store


ROLES = {
    "admin": Actor("管理员", "admin"),
    "staff": Actor("修水填报员", "staff", (XIUSHUI,)),
    "viewer": Actor("王主席", "viewer"),
    "kiosk": Actor("大屏", "kiosk"),
}


def _sheet(tmp_path, rows, name="2024Q1.xlsx"):
    return make_xlsx(
        tmp_path / name, {"汇总": [HEAD, *rows]}, title="九江市政协系统2024年第一季度履职数据统计表"
    )


def _import(store, path, actor):
    p = imports.prepare(store, path.name, path.read_bytes(), actor=actor)
    return p, (imports.commit(store, p, actor=actor) if p.status == "ready" else None)


# (action, roles allowed): each is a call of a service function
MATRIX = {
    "import_own": {"admin", "staff"},
    "import_other": {"admin"},
    "revert_other": {"admin"},
    "units": {"admin"},
    "targets": {"admin"},
    "presets": {"admin"},
    "dictionary": {"admin"},
    "backup": {"admin"},
    "accounts": {"admin"},
    "audit": {"admin"},
}


def _do(action, store, actor, tmp_path):
    if action == "import_own":
        p, r = _import(store, _sheet(tmp_path, [["修水县", 35, 30, 20]], "own.xlsx"), actor)
        assert r is not None and r.status == "imported", [e.message for e in p.errors]
    elif action == "import_other":
        p, r = _import(
            store, _sheet(tmp_path, [["修水县", 35, 30, 20], ["武宁县", 20, 18, 10]], "both.xlsx"), actor
        )
        if r is None:
            raise PermissionDenied(" ".join(e.message for e in p.errors))
    elif action == "revert_other":
        _, r = _import(store, _sheet(tmp_path, [["武宁县", 9, 9, 9]], "wuning.xlsx"), ROLES["admin"])
        batches.revert(store, r.batch_id, actor=actor)
    elif action == "units":
        setup.apply_units(store, demo_units()[:1], actor=actor)
    elif action == "targets":
        setup.save_targets(store, 2024, [(XIUSHUI, "proposals_submitted", 100.0)], [], actor=actor)
    elif action == "presets":
        setup.save_preset(store, "提案为主", {"proposals_submitted": 1.0}, None, actor=actor)
    elif action == "dictionary":
        setup.add_to_dictionary(
            store, [("提案件数合计", "alias", {"indicator": "proposals_submitted"})], "x", actor=actor
        )
    elif action == "backup":
        setup.backup(store, tmp_path / f"b-{actor.role}.duckdb", actor=actor)
    elif action == "accounts":
        accounts.add_account(store, f"新账号{actor.role}", "viewer", "new-pass-123", by=actor)
    elif action == "audit":
        accounts.audit(store, actor)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(MATRIX))
def test_the_role_action_matrix(st, tmp_path, role, action):
    actor = ROLES[role]
    if role in MATRIX[action]:
        _do(action, st, actor, tmp_path)
    else:
        with pytest.raises(PermissionDenied):
            _do(action, st, actor, tmp_path)


def test_a_staff_file_with_another_units_row_is_refused_whole_naming_the_row(st, tmp_path):
    p, r = _import(st, _sheet(tmp_path, [["修水县", 35, 30, 20], ["武宁县", 20, 18, 10]]), ROLES["staff"])
    assert r is None and p.status == "rejected"
    errs = [e for e in p.errors if e.code == "not_your_unit"]
    assert errs and {e.row for e in errs} == {4} and all("武宁县" in e.message for e in errs)
    assert all(e.sheet == "汇总" for e in errs)
    with st.connect() as con:
        assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == 0


def test_with_sign_in_on_a_change_without_an_actor_is_refused(st, tmp_path):
    path = _sheet(tmp_path, [["修水县", 1, 1, 1]])
    with pytest.raises(PermissionDenied, match="已启用登录"):
        imports.prepare(st, path.name, path.read_bytes())


def test_without_accounts_anyone_acts_as_before(store, tmp_path):
    with store.transaction() as con:
        upsert_units(con, demo_units())
    _, r = _import(store, _sheet(tmp_path, [["武宁县", 1, 1, 1]]), None)
    assert r is not None and r.status == "imported"
    assert not accounts.signin_enabled(store) and open_actor().role == "admin"


def test_passwords_are_hashed_and_five_wrong_ones_lock_without_saying_who_exists(st, monkeypatch):
    with st.connect() as con:
        stored = con.execute("SELECT password_hash FROM accounts WHERE name = '王主席'").fetchall()[0][0]
    assert stored.startswith("$argon2id$") and "viewer-pass-1" not in stored
    assert accounts.authenticate(st, "王主席", "viewer-pass-1").name == "王主席"
    messages = set()
    for _ in range(5):
        with pytest.raises(accounts.SignInFailed) as e:
            accounts.authenticate(st, "王主席", "wrong")
        messages.add(str(e.value))
    with pytest.raises(accounts.SignInFailed) as locked:
        accounts.authenticate(st, "王主席", "viewer-pass-1")  # right password, but locked
    with pytest.raises(accounts.SignInFailed) as unknown:
        accounts.authenticate(st, "没有这个人", "whatever")
    assert messages == {str(locked.value)} == {str(unknown.value)}
    with st.transaction() as con:  # fifteen minutes later
        con.execute("UPDATE accounts SET locked_until = now()::TIMESTAMP - INTERVAL 1 MINUTE")
    assert accounts.authenticate(st, "王主席", "viewer-pass-1").name == "王主席"
    rows = accounts.audit(st, ROLES["admin"], name="王主席")
    assert [r.outcome for r in rows if r.action == "signin"].count("refused") == 6


def test_a_session_cookie_is_signed_expires_when_idle_and_ends_at_sign_out(st, monkeypatch):

    cookie = accounts.start_session(st, "修水填报员")
    actor, must_change = accounts.session_actor(st, cookie)  # type: ignore[misc]
    assert actor.name == "修水填报员" and actor.units == (XIUSHUI,) and not must_change
    token, sig = cookie.rsplit(".", 1)
    assert accounts.session_actor(st, f"{token}x.{sig}") is None  # tampered
    assert accounts.session_actor(st, f"{token}.{sig[:-1]}{'B' if sig.endswith('A') else 'A'}") is None
    kiosk = accounts.start_session(st, "大屏")
    if isinstance(st, PgStore):  # sessions in the shared database: make them 31 minutes old there
        import psycopg

        with psycopg.connect(st.url, autocommit=True) as pg:
            pg.execute("UPDATE cppcc_sessions SET last_seen = now() - interval '31 minutes'")
    else:
        from store import sessions

        later = time.monotonic() + 31 * 60
        monkeypatch.setattr(sessions.time, "monotonic", lambda: later)
    assert accounts.session_actor(st, cookie) is None  # idle past CPPCC_IDLE_MINUTES (30)
    assert accounts.session_actor(st, kiosk) is not None  # a lobby screen never idles out
    monkeypatch.undo()
    cookie = accounts.start_session(st, "修水填报员")
    accounts.end_session(st, cookie)
    assert accounts.session_actor(st, cookie) is None
    cookie = accounts.start_session(st, "王主席")
    accounts.set_disabled(st, "王主席", True, ROLES["admin"])
    assert accounts.session_actor(st, cookie) is None  # a disabled account's sessions end
    with st.connect() as con:
        log = " ".join(str(r) for r in con.execute("SELECT * FROM audit_log").fetchall())
    assert token not in log and "staff-pass-1" not in log and "$argon2" not in log and sig not in log


def test_an_admin_reset_forces_a_change_and_the_last_admin_stays(st):
    accounts.set_password(st, "王主席", "reset-pass-1", ROLES["admin"])
    cookie = accounts.start_session(st, "王主席")
    assert accounts.session_actor(st, cookie)[1] is True  # type: ignore[index]
    with pytest.raises(PermissionDenied):
        accounts.set_password(st, "管理员", "taken-over-1", ROLES["viewer"])
    with pytest.raises(accounts.AccountError, match="最后一个"):
        accounts.set_disabled(st, "管理员", True, ROLES["admin"])


def test_the_cli_acts_as_the_user_account(st, tmp_path, capsys):
    db = st.target
    other = _sheet(tmp_path, [["武宁县", 20, 18, 10]], "武宁县.xlsx")
    assert main(["--db", db, "--user", "修水填报员", "import", str(other)]) == 1
    assert "武宁县" in capsys.readouterr().out
    assert main(["--db", db, "import", str(other)]) == 1
    assert "--user" in capsys.readouterr().err
    assert main(["--db", db, "import", "--user", "管理员", str(other)]) == 0  # still accepted after import
    capsys.readouterr()
    batch = json.loads(_history_json(db, capsys))["batches"][0]["batch_id"]
    assert main(["--db", db, "--user", "修水填报员", "revert", str(batch)]) == 1
    assert "武宁县" in capsys.readouterr().err
    assert main(["--db", db, "--user", "管理员", "audit", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert {"import", "account_add"} <= {e["action"] for e in entries}
    assert any(e["action"] == "import" and e["detail"]["units"] == [WUNING] for e in entries)
    since = (dt.datetime.now() + dt.timedelta(days=1)).date().isoformat()
    assert main(["--db", db, "--user", "管理员", "audit", "--since", since]) == 0
    assert "没有符合条件" in capsys.readouterr().out


def _history_json(db, capsys) -> str:
    assert main(["--db", db, "history", "--json"]) == 0
    return capsys.readouterr().out


def test_a_viewers_deck_is_their_own_and_shared_decks_are_made_by_staff(st):
    from domain.decks import SlideSpec
    from services import decks

    decks.add_slide(st, "我的汇报", SlideSpec("kpis"), actor=ROLES["viewer"])
    decks.add_slide(st, "常委会", SlideSpec("kpis"), actor=ROLES["staff"])
    names = {r: [d.name for d in decks.decks(st, a)] for r, a in ROLES.items()}
    assert names["viewer"] == ["default", "常委会", "我的汇报"]
    assert names["staff"] == ["default", "常委会"]  # another's own deck does not exist for them
    assert "我的汇报" in names["admin"]
    with pytest.raises(PermissionDenied):
        decks.add_slide(st, "常委会", SlideSpec("funnel", {"domain": "social"}), actor=ROLES["viewer"])
    with pytest.raises(decks.DeckError, match="没有名为"):
        decks.delete(st, "我的汇报", actor=ROLES["staff"])
    with pytest.raises(PermissionDenied):
        decks.add_slide(st, "大屏的", SlideSpec("kpis"), actor=ROLES["kiosk"])
    decks.delete(st, "我的汇报", actor=ROLES["viewer"])
    assert [d.name for d in decks.decks(st, ROLES["viewer"])] == ["default", "常委会"]
