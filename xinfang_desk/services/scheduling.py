"""Leader reception sessions (领导公开接访) with lawyers, duty lawyers (律师值班) and town outreach on market
days (赶场日下访): people, plans, sessions, staffing rules, bookings with a waiting list, proposals, dockets.

Staffing rules (each refusal is a FieldProblem naming the field, with a msgid and its parameters):
* a `leader_reception` has a leader and at least one lawyer, legal-service worker or mediator;
* lawyers are rotated fairly across firms: each rotated seat goes to the firm with the fewest seats in the
  session's calendar quarter (then the lawyer with the fewest), so no firm gets more than one session above
  another over a quarter while all firms have someone free;
* nobody serves in two overlapping sessions, nor in a session during their leave;
* recusal: a person with a declared conflict (a party's name, an ID number, an organisation) with the visitor,
  a co-petitioner or the respondent does not serve on that booking; if the session would then lack its leader
  or its only lawyer, the booking is refused and the conflict is named.

Bookings: capacity, then a waiting list in order of booking; a cancellation moves the first waiting visit up.
A visit holds at most one active (booked or waiting) booking. A booking made at a window is provisional until
the centre has accepted it: its outbox entry is still unsent, or the centre refused it (a sync issue, shown to
the supervisor). The centre enforces capacity and no double booking with constraints (central migration
c0006_sessions).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import FieldProblem, ValidationFailed, fail
from xinfang_desk.domain.ids import new_id
from xinfang_desk.domain.phone import display_phone, mask_phone
from xinfang_desk.domain.places import towns
from xinfang_desk.domain.resident_id import mask_id, parse_resident_id
from xinfang_desk.domain.schedule import MarketDays, Recurrence, ScheduleError, occurrences
from xinfang_desk.domain.text import search_key
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    Classification,
    Matter,
    OutboxEntry,
    Person,
    ReceptionSession,
    SessionBooking,
    SessionPlan,
    SessionStaff,
    StaffConflict,
    StaffPerson,
    StaffUnavailability,
    User,
    Visit,
    VisitPerson,
)
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.recording import audit, record_change, record_changes, require
from xinfang_desk.services.reference import calendar_from_session

SESSION_TYPES = ("leader_reception", "lawyer_duty", "outreach")
STAFF_ROLES = ("leader", "lawyer", "legal_worker", "mediator", "staff")
LEGAL_ROLES = frozenset({"lawyer", "legal_worker", "mediator"})
ACTIVE = ("booked", "waiting")
OCCUPYING = ("booked", "attended", "no_show")
HALL = "信访接待大厅"
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

P_PLAN = N_("plan sessions")
P_STAFF = N_("manage session staff")
P_VIEW = N_("view sessions")
P_BOOK = N_("book visitors into sessions")

# refusal msgids (the parameters are filled where the words are shown)
R_NO_LEADER = N_("a leader's reception on {date} needs a leader")
R_NO_LAWYER = N_("a leader's reception on {date} needs at least one lawyer, legal-service worker or mediator")
R_DUTY_NO_LAWYER = N_("a duty session on {date} needs a lawyer, legal-service worker or mediator")
R_ON_LEAVE = N_("{name} is on leave on {date} ({from_day} to {to_day})")
R_OVERLAP = N_("{name} already serves in an overlapping session on {date} {start}-{end} ({place})")
R_TOO_FEW_LAWYERS = N_("only {found} of {wanted} lawyers are free on {date}")
R_CONFLICT = N_("{name} has a declared conflict of interest with {party} ({what}): recused, and nobody else can take the seat")
R_UNKNOWN_PERSON = N_("no person with the key {key}")
R_FULL_DAY = N_("the session of {date} is in the past")


@dataclass(frozen=True)
class PersonInput:
    key: str
    name: str
    role: str
    title: str = ""
    organisation: str = ""
    specialties: tuple[str, ...] = ()
    phone: str = ""
    conflicts: tuple[tuple[str, str, str], ...] = ()  # (party_name, id_number, organisation)
    unavailable: tuple[tuple[dt.date, dt.date], ...] = ()


@dataclass(frozen=True)
class PlanInput:
    key: str
    type: str
    start: str
    end: str
    capacity: int
    from_day: dt.date
    to_day: dt.date
    people: tuple[str, ...]
    place: str = ""
    town: str = ""
    weekdays: tuple[int, ...] = ()
    market_calendar: str = ""
    market_days: tuple[int, ...] = ()
    skip_weekends: bool = False
    rotate_lawyers: int = 0
    skipped: tuple[dt.date, ...] = ()
    moved: tuple[tuple[dt.date, dt.date], ...] = ()

    def spec(self) -> dict[str, Any]:
        return {
            "type": self.type, "start": self.start, "end": self.end, "capacity": self.capacity,
            "from": self.from_day.isoformat(), "to": self.to_day.isoformat(), "people": list(self.people),
            "place": self.place, "town": self.town, "weekdays": list(self.weekdays),
            "market_days": {"calendar": self.market_calendar, "days": list(self.market_days)} if self.market_days else None,
            "skip_weekends": self.skip_weekends, "rotate_lawyers": self.rotate_lawyers,
            "except": [d.isoformat() for d in self.skipped] + [{"date": a.isoformat(), "to": b.isoformat()} for a, b in self.moved],
        }


@dataclass(frozen=True)
class StaffDTO:
    id: str
    key: str
    name: str
    role: str
    title: str
    organisation: str
    specialties: tuple[str, ...]
    phone: str


@dataclass(frozen=True)
class LeaveDTO:
    id: str
    from_day: dt.date
    to_day: dt.date
    reason: str


@dataclass(frozen=True)
class ConflictDTO:
    id: str
    party_name: str
    id_number: str  # masked unless the role may see more
    organisation: str


@dataclass(frozen=True)
class StaffRecord:
    """One row of the admin's screen: the person (phone masked unless the role may see it) and what hangs on it."""
    person: StaffDTO
    version: int
    username: str  # the linked log-in account, "" when none
    leave: tuple[LeaveDTO, ...]
    conflicts: tuple[ConflictDTO, ...]


@dataclass(frozen=True)
class SessionDTO:
    id: str
    type: str
    day: dt.date
    start: str
    end: str
    place: str
    town: str
    capacity: int
    status: str
    people: tuple[StaffDTO, ...]
    bookings: int
    waiting: int
    plan_key: str = ""


@dataclass(frozen=True)
class Recusal:
    person: str  # name
    party: str  # the visitor, co-petitioner or respondent as written
    what: str  # name | id_number | organisation


@dataclass(frozen=True)
class BookingDTO:
    id: str
    session_id: str
    visit_id: str
    query_code: str
    status: str  # booked | waiting | cancelled | attended | no_show
    position: int  # 0 when booked; 1.. on the waiting list
    provisional: bool  # not yet accepted by the centre
    refused_by_centre: bool
    recused: tuple[Recusal, ...] = ()
    promoted: str | None = None  # query code moved up from the waiting list by this change
    session_label: str = ""  # "2026-12-02 09:00–11:30 信访接待大厅"


@dataclass(frozen=True)
class PlanResult:
    created: tuple[SessionDTO, ...]
    existing: int
    skipped: tuple[tuple[str, dt.date, str, str], ...]  # (plan key, day, reason code, detail)
    firm_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # quarter "2026Q1" -> firm -> sessions
    uncertain_years: tuple[int, ...] = ()  # years the holiday calendar does not cover: only weekends were known


@dataclass(frozen=True)
class Proposal:
    session: SessionDTO
    reasons: tuple[str, ...]  # codes: specialty | town | hall


@dataclass(frozen=True)
class DocketEntry:
    query_code: str
    visit_id: str
    status: str
    position: int
    names: tuple[str, ...]
    id_numbers: tuple[str, ...]  # masked unless the role may see more
    phones: tuple[str, ...]
    kind: str
    kind_label: str
    summary: str
    respondent: str
    channels: tuple[str, ...]  # Chinese labels of the proposed channels
    provisional: bool
    recused: tuple[Recusal, ...]


@dataclass(frozen=True)
class Docket:
    session: SessionDTO
    entries: tuple[DocketEntry, ...]


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _t(s: str) -> dt.time:
    return dt.time.fromisoformat(s)


def _staff_dto(p: StaffPerson) -> StaffDTO:
    return StaffDTO(p.id, p.key, p.name, p.role, p.title, p.organisation, tuple(p.specialties or ()), p.phone)


def _bump(s: Session, actor: Actor, obj: Any) -> None:
    """An edit of a versioned row: version + 1, outbox `update` with the version edited."""
    base = obj.version
    obj.version = base + 1
    obj.updated_at = utcnow()
    record_change(s, actor, obj, op="update", base_version=base)


class _Ctx:
    """What the staffing rules need, loaded once per operation."""

    def __init__(self, s: Session, people: Iterable[StaffPerson]) -> None:
        self.people = {p.id: p for p in people}
        ids = list(self.people)
        self.leave: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for u in s.scalars(select(StaffUnavailability).where(StaffUnavailability.person_id.in_(ids), StaffUnavailability.active.is_(True))):
            self.leave[u.person_id].append((u.from_day, u.to_day))
        # (person, day) -> [(start, end, place)] of the sessions they serve in
        self.busy: dict[tuple[str, dt.date], list[tuple[str, str, str]]] = defaultdict(list)
        # quarter -> firm -> seats, quarter -> person -> seats (legal roles only)
        self.firm_seats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.person_seats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        q = (select(SessionStaff.person_id, ReceptionSession.day, ReceptionSession.start_time, ReceptionSession.end_time,
                    ReceptionSession.place, ReceptionSession.town)
             .join(ReceptionSession, ReceptionSession.id == SessionStaff.session_id)
             .where(SessionStaff.active.is_(True), ReceptionSession.status == "scheduled"))
        for pid, day, start, end, place, town in s.execute(q):
            self.add_busy(pid, day, start, end, place or town)

    def add_busy(self, pid: str, day: dt.date, start: str, end: str, place: str) -> None:
        self.busy[(pid, day)].append((start, end, place))
        p = self.people.get(pid)
        if p is not None and p.role in LEGAL_ROLES:
            qtr = quarter_of(day)
            self.firm_seats[qtr][p.organisation] += 1
            self.person_seats[qtr][pid] += 1

    def on_leave(self, pid: str, day: dt.date) -> tuple[dt.date, dt.date] | None:
        for a, b in self.leave.get(pid, ()):
            if a <= day <= b:
                return a, b
        return None

    def overlap(self, pid: str, day: dt.date, start: str, end: str) -> tuple[dt.date, str, str, str] | None:
        for s0, e0, place in self.busy.get((pid, day), ()):
            if s0 < end and start < e0:
                return day, s0, e0, place
        return None

    def refusal(self, pid: str, day: dt.date, start: str, end: str) -> tuple[str, dict[str, Any]] | None:
        p = self.people[pid]
        lv = self.on_leave(pid, day)
        if lv:
            return R_ON_LEAVE, {"name": p.name, "date": day.isoformat(), "from_day": lv[0].isoformat(), "to_day": lv[1].isoformat()}
        ov = self.overlap(pid, day, start, end)
        if ov:
            return R_OVERLAP, {"name": p.name, "date": day.isoformat(), "start": ov[1], "end": ov[2], "place": ov[3]}
        return None


def _validate_time_span(start: str, end: str, field: str) -> None:
    if not TIME_RE.match(start or ""):
        raise fail(f"{field}.start", N_("Start"), N_("must be a time written HH:MM"))
    if not TIME_RE.match(end or ""):
        raise fail(f"{field}.end", N_("End"), N_("must be a time written HH:MM"))
    if end <= start:
        raise fail(f"{field}.end", N_("End"), N_("must be after the start"))


def _town_names() -> set[str]:
    return {t.name for t in towns()}


class SchedulingService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- people --------------------------------------------------------------------------------------
    @staticmethod
    def _validate_person(p: PersonInput, f: str) -> list[FieldProblem]:
        probs: list[FieldProblem] = []
        if not p.key or len(p.key) > 64:
            probs.append(FieldProblem(f"{f}.key", N_("Key"), N_("must be 1 to 64 characters")))
        if not p.name.strip() or len(p.name) > 50:
            probs.append(FieldProblem(f"{f}.name", N_("Name"), N_("must be 1 to 50 characters")))
        if p.role not in STAFF_ROLES:
            probs.append(FieldProblem(f"{f}.role", N_("Role"), N_("must be one of leader, lawyer, legal_worker, mediator, staff")))
        if p.role in LEGAL_ROLES and not p.organisation.strip():
            probs.append(FieldProblem(f"{f}.firm", N_("Firm or organisation"), N_("is needed for a lawyer, legal-service worker or mediator")))
        kinds = matter_kinds.kinds_by_code()
        for i, k in enumerate(p.specialties):
            if k not in kinds:
                probs.append(FieldProblem(f"{f}.specialties[{i}]", N_("Specialties"), N_("{value} is not a matter kind"), {"value": k}))
        if p.phone:
            from xinfang_desk.domain.phone import parse_phone

            try:
                parse_phone(p.phone, f"{f}.phone")
            except ValidationFailed as e:
                probs.extend(e.problems)
        for i, (a, b) in enumerate(p.unavailable):
            if b < a:
                probs.append(FieldProblem(f"{f}.unavailable[{i}].to", N_("Until"), N_("must not be before the start")))
        for i, c in enumerate(p.conflicts):
            if not any(x.strip() for x in c):
                probs.append(FieldProblem(f"{f}.conflicts[{i}]", N_("Conflict"), N_("needs a party, an ID number or an organisation")))
        return probs

    def _upsert_person(self, s: Session, actor: Actor, p: PersonInput) -> tuple[StaffPerson, bool]:
        from xinfang_desk.domain.phone import parse_phone

        phone = parse_phone(p.phone) if p.phone else ""
        row = s.scalar(select(StaffPerson).where(StaffPerson.key == p.key))
        values = {"name": p.name, "role": p.role, "title": p.title, "organisation": p.organisation,
                  "specialties": list(p.specialties), "phone": phone}
        changed = False
        if row is None:
            row = StaffPerson(key=p.key, window_code=actor.window_code, operator_id=actor.user_id, **values)
            s.add(row)
            record_change(s, actor, row)
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            _bump(s, actor, row)
            changed = True
        have_leave = {(u.from_day, u.to_day) for u in s.scalars(select(StaffUnavailability).where(StaffUnavailability.person_id == row.id, StaffUnavailability.active.is_(True)))}
        for a, b in p.unavailable:
            if (a, b) not in have_leave:
                u = StaffUnavailability(person_id=row.id, from_day=a, to_day=b, window_code=actor.window_code, operator_id=actor.user_id)
                s.add(u)
                record_change(s, actor, u)
                changed = True
        have_conf = {(c.party_name, c.id_number, c.organisation) for c in s.scalars(select(StaffConflict).where(StaffConflict.person_id == row.id, StaffConflict.active.is_(True)))}
        for c in p.conflicts:
            norm = (c[0].strip(), c[1].strip().upper(), c[2].strip())
            if norm not in have_conf:
                cf = StaffConflict(person_id=row.id, party_name=norm[0], id_number=norm[1], organisation=norm[2],
                                   window_code=actor.window_code, operator_id=actor.user_id)
                s.add(cf)
                record_change(s, actor, cf)
                changed = True
        return row, changed

    @reads
    def staff(self, actor: Actor) -> list[StaffDTO]:
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            return [_staff_dto(p) for p in s.scalars(select(StaffPerson).where(StaffPerson.active.is_(True)).order_by(StaffPerson.role, StaffPerson.key))]

    @writes
    def link_user(self, actor: Actor, person_key: str, username: str) -> StaffDTO:
        """A lawyer's (or any staff person's) log-in account is linked to their person."""
        require(self.db, actor, P_STAFF)
        with self.db.transaction() as s:
            p = s.scalar(select(StaffPerson).where(StaffPerson.key == person_key))
            if p is None:
                raise fail("person", N_("Person"), R_UNKNOWN_PERSON, key=person_key)
            u = s.scalar(select(User).where(User.username == username))
            if u is None:
                raise fail("username", N_("User name"), N_("no such user"))
            if p.user_id != u.id:
                p.user_id = u.id
                _bump(s, actor, p)
                audit(s, actor, "staff.link_user", "staff_people", p.id, username=username)
            return _staff_dto(p)

    @reads
    def person_of(self, actor: Actor) -> StaffDTO | None:
        if not actor.user_id:
            return None
        with self.db.session() as s:
            p = s.scalar(select(StaffPerson).where(StaffPerson.user_id == actor.user_id))
            return _staff_dto(p) if p else None

    # -- the admin's screen (接访人员): people, leave, declared conflicts, linked accounts -----------------
    @writes
    def staff_records(self, actor: Actor) -> list[StaffRecord]:
        """Every active person with leave, conflicts and linked account; phones and conflict ID numbers masked
        unless the role may see them. The read is audited (it shows personal data)."""
        require(self.db, actor, P_STAFF)
        full = actor.may(N_("view unmasked ID numbers and phones"))
        with self.db.transaction() as s:
            people = list(s.scalars(select(StaffPerson).where(StaffPerson.active.is_(True))
                                    .order_by(StaffPerson.role, StaffPerson.name)))
            ids = [p.id for p in people]
            leave: dict[str, list[LeaveDTO]] = defaultdict(list)
            for u in s.scalars(select(StaffUnavailability).where(StaffUnavailability.person_id.in_(ids),
                                                                 StaffUnavailability.active.is_(True))
                               .order_by(StaffUnavailability.from_day)):
                leave[u.person_id].append(LeaveDTO(u.id, u.from_day, u.to_day, u.reason))
            conf: dict[str, list[ConflictDTO]] = defaultdict(list)
            for c in s.scalars(select(StaffConflict).where(StaffConflict.person_id.in_(ids), StaffConflict.active.is_(True))):
                conf[c.person_id].append(ConflictDTO(c.id, c.party_name, c.id_number if full else mask_id(c.id_number),
                                                     c.organisation))
            users = dict(s.execute(select(User.id, User.username).where(
                User.id.in_([p.user_id for p in people if p.user_id]))).all())
            out = []
            for p in people:
                d = _staff_dto(p)
                phone = (display_phone(p.phone) if full else mask_phone(p.phone)) if p.phone else ""
                out.append(StaffRecord(replace(d, phone=phone), p.version, users.get(p.user_id or "", ""),
                                       tuple(leave[p.id]), tuple(conf[p.id])))
            audit(s, actor, "staff.list", "staff_people", None, people=len(out), unmasked=full)
            return out

    @staticmethod
    def _person(s: Session, person_key: str) -> StaffPerson:
        p = s.scalar(select(StaffPerson).where(StaffPerson.key == person_key, StaffPerson.active.is_(True)))
        if p is None:
            raise fail("person", N_("Person"), R_UNKNOWN_PERSON, key=person_key)
        return p

    @writes
    def save_person(self, actor: Actor, p: PersonInput, base_version: int | None = None,
                    keep_phone: bool = False) -> StaffDTO:
        """Add a person (base_version None; an empty key is made up) or edit one at the version read.
        keep_phone: the phone was shown masked and not retyped, so the stored number stays."""
        require(self.db, actor, P_STAFF)
        if not p.key:
            p = replace(p, key=f"p-{new_id()[-12:]}")
        p = replace(p, name=p.name.strip(), title=p.title.strip(), organisation=p.organisation.strip(),
                    phone=p.phone.strip(), conflicts=(), unavailable=())
        probs = self._validate_person(p, "person")
        if probs:
            raise ValidationFailed([FieldProblem(pr.field.removeprefix("person."), pr.label, pr.problem, pr.params)
                                    for pr in probs])
        from xinfang_desk.domain.phone import parse_phone

        with self.db.transaction() as s:
            row = s.scalar(select(StaffPerson).where(StaffPerson.key == p.key))
            if base_version is None and row is not None:
                raise fail("key", N_("Key"), N_("is already used by {name}"), name=row.name)
            if base_version is not None and row is None:
                raise fail("person", N_("Person"), R_UNKNOWN_PERSON, key=p.key)
            values: dict[str, Any] = {"name": p.name, "role": p.role, "title": p.title, "organisation": p.organisation,
                                      "specialties": list(p.specialties)}
            if not keep_phone:
                values["phone"] = parse_phone(p.phone) if p.phone else ""
            if row is None:
                row = StaffPerson(key=p.key, window_code=actor.window_code, operator_id=actor.user_id,
                                  **{"phone": "", **values})
                s.add(row)
                record_change(s, actor, row)
                audit(s, actor, "staff.add", "staff_people", row.id, role=p.role)
            else:
                if row.version != base_version:
                    raise fail("person", N_("Person"), N_("was changed by someone else meanwhile: reload and edit again"))
                changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
                if changed:
                    for k in changed:
                        setattr(row, k, values[k])
                    _bump(s, actor, row)
                    audit(s, actor, "staff.edit", "staff_people", row.id, fields=changed)
            return _staff_dto(row)

    @staticmethod
    def _withdraw(s: Session, actor: Actor, obj: Any) -> None:
        base = obj.version
        obj.active = False
        obj.version = base + 1
        record_change(s, actor, obj, op="update", base_version=base)

    @writes
    def add_leave(self, actor: Actor, person_key: str, from_day: dt.date | None, to_day: dt.date | None,
                  reason: str = "") -> LeaveDTO:
        require(self.db, actor, P_STAFF)
        if from_day is None:
            raise fail("leave.from", N_("From"), N_("is empty"))
        if to_day is None:
            raise fail("leave.to", N_("Until"), N_("is empty"))
        if to_day < from_day:
            raise fail("leave.to", N_("Until"), N_("must not be before the start"))
        if len(reason.strip()) > 200:
            raise fail("leave.reason", N_("Reason"), N_("must be at most 200 characters"))
        with self.db.transaction() as s:
            p = self._person(s, person_key)
            u = StaffUnavailability(person_id=p.id, from_day=from_day, to_day=to_day, reason=reason.strip(),
                                    window_code=actor.window_code, operator_id=actor.user_id)
            s.add(u)
            record_change(s, actor, u)
            audit(s, actor, "staff.leave_add", "staff_unavailability", u.id, person=p.id)
            return LeaveDTO(u.id, from_day, to_day, u.reason)

    @writes
    def remove_leave(self, actor: Actor, leave_id: str) -> None:
        require(self.db, actor, P_STAFF)
        with self.db.transaction() as s:
            u = s.get(StaffUnavailability, leave_id)
            if u is None or not u.active:
                raise fail("leave", N_("Leave"), N_("no longer exists: reload"))
            self._withdraw(s, actor, u)
            audit(s, actor, "staff.leave_remove", "staff_unavailability", u.id, person=u.person_id)

    @writes
    def add_conflict(self, actor: Actor, person_key: str, party_name: str = "", id_number: str = "",
                     organisation: str = "") -> ConflictDTO:
        """A declared conflict: a party's name, an ID number (validated) or an organisation, any one or more."""
        require(self.db, actor, P_STAFF)
        name, org = party_name.strip(), organisation.strip()
        if not (name or id_number.strip() or org):
            raise fail("conflict", N_("Conflict"), N_("needs a party, an ID number or an organisation"))
        if len(name) > 50:
            raise fail("conflict.party_name", N_("Party's name"), N_("must be 1 to 50 characters"))
        if len(org) > 200:
            raise fail("conflict.organisation", N_("Organisation"), N_("must be at most 200 characters"))
        number = parse_resident_id(id_number, "conflict.id_number").number if id_number.strip() else ""
        with self.db.transaction() as s:
            p = self._person(s, person_key)
            dup = s.scalar(select(StaffConflict.id).where(
                StaffConflict.person_id == p.id, StaffConflict.active.is_(True), StaffConflict.party_name == name,
                StaffConflict.id_number == number, StaffConflict.organisation == org))
            if dup:
                raise fail("conflict", N_("Conflict"), N_("is already declared"))
            c = StaffConflict(person_id=p.id, party_name=name, id_number=number, organisation=org,
                              window_code=actor.window_code, operator_id=actor.user_id)
            s.add(c)
            record_change(s, actor, c)
            audit(s, actor, "staff.conflict_add", "staff_conflicts", c.id, person=p.id)
            full = actor.may(N_("view unmasked ID numbers and phones"))
            return ConflictDTO(c.id, name, number if full else mask_id(number), org)

    @writes
    def remove_conflict(self, actor: Actor, conflict_id: str) -> None:
        require(self.db, actor, P_STAFF)
        with self.db.transaction() as s:
            c = s.get(StaffConflict, conflict_id)
            if c is None or not c.active:
                raise fail("conflict", N_("Conflict"), N_("no longer exists: reload"))
            self._withdraw(s, actor, c)
            audit(s, actor, "staff.conflict_remove", "staff_conflicts", c.id, person=c.person_id)

    @writes
    def unlink_user(self, actor: Actor, person_key: str) -> StaffDTO:
        require(self.db, actor, P_STAFF)
        with self.db.transaction() as s:
            p = self._person(s, person_key)
            if p.user_id is not None:
                p.user_id = None
                _bump(s, actor, p)
                audit(s, actor, "staff.unlink_user", "staff_people", p.id)
            return _staff_dto(p)

    # -- plans ---------------------------------------------------------------------------------------
    @reads
    def validate_plan(self, p: PlanInput, f: str, people_roles: dict[str, str]) -> list[FieldProblem]:
        probs: list[FieldProblem] = []
        if not p.key or len(p.key) > 64:
            probs.append(FieldProblem(f"{f}.key", N_("Key"), N_("must be 1 to 64 characters")))
        if p.type not in SESSION_TYPES:
            probs.append(FieldProblem(f"{f}.type", N_("Type"), N_("must be one of leader_reception, lawyer_duty, outreach")))
        try:
            _validate_time_span(p.start, p.end, f)
        except ValidationFailed as e:
            probs.extend(e.problems)
        if not isinstance(p.capacity, int) or isinstance(p.capacity, bool) or not 1 <= p.capacity <= 500:
            probs.append(FieldProblem(f"{f}.capacity", N_("Capacity"), N_("must be a whole number from 1 to 500")))
        if p.type == "outreach":
            if not p.town:
                probs.append(FieldProblem(f"{f}.town", N_("Town"), N_("an outreach session needs a town")))
            elif p.town not in _town_names():
                probs.append(FieldProblem(f"{f}.town", N_("Town"), N_("{value} is not in the district's town list"), {"value": p.town}))
        elif p.town:
            probs.append(FieldProblem(f"{f}.town", N_("Town"), N_("only outreach sessions are held in a town")))
        if len(p.place) > 200:
            probs.append(FieldProblem(f"{f}.place", N_("Place"), N_("must be at most 200 characters")))
        for i, k in enumerate(p.people):
            if k not in people_roles:
                probs.append(FieldProblem(f"{f}.people[{i}]", N_("People"), R_UNKNOWN_PERSON, {"key": k}))
        if p.rotate_lawyers < 0 or p.rotate_lawyers > 5:
            probs.append(FieldProblem(f"{f}.rotate_lawyers", N_("Rotated lawyers"), N_("must be a whole number from 0 to 5")))
        elif p.rotate_lawyers and sum(1 for k in p.people if people_roles.get(k) in LEGAL_ROLES) < p.rotate_lawyers:
            probs.append(FieldProblem(f"{f}.rotate_lawyers", N_("Rotated lawyers"), N_("more than the lawyers listed in people")))
        try:
            self._recurrence(p)
        except ScheduleError as e:
            probs.append(FieldProblem(f"{f}.{e.field}", N_("Recurrence"), _SCHEDULE_PROBLEMS.get(e.code, N_("is not a valid recurrence")),
                                      {k: str(v) for k, v in e.params.items()}))
        return probs

    @staticmethod
    def _recurrence(p: PlanInput) -> Recurrence:
        market = MarketDays(p.market_calendar or "solar", tuple(p.market_days)) if p.market_days or p.market_calendar else None
        return Recurrence(p.from_day, p.to_day, weekdays=frozenset(p.weekdays), market=market,
                          skip_weekends=p.skip_weekends, skipped=frozenset(p.skipped), moved=dict(p.moved))

    @writes
    def apply_plan(self, actor: Actor, people: Sequence[PersonInput], plans: Sequence[PlanInput]) -> PlanResult:
        """People and plans from a plan document. Idempotent: people by key, plans by key, sessions by (plan, day).
        Validation and staffing happen before anything is written; any refusal writes nothing."""
        require(self.db, actor, P_PLAN)
        if people:
            require(self.db, actor, P_STAFF)
        probs: list[FieldProblem] = []
        keys = [p.key for p in people]
        for i, p in enumerate(people):
            probs.extend(self._validate_person(p, f"people[{i}]"))
            if keys.count(p.key) > 1:
                probs.append(FieldProblem(f"people[{i}].key", N_("Key"), N_("{value} is given twice"), {"value": p.key}))
        with self.db.session() as s:
            roles = dict(s.execute(select(StaffPerson.key, StaffPerson.role)).all())
        roles.update({p.key: p.role for p in people})
        pkeys = [p.key for p in plans]
        for i, pl in enumerate(plans):
            probs.extend(self.validate_plan(pl, f"plans[{i}]", roles))
            if pkeys.count(pl.key) > 1:
                probs.append(FieldProblem(f"plans[{i}].key", N_("Key"), N_("{value} is given twice"), {"value": pl.key}))
        if probs:
            raise ValidationFailed(probs)
        created: list[str] = []
        existing = 0
        skipped: list[tuple[str, dt.date, str, str]] = []
        with self.db.transaction() as s:
            touched = 0
            for p in people:
                _row, changed = self._upsert_person(s, actor, p)
                touched += changed
            s.flush()
            by_key = {p.key: p for p in s.scalars(select(StaffPerson))}
            ctx = _Ctx(s, by_key.values())
            cal = calendar_from_session(s)
            # every plan's dates first, then the sessions in date order (fixed teams before rotated seats on a
            # day), so the rotation spreads over time and a fixed team is never displaced by a rotated pick
            todo: list[tuple[dt.date, int, str, int, SessionPlan, PlanInput, Any]] = []
            for i, pl in enumerate(plans):
                plan = s.scalar(select(SessionPlan).where(SessionPlan.key == pl.key))
                spec = pl.spec()
                if plan is None:
                    plan = SessionPlan(key=pl.key, type=pl.type, place=pl.place, town=pl.town, spec=spec,
                                       window_code=actor.window_code, operator_id=actor.user_id)
                    s.add(plan)
                    record_change(s, actor, plan)
                elif plan.spec != spec or plan.type != pl.type or plan.place != pl.place or plan.town != pl.town:
                    plan.spec, plan.type, plan.place, plan.town = spec, pl.type, pl.place, pl.town
                    _bump(s, actor, plan)
                have = set(s.scalars(select(ReceptionSession.day).where(ReceptionSession.plan_id == plan.id)))
                occ = occurrences(self._recurrence(pl), cal.holiday_name)
                skipped.extend((pl.key, sk.day, sk.reason, sk.detail) for sk in occ.skipped)
                for day in occ.dates:
                    if day in have:
                        existing += 1
                    else:
                        todo.append((day, int(pl.rotate_lawyers > 0), pl.start, i, plan, pl, occ.moved_from.get(day)))
            todo.sort(key=lambda t: t[:4])
            created_days: set[dt.date] = set()
            new_rows: list[Any] = []
            now = utcnow()
            for day, _rot, _start, i, plan, pl, moved_from in todo:
                fixed = [by_key[k] for k in pl.people if not (pl.rotate_lawyers and by_key[k].role in LEGAL_ROLES)]
                pool = [by_key[k] for k in pl.people if pl.rotate_lawyers and by_key[k].role in LEGAL_ROLES]
                place = pl.place or (pl.town if pl.type == "outreach" else HALL)
                chosen, refusals = self._staff_session(ctx, pl, day, fixed, pool)
                for msg, params in refusals:
                    probs.append(FieldProblem(f"plans[{i}].people", N_("People"), msg, params))
                if refusals:
                    continue
                rs = ReceptionSession(id=new_id(), plan_id=plan.id, type=pl.type, day=day, start_time=pl.start,
                                      end_time=pl.end, place=place, town=pl.town, capacity=pl.capacity,
                                      moved_from=moved_from, status="scheduled", version=1, updated_at=now, created_at=now,
                                      window_code=actor.window_code, operator_id=actor.user_id)
                new_rows.append(rs)
                for person in chosen:
                    new_rows.append(SessionStaff(id=new_id(), session_id=rs.id, person_id=person.id, active=True, version=1,
                                                 updated_at=now, created_at=now, window_code=actor.window_code,
                                                 operator_id=actor.user_id))
                    ctx.add_busy(person.id, day, pl.start, pl.end, place)
                created.append(rs.id)
                created_days.add(day)
            if new_rows and not probs:
                record_changes(s, actor, new_rows)
            if probs:
                raise ValidationFailed(probs)  # the transaction rolls back: nothing written
            if created or touched:
                audit(s, actor, "sessions.plan", "session_plans", None, plans=[p.key for p in plans],
                      created=len(created), people=touched)
            quarters = {quarter_of(d) for d in created_days}
            firm_counts = {q: dict(sorted(ctx.firm_seats[q].items())) for q in sorted(quarters)}
        with self.db.session() as s:
            dtos = self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id.in_(created))) if created else []
        years = sorted({y for pl in plans for y in range(pl.from_day.year, pl.to_day.year + 1) if y not in cal.years})
        return PlanResult(tuple(dtos), existing, tuple(skipped), firm_counts, tuple(years))

    @staticmethod
    def _staff_session(ctx: _Ctx, pl: PlanInput, day: dt.date, fixed: list[StaffPerson],
                       pool: list[StaffPerson]) -> tuple[list[StaffPerson], list[tuple[str, dict[str, Any]]]]:
        refusals: list[tuple[str, dict[str, Any]]] = []
        chosen: list[StaffPerson] = []
        for p in fixed:
            r = ctx.refusal(p.id, day, pl.start, pl.end)
            if r:
                refusals.append(r)
            else:
                chosen.append(p)
        if pool:
            qtr = quarter_of(day)
            free = [p for p in pool if ctx.refusal(p.id, day, pl.start, pl.end) is None]
            picked: list[StaffPerson] = []
            firms_used: set[str] = set()
            for _n in range(pl.rotate_lawyers):
                cands = [p for p in free if p not in picked]
                if not cands:
                    break
                # the firm with the fewest seats this quarter, then the person with the fewest; one firm per session
                # while another firm is free
                cands.sort(key=lambda p: (p.organisation in firms_used, ctx.firm_seats[qtr][p.organisation],
                                          ctx.person_seats[qtr][p.id], p.organisation, p.key))
                picked.append(cands[0])
                firms_used.add(cands[0].organisation)
                ctx.firm_seats[qtr][cands[0].organisation] += 1  # provisional, so the next seat sees it
                ctx.person_seats[qtr][cands[0].id] += 1
            for p in picked:  # add_busy counts them again: undo the provisional count
                ctx.firm_seats[qtr][p.organisation] -= 1
                ctx.person_seats[qtr][p.id] -= 1
            if len(picked) < pl.rotate_lawyers:
                refusals.append((R_TOO_FEW_LAWYERS, {"found": len(picked), "wanted": pl.rotate_lawyers, "date": day.isoformat()}))
            chosen.extend(picked)
        if not refusals:
            refusals.extend(_composition_refusals(pl.type, day, [p.role for p in chosen]))
        return chosen, refusals

    # -- single sessions and assignments --------------------------------------------------------------
    @reads
    def check_assignment(self, actor: Actor, session_id: str, person_key: str) -> list[str]:
        """Why this person cannot serve in this session (translated-later msgids filled in), empty if they can:
        the GUI shows it before saving."""
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            rs, person = self._session_and_person(s, session_id, person_key)
            ctx = _Ctx(s, s.scalars(select(StaffPerson)))
            already = s.scalar(select(SessionStaff).where(SessionStaff.session_id == rs.id, SessionStaff.person_id == person.id,
                                                          SessionStaff.active.is_(True)))
            if already:
                return []
            r = ctx.refusal(person.id, rs.day, rs.start_time, rs.end_time)
            from xinfang_desk.i18n import _

            return [_(r[0]).format(**r[1])] if r else []

    @staticmethod
    def _session_and_person(s: Session, session_id: str, person_key: str) -> tuple[ReceptionSession, StaffPerson]:
        rs = s.get(ReceptionSession, session_id)
        if rs is None:
            raise fail("session_id", N_("Session"), N_("no such session"))
        person = s.scalar(select(StaffPerson).where((StaffPerson.key == person_key) | (StaffPerson.id == person_key)))
        if person is None:
            raise fail("person", N_("Person"), R_UNKNOWN_PERSON, key=person_key)
        return rs, person

    @writes
    def assign(self, actor: Actor, session_id: str, person_key: str) -> SessionDTO:
        require(self.db, actor, P_PLAN)
        with self.db.transaction() as s:
            rs, person = self._session_and_person(s, session_id, person_key)
            ctx = _Ctx(s, s.scalars(select(StaffPerson)))
            row = s.scalar(select(SessionStaff).where(SessionStaff.session_id == rs.id, SessionStaff.person_id == person.id))
            if row is not None and row.active:
                return self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id == rs.id))[0]
            r = ctx.refusal(person.id, rs.day, rs.start_time, rs.end_time)
            if r:
                raise fail("person", N_("Person"), r[0], **r[1])
            if row is None:
                row = SessionStaff(session_id=rs.id, person_id=person.id, window_code=actor.window_code, operator_id=actor.user_id)
                s.add(row)
                record_change(s, actor, row)
            else:
                row.active = True
                _bump(s, actor, row)
            audit(s, actor, "sessions.assign", "reception_sessions", rs.id, person=person.key)
            return self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id == rs.id))[0]

    @writes
    def unassign(self, actor: Actor, session_id: str, person_key: str) -> SessionDTO:
        require(self.db, actor, P_PLAN)
        with self.db.transaction() as s:
            rs, person = self._session_and_person(s, session_id, person_key)
            row = s.scalar(select(SessionStaff).where(SessionStaff.session_id == rs.id, SessionStaff.person_id == person.id,
                                                      SessionStaff.active.is_(True)))
            if row is None:
                raise fail("person", N_("Person"), N_("does not serve in this session"))
            roles = [p.role for st, p in s.execute(select(SessionStaff, StaffPerson).join(StaffPerson, StaffPerson.id == SessionStaff.person_id)
                                                      .where(SessionStaff.session_id == rs.id, SessionStaff.active.is_(True),
                                                             SessionStaff.id != row.id))]
            refusals = _composition_refusals(rs.type, rs.day, roles)
            if refusals:
                raise fail("person", N_("Person"), refusals[0][0], **refusals[0][1])
            row.active = False
            _bump(s, actor, row)
            audit(s, actor, "sessions.unassign", "reception_sessions", rs.id, person=person.key)
            return self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id == rs.id))[0]

    @reads
    def check_new_session(self, actor: Actor, type_: str, day: dt.date, start: str, end: str, capacity: int,
                          people: Sequence[str], place: str = "", town: str = "") -> list[str]:
        """Why `create_session` with these values would be refused (each reason in words), empty if it would not:
        the schedule page shows this before saving. Writes nothing."""
        from xinfang_desk.i18n import _

        require(self.db, actor, P_VIEW)
        pl = PlanInput(key="(one-off)", type=type_, start=start, end=end, capacity=capacity, from_day=day, to_day=day,
                       people=tuple(people), place=place, town=town, weekdays=(day.isoweekday(),))
        with self.db.session() as s:
            by_key = {p.key: p for p in s.scalars(select(StaffPerson))}
            probs = self.validate_plan(pl, "session", {k: p.role for k, p in by_key.items()})
            if probs:
                return [p.message() for p in probs]
            ctx = _Ctx(s, by_key.values())
            _chosen, refusals = self._staff_session(ctx, pl, day, [by_key[k] for k in people], [])
        return [_(m).format(**p) for m, p in refusals]

    @writes
    def create_session(self, actor: Actor, type_: str, day: dt.date, start: str, end: str, capacity: int,
                       people: Sequence[str], place: str = "", town: str = "") -> SessionDTO:
        """A one-off session (the schedule page's "new session")."""
        pl = PlanInput(key="(one-off)", type=type_, start=start, end=end, capacity=capacity, from_day=day, to_day=day,
                       people=tuple(people), place=place, town=town, weekdays=(day.isoweekday(),))
        require(self.db, actor, P_PLAN)
        with self.db.session() as s:
            roles = dict(s.execute(select(StaffPerson.key, StaffPerson.role)).all())
        probs = self.validate_plan(pl, "session", roles)
        if probs:
            raise ValidationFailed(probs)
        with self.db.transaction() as s:
            by_key = {p.key: p for p in s.scalars(select(StaffPerson))}
            ctx = _Ctx(s, by_key.values())
            chosen, refusals = self._staff_session(ctx, pl, day, [by_key[k] for k in people], [])
            if refusals:
                raise ValidationFailed([FieldProblem("session.people", N_("People"), m, p) for m, p in refusals])
            rs = ReceptionSession(type=type_, day=day, start_time=start, end_time=end, capacity=capacity,
                                  place=place or (town if type_ == "outreach" else HALL), town=town,
                                  window_code=actor.window_code, operator_id=actor.user_id)
            s.add(rs)
            record_change(s, actor, rs)
            for p in chosen:
                st = SessionStaff(session_id=rs.id, person_id=p.id, window_code=actor.window_code, operator_id=actor.user_id)
                s.add(st)
                record_change(s, actor, st)
            audit(s, actor, "sessions.create", "reception_sessions", rs.id)
            s.flush()
            return self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id == rs.id))[0]

    # -- lists ---------------------------------------------------------------------------------------
    def _session_dtos(self, s: Session, q: Any) -> list[SessionDTO]:
        rows = list(s.scalars(q.order_by(ReceptionSession.day, ReceptionSession.start_time, ReceptionSession.place)))
        if not rows:
            return []
        ids = [r.id for r in rows]
        staff: dict[str, list[StaffDTO]] = defaultdict(list)
        counts: dict[tuple[str, str], int] = {}
        plans: dict[str, str] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for sid, p in s.execute(select(SessionStaff.session_id, StaffPerson).join(StaffPerson, StaffPerson.id == SessionStaff.person_id)
                                    .where(SessionStaff.session_id.in_(chunk), SessionStaff.active.is_(True))):
                staff[sid].append(_staff_dto(p))
            for sid, status, n in s.execute(select(SessionBooking.session_id, SessionBooking.status, func.count())
                                            .where(SessionBooking.session_id.in_(chunk)).group_by(SessionBooking.session_id, SessionBooking.status)):
                counts[(sid, status)] = n
        plan_ids = {r.plan_id for r in rows if r.plan_id}
        if plan_ids:
            plans = dict(s.execute(select(SessionPlan.id, SessionPlan.key).where(SessionPlan.id.in_(plan_ids))).all())
        order = {r: i for i, r in enumerate(STAFF_ROLES)}
        return [SessionDTO(r.id, r.type, r.day, r.start_time, r.end_time, r.place, r.town, r.capacity, r.status,
                           tuple(sorted(staff[r.id], key=lambda p: (order.get(p.role, 9), p.key))),
                           sum(counts.get((r.id, st), 0) for st in OCCUPYING), counts.get((r.id, "waiting"), 0),
                           plans.get(r.plan_id or "", "")) for r in rows]

    @reads
    def list_sessions(self, actor: Actor, from_day: dt.date, to_day: dt.date, type_: str | None = None,
                      town: str | None = None) -> list[SessionDTO]:
        require(self.db, actor, P_VIEW)
        if type_ and type_ not in SESSION_TYPES:
            raise fail("--type", N_("Type"), N_("must be one of leader_reception, lawyer_duty, outreach"))
        if town and town not in _town_names():
            raise fail("--town", N_("Town"), N_("{value} is not in the district's town list"), value=town)
        q = select(ReceptionSession).where(ReceptionSession.day >= from_day, ReceptionSession.day <= to_day,
                                           ReceptionSession.status == "scheduled")
        if type_:
            q = q.where(ReceptionSession.type == type_)
        if town:
            q = q.where(ReceptionSession.town == town)
        with self.db.session() as s:
            return self._session_dtos(s, q)

    @reads
    def session(self, actor: Actor, session_id: str) -> SessionDTO:
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            found = self._session_dtos(s, select(ReceptionSession).where(ReceptionSession.id == session_id))
        if not found:
            raise fail("session_id", N_("Session"), N_("no such session"))
        return found[0]

    @reads
    def firm_counts(self, actor: Actor, quarter_start: dt.date) -> dict[str, int]:
        """Sessions per firm (legal roles) in the calendar quarter that contains `quarter_start`."""
        require(self.db, actor, P_VIEW)
        qtr = quarter_of(quarter_start)
        with self.db.session() as s:
            ctx = _Ctx(s, s.scalars(select(StaffPerson)))
        return dict(sorted(ctx.firm_seats[qtr].items()))

    @reads
    def my_sessions(self, actor: Actor, from_day: dt.date, to_day: dt.date) -> list[SessionDTO]:
        """The sessions the acting user's linked person serves in (the lawyer's desk)."""
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            pid = s.scalar(select(StaffPerson.id).where(StaffPerson.user_id == actor.user_id)) if actor.user_id else None
            if pid is None:
                return []
            q = (select(ReceptionSession).join(SessionStaff, SessionStaff.session_id == ReceptionSession.id)
                 .where(SessionStaff.person_id == pid, SessionStaff.active.is_(True), ReceptionSession.day >= from_day,
                        ReceptionSession.day <= to_day, ReceptionSession.status == "scheduled"))
            return self._session_dtos(s, q)

    # -- bookings ------------------------------------------------------------------------------------
    @staticmethod
    def _visit(s: Session, code: str) -> Visit:
        ref = (code or "").strip()
        v = s.scalar(select(Visit).where((Visit.query_code == ref.upper()) | (Visit.id == ref)))
        if v is None:
            raise fail("query_code", N_("Query code"), N_("no visit with this query code"))
        return v

    @staticmethod
    def _parties(s: Session, visit: Visit) -> tuple[list[Person], str]:
        people = list(s.scalars(select(Person).join(VisitPerson, VisitPerson.person_id == Person.id)
                                .where(VisitPerson.visit_id == visit.id).order_by(VisitPerson.position)))
        m = s.scalar(select(Matter).where(Matter.visit_id == visit.id).limit(1))
        return people, (m.respondent if m else "")

    @staticmethod
    def _recusals(s: Session, staff_ids: Sequence[str], people: Sequence[Person], respondent: str) -> dict[str, list[Recusal]]:
        """person id -> the declared conflicts that match this visit's visitor, co-petitioners or respondent."""
        out: dict[str, list[Recusal]] = defaultdict(list)
        if not staff_ids:
            return out
        names = {search_key(p.name): p.name for p in people}
        ids = {(p.id_number or "").upper(): p.name for p in people if p.id_number}
        resp_key = search_key(respondent) if respondent else ""
        staff_names = dict(s.execute(select(StaffPerson.id, StaffPerson.name).where(StaffPerson.id.in_(list(staff_ids)))).all())
        for c in s.scalars(select(StaffConflict).where(StaffConflict.person_id.in_(list(staff_ids)), StaffConflict.active.is_(True))):
            who = staff_names[c.person_id]
            if c.party_name and search_key(c.party_name) in names:
                out[c.person_id].append(Recusal(who, names[search_key(c.party_name)], "name"))
            elif c.party_name and resp_key and search_key(c.party_name) == resp_key:
                out[c.person_id].append(Recusal(who, respondent, "name"))
            if c.id_number and c.id_number.upper() in ids:
                out[c.person_id].append(Recusal(who, ids[c.id_number.upper()], "id_number"))
            if c.organisation and resp_key and search_key(c.organisation) in resp_key:
                out[c.person_id].append(Recusal(who, respondent, "organisation"))
        return out

    def _session_staff(self, s: Session, session_id: str) -> list[StaffPerson]:
        return list(s.scalars(select(StaffPerson).join(SessionStaff, SessionStaff.person_id == StaffPerson.id)
                              .where(SessionStaff.session_id == session_id, SessionStaff.active.is_(True))))

    def _check_recusal(self, s: Session, rs: ReceptionSession, visit: Visit) -> list[Recusal]:
        staff = self._session_staff(s, rs.id)
        people, respondent = self._parties(s, visit)
        rec = self._recusals(s, [p.id for p in staff], people, respondent)
        if not rec:
            return []
        remaining = [p.role for p in staff if p.id not in rec]
        missing = _composition_refusals(rs.type, rs.day, remaining)
        if missing:
            first = next(iter(rec.values()))[0]
            raise fail("session_id", N_("Session"), R_CONFLICT, name=first.person, party=first.party,
                       what=_WHAT[first.what])
        return [r for lst in rec.values() for r in lst]

    def _pending_ids(self, s: Session, ids: Sequence[str]) -> tuple[set[str], set[str]]:
        """(provisional, refused) among these booking ids: an unsent outbox entry, or an open sync issue."""
        if not ids:
            return set(), set()
        from xinfang_desk.sync.local_models import SyncIssue

        # by (entity, entity_id) (index ix_outbox_entity), the sent mark checked here: a window offline for days has
        # thousands of unsent rows, which the (sent_at, seq) index would scan
        unsent = {eid for eid, sent in s.execute(select(OutboxEntry.entity_id, OutboxEntry.sent_at).where(
            OutboxEntry.entity == "session_bookings", OutboxEntry.entity_id.in_(list(ids)))) if sent is None}
        refused = set(s.scalars(select(SyncIssue.entity_id).where(SyncIssue.entity == "session_bookings",
                                                                  SyncIssue.resolved_at.is_(None), SyncIssue.entity_id.in_(list(ids)))))
        return unsent | refused, refused

    def _booking_dto(self, s: Session, b: SessionBooking, code: str, recused: Sequence[Recusal] = (),
                     promoted: str | None = None) -> BookingDTO:
        pos = 0
        if b.status == "waiting":
            pos = 1 + (s.scalar(select(func.count()).select_from(SessionBooking).where(
                SessionBooking.session_id == b.session_id, SessionBooking.status == "waiting",
                (SessionBooking.queued_at < b.queued_at) | ((SessionBooking.queued_at == b.queued_at) & (SessionBooking.id < b.id)))) or 0)
        prov, refused = self._pending_ids(s, [b.id])
        rs = s.get(ReceptionSession, b.session_id)
        label = f"{rs.day.isoformat()} {rs.start_time}–{rs.end_time} {rs.place or rs.town}" if rs else ""
        return BookingDTO(b.id, b.session_id, b.visit_id, code, b.status, pos, b.id in prov, b.id in refused,
                          tuple(recused), promoted, label)

    @writes
    def book(self, actor: Actor, query_code: str, session_id: str, today: dt.date | None = None) -> BookingDTO:
        require(self.db, actor, P_BOOK)
        today = today or local_today()
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            rs = s.get(ReceptionSession, session_id)
            if rs is None or rs.status != "scheduled":
                raise fail("session_id", N_("Session"), N_("no such session"))
            if rs.day < today:
                raise fail("session_id", N_("Session"), R_FULL_DAY, date=rs.day.isoformat())
            b = self._new_booking(s, actor, visit, rs)
            recused = self._check_recusal(s, rs, visit)
            audit(s, actor, "sessions.book", "session_bookings", b.id, visit_id=visit.id, session_id=rs.id, status=b.status)
            return self._booking_dto(s, b, visit.query_code, recused)

    def _new_booking(self, s: Session, actor: Actor, visit: Visit, rs: ReceptionSession) -> SessionBooking:
        active = s.execute(select(SessionBooking, ReceptionSession).join(ReceptionSession, ReceptionSession.id == SessionBooking.session_id)
                           .where(SessionBooking.visit_id == visit.id, SessionBooking.status.in_(ACTIVE))).first()
        if active is not None:
            other = active[1]
            if other.id == rs.id:
                raise fail("session_id", N_("Session"), N_("this visit is already booked into this session"))
            if other.day < local_today():
                raise fail("query_code", N_("Query code"),
                           N_("this visit's booking of {date} ({place}) is not yet marked attended or no-show: mark it first"),
                           date=other.day.isoformat(), place=other.place)
            raise fail("query_code", N_("Query code"),
                       N_("this visit is already booked into the session of {date} {start} ({place}): cancel or reschedule it first"),
                       date=other.day.isoformat(), start=other.start_time, place=other.place)
        taken = s.scalar(select(func.count()).select_from(SessionBooking).where(
            SessionBooking.session_id == rs.id, SessionBooking.status.in_(OCCUPYING))) or 0
        b = SessionBooking(session_id=rs.id, visit_id=visit.id, status="booked" if taken < rs.capacity else "waiting",
                           window_code=actor.window_code, operator_id=actor.user_id)
        s.add(b)
        record_change(s, actor, b)
        return b

    def _active_booking(self, s: Session, visit: Visit, session_id: str, statuses: Sequence[str] = ACTIVE) -> SessionBooking:
        b = s.scalar(select(SessionBooking).where(SessionBooking.visit_id == visit.id, SessionBooking.session_id == session_id,
                                                  SessionBooking.status.in_(list(statuses))))
        if b is None:
            raise fail("session_id", N_("Session"), N_("this visit has no booking in this session"))
        return b

    def _cancel(self, s: Session, actor: Actor, b: SessionBooking) -> str | None:
        """Cancel; if it held a seat, the first waiting visit moves up. Returns its query code."""
        held = b.status == "booked"
        b.status = "cancelled"
        _bump(s, actor, b)
        if not held:
            return None
        nxt = s.scalar(select(SessionBooking).where(SessionBooking.session_id == b.session_id, SessionBooking.status == "waiting")
                       .order_by(SessionBooking.queued_at, SessionBooking.id).limit(1))
        if nxt is None:
            return None
        nxt.status = "booked"
        _bump(s, actor, nxt)
        code = s.scalar(select(Visit.query_code).where(Visit.id == nxt.visit_id))
        audit(s, actor, "sessions.promote", "session_bookings", nxt.id, visit_id=nxt.visit_id, session_id=b.session_id)
        return code

    @writes
    def unbook(self, actor: Actor, query_code: str, session_id: str) -> BookingDTO:
        require(self.db, actor, P_BOOK)
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            b = self._active_booking(s, visit, session_id)
            promoted = self._cancel(s, actor, b)
            audit(s, actor, "sessions.unbook", "session_bookings", b.id, visit_id=visit.id, session_id=session_id, promoted=promoted)
            return self._booking_dto(s, b, visit.query_code, promoted=promoted)

    @writes
    def reschedule(self, actor: Actor, query_code: str, from_session: str, to_session: str, today: dt.date | None = None) -> BookingDTO:
        require(self.db, actor, P_BOOK)
        today = today or local_today()
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            old = self._active_booking(s, visit, from_session)
            rs = s.get(ReceptionSession, to_session)
            if rs is None or rs.status != "scheduled":
                raise fail("to_session", N_("Session"), N_("no such session"))
            if rs.id == from_session:
                raise fail("to_session", N_("Session"), N_("this visit is already booked into this session"))
            if rs.day < today:
                raise fail("to_session", N_("Session"), R_FULL_DAY, date=rs.day.isoformat())
            promoted = self._cancel(s, actor, old)
            b = self._new_booking(s, actor, visit, rs)
            recused = self._check_recusal(s, rs, visit)
            old.rescheduled_to_id = b.id
            record_change(s, actor, old, op="update", base_version=old.version)  # same version: the link only
            audit(s, actor, "sessions.reschedule", "session_bookings", b.id, visit_id=visit.id, from_session=from_session,
                  to_session=to_session)
            return self._booking_dto(s, b, visit.query_code, recused, promoted)

    @writes
    def mark(self, actor: Actor, query_code: str, session_id: str, attended: bool, today: dt.date | None = None) -> BookingDTO:
        require(self.db, actor, P_BOOK)
        today = today or local_today()
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            b = self._active_booking(s, visit, session_id, ("booked", "attended", "no_show"))
            rs = s.get(ReceptionSession, session_id)
            assert rs is not None
            if rs.day > today:
                raise fail("session_id", N_("Session"), N_("the session of {date} has not taken place yet"), date=rs.day.isoformat())
            new = "attended" if attended else "no_show"
            if b.status != new:
                b.status = new
                _bump(s, actor, b)
                audit(s, actor, "sessions.attend", "session_bookings", b.id, visit_id=visit.id, status=new)
            return self._booking_dto(s, b, visit.query_code)

    @reads
    def bookings_of(self, actor: Actor, query_code: str) -> list[BookingDTO]:
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            visit = self._visit(s, query_code)
            rows = list(s.scalars(select(SessionBooking).where(SessionBooking.visit_id == visit.id).order_by(SessionBooking.queued_at)))
            return [self._booking_dto(s, b, visit.query_code) for b in rows]

    @reads
    def pending_bookings(self, actor: Actor) -> tuple[int, int]:
        """(provisional, refused by the centre) bookings of this window: the supervisor's badge."""
        require(self.db, actor, P_VIEW)
        with self.db.session() as s:
            ids = list(s.scalars(select(SessionBooking.id).where(SessionBooking.status.in_(ACTIVE))))
            prov, refused = self._pending_ids(s, ids)
            return len(prov), len(refused)

    # -- proposals -----------------------------------------------------------------------------------
    @reads
    def proposals(self, actor: Actor, query_code: str, today: dt.date | None = None, limit: int = 5,
                  horizon_days: int = 60) -> list[Proposal]:
        """The next sessions that fit the visit: a lawyer with the matter kind as specialty (hall sessions), or the
        visitor's town (outreach). Specialty and town matches first, then by date; full sessions last."""
        require(self.db, actor, P_VIEW)
        today = today or local_today()
        with self.db.session() as s:
            visit = self._visit(s, query_code)
            m = s.scalar(select(Matter).where(Matter.visit_id == visit.id).limit(1))
            kind = m.kind if m else ""
            people, respondent = self._parties(s, visit)
            addresses = " ".join(p.address or "" for p in people)
            town = next((t for t in sorted(_town_names(), key=len, reverse=True) if t in addresses), "")
            sessions = self._session_dtos(s, select(ReceptionSession).where(
                ReceptionSession.day >= today, ReceptionSession.day <= today + dt.timedelta(days=horizon_days),
                ReceptionSession.status == "scheduled"))
            ranked: list[tuple[tuple[int, int, dt.date, str], Proposal]] = []
            for sd in sessions:
                reasons: list[str] = []
                if sd.type == "outreach":
                    if not town or sd.town != town:
                        continue
                    reasons.append("town")
                if any(p.role in LEGAL_ROLES and kind in p.specialties for p in sd.people):
                    reasons.append("specialty")
                if sd.type != "outreach" and "specialty" not in reasons:
                    continue
                rec = self._recusals(s, [p.id for p in sd.people], people, respondent)
                remaining = [p.role for p in sd.people if p.id not in rec]
                if _composition_refusals(sd.type, sd.day, remaining):
                    continue
                full = sd.bookings >= sd.capacity
                ranked.append(((int(full), -len(reasons), sd.day, sd.start), Proposal(sd, tuple(reasons))))
            ranked.sort(key=lambda r: r[0])
            return [p for _k, p in ranked[:limit]]

    # -- docket --------------------------------------------------------------------------------------
    @writes
    def docket(self, actor: Actor, session_id: str) -> Docket:
        require(self.db, actor, P_VIEW)
        from xinfang_desk.domain.phone import mask_phone

        full = actor.may(N_("view unmasked ID numbers and phones"))
        sd = self.session(actor, session_id)
        kinds = matter_kinds.kinds_by_code()
        labels = matter_kinds.decision_labels()
        with self.db.transaction() as s:
            rows = list(s.execute(select(SessionBooking, Visit).join(Visit, Visit.id == SessionBooking.visit_id)
                                  .where(SessionBooking.session_id == session_id, SessionBooking.status.in_(("booked", "waiting", "attended", "no_show")))
                                  .order_by(SessionBooking.status != "waiting", SessionBooking.queued_at)))
            rows.sort(key=lambda r: (r[0].status == "waiting", r[0].queued_at, r[0].id))
            prov, _refused = self._pending_ids(s, [b.id for b, _v in rows])
            entries = []
            waiting = 0
            staff_ids = [p.id for p in sd.people]
            for b, v in rows:
                people, respondent = self._parties(s, v)
                m = s.scalar(select(Matter).where(Matter.visit_id == v.id).limit(1))
                cls = s.scalar(select(Classification).where(Classification.visit_id == v.id)
                               .order_by(Classification.created_at.desc(), Classification.id.desc()).limit(1))
                channels = tuple(dict.fromkeys(c.get("label_zh") or labels.get(c.get("decision", ""), "")
                                               for c in (cls.result.get("channels", []) if cls else [])))
                rec = self._recusals(s, staff_ids, people, respondent)
                if b.status == "waiting":
                    waiting += 1
                entries.append(DocketEntry(
                    v.query_code, v.id, b.status, waiting if b.status == "waiting" else 0,
                    tuple(p.name for p in people),
                    tuple((p.id_number or "") if full else mask_id(p.id_number) for p in people),
                    tuple((p.phone or "") if full else mask_phone(p.phone) for p in people),
                    m.kind if m else "", kinds[m.kind].label_zh if m and m.kind in kinds else "",
                    m.summary if m else "", respondent, channels, b.id in prov,
                    tuple(r for lst in rec.values() for r in lst)))
            audit(s, actor, "sessions.docket", "reception_sessions", session_id, bookings=len(entries), unmasked=full)
        return Docket(sd, tuple(entries))


    # -- printouts ---------------------------------------------------------------------------------
    @writes
    def print_slip(self, actor: Actor, query_code: str, now: dt.datetime | None = None) -> bytes:
        """The visitor's 预约单 for their active booking."""
        from xinfang_desk.printing.sessions import SlipData, render_slip

        require(self.db, actor, P_BOOK)
        full = actor.may(N_("view unmasked ID numbers and phones"))
        now = now or utcnow()
        with self.db.session() as s:
            visit = self._visit(s, query_code)
            b = s.scalar(select(SessionBooking).where(SessionBooking.visit_id == visit.id, SessionBooking.status.in_(ACTIVE)))
            if b is None:
                raise fail("query_code", N_("Query code"), N_("this visit is not booked into any session"))
            dto = self._booking_dto(s, b, visit.query_code)
            people, _resp = self._parties(s, visit)
            m = s.scalar(select(Matter).where(Matter.visit_id == visit.id).limit(1))
            kinds = matter_kinds.kinds_by_code()
            office = _office(s)
        sd = self.session(actor, b.session_id)
        data = SlipData(office, visit.query_code, tuple(p.name for p in people),
                        tuple((p.id_number or "") if full else mask_id(p.id_number) for p in people),
                        kinds[m.kind].label_zh if m and m.kind in kinds else "", _session_info(sd), dto.status, dto.position,
                        dto.provisional, now, actor.display_name, actor.window_code)
        with self.db.transaction() as s:
            pdf = render_slip(data)
            audit(s, actor, "sessions.slip", "session_bookings", b.id, visit_id=visit.id, unmasked=full)
        return pdf


    @writes
    def print_docket(self, actor: Actor, session_id: str, now: dt.datetime | None = None) -> bytes:
        from xinfang_desk.printing.sessions import DocketData, DocketRow, render_docket

        docket = self.docket(actor, session_id)
        sd = docket.session
        booked = [e for e in docket.entries if e.status != "waiting"]
        times = slot_times(sd.start, sd.end, sd.capacity, len(booked))
        rows = []
        for i, e in enumerate(booked):
            rows.append(DocketRow(times[i], e.query_code, e.names, e.id_numbers, e.phones, e.kind_label, e.summary, e.channels,
                                  e.status, tuple(recusal_text(r) for r in e.recused)))
        for e in docket.entries:
            if e.status == "waiting":
                rows.append(DocketRow(f"候补{e.position}", e.query_code, e.names, e.id_numbers, e.phones, e.kind_label, e.summary,
                                      e.channels, e.status, tuple(recusal_text(r) for r in e.recused)))
        with self.db.session() as s:
            office = _office(s)
        return render_docket(DocketData(office, _session_info(sd), tuple(rows), now or utcnow(), actor.display_name, actor.window_code))


_WHAT = {"name": N_("name"), "id_number": N_("ID number"), "organisation": N_("organisation")}
_SCHEDULE_PROBLEMS = {
    "base_day_out_of_range": N_("market days are written as day numbers 1 to 10, e.g. [1, 4, 7]; {value} is not one"),
    "empty": N_("needs at least one day"),
    "unknown_calendar": N_("must be solar or lunar"),
    "ends_before_it_starts": N_("ends before it starts"),
    "longer_than_two_years": N_("may span at most two years"),
    "weekdays_or_market_days": N_("give either weekdays or market days"),
    "weekday_out_of_range": N_("weekdays are 1 (Monday) to 7 (Sunday); {value} is not one"),
    "moved_to_same_day": N_("a date cannot be moved to itself ({date})"),
}


def _composition_refusals(type_: str, day: dt.date, roles: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    d = {"date": day.isoformat()}
    out: list[tuple[str, dict[str, Any]]] = []
    if type_ == "leader_reception":
        if "leader" not in roles:
            out.append((R_NO_LEADER, d))
        if not LEGAL_ROLES & set(roles):
            out.append((R_NO_LAWYER, d))
    elif type_ == "lawyer_duty" and not LEGAL_ROLES & set(roles):
        out.append((R_DUTY_NO_LAWYER, d))
    return out


def slot_times(start: str, end: str, capacity: int, n: int) -> list[str]:
    """Appointment times for the first `n` booked visits: the session divided evenly by its capacity
    (rounded down to 5 minutes, at least 10 minutes each)."""
    s0 = dt.datetime.combine(dt.date(2000, 1, 1), _t(start))
    total = (dt.datetime.combine(dt.date(2000, 1, 1), _t(end)) - s0).total_seconds() / 60
    step = max(10, int(total / max(capacity, 1)) // 5 * 5)
    return [(s0 + dt.timedelta(minutes=step * i)).strftime("%H:%M") for i in range(n)]


def _office(s: Session) -> str:
    from xinfang_desk.persistence.models import Setting
    from xinfang_desk.services.notices import DEFAULT_OFFICE

    row = s.get(Setting, "issuing_office")
    return str(row.value) if row else DEFAULT_OFFICE


def _session_info(sd: SessionDTO) -> Any:
    from xinfang_desk.printing.sessions import SessionInfo, StaffLine

    return SessionInfo(sd.type, sd.day, sd.start, sd.end, sd.place, sd.town,
                       tuple(StaffLine(p.role, p.name, p.title, p.organisation) for p in sd.people))


_WHAT_ZH = {"name": "姓名", "id_number": "身份证号", "organisation": "单位"}


def recusal_text(r: Recusal) -> str:
    return f"{r.person}回避（与{r.party}有利益冲突，{_WHAT_ZH.get(r.what, '')}）"
