"""D9 clock skew is reported (never acted on); a supervisor acknowledges a window's open sync issue, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sessions import ADMIN_PASSWORD, SUPERVISOR_PASSWORD, add_user  # tests/ is on sys.path (conftest)
from sqlalchemy import func, select

from xinfang_desk.domain.errors import NotFound, PermissionDenied
from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.models import AuditEvent, OutboxEntry
from xinfang_desk.sync.engine import SyncOptions, acknowledge_issue, open_issues, sync_once
from xinfang_desk.sync.service import SyncMonitor

pytestmark = [pytest.mark.pg]


def _skewed(delta: dt.timedelta):
    return lambda: dt.datetime.now(dt.UTC) + delta


@pytest.mark.parametrize("delta", [dt.timedelta(hours=3), dt.timedelta(days=-1), dt.timedelta(minutes=-7)])
def test_clock_skew_over_5_minutes_is_a_warning_not_an_error(central, window_factory, delta):
    a, b = window_factory("BN01"), window_factory("BN02")
    a.register(5, now=dt.datetime.now(dt.UTC) + delta)
    b.register(5)
    r = sync_once(a.db, "BN01", a.url, options=SyncOptions(clock=_skewed(delta)))
    assert r.ok and r.online and r.pending == 0 and r.quarantined == 0 and r.conflicts == 0, r
    assert r.clock_skew_s == pytest.approx(delta.total_seconds(), abs=30)
    assert len(r.warnings) == 1 and r.warnings[0].startswith("clock skew:")
    assert ("ahead of" if delta > dt.timedelta(0) else "behind") in r.warnings[0]
    assert r.as_dict()["warnings"] == list(r.warnings)
    rb = sync_once(b.db, "BN02", b.url)
    assert rb.ok and rb.warnings == () and abs(rb.clock_skew_s) < 30
    assert sync_once(a.db, "BN01", a.url, options=SyncOptions(clock=_skewed(delta))).ok
    # the outcome does not depend on the clock: both windows and the centre hold the same ten visits
    assert a.visit_digest() == b.visit_digest() == central.visit_digest()
    assert central.visit_digest()[0] == 10


def test_small_skew_is_not_reported(central, window_factory):
    w = window_factory("BN01")
    r = sync_once(w.db, "BN01", w.url, options=SyncOptions(clock=_skewed(dt.timedelta(minutes=4))))
    assert r.ok and r.warnings == () and r.clock_skew_s == pytest.approx(240, abs=30)


def test_offline_report_has_no_skew(window_factory, central):
    w = window_factory("BN01")
    r = sync_once(w.db, "BN01", "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2")
    assert not r.ok and r.clock_skew_s is None and r.warnings == ()


def test_supervisor_acknowledges_an_open_sync_issue(central, window_factory):
    w = window_factory("BN01")
    w.register(2)
    vid = new_id()
    with w.db.transaction() as s:  # a change the centre must refuse (U+0000 in text)
        s.add(OutboxEntry(change_id=new_id(), window_code="BN01", operator_id=w.clerk.user_id, entity="visits",
                          entity_id=vid, op="insert", payload={"id": vid, "window_code": "BN01", "note": "a\u0000b"}))
    r = sync_once(w.db, "BN01", w.url)
    assert r.ok and r.quarantined == 1
    [issue] = open_issues(w.db)
    assert SyncMonitor().status(w.db).open_issues == 1

    admin = w.services.auth.login("admin", ADMIN_PASSWORD)
    sup = add_user(w.services, admin, "s1", "李主管", "supervisor", SUPERVISOR_PASSWORD)

    def audits(action: str) -> list[AuditEvent]:
        with w.db.session() as s:
            return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))

    with pytest.raises(PermissionDenied):
        acknowledge_issue(w.db, w.clerk, issue.id, "看过了")
    assert [e.username for e in audits("permission.denied")] == ["c1"]
    assert len(open_issues(w.db)) == 1
    with pytest.raises(ValueError):
        acknowledge_issue(w.db, sup, issue.id, "   ")
    with pytest.raises(NotFound):
        acknowledge_issue(w.db, sup, new_id(), "x")

    done = acknowledge_issue(w.db, sup, issue.id, "中心已确认：含非法字符，已重新登记")
    assert done.resolved_at is not None
    assert open_issues(w.db) == []
    assert SyncMonitor().status(w.db).open_issues == 0
    [ev] = audits("sync.issue_acknowledge")
    assert ev.username == "s1" and ev.operator_id == sup.user_id and ev.success
    assert ev.entity == "sync_issues" and ev.entity_id == issue.id
    assert ev.detail["note"].startswith("中心已确认") and ev.detail["kind"] == "quarantined"
    assert ev.detail["change_id"] == issue.change_id
    with pytest.raises(NotFound):  # once only
        acknowledge_issue(w.db, sup, issue.id, "again")
    assert len(audits("sync.issue_acknowledge")) == 1
    # the acknowledgement is itself a change: its audit event reaches the centre with the next sync
    with w.db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry).where(
            OutboxEntry.entity == "audit_events", OutboxEntry.entity_id == ev.id)) == 1
    assert sync_once(w.db, "BN01", w.url).ok
    assert central.scalar("SELECT count(*) FROM central.central_changes WHERE entity = 'audit_events' "
                          "AND payload->>'action' = 'sync.issue_acknowledge'") == 1
