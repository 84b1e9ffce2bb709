"""The admin's screen for people (接访人员) through the services: add and edit a person at the version read,
leave and declared conflicts added and withdrawn (each a synced, audited change), ID numbers validated and
masked, a lawyer's account linked and unlinked; a conflict added here recuses the person on a booking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.persistence.models import AuditEvent, OutboxEntry, StaffConflict
from xinfang_desk.services.scheduling import PersonInput, PlanInput

pytest_plugins = ["tests.integration.conftest_reg"]

from tests.integration.conftest_reg import counts, delta, person, reg  # noqa: E402
from tests.naughty import VALID_ID  # noqa: E402

D = dt.date


@pytest.fixture
def admin(actors):
    return actors["admin"]


def _outbox(sv, entity: str) -> list[OutboxEntry]:
    with sv.db.session() as s:
        return list(s.scalars(select(OutboxEntry).where(OutboxEntry.entity == entity).order_by(OutboxEntry.seq)))


def test_add_and_edit_a_person_versioned_audited_and_synced(sv, admin):
    d = sv.scheduling.save_person(admin, PersonInput("", " 冯律师 ", "lawyer", organisation="丙律师事务所",
                                                     specialties=("labour.dispute",), phone="13912341234"))
    assert d.key and d.name == "冯律师" and d.phone == "+8613912341234"
    (rec,) = [r for r in sv.scheduling.staff_records(admin) if r.person.key == d.key]
    assert rec.person.phone == "139****1234" and rec.version == 1  # the admin may not see phones unmasked
    # an edit at the version read; the masked phone not retyped stays as it was
    sv.scheduling.save_person(admin, PersonInput(d.key, "冯律师", "lawyer", organisation="丁律师事务所",
                                                 specialties=("labour.dispute", "land.contract")),
                              base_version=1, keep_phone=True)
    (rec,) = [r for r in sv.scheduling.staff_records(admin) if r.person.key == d.key]
    assert rec.person.organisation == "丁律师事务所" and rec.version == 2 and rec.person.phone == "139****1234"
    ops = [(e.op, e.base_version) for e in _outbox(sv, "staff_people")]
    assert ops == [("insert", None), ("update", 1)]
    # a stale edit is refused and writes nothing
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.save_person(admin, PersonInput(d.key, "冯律师", "lawyer", organisation="戊"), base_version=1)
    assert e.value.problems[0].field == "person"
    assert delta(before, counts(sv)) == {}
    with sv.db.session() as s:
        actions = set(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("staff.%"))))
    assert {"staff.add", "staff.edit", "staff.list"} <= actions


def test_bad_person_input_names_the_field_and_writes_nothing(sv, admin):
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.save_person(admin, PersonInput("", "", "lawyer", phone="12"))
    fields = {p.field for p in e.value.problems}
    assert {"name", "firm", "phone"} <= fields
    assert delta(before, counts(sv)) == {}


def test_only_an_admin_manages_people(sv, actors):
    for role in ("clerk", "supervisor", "lawyer"):
        with pytest.raises(PermissionDenied):
            sv.scheduling.save_person(actors[role], PersonInput("", "某人", "staff"))
        with pytest.raises(PermissionDenied):
            sv.scheduling.staff_records(actors[role])


def test_leave_added_and_withdrawn_changes_what_the_staffing_rules_see(sv, admin):
    lead = sv.scheduling.save_person(admin, PersonInput("lead-x", "赵副区长", "leader", title="副区长"))
    sv.scheduling.save_person(admin, PersonInput("law-x", "钱律师", "lawyer", organisation="甲律师事务所"))
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.add_leave(admin, lead.key, D(2027, 1, 8), D(2027, 1, 4))
    assert e.value.problems[0].field == "leave.to"
    lv = sv.scheduling.add_leave(admin, lead.key, D(2027, 1, 4), D(2027, 1, 8), "年假")
    p = PlanInput("lr", "leader_reception", "09:00", "11:30", 3, D(2027, 1, 4), D(2027, 1, 10), ("lead-x", "law-x"),
                  weekdays=(3,))
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.apply_plan(admin, [], [p])
    assert "赵副区长" in e.value.message() and "2027-01-06" in e.value.message()
    sv.scheduling.remove_leave(admin, lv.id)
    (rec,) = [r for r in sv.scheduling.staff_records(admin) if r.person.key == "lead-x"]
    assert rec.leave == ()
    assert [(x.op, x.base_version, x.payload["active"]) for x in _outbox(sv, "staff_unavailability")] == [
        ("insert", None, True), ("update", 1, False)]
    assert len(sv.scheduling.apply_plan(admin, [], [p]).created) == 1
    with pytest.raises(ValidationFailed):
        sv.scheduling.remove_leave(admin, lv.id)  # already withdrawn


def test_conflict_by_id_number_is_validated_masked_and_recuses_on_the_booking(sv, admin, clerk):
    sv.scheduling.save_person(admin, PersonInput("lead-x", "赵副区长", "leader", title="副区长"))
    law = sv.scheduling.save_person(admin, PersonInput("", "冯律师", "lawyer", organisation="丙律师事务所"))
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.add_conflict(admin, law.key, id_number="110105194912310021")
    assert e.value.problems[0].field == "conflict.id_number" and "check digit" in e.value.problems[0].problem
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.add_conflict(admin, law.key)
    assert e.value.problems[0].field == "conflict"
    assert delta(before, counts(sv)) == {}
    c = sv.scheduling.add_conflict(admin, law.key, id_number=VALID_ID.lower())
    assert c.id_number == "110105********002X"
    with sv.db.session() as s:
        assert s.scalar(select(StaffConflict.id_number).where(StaffConflict.id == c.id)) == VALID_ID
    (rec,) = [r for r in sv.scheduling.staff_records(admin) if r.person.key == law.key]
    assert [x.id_number for x in rec.conflicts] == ["110105********002X"]
    res = sv.scheduling.apply_plan(admin, [], [PlanInput("lr", "leader_reception", "09:00", "11:30", 3, D(2027, 1, 4),
                                                         D(2027, 1, 10), ("lead-x", law.key), weekdays=(3,))])
    code = sv.registration.register(clerk, reg(person(id_number=VALID_ID), kind="labour.dispute")).query_code
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.book(clerk, code, res.created[0].id)
    assert "冯律师" in e.value.message()
    sv.scheduling.remove_conflict(admin, c.id)  # withdrawn: the booking goes through
    assert sv.scheduling.book(clerk, code, res.created[0].id).status == "booked"
    assert [x.op for x in _outbox(sv, "staff_conflicts")] == ["insert", "update"]


def test_link_and_unlink_a_lawyer_account(sv, admin, actors):
    law = sv.scheduling.save_person(admin, PersonInput("", "刘律师", "lawyer", organisation="甲律师事务所"))
    with pytest.raises(ValidationFailed) as e:
        sv.scheduling.link_user(admin, law.key, "nobody")
    assert e.value.problems[0].field == "username"
    sv.scheduling.link_user(admin, law.key, "lawyer")
    assert sv.scheduling.person_of(actors["lawyer"]).key == law.key
    assert [r.username for r in sv.scheduling.staff_records(admin) if r.person.key == law.key] == ["lawyer"]
    sv.scheduling.unlink_user(admin, law.key)
    assert sv.scheduling.person_of(actors["lawyer"]) is None
