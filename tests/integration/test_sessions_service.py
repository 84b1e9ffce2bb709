"""Sessions through the services, as the office would notice them: plans make the right dates, staffing rules
refuse with a reason and write nothing, lawyers rotate fairly across firms, bookings respect capacity with a
waiting list that moves up, recusal names the conflict, proposals fit the matter and the town."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.persistence.models import (
    OutboxEntry,
    ReceptionSession,
    SessionBooking,
    SessionStaff,
    StaffPerson,
)
from xinfang_desk.services.scheduling import PersonInput, PlanInput, quarter_of

pytest_plugins = ["tests.integration.conftest_reg"]

from tests.integration.conftest_reg import counts, delta, person, reg  # noqa: E402
from tests.naughty import VALID_ID  # noqa: E402

D = dt.date
LEADER = PersonInput("lead-wang", "王副区长", "leader", title="副区长")
LEADER2 = PersonInput("lead-li", "李副区长", "leader", title="副区长")
LAW = [
    PersonInput("law-a1", "赵律师", "lawyer", organisation="甲律师事务所", specialties=("labour.dispute", "labour.wage_arrears")),
    PersonInput("law-a2", "钱律师", "lawyer", organisation="甲律师事务所"),
    PersonInput("law-a3", "孙律师", "lawyer", organisation="甲律师事务所"),
    PersonInput("law-b1", "周律师", "lawyer", organisation="乙律师事务所", specialties=("land.contract",)),
    PersonInput("law-c1", "吴法律工作者", "legal_worker", organisation="青溪法律服务所"),
    PersonInput("law-c2", "郑调解员", "mediator", organisation="青溪法律服务所"),
]


def plan(key: str = "lr", type_: str = "leader_reception", **kw) -> PlanInput:
    base = dict(key=key, type=type_, start="09:00", end="11:30", capacity=3, from_day=D(2027, 1, 4), to_day=D(2027, 3, 31),
                people=("lead-wang", "law-a1"), weekdays=(3,))
    base.update(kw)
    return PlanInput(**base)


@pytest.fixture
def admin(actors):
    return actors["admin"]


def test_weekly_plan_with_exceptions_and_holidays_and_idempotent_rerun(sv, admin):
    p = plan(from_day=D(2026, 9, 21), to_day=D(2026, 10, 21), weekdays=(1, 3),
             skipped=(D(2026, 9, 21),), moved=((D(2026, 9, 23), D(2026, 9, 24)),))
    res = sv.scheduling.apply_plan(admin, [LEADER, LAW[0]], [p])
    days = [s.day for s in res.created]
    assert D(2026, 9, 21) not in days and D(2026, 9, 23) not in days and D(2026, 9, 24) in days
    assert not any(D(2026, 10, 1) <= d <= D(2026, 10, 7) for d in days)  # 国庆节
    assert {(k, d, r) for k, d, r, _x in res.skipped} >= {("lr", D(2026, 10, 5), "holiday"), ("lr", D(2026, 9, 21), "exception")}
    assert days == [D(2026, 9, 24), D(2026, 9, 28), D(2026, 9, 30), D(2026, 10, 12), D(2026, 10, 14), D(2026, 10, 19), D(2026, 10, 21)]
    assert all([(x.name, x.role) for x in s.people] == [("王副区长", "leader"), ("赵律师", "lawyer")] for s in res.created)
    before = counts(sv)
    again = sv.scheduling.apply_plan(admin, [LEADER, LAW[0]], [p])
    assert again.created == () and again.existing == len(days)
    assert delta(before, counts(sv)) == {}


def test_leader_reception_without_a_lawyer_is_refused_with_its_reason_and_nothing_written(sv, admin):
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.apply_plan(admin, [LEADER], [plan(people=("lead-wang",), to_day=D(2027, 1, 10))])
    assert e.value.problems[0].field == "plans[0].people"
    assert "lawyer" in e.value.problems[0].problem and e.value.problems[0].params["date"] == "2027-01-06"
    assert "律师" in e.value.message()
    assert delta(before, counts(sv)) == {"audit_events": 0} or delta(before, counts(sv)) == {}


def test_overlapping_sessions_and_leave_are_refused_naming_the_person(sv, admin):
    sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 31))])
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:  # the same leader, Wednesdays 10:00-12:00 at a town
        sv.scheduling.apply_plan(admin, [], [plan(key="out", type_="outreach", town="柳城镇", start="10:00", end="12:00",
                                                  people=("lead-wang",), to_day=D(2027, 1, 31))])
    msg = e.value.message()
    assert "王副区长" in msg and "2027-01-06" in msg and "09:00-11:30" in msg
    assert delta(before, counts(sv)) == {}
    on_leave = PersonInput("lead-li", "李副区长", "leader", unavailable=((D(2027, 2, 1), D(2027, 2, 5)),))
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.apply_plan(admin, [on_leave], [plan(key="lr2", people=("lead-li", "law-b1"), start="14:00", end="16:00",
                                                         from_day=D(2027, 2, 1), to_day=D(2027, 2, 28))])
    assert "李副区长" in e.value.message() and "2027-02-03" in e.value.message()
    # a rotated lawyer on leave is simply not picked
    b1_leave = PersonInput("law-b1", "周律师", "lawyer", organisation="乙律师事务所", specialties=("land.contract",),
                           unavailable=((D(2027, 2, 1), D(2027, 2, 28)),))
    res = sv.scheduling.apply_plan(admin, [b1_leave], [plan(key="lr3", people=("lead-wang", "law-a2", "law-b1"), rotate_lawyers=1,
                                                             start="14:00", end="16:00", from_day=D(2027, 2, 1), to_day=D(2027, 2, 28))])
    assert res.created and all("周律师" not in [p.name for p in s.people] for s in res.created)


def test_rotation_is_fair_across_firms_over_a_quarter(sv, admin):
    # firm 甲 has three lawyers, 乙 one, the legal-service office two: the seats still go firm by firm
    res = sv.scheduling.apply_plan(admin, [LEADER, LEADER2, *LAW], [
        plan(key="lr-wed", people=("lead-wang", *[p.key for p in LAW]), rotate_lawyers=1, from_day=D(2027, 1, 1), to_day=D(2027, 3, 31)),
        plan(key="duty", type_="lawyer_duty", people=tuple(p.key for p in LAW), rotate_lawyers=1, weekdays=(1, 2, 3, 4, 5),
             start="13:30", end="17:00", capacity=8, from_day=D(2027, 1, 1), to_day=D(2027, 3, 31)),
    ])
    per_firm = res.firm_counts["2027Q1"]
    assert set(per_firm) == {"甲律师事务所", "乙律师事务所", "青溪法律服务所"}
    assert max(per_firm.values()) - min(per_firm.values()) <= 1, per_firm
    assert sum(per_firm.values()) == len(res.created)
    # the figures shown are what the database holds
    with sv.db.session() as s:
        rows = s.execute(select(StaffPerson.organisation, func.count()).join(SessionStaff, SessionStaff.person_id == StaffPerson.id)
                         .join(ReceptionSession, ReceptionSession.id == SessionStaff.session_id)
                         .where(StaffPerson.role != "leader").group_by(StaffPerson.organisation)).all()
    assert dict(rows) == per_firm
    assert sv.scheduling.firm_counts(admin, D(2027, 2, 1)) == per_firm
    assert quarter_of(D(2027, 3, 31)) == "2027Q1"


def _visits(sv, clerk, n, **kw):
    return [sv.registration.register(clerk, reg(person("张王李赵钱孙周吴郑冯陈褚"[i] + "访客", address=kw.get("address", "青溪街道")),
                                                kind=kw.get("kind", "labour.dispute"), respondent=kw.get("respondent", "某公司"))).query_code
            for i in range(n)]


def test_capacity_waiting_list_and_cancellation_moves_the_first_waiting_up(sv, admin, clerk):
    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(capacity=2, to_day=D(2027, 1, 10))])
    sid = res.created[0].id
    a, b, c, d = _visits(sv, clerk, 4)
    assert sv.scheduling.book(clerk, a, sid).status == "booked"
    assert sv.scheduling.book(clerk, b, sid).status == "booked"
    wc = sv.scheduling.book(clerk, c, sid)
    wd = sv.scheduling.book(clerk, d, sid)
    assert (wc.status, wc.position, wd.status, wd.position) == ("waiting", 1, "waiting", 2)
    listed = sv.scheduling.list_sessions(clerk, D(2027, 1, 1), D(2027, 1, 31))[0]
    assert (listed.bookings, listed.waiting) == (2, 2)
    out = sv.scheduling.unbook(clerk, a, sid)
    assert out.status == "cancelled" and out.promoted == c
    assert [x.status for x in sv.scheduling.bookings_of(clerk, c)] == ["booked"]
    assert sv.scheduling.bookings_of(clerk, d)[0].position == 1
    # a waiting visit that cancels moves nobody
    assert sv.scheduling.unbook(clerk, d, sid).promoted is None
    listed = sv.scheduling.list_sessions(clerk, D(2027, 1, 1), D(2027, 1, 31))[0]
    assert (listed.bookings, listed.waiting) == (2, 0)


def test_one_future_booking_per_visit_and_reschedule(sv, admin, clerk):
    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 20))])
    s1, s2 = res.created[0].id, res.created[1].id
    (code,) = _visits(sv, clerk, 1)
    sv.scheduling.book(clerk, code, s1)
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.book(clerk, code, s2)
    assert "2027-01-06" in e.value.message()
    assert delta(before, counts(sv)) == {}
    moved = sv.scheduling.reschedule(clerk, code, s1, s2)
    assert moved.session_id == s2 and moved.status == "booked"
    assert sorted(b.status for b in sv.scheduling.bookings_of(clerk, code)) == ["booked", "cancelled"]


def test_attended_and_no_show_only_once_the_session_took_place(sv, admin, clerk):
    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 10))])
    sid = res.created[0].id
    (code,) = _visits(sv, clerk, 1)
    sv.scheduling.book(clerk, code, sid)
    with pytest.raises(ValidationFailed):
        sv.scheduling.mark(clerk, code, sid, attended=True)
    assert sv.scheduling.mark(clerk, code, sid, attended=False, today=D(2027, 1, 6)).status == "no_show"
    assert sv.scheduling.mark(clerk, code, sid, attended=True, today=D(2027, 1, 7)).status == "attended"


@pytest.mark.parametrize("conflict,visitor,respondent,what", [
    (("张大山", "", ""), dict(name="张大山"), "某公司", "name"),
    (("", VALID_ID, ""), dict(name="李四", id_number=VALID_ID), "某公司", "ID number"),
    (("", "", "青溪某建材有限公司"), dict(name="王五"), "青溪某建材有限公司", "organisation"),
])
def test_recusal_by_name_id_and_organisation_names_the_conflict(sv, admin, clerk, conflict, visitor, respondent, what):
    lawyer = PersonInput("law-x", "冯律师", "lawyer", organisation="丙律师事务所", conflicts=(conflict,))
    res = sv.scheduling.apply_plan(admin, [LEADER, lawyer, LAW[0]], [
        plan(key="only-x", people=("lead-wang", "law-x"), to_day=D(2027, 1, 10)),
        plan(key="two", people=("lead-wang", "law-x", "law-a1"), start="14:00", end="16:00", to_day=D(2027, 1, 10))])
    only_x = next(s.id for s in res.created if s.start == "09:00")
    two = next(s.id for s in res.created if s.start == "14:00")
    code = sv.registration.register(clerk, reg(person(**visitor), kind="labour.dispute", respondent=respondent)).query_code
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.book(clerk, code, only_x)
    msg = e.value.message()
    assert "冯律师" in msg and (visitor["name"] in msg or respondent in msg)
    assert delta(before, counts(sv)) == {}
    ok = sv.scheduling.book(clerk, code, two)  # another lawyer takes the seat: booked, the conflict named
    assert ok.status == "booked" and [r.person for r in ok.recused] == ["冯律师"]
    assert {"name": "name", "ID number": "id_number", "organisation": "organisation"}[what] == ok.recused[0].what
    docket = sv.scheduling.docket(clerk, two)
    assert docket.entries[0].recused[0].person == "冯律师"


def test_proposals_fit_the_matter_kind_and_the_visitors_town(sv, admin, clerk):
    sv.scheduling.apply_plan(admin, [LEADER, *LAW], [
        plan(key="labour", people=("lead-wang", "law-a1"), to_day=D(2027, 1, 31)),
        plan(key="land", people=("lead-wang", "law-b1"), start="14:00", end="16:00", to_day=D(2027, 1, 31)),
        plan(key="out-liu", type_="outreach", town="柳城镇", people=("law-c1",), weekdays=(), market_calendar="solar",
             market_days=(1, 4, 7), start="08:30", end="11:30", to_day=D(2027, 1, 31)),
        plan(key="out-shi", type_="outreach", town="石桥镇", people=("law-c2",), weekdays=(), market_calendar="lunar",
             market_days=(2, 5, 8), start="08:30", end="11:30", to_day=D(2027, 1, 31)),
    ])
    (labour,) = _visits(sv, clerk, 1, kind="labour.dispute", address="柳城镇新街5号")
    props = sv.scheduling.proposals(clerk, labour, today=D(2027, 1, 4))
    assert {p.session.plan_key for p in props} <= {"labour", "out-liu"}
    assert props[0].session.plan_key in {"labour", "out-liu"}
    assert any(p.session.plan_key == "labour" and "specialty" in p.reasons for p in props)
    assert any(p.session.plan_key == "out-liu" and p.reasons == ("town",) for p in props)
    (land,) = _visits(sv, clerk, 1, kind="land.contract", address="石桥镇某村")
    props = sv.scheduling.proposals(clerk, land, today=D(2027, 1, 4))
    assert {p.session.plan_key for p in props} <= {"land", "out-shi"} and props


def test_a_booking_is_provisional_until_sent_to_the_centre(sv, admin, clerk):
    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 10))])
    (code,) = _visits(sv, clerk, 1)
    b = sv.scheduling.book(clerk, code, res.created[0].id)
    assert b.provisional and not b.refused_by_centre
    with sv.db.transaction() as s:  # what a push does once the centre committed the batch
        s.execute(OutboxEntry.__table__.update().values(sent_at=dt.datetime.now(dt.UTC)))
    assert not sv.scheduling.bookings_of(clerk, code)[0].provisional


def test_permissions(sv, admin, clerk, actors):
    with pytest.raises(PermissionDenied):
        sv.scheduling.apply_plan(clerk, [LEADER], [])
    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 10))])
    (code,) = _visits(sv, clerk, 1)
    with pytest.raises(PermissionDenied):
        sv.scheduling.book(actors["lawyer"], code, res.created[0].id)
    with sv.db.session() as s:
        assert s.scalar(select(func.count()).select_from(SessionBooking)) == 0


def test_a_past_booking_not_yet_marked_must_be_marked_before_booking_again(sv, admin, clerk):
    from sqlalchemy import update

    res = sv.scheduling.apply_plan(admin, [LEADER, *LAW], [plan(to_day=D(2027, 1, 20))])
    s1, s2 = res.created[0].id, res.created[1].id
    (code,) = _visits(sv, clerk, 1)
    sv.scheduling.book(clerk, code, s1)
    with sv.db.transaction() as s:  # the first session lies in the past now
        s.execute(update(ReceptionSession).where(ReceptionSession.id == s1).values(day=D(2026, 1, 7)))
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.book(clerk, code, s2)
    assert "2026-01-07" in e.value.message() and "未到" in e.value.message()
    sv.scheduling.mark(clerk, code, s1, attended=False)
    assert sv.scheduling.book(clerk, code, s2).status == "booked"
