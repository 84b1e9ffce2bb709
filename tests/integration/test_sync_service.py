"""services.sync: what the GUI gets of the sync — DTOs with codes, permission checks, and the one sync loop —
through a real window database and a throwaway central PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

import pytest
from sessions import ADMIN_PASSWORD, SUPERVISOR_PASSWORD, add_user  # tests/ is on sys.path (conftest)
from sqlalchemy import select

from xinfang_desk.domain.errors import NotFound, PermissionDenied
from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.models import AuditEvent, OutboxEntry, Person
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
from xinfang_desk.services.sync import (
    CENTRAL_NOT_CONFIGURED,
    CENTRAL_NOT_PERMITTED,
    CENTRAL_UNREACHABLE,
    RESOLVE_REFUSED,
    RESOLVE_UNREACHABLE,
    RESOLVED,
    SyncRound,
    SyncView,
)
from xinfang_desk.sync.config import CentralConfigError
from xinfang_desk.sync.engine import sync_once

pytestmark = [pytest.mark.pg]
RID = "11010519491231002X"
NOWHERE = "postgresql://window_bn01@127.0.0.1:9/xinfang?connect_timeout=1"


def _visit(w, phone: str) -> None:
    w.services.registration.register(w.clerk, RegistrationInput(
        people=(PersonInput(name="王𠮷䶮", id_number=RID, phone=phone, address="某区某路 1 号"),),
        matter=MatterInput(kind="intake.wrong_level", summary="反映问题")))


def _supervisor(w):
    return add_user(w.services, w.services.auth.login("admin", ADMIN_PASSWORD), "sup", "李主管", "supervisor",
                    SUPERVISOR_PASSWORD)


def _audits(w, action: str) -> list[AuditEvent]:
    with w.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_conflict_reaches_the_page_as_dtos_and_is_resolved_through_the_service(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    _visit(a, "13800138000")
    assert sync_once(a.db, "BN01", a.url).ok and sync_once(b.db, "BN02", b.url).ok
    _visit(a, "13900139000")  # both windows correct the phone of the same visitor, offline
    _visit(b, "13700137000")
    assert sync_once(a.db, "BN01", a.url).ok
    assert sync_once(b.db, "BN02", b.url).conflicts == 1
    svc, sup = b.services.sync, _supervisor(b)

    # a clerk's window role may not list the centre's conflicts: a code, and the local issue still listed
    page = svc.page(b.clerk, b.url)
    assert page.central_error == CENTRAL_NOT_PERMITTED and page.conflicts == ()
    [issue] = page.issues
    assert issue.kind == "conflict" and issue.direction == "push" and issue.entity == "people"
    assert page.names[("people", issue.entity_id)] == "王𠮷䶮"  # the name as stored here, never the ID number
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.central_error = None  # type: ignore[misc]

    # with the centre's consent (here the owner's URL) the supervisor sees the conflict and its differences
    page = svc.page(sup, central.admin_url)
    assert page.central_error is None
    [c] = page.conflicts
    assert c.window_code == "BN02" and c.entity == "people"
    central_phone, window_phone = c.differences()["phone"]
    assert central_phone.endswith("13900139000") and window_phone.endswith("13700137000")

    # the clerk is refused here (audited), before anything reaches the centre
    denied = len(_audits(b, "permission.denied"))
    with pytest.raises(PermissionDenied):
        svc.resolve_conflict(b.clerk, central.admin_url, c.id, "window")
    assert len(_audits(b, "permission.denied")) == denied + 1
    # the centre refuses a window role that is not a supervisor's: an outcome, not a driver exception
    refused = svc.resolve_conflict(sup, b.url, c.id, "window")
    assert refused.outcome == RESOLVE_REFUSED and not refused.ok and refused.gseq is None
    away = svc.resolve_conflict(sup, NOWHERE, c.id, "window")
    assert away.outcome == RESOLVE_UNREACHABLE and away.detail
    assert [x.id for x in svc.page(sup, central.admin_url).conflicts] == [c.id]  # still open
    with pytest.raises(ValueError):
        svc.resolve_conflict(sup, central.admin_url, c.id, "whatever")

    done = svc.resolve_conflict(sup, central.admin_url, c.id, "window")
    assert done.outcome == RESOLVED and done.ok and done.conflict_id == c.id and done.gseq > 0
    assert svc.page(sup, central.admin_url).conflicts == ()
    assert sync_once(a.db, "BN01", a.url).ok
    with a.db.session() as s:  # the decision reached the other window
        assert s.scalar(select(Person.phone).where(Person.id_number == RID)).endswith("13700137000")


def test_page_without_or_away_from_the_centre_still_lists_local_issues(central, window_factory):
    w = window_factory("BN01")
    page = w.services.sync.page(w.clerk, None)
    assert page.central_error == CENTRAL_NOT_CONFIGURED and page.issues == () and page.conflicts == ()
    page = w.services.sync.page(w.clerk, NOWHERE)
    assert page.central_error == CENTRAL_UNREACHABLE and "127.0.0.1" in page.central_error_detail


def test_counts_and_acknowledging_issues(central, window_factory):
    w = window_factory("BN01")
    svc = w.services.sync
    before = svc.counts(w.clerk)
    assert before.pending > 0 and before.last_sync is None and before.open_issues == 0
    ids = []
    for _ in range(3):  # changes the centre must refuse (U+0000 in text)
        vid = new_id()
        ids.append(vid)
        with w.db.transaction() as s:
            s.add(OutboxEntry(change_id=new_id(), window_code="BN01", operator_id=w.clerk.user_id, entity="visits",
                              entity_id=vid, op="insert",
                              payload={"id": vid, "window_code": "BN01", "note": "a\u0000b"}))
    r = sync_once(w.db, "BN01", w.url)
    assert r.ok and r.quarantined == 3
    after = svc.counts(w.clerk)
    assert after.pending == 0 and after.open_issues == 3
    assert after.last_sync is not None and abs(after.last_sync - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    issues = svc.open_issues(w.clerk)
    assert [i.kind for i in issues] == ["quarantined"] * 3 and {i.entity_id for i in issues} == set(ids)

    sup = _supervisor(w)
    with pytest.raises(PermissionDenied):
        svc.acknowledge_issue(w.clerk, issues[0].id, "看过了")
    with pytest.raises(ValueError):
        svc.acknowledge_issue(sup, issues[0].id, "  ")
    one = svc.acknowledge_issue(sup, issues[0].id, "已在中心处理")
    assert one.id == issues[0].id and one.resolved_at is not None
    with pytest.raises(NotFound):
        svc.acknowledge_issue(sup, issues[0].id, "再来一次")
    assert svc.acknowledge_issues(sup, [i.id for i in issues], "重新登记") == 2  # the first was already done
    assert svc.counts(sup).open_issues == 0 and svc.open_issues(sup) == ()
    assert len(_audits(w, "sync.issue_acknowledge")) == 3


def test_the_runner_syncs_reports_and_stops(central, window_factory):
    w = window_factory("BN01")
    w.register(3)
    views: list[SyncView] = []
    rounds: list[SyncRound] = []
    got = threading.Event()

    def on_report(r: SyncRound) -> None:
        rounds.append(r)
        got.set()

    runner = w.services.sync.runner(central_url=w.url, interval=3600, status_interval=0.2, on_view=views.append,
                                    on_report=on_report)
    t = threading.Thread(target=runner.run, daemon=True)
    t.start()
    assert got.wait(30), "no round within 30 s"
    first = rounds[0]
    assert first.ok and first.online and first.pushed > 3 and first.pending == 0 and not first.needs_supervisor
    runner.refresh_status()
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while not (views and views[-1].online and not views[-1].running) and dt.datetime.now() < deadline:
        time.sleep(0.05)
    v = views[-1]
    assert v.configured and v.online and v.pending == 0 and v.last_sync is not None and v.open_issues == 0
    assert v.next_attempt is not None and v.next_attempt > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=50)
    assert any(x.running for x in views)  # it said "syncing" while the round ran
    w.register(1)
    got.clear()
    runner.sync_now()  # wakes it long before the hour is up
    assert got.wait(30) and rounds[-1].pushed >= 1 and runner.rounds == 2
    runner.stop()
    t.join(10)
    assert not t.is_alive()


def test_the_runner_without_a_centre_says_so_and_ends(window_factory, central):
    w = window_factory("BN01")
    views: list[SyncView] = []

    def nothing() -> str:
        raise CentralConfigError("no central database configured")

    w.services.sync.runner(resolve_url=nothing, on_view=views.append).run()  # returns at once
    assert views == [SyncView(configured=False, config_error="no central database configured")]


def test_offline_rounds_back_off_in_the_one_loop(window_factory, central):
    from xinfang_desk.sync.service import SyncLoop, watch

    w = window_factory("BN01")
    reports = []
    last = watch(w.db, "BN01", NOWHERE, interval=0.01, max_backoff=0.05, max_rounds=3, on_report=reports.append)
    assert len(reports) == 3 and last is reports[-1] and not last.ok and not last.online and last.pending > 0
    loop = SyncLoop(w.db, "BN01", central_url=NOWHERE, interval=600, max_backoff=900, max_rounds=1)
    loop.run()
    st = loop.monitor.status(w.db)
    assert loop.rounds == 1 and st.online is False and st.last_error and not st.running
    # after a failure the next try is one interval away, jittered into its upper half: 300–600 s, not at once
    assert dt.timedelta(seconds=290) <= st.next_attempt - loop.options.clock() <= dt.timedelta(seconds=601)
