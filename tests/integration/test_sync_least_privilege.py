"""Issue 11 item 2 at the centre: a window pulls the district's people and matters, its own audit and users'
public fields — never other windows' audit, never a password hash; and windows push no hash either."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from xinfang_desk.persistence.models import AuditEvent, User, Visit
from xinfang_desk.sync.central import connect, publish_reference
from xinfang_desk.sync.engine import sync_once

pytestmark = [pytest.mark.pg]


def test_a_window_pulls_what_a_window_needs(central, window_factory) -> None:
    a, b = window_factory("BN01"), window_factory("BN02")
    a.register(2)
    b.register(3)
    for w in (a, b, a):
        assert sync_once(w.db, w.code, w.url).ok
    with a.db.session() as s:
        assert len(list(s.scalars(select(Visit.id)))) == 5  # the district's visits
        audit_windows = set(s.scalars(select(AuditEvent.window_code)))
    assert audit_windows == {"BN01"}  # never BN02's audit
    assert central.scalar("SELECT count(*) FROM central.central_changes WHERE entity = 'audit_events' "
                          "AND window_code = 'BN02'") > 0  # the centre holds it
    # no window pushed a password hash (users' rows leave the window without their secrets)
    pushed = central.rows("SELECT payload::text FROM central.central_changes WHERE entity = 'users'")
    assert pushed and not any("password_hash" in p[0] or "argon2" in p[0] for p in pushed)


def test_users_published_by_the_centre_arrive_without_secrets(central, window_factory) -> None:
    a = window_factory("BN01")
    with a.db.session() as s:
        row = {c.key: getattr(s.scalar(select(User).where(User.username == "c1")), c.key)
               for c in User.__table__.columns}
    row.update(id="01900000-0000-7000-8000-000000000009", username="lawyer9", display_name="赵律师", role="lawyer",
               window_code="CENTRAL", operator_id=None, locked_until=None, failed_logins=0)
    for k in ("created_at", "updated_at", "password_changed_at"):
        row[k] = row[k].isoformat()
    assert row["password_hash"].startswith("$argon2")
    publish_reference(central.admin_url, "users", [row])  # an old-style row, hash included
    with connect(a.url) as conn:
        pulled = [json.loads(r[0]) for r in conn.execute(
            "SELECT payload FROM central.pull_changes(0, 1000) WHERE entity = 'users'").fetchall()]
    assert pulled and all("password_hash" not in p and "failed_logins" not in p for p in pulled)
    assert sync_once(a.db, a.code, a.url).ok
    with a.db.session() as s:
        u = s.scalar(select(User).where(User.username == "lawyer9"))
        assert u is not None and u.display_name == "赵律师"
        assert u.password_hash == "" and u.must_change_password  # no log-in until an admin sets a password
    with pytest.raises(Exception):  # noqa: B017 - AuthenticationFailed: nothing to verify against
        a.services.auth.login("lawyer9", "anything-1A")
