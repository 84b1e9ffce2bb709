"""Permissions are checked inside the services (not only in the GUI), every write is audited, failed
logins too, and five wrong passwords lock the account."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tests.naughty import VALID_ID
from xinfang_desk.domain.errors import AuthenticationFailed, PermissionDenied
from xinfang_desk.services.context import local_today

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, WINDOW, counts, delta, person, reg  # noqa: E402

PHONE = "13800138000"


def audit_rows(path: Path, action: str | None = None) -> list[dict]:
    """The audit events written by this test (the template database holds those of its own set-up)."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        sql = "SELECT * FROM audit_events" + (" WHERE action = ?" if action else "") + " ORDER BY at"
        return [dict(r) for r in con.execute(sql, (action,) if action else ()) if r["id"] not in _baseline[path]]
    finally:
        con.close()


_baseline: dict[Path, set[str]] = {}


@pytest.fixture(autouse=True)
def _audit_baseline(db_path: Path):
    con = sqlite3.connect(db_path)
    _baseline[db_path] = {r[0] for r in con.execute("SELECT id FROM audit_events")}
    con.close()
    yield
    _baseline.pop(db_path, None)


@pytest.fixture
def registered(sv, clerk):
    return sv.registration.register(clerk, reg(person("王芳", id_number=VALID_ID, phone=PHONE)))


def test_clerk_cannot_create_users(sv, clerk, db_path: Path) -> None:
    before = counts(sv)
    with pytest.raises(PermissionDenied):
        sv.auth.create_user(clerk, "mallory", "马洛", "admin", "Passw0rd123")
    with pytest.raises(PermissionDenied):
        sv.auth.list_users(clerk)
    after = counts(sv)
    assert after["users"] == before["users"]


def test_lawyer_cannot_register(sv, actors) -> None:
    before = counts(sv)
    with pytest.raises(PermissionDenied):
        sv.registration.register(actors["lawyer"], reg(person("王芳")))
    assert {k: v for k, v in delta(before, counts(sv)).items() if k not in ("audit_events", "outbox")} == {}


def test_admin_cannot_search_visitors(sv, actors) -> None:
    with pytest.raises(PermissionDenied):
        sv.search.search_people(actors["admin"], "王")


def test_clerk_sees_masked_id_and_phone_in_search_and_visits(sv, clerk, registered) -> None:
    for query in (VALID_ID, "王芳", PHONE):
        hits = sv.search.search_people(clerk, query)
        assert [h.id for h in hits] == [registered.person_ids[0]], query
        h = hits[0]
        assert h.id_number is None and h.phone is None
        assert h.id_masked == "110105********002X" and h.phone_masked == "138****8000"
    rows = sv.search.visits_on(clerk, local_today())
    text = json.dumps([r.people for r in rows], ensure_ascii=False)
    assert VALID_ID not in text and PHONE not in text and "19491231" not in text
    assert "110105********002X" in text


def test_supervisor_sees_unmasked(sv, supervisor, registered) -> None:
    # issue 11: a supervisor sees full numbers only with a reason, and that read is audited (test_audit_chain.py)
    h = sv.search.search_people(supervisor, VALID_ID, reveal_reason="核对")[0]
    assert h.id_number == VALID_ID and h.phone == PHONE  # shown as dialled at home, not as the stored E.164
    assert sv.search.visits_on(supervisor, local_today(), reveal_reason="核对")[0].people[0]["id_number"] == VALID_ID


def test_denied_attempts_are_audited(sv, actors, db_path: Path) -> None:
    """等保 8.1.4.3 / reliability-anchors A3: a refused attempt leaves a failed audit event."""
    with pytest.raises(PermissionDenied):
        sv.registration.register(actors["lawyer"], reg(person("王芳")))
    with pytest.raises(PermissionDenied):
        sv.auth.create_user(actors["clerk"], "mallory", "马洛", "admin", "Passw0rd123")
    failed = [(r["username"], r["success"]) for r in audit_rows(db_path) if not r["success"]]
    assert ("lawyer", 0) in failed and ("clerk", 0) in failed, failed


def test_every_write_has_an_audit_event(sv, clerk, actors, db_path: Path) -> None:
    res = sv.registration.register(clerk, reg(person("王芳")))
    user = sv.auth.create_user(actors["admin"], "newclerk", "周敏", "clerk", "Clerk2026z")
    ev = {r["action"]: r for r in audit_rows(db_path)}
    v = ev["visit.register"]
    assert (v["username"], v["window_code"], v["success"], v["entity_id"]) == ("clerk", WINDOW, 1, res.visit_id)
    assert v["operator_id"] == clerk.user_id and v["at"]
    u = ev["user.create"]
    assert (u["username"], u["success"], u["entity_id"]) == ("admin", 1, user.id)
    # the audit events travel to the centre with the data: each has its own outbox entry
    con = sqlite3.connect(db_path)
    audit_ids = {r[0] for r in con.execute("SELECT id FROM audit_events")}
    outboxed = {r[0] for r in con.execute("SELECT entity_id FROM outbox WHERE entity = 'audit_events'")}
    con.close()
    assert audit_ids <= outboxed


def test_failed_registration_audited_as_failure(sv, clerk, db_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017 - ValidationFailed, checked through the audit
        sv.registration.register(clerk, reg(person("王芳", id_number=VALID_ID[:17])))
    [ev] = audit_rows(db_path, "visit.register")
    assert ev["success"] == 0 and ev["username"] == "clerk" and "id_number" in ev["detail"]


def test_failed_logins_audited_and_five_lock_the_account(sv, db_path: Path) -> None:
    now = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
    for i in range(5):
        with pytest.raises(AuthenticationFailed):
            sv.auth.login("clerk", "wrong-password", now=now + dt.timedelta(seconds=i))
    # the right password no longer works while locked
    with pytest.raises(AuthenticationFailed, match="lock|锁"):
        sv.auth.login("clerk", PASSWORDS["clerk"], now=now + dt.timedelta(minutes=1))
    logins = audit_rows(db_path, "auth.login")
    assert [r["success"] for r in logins] == [0] * 6
    assert all(r["username"] == "clerk" and r["window_code"] == WINDOW for r in logins)
    assert [json.loads(r["detail"])["reason"] for r in logins][-1] == "locked"
    # the lock lasts 15 minutes from the fifth failure (at now+4 s): still shut a second before it ends ...
    locked_until = now + dt.timedelta(seconds=4, minutes=15)
    with pytest.raises(AuthenticationFailed, match="lock|锁"):
        sv.auth.login("clerk", PASSWORDS["clerk"], now=locked_until - dt.timedelta(seconds=1))
    # ... and open again right after it, and the success is audited
    actor = sv.auth.login("clerk", PASSWORDS["clerk"], now=locked_until + dt.timedelta(seconds=1))
    assert actor.role == "clerk"
    assert audit_rows(db_path, "auth.login")[-1]["success"] == 1


def test_four_failures_then_success_resets_the_count(sv) -> None:
    now = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
    for _ in range(2):
        for _i in range(4):
            with pytest.raises(AuthenticationFailed):
                sv.auth.login("clerk", "nope", now=now)
        assert sv.auth.login("clerk", PASSWORDS["clerk"], now=now).role == "clerk"
    # eight failures in all, never five in a row: one more failure still does not lock the account
    with pytest.raises(AuthenticationFailed) as failed:
        sv.auth.login("clerk", "nope", now=now)
    assert "锁" not in str(failed.value) and "lock" not in str(failed.value).lower()
    assert sv.auth.login("clerk", PASSWORDS["clerk"], now=now).role == "clerk"


def test_unknown_user_login_audited(sv, db_path: Path) -> None:
    with pytest.raises(AuthenticationFailed):
        sv.auth.login("nobody", "whatever1")
    [ev] = audit_rows(db_path, "auth.login")
    assert (ev["username"], ev["success"]) == ("nobody", 0)
