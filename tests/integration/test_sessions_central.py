"""Offline windows booking the same session at once: the central PostgreSQL keeps capacity, one active booking per
visit and no person in two overlapping sessions (constraints of c0006_sessions); what it refuses comes back to the
window as a visible sync issue and the booking stays provisional, never silently dropped."""

from __future__ import annotations

import datetime as dt
import threading

import psycopg

from tests.sessions import ADMIN_PASSWORD
from xinfang_desk.services.scheduling import PersonInput, PlanInput
from xinfang_desk.sync.config import conninfo_params
from xinfang_desk.sync.engine import sync_once

D = dt.date
PEOPLE = [PersonInput("lead", "王副区长", "leader", title="副区长"),
          PersonInput("law", "刘律师", "lawyer", organisation="甲律师事务所")]


def _admin(w):
    return w.services.auth.login("admin", ADMIN_PASSWORD)


def _sync(w):
    r = sync_once(w.db, w.code, w.url)
    assert r.ok, r.errors
    return r


def test_double_booking_from_several_windows_at_once_leaves_no_overlap(central, window_factory):
    a = window_factory("BN01")
    res = a.services.scheduling.apply_plan(_admin(a), PEOPLE, [
        PlanInput("lr", "leader_reception", "09:00", "11:30", 3, D(2027, 1, 6), D(2027, 1, 6), ("lead", "law"), weekdays=(3,)),
        PlanInput("lr2", "leader_reception", "14:00", "16:00", 3, D(2027, 1, 6), D(2027, 1, 6), ("lead", "law"), weekdays=(3,)),
    ])
    s1, s2 = sorted(res.created, key=lambda s: s.start)
    a.register(12)
    _sync(a)
    windows = [window_factory(code) for code in ("BN02", "BN03", "BN04")]
    for w in windows:
        _sync(w)
    with a.db.session() as s:
        codes = [c for (c,) in s.execute(__import__("sqlalchemy").text("SELECT query_code FROM visits ORDER BY query_code"))]
    shared = codes[-1]
    for i, w in enumerate(windows):
        sch = w.services.scheduling
        for code in codes[i * 3:(i + 1) * 3]:  # each window fills the whole session as it sees it
            assert sch.book(w.clerk, code, s1.id, today=D(2027, 1, 1)).status == "booked"
        assert sch.book(w.clerk, shared, s2.id, today=D(2027, 1, 1)).status == "booked"  # the same visit, thrice
        # and each window puts the same lawyer into a new session overlapping the others' (10:00-11:00 on Friday)
        sch.create_session(_admin(w), "lawyer_duty", D(2027, 1, 8), f"{10 + 0:02d}:{i * 10:02d}", "11:00", 5, ["law"])
    assert all(b.provisional for w in windows for b in w.services.scheduling.bookings_of(w.clerk, shared))

    barrier = threading.Barrier(len(windows))
    reports: dict[str, object] = {}

    def push(w):
        barrier.wait()
        reports[w.code] = sync_once(w.db, w.code, w.url)

    threads = [threading.Thread(target=push, args=(w,)) for w in windows]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r.ok for r in reports.values()), reports

    # at the centre: seats never beyond capacity, one active booking per visit, no overlapping duty of a person
    held = central.rows("SELECT session_id, count(*) FROM central.bookings_mirror WHERE seat IS NOT NULL GROUP BY 1")
    assert dict(held) == {s1.id: 3, s2.id: 1}
    assert central.scalar("SELECT count(*) FROM (SELECT visit_id FROM central.bookings_mirror WHERE status IN ('booked', 'waiting') "
                          "GROUP BY visit_id HAVING count(*) > 1) x") == 0
    overlaps = central.scalar("""SELECT count(*) FROM central.session_staff_mirror a JOIN central.session_staff_mirror b
        ON a.person_id = b.person_id AND a.id < b.id AND a.active AND b.active AND a.during && b.during""")
    assert overlaps == 0
    assert central.scalar("SELECT count(*) FROM central.session_staff_mirror WHERE person_id = "
                          "(SELECT payload->>'id' FROM central.central_changes WHERE entity = 'staff_people' "
                          "AND payload->>'key' = 'law' LIMIT 1) AND lower(during)::date = '2027-01-08'") == 1
    # the log agrees: the applied bookings of s1 are exactly the three seats
    assert central.scalar("SELECT count(*) FROM central.central_changes WHERE entity = 'session_bookings' AND status = 'applied' "
                          "AND payload->>'session_id' = %s", s1.id) == 3

    # the accepted bookings reach the window that planned the sessions: exactly the seats the centre gave
    _sync(a)
    at_a = {x.id: x for x in a.services.scheduling.list_sessions(a.clerk, D(2027, 1, 6), D(2027, 1, 8))}
    assert (at_a[s1.id].bookings, at_a[s2.id].bookings) == (3, 1)
    assert [p.name for p in at_a[s1.id].people] == ["王副区长", "刘律师"]
    duties = [x for x in at_a.values() if x.type == "lawyer_duty"]
    # the three new duty sessions exist, but the lawyer sits in one only: the other two seats were refused
    assert len(duties) == 3 and sorted(len(x.people) for x in duties) == [0, 0, 1]

    # every refusal came back to its window: visible, the booking still provisional and marked refused
    refused = 0
    for w in windows:
        prov, ref = w.services.scheduling.pending_bookings(w.clerk)
        refused += ref
        assert prov >= ref
    assert refused == 6 + 2  # 9 seats asked for 3, and the shared visit booked three times for one
    quarantined = central.scalar("SELECT count(*) FROM central.quarantine WHERE entity = 'session_bookings'")
    assert quarantined == 8
    reasons = [r for (r,) in central.rows("SELECT reason FROM central.quarantine WHERE entity IN ('session_bookings', 'session_staff')")]
    assert any("ck_bookings_mirror_within_capacity" in r for r in reasons)
    assert any("uq_bookings_mirror_one_active_per_visit" in r for r in reasons)
    assert any("ex_session_staff_no_overlap" in r for r in reasons)
    # the window's supervisor reads why, in Chinese, not the database's message
    from xinfang_desk.sync.engine import open_issues, reason_text

    texts = {reason_text(i.reason) for w in windows for i in open_issues(w.db) if i.entity in ("session_bookings", "session_staff")}
    assert texts == {"中心拒绝了该预约：该场次已满（其他窗口先约满了最后的名额）",
                     "中心拒绝了该预约：该来访已由其他窗口预约了场次",
                     "中心拒绝了该安排：该人员已安排在时间重叠的场次"}, texts


def test_windows_cannot_touch_the_mirror_tables(central, window_factory):
    w = window_factory("BN01")
    with psycopg.connect(**conninfo_params(w.url)) as conn:
        for q in ("SELECT * FROM central.bookings_mirror", "DELETE FROM central.session_staff_mirror"):
            try:
                conn.execute(q)
                raise AssertionError(f"a window could run {q}")
            except psycopg.errors.InsufficientPrivilege:
                conn.rollback()


def test_a_conflict_and_leave_withdrawn_on_one_window_are_withdrawn_on_the_others(central, window_factory):
    """接访人员: a withdrawal is a versioned update, so it reaches every window (the sync has no deletes)."""
    a = window_factory("BN01")
    admin = _admin(a)
    sch = a.services.scheduling
    sch.apply_plan(admin, PEOPLE, [])
    c = sch.add_conflict(admin, "law", party_name="张三")
    lv = sch.add_leave(admin, "law", D(2027, 1, 4), D(2027, 1, 8))
    _sync(a)
    b = window_factory("BN02")
    _sync(b)
    (law,) = [r for r in b.services.scheduling.staff_records(_admin(b)) if r.person.key == "law"]
    assert [x.party_name for x in law.conflicts] == ["张三"] and len(law.leave) == 1
    sch.remove_conflict(admin, c.id)
    sch.remove_leave(admin, lv.id)
    _sync(a)
    _sync(b)
    (law,) = [r for r in b.services.scheduling.staff_records(_admin(b)) if r.person.key == "law"]
    assert law.conflicts == () and law.leave == ()
