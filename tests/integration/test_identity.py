"""Issue 11 items 1 and 3 through the services: only sessions issued by the log-in are accepted (a hand-made
`Actor(role="admin")` creates nobody), sessions expire and end, and the login rules hold on every path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from xinfang_desk.domain.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from xinfang_desk.services import context
from xinfang_desk.services.auth import LoginPolicy, check_password_strength
from xinfang_desk.services.context import Actor, PasswordChangeRequired, SessionInvalid, local_today

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, counts, person, reg  # noqa: E402
from tests.sessions import add_user, temp_password  # noqa: E402


def _rows(path: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


# -- item 1: sessions ----------------------------------------------------------------------------------------
def test_hand_made_admin_is_refused_by_every_service(sv, actors, db_path: Path) -> None:
    """The attack: `Actor(role="admin")` made by hand created an admin. Now every service refuses it, and
    the attempt is audited."""
    from xinfang_desk.sync.central import ConflictService
    from xinfang_desk.sync.engine import acknowledge_issue

    real = actors["admin"]
    forged = [
        Actor(None, "mallory", "马洛", "admin", "BN03"),
        Actor(real.user_id, real.username, real.display_name, "admin", "BN03"),  # a real user's fields
        Actor(real.user_id, real.username, real.display_name, "admin", "BN03", real.session_id),  # even its id
        dataclasses.replace(actors["clerk"], role="admin"),  # a real session copied with another role
        dataclasses.replace(actors["clerk"], role="supervisor"),
    ]
    before = counts(sv)["users"]
    for f in forged:
        for call in (
            lambda f=f: sv.auth.create_user(f, "evil", "恶意", "admin", "Evil-pass-99"),
            lambda f=f: sv.auth.list_users(f),
            lambda f=f: sv.auth.disable_user(f, "admin"),
            lambda f=f: sv.auth.reset_password(f, "admin", "Evil-pass-99"),
            lambda f=f: sv.registration.register(f, reg(person("王芳"))),
            lambda f=f: sv.search.search_people(f, "王"),
            lambda f=f: sv.search.visits_on(f, local_today()),
            lambda f=f: sv.reference.update_organ(f, sv.reference.organs()[0].key, hours="x"),
            lambda f=f: acknowledge_issue(sv.db, f, "x", "note"),
            lambda f=f: ConflictService("postgresql://nowhere/x").resolve_conflict(f, 1, "window"),
        ):
            with pytest.raises(SessionInvalid):
                call()
        assert not f.may("register visits") and not f.may("manage users")
    assert counts(sv)["users"] == before
    refused = _rows(db_path, "SELECT username, json_extract(detail, '$.claimed_role') FROM audit_events "
                             "WHERE action = 'session.refused' AND success = 0")
    assert ("mallory", "admin") in refused and ("clerk", "supervisor") in refused


def test_system_actor_is_gone_and_internal_actors_pass_no_check(sv) -> None:
    assert not hasattr(context, "system_actor")
    internal = context.internal_actor("BN03")
    with pytest.raises(PermissionDenied):
        sv.registration.register(internal, reg(person("王芳")))
    with pytest.raises(PermissionDenied):
        sv.search.search_people(internal, "王")
    assert not internal.may("run the sync")


def test_sessions_expire_and_end_at_log_out(sv, db_path: Path) -> None:
    a = sv.auth.login("clerk", PASSWORDS["clerk"])
    assert sv.search.search_people(a, "王") == []
    assert a.expires_at is not None
    assert dt.timedelta(hours=11) < a.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=12)
    with pytest.raises(SessionInvalid, match="expired|过期"):
        context.check_session(a, now=a.expires_at + dt.timedelta(seconds=1))
    sv.auth.logout(a)
    with pytest.raises(SessionInvalid):
        sv.search.search_people(a, "王")
    assert ("clerk", 1) in _rows(db_path, "SELECT username, success FROM audit_events WHERE action = 'auth.logout'")


def test_disable_ends_the_sessions_and_the_log_in(sv, actors) -> None:
    a = add_user(sv, actors["admin"], "zheng", "郑敏", "clerk", "Zheng-pass-1")
    sv.auth.disable_user(actors["admin"], "zheng")
    with pytest.raises(SessionInvalid):
        sv.search.search_people(a, "王")
    with pytest.raises(AuthenticationFailed):
        sv.auth.login("zheng", "Zheng-pass-1")
    sv.auth.enable_user(actors["admin"], "zheng")
    assert sv.auth.login("zheng", "Zheng-pass-1").role == "clerk"


def test_last_admin_cannot_be_disabled_or_demoted(sv, actors) -> None:
    with pytest.raises(ValidationFailed, match="administrator|管理员"):
        sv.auth.disable_user(actors["admin"], "admin")
    with pytest.raises(ValidationFailed):
        sv.auth.update_user(actors["admin"], "admin", role="clerk")


def test_users_are_changed_by_an_admin_and_audited(sv, actors, db_path: Path) -> None:
    a = add_user(sv, actors["admin"], "feng", "冯敏", "lawyer", "Feng-pass-1")
    u = sv.auth.update_user(actors["admin"], "feng", display_name="冯律师", home_window="bn02")
    assert (u.display_name, u.home_window) == ("冯律师", "BN02") and a.may("search visitors")
    with pytest.raises(PermissionDenied):
        sv.auth.update_user(actors["clerk"], "feng", role="admin")
    sv.auth.update_user(actors["admin"], "feng", role="clerk")  # another role: the old session ends
    assert not a.may("search visitors")
    assert sv.auth.login("feng", "Feng-pass-1").may("register visits")
    acts = [r[0] for r in _rows(db_path, "SELECT action FROM audit_events WHERE entity = 'users' AND success = 1")]
    assert "user.update" in acts


def test_the_outbox_and_the_user_list_hold_no_password_hash(sv, actors, db_path: Path) -> None:
    add_user(sv, actors["admin"], "zhou", "周敏", "clerk", "Zhou-pass-26")
    payloads = [json.loads(r[0]) for r in _rows(db_path, "SELECT payload FROM outbox WHERE entity = 'users'")]
    assert payloads and all("password_hash" not in p and "failed_logins" not in p for p in payloads)
    assert "argon2" not in json.dumps([dataclasses.asdict(u) for u in sv.auth.list_users(actors["admin"])])
    assert not _rows(db_path, "SELECT 1 FROM outbox WHERE entity = 'password_history' OR payload LIKE '%argon2%'")


# -- item 3: login rules -----------------------------------------------------------------------------------
@pytest.mark.parametrize("pw,why", [
    ("password1", "mix"), ("aaaaaaa1", "mix"), ("Short1!", "at least 8"), ("Password1", "common"),
    ("P@ssw0rd!", "common"), ("Qwerty123", "common"), ("Woaini1314", "common"), ("Admin@123", "common"),
    ("Zhangwei-1", "user name"),
])
def test_weak_passwords_are_refused(pw, why, en) -> None:
    with pytest.raises(ValidationFailed) as e:
        check_password_strength(pw, "zhangwei-1" if why == "user name" else "someone")
    assert {"mix": "mix at least 3", "at least 8": "at least 8", "common": "too common",
            "user name": "user name"}[why] in str(e.value)


@pytest.mark.parametrize("pw", ["Clerk2026x", "secret-123", "Xq7#kLm2", "信访接待-2026a", "correct horse Battery"])
def test_good_passwords_pass(pw) -> None:
    check_password_strength(pw, "clerk")


def test_the_attack_passwords_are_refused_when_creating_users(sv, actors, tmp_path: Path) -> None:
    from xinfang_desk.services.container import Services

    for pw in ("password1", "aaaaaaa1"):
        with pytest.raises(ValidationFailed):
            sv.auth.create_user(actors["admin"], "weak", "弱口令", "clerk", pw)
        with pytest.raises(ValidationFailed):
            sv.auth.change_password("clerk", PASSWORDS["clerk"], pw)
    fresh = Services.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "BN01")
    try:
        for pw in ("password1", "aaaaaaa1"):
            with pytest.raises(ValidationFailed):
                fresh.auth.setup_first_admin("boss", "王敏", pw)
        assert fresh.auth.needs_first_run()
    finally:
        fresh.close()


def test_first_log_in_forces_a_change_and_history_forbids_the_last_five(sv, actors, db_path: Path) -> None:
    temp = temp_password()
    sv.auth.create_user(actors["admin"], "wu", "吴敏", "clerk", temp)
    with pytest.raises(PasswordChangeRequired):
        sv.auth.login("wu", temp)
    with pytest.raises(ValidationFailed, match="differ|不同"):
        sv.auth.change_password("wu", temp, temp)
    pws = [f"Wu-pass-{i}x" for i in range(6)]
    sv.auth.change_password("wu", temp, pws[0])
    for a, b in zip(pws, pws[1:5], strict=False):
        sv.auth.change_password("wu", a, b)
    for old in (pws[0], pws[1], pws[3]):  # any of the last five comes back: refused
        with pytest.raises(ValidationFailed, match="recently|最近"):
            sv.auth.change_password("wu", pws[4], old)
    sv.auth.change_password("wu", pws[4], pws[5])
    sv.auth.change_password("wu", pws[5], pws[0])  # six changes ago: allowed again
    assert sv.auth.login("wu", pws[0]).username == "wu"
    assert len(_rows(db_path, "SELECT 1 FROM password_history h JOIN users u ON u.id = h.user_id "
                              "WHERE u.username = 'wu'")) <= 5


def test_a_password_older_than_90_days_must_be_changed(sv) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    assert sv.auth.login("lawyer", PASSWORDS["lawyer"], now=later - dt.timedelta(days=2)).role == "lawyer"
    with pytest.raises(PasswordChangeRequired):
        sv.auth.login("lawyer", PASSWORDS["lawyer"], now=later)
    a = sv.auth.change_password("lawyer", PASSWORDS["lawyer"], "Lawyer-new-26", now=later)
    assert a.may("search visitors")


def test_an_admin_reset_forces_a_change_and_ends_sessions(sv, actors) -> None:
    a = add_user(sv, actors["admin"], "han", "韩敏", "clerk", "Han-pass-1x")
    sv.auth.reset_password(actors["admin"], "han", "Reset-pass-1")
    assert not a.may("search visitors")
    with pytest.raises(PasswordChangeRequired):
        sv.auth.login("han", "Reset-pass-1")
    assert sv.auth.change_password("han", "Reset-pass-1", "Han-own-pass-9").role == "clerk"


def test_lock_out_on_every_path_and_admin_unlock(sv, actors, db_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    session = sv.auth.login("clerk", PASSWORDS["clerk"], now=now)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            sv.auth.login("clerk", "wrong-Pass-1", now=now)
    with pytest.raises(AuthenticationFailed):  # the password change counts too
        sv.auth.change_password("clerk", "wrong-Pass-1", "Clerk-new-pass-1", now=now)
    with pytest.raises(AuthenticationFailed):  # and unlocking the GUI: the fifth failure locks, the session ends
        sv.auth.reauthenticate(session, "wrong-Pass-1")
    assert not session.may("search visitors")
    with pytest.raises(AuthenticationFailed, match="lock|锁"):
        sv.auth.login("clerk", PASSWORDS["clerk"], now=now + dt.timedelta(minutes=14))
    assert [u.locked for u in sv.auth.list_users(actors["admin"]) if u.username == "clerk"] == [True]
    sv.auth.unlock_user(actors["admin"], "clerk")
    assert sv.auth.login("clerk", PASSWORDS["clerk"], now=now + dt.timedelta(minutes=1)).role == "clerk"
    with pytest.raises(PermissionDenied):
        sv.auth.unlock_user(actors["supervisor"], "clerk")
    assert "user.unlock" in [r[0] for r in _rows(db_path, "SELECT action FROM audit_events")]


def test_gui_unlock_counts_failures_and_a_lock_ends_the_session(sv) -> None:
    a = sv.auth.login("clerk2", PASSWORDS["clerk2"])
    assert sv.auth.reauthenticate(a, PASSWORDS["clerk2"]) is a
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            sv.auth.reauthenticate(a, "wrong-Pass-1")
    with pytest.raises(SessionInvalid):
        sv.search.search_people(a, "王")


def test_the_rules_are_configurable_but_never_weaker(sv, actors) -> None:
    p = sv.auth.set_policy(actors["admin"], min_length=12, idle_lock_minutes=5)
    assert (p.min_length, p.idle_lock_minutes, p.history) == (12, 5, 5)
    with pytest.raises(ValidationFailed):
        sv.auth.create_user(actors["admin"], "chen", "陈敏", "clerk", "Chen-pass-1")  # 11 < 12
    for weaker in ({"min_length": 6}, {"max_failed": 10}, {"max_age_days": 365}, {"lock_minutes": 1}):
        with pytest.raises(ValidationFailed):
            sv.auth.set_policy(actors["admin"], **weaker)
    with pytest.raises(PermissionDenied):
        sv.auth.set_policy(actors["supervisor"], min_length=10)
    assert LoginPolicy() == LoginPolicy(8, 3, 90, 5, 5, 15, 10, 12)


def test_accounts_from_before_0005_keep_working_and_weak_ones_must_change(tmp_path: Path) -> None:
    """Upgrading a window: existing accounts log in as before; one whose password the rules now refuse
    (e.g. `adminpass123`, two classes) must change it first, and may not 'change' it to itself."""
    from alembic import command
    from argon2 import PasswordHasher

    from xinfang_desk.persistence.db import Database, alembic_config
    from xinfang_desk.services.container import Services

    path = tmp_path / "old.sqlite3"
    db = Database(f"sqlite:///{path}", backup=False)
    with db.engine.begin() as conn:
        cfg = alembic_config(f"sqlite:///{path}")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003_channels_notices")
        ph = PasswordHasher()
        for i, (name, pw, role) in enumerate((("old_admin", "Old-admin-26", "admin"), ("weak", "adminpass123", "clerk"))):
            conn.exec_driver_sql(
                "INSERT INTO users (id, username, display_name, role, password_hash, active, failed_logins, "
                "updated_at, window_code, created_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?, 'BN03', ?)",
                (f"01900000-0000-7000-8000-00000000000{i}", name, "旧用户", role, ph.hash(pw),
                 "2026-01-01T00:00:00.000000+00:00", "2026-01-01T00:00:00.000000+00:00"))
    db.dispose()
    sv = Services.open(f"sqlite:///{path}", "BN03")  # migrates to the head
    try:
        assert sv.auth.login("old_admin", "Old-admin-26").role == "admin"
        with pytest.raises(PasswordChangeRequired):
            sv.auth.login("weak", "adminpass123")
        with pytest.raises(ValidationFailed):
            sv.auth.change_password("weak", "adminpass123", "adminpass123")
        assert sv.auth.change_password("weak", "adminpass123", "Weak-no-more-1").role == "clerk"
        assert sv.auth.login("weak", "Weak-no-more-1").role == "clerk"
    finally:
        sv.close()


def test_an_admin_cannot_disable_or_re_role_their_own_account(sv, actors) -> None:
    """Even with a second administrator (so the last-admin rule does not apply), one's own account is refused,
    with the reason; nothing changes."""
    add_user(sv, actors["admin"], "qian", "钱敏", "admin", "Qian-pass-1x")
    with pytest.raises(ValidationFailed, match="own account|自己的账户"):
        sv.auth.disable_user(actors["admin"], "admin")
    with pytest.raises(ValidationFailed, match="own account|自己的账户"):
        sv.auth.update_user(actors["admin"], "admin", role="clerk")
    me = next(u for u in sv.auth.list_users(actors["admin"]) if u.username == "admin")
    assert me.active and me.role == "admin"
    assert sv.auth.disable_user(actors["admin"], "qian").active is False  # another admin's account: allowed


def test_a_generated_temporary_password_meets_the_rules_and_must_be_changed(sv, actors) -> None:
    add_user(sv, actors["admin"], "sun", "孙敏", "clerk", "Sun-pass-1x")
    u, pw = sv.auth.reset_password_temporary(actors["admin"], "sun")
    assert u.must_change_password and pw not in repr(u)
    check_password_strength(pw, "sun")
    with pytest.raises(PasswordChangeRequired):
        sv.auth.login("sun", pw)
    assert sv.auth.change_password("sun", pw, "Sun-own-pass-9").role == "clerk"
