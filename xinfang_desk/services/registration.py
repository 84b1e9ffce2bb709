"""Register a visit with its matter: validate everything first, then write visit, people, matter, outbox
and audit in one transaction. A repeat of an earlier matter is reported, never blocked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import FieldProblem, ValidationFailed, fail
from xinfang_desk.domain.phone import parse_phone
from xinfang_desk.domain.querycode import make_query_code, parse_query_code
from xinfang_desk.domain.resident_id import ResidentId, parse_resident_id
from xinfang_desk.domain.text import check_name, check_text, search_key
from xinfang_desk.domain.visit_rules import check_group, is_collective, repeat_key
from xinfang_desk.i18n import N_, _
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import Matter, Person, Visit, VisitPerson
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.classification import (
    check_override,
    organ_directory,
    propose,
    store_classification,
)
from xinfang_desk.services.context import LOCAL_TZ, Actor, local_today
from xinfang_desk.services.dto import PersonInput, RegistrationInput, RegistrationResult, RepeatInfo
from xinfang_desk.services.recording import audit, record_change, require
from xinfang_desk.services.reference import calendar_from_session

MAX_SUMMARY = 5000
MAX_DEMANDS = 2000
MAX_RESPONDENT = 200
MAX_ADDRESS = 200
MAX_PEOPLE = 5


EARLIEST_RECEIVED = dt.date(1990, 1, 1)
FUTURE_TOLERANCE = dt.timedelta(minutes=10)  # PC clocks differ a little


def printable(text: object) -> str:
    """Text safe to store and show: an unpaired surrogate becomes `\\udxxx`."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def check_received_at(received_at: dt.datetime | None, received_on: dt.date | None, today: dt.date | None,
                      now: dt.datetime | None) -> list[FieldProblem]:
    """A time with an offset, from 1990 to today + 1 day, not in the future, on the day `received_on` names."""
    if received_at is None:
        return []
    label = N_("Received at")
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        return [FieldProblem("received_at", label, N_("must be a date and time with an offset, e.g. 2026-11-27T09:30:00+08:00"))]
    now = now or utcnow()
    today = today or local_today(now)
    latest = today + dt.timedelta(days=1)
    if not EARLIEST_RECEIVED.year <= received_at.year <= latest.year:  # before converting: 9999-12-31 overflows
        return [FieldProblem("received_at", label, N_("must lie between {first} and {last}"),
                             {"first": EARLIEST_RECEIVED.isoformat(), "last": latest.isoformat()})]
    local = received_at.astimezone(LOCAL_TZ)
    if not EARLIEST_RECEIVED <= local.date() <= latest:
        return [FieldProblem("received_at", label, N_("must lie between {first} and {last}"),
                             {"first": EARLIEST_RECEIVED.isoformat(), "last": latest.isoformat()})]
    if received_at > now + FUTURE_TOLERANCE:
        return [FieldProblem("received_at", label, N_("lies in the future"))]
    if received_on is not None and local.date() != received_on:
        return [FieldProblem("received_at", label, N_("is on {day} (Beijing time), but received_on says {on}"),
                             {"day": local.date().isoformat(), "on": received_on.isoformat()})]
    return []


# Readings of rare name characters pypinyin does not know (GB 18030-2022 characters beyond the BMP that are
# variants of common ones); a character with no reading here or in pypinyin is left out of the pinyin keys.
NAME_READINGS = {"𠮷": "ji"}  # 吉 written with 土 on top, as in 𠮷志强


def _readings(name: str) -> list[str]:
    from pypinyin import lazy_pinyin  # 0.25 s with its phrase dictionary: imported when a name is first keyed

    out: list[str] = []
    for ch in name:
        if ch in NAME_READINGS:
            out.append(NAME_READINGS[ch])
        else:
            out.extend(lazy_pinyin(ch, errors="ignore"))
    return out


def name_keys(name: str) -> tuple[str, str, str]:
    """(normalised name, full pinyin, initials) for search: the pinyin of every character that has one."""
    key = search_key(name)
    if not any(ch in NAME_READINGS for ch in name):
        # imported here, not with the module: read-only commands and the log-in never key a name
        from pypinyin import Style, lazy_pinyin

        py = lazy_pinyin(name, errors="ignore")
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        return key, "".join(py).lower(), initials
    py = _readings(name)
    return key, "".join(py).lower(), "".join(p[0] for p in py if p).lower()


def validate_facts(kind: str, facts: dict[str, Any]) -> dict[str, Any]:
    """The channel engine knows which facts exist and their types."""
    if not isinstance(facts, dict):
        raise fail("matter.facts", N_("Facts"), N_("must be an object of fact names and values"))
    from xinfang_desk.statutes.engine import validate_facts as engine_validate

    return engine_validate(kind, facts)


class _Validated:
    def __init__(self) -> None:
        self.people: list[tuple[PersonInput, ResidentId | None, str | None]] = []
        self.facts: dict[str, Any] = {}
        self.proposal: dict[str, Any] | None = None  # the engine's result, computed once and stored as is


class RegistrationService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- validation -------------------------------------------------------------------------------
    @reads
    def validate(self, inp: RegistrationInput, today: dt.date | None = None, now: dt.datetime | None = None) -> _Validated:
        problems: list[FieldProblem] = []
        out = _Validated()

        def collect(fn: Any, *a: Any, **kw: Any) -> Any:
            try:
                return fn(*a, **kw)
            except ValidationFailed as e:
                problems.extend(e.problems)
                return None

        if inp.channel not in matter_kinds.CHANNELS:
            problems.append(FieldProblem("channel", N_("Channel"), N_("must be one of visit, letter, phone, online")))
        if not inp.people:
            problems.append(FieldProblem("people", N_("Visitors"), N_("at least one person is needed")))
        if len(inp.people) > MAX_PEOPLE:
            problems.append(FieldProblem("people", N_("Visitors"), N_("at most {n} people per visit (representatives)"), {"n": MAX_PEOPLE}))
        seen_ids: set[str] = set()
        for i, p in enumerate(inp.people):
            f = f"people[{i}]"
            collect(check_name, p.name, f"{f}.name")
            rid = None
            if p.id_number and p.id_number.strip():
                rid = collect(parse_resident_id, p.id_number, f"{f}.id_number", today=today)
                if rid is not None:
                    if rid.number in seen_ids:
                        problems.append(FieldProblem(f"{f}.id_number", N_("ID number"), N_("the same person is listed twice")))
                    seen_ids.add(rid.number)
            phone = None
            if p.phone and p.phone.strip():
                phone = collect(parse_phone, p.phone, f"{f}.phone")
            collect(check_text, p.address, f"{f}.address", N_("Address"), max_len=MAX_ADDRESS, multiline=False)
            if p.role not in ("visitor", "representative"):
                problems.append(FieldProblem(f"{f}.role", N_("Role"), N_("must be visitor or representative")))
            out.people.append((p, rid, phone))
        size = inp.group_size
        if isinstance(size, int) and not isinstance(size, bool) and is_collective(size):
            # a collective visit lists its representatives; unmarked people count as representatives
            listed = sum(1 for p in inp.people if p.role == "representative") or len(inp.people)
        else:
            listed = len(inp.people)
        collect(check_group, size, listed, inp.channel)
        collect(check_text, inp.group_name, "group_name", N_("Group"), max_len=200, multiline=False)
        m = inp.matter
        if not matter_kinds.is_kind(m.kind):
            problems.append(FieldProblem("matter.kind", N_("Kind of matter"), N_("unknown kind {kind}"), {"kind": printable(m.kind)}))
        elif isinstance(m.facts, dict) and any(not isinstance(k, str) or printable(k) != k for k in m.facts):
            problems.append(FieldProblem("matter.facts", N_("Facts"), N_("a fact name contains something that is not a character")))
        collect(check_text, m.summary, "matter.summary", N_("Summary"), max_len=MAX_SUMMARY, required=True)
        collect(check_text, m.demands, "matter.demands", N_("Demands"), max_len=MAX_DEMANDS)
        collect(check_text, m.respondent, "matter.respondent", N_("Respondent"), max_len=MAX_RESPONDENT, multiline=False)
        if matter_kinds.is_kind(m.kind) and not any(p.field == "matter.facts" for p in problems):
            facts = collect(validate_facts, m.kind, m.facts or {})
            out.facts = facts if facts is not None else {}
        if inp.received_on is not None and today is not None and inp.received_on > today:
            problems.append(FieldProblem("received_on", N_("Received on"), N_("lies in the future")))
        if inp.received_on is not None and inp.received_on < EARLIEST_RECEIVED:
            problems.append(FieldProblem("received_on", N_("Received on"), N_("lies before {day}"), {"day": EARLIEST_RECEIVED.isoformat()}))
        problems.extend(check_received_at(inp.received_at, inp.received_on, today, now))
        if problems:
            raise ValidationFailed(problems)
        # the engine must be able to classify what we store (dates it covers, facts it knows)
        with self.db.session() as s:
            calendar, organs = calendar_from_session(s), organ_directory(s)
        day = inp.received_on or (inp.received_at.astimezone(LOCAL_TZ).date() if inp.received_at else None)
        out.proposal = propose(day or today or local_today(), size, m.kind, out.facts, today, calendar, organs)
        if inp.override is not None:
            check_override(inp.override)
        return out

    # -- registration -----------------------------------------------------------------------------
    @writes
    def register(self, actor: Actor, inp: RegistrationInput, now: dt.datetime | None = None) -> RegistrationResult:
        require(self.db, actor, N_("register visits"))
        if inp.override is not None:
            require(self.db, actor, N_("override a classification"))
        now = now or utcnow()
        today = local_today(now)
        try:
            v = self.validate(inp, today, now)
        except ValidationFailed as e:
            with self.db.transaction() as s:  # what the input said, made storable (no unpaired surrogates)
                audit(s, actor, "visit.register", "visits", None, success=False,
                      problems=[{k: printable(str(x)) for k, x in p.items()} for p in e.as_dict()])
            raise
        received_on = inp.received_on or (inp.received_at.astimezone(LOCAL_TZ).date() if inp.received_at else today)
        if inp.received_at is not None:
            received_at = inp.received_at
        elif received_on == today:
            received_at = now
        else:  # a letter registered later: the day is known, the hour is not
            received_at = dt.datetime.combine(received_on, dt.time(0, 0), LOCAL_TZ)
        warnings: list[str] = []
        with self.db.transaction() as s:
            person_ids: list[str] = []
            for p, rid, phone in v.people:
                person = self._resolve_person(s, actor, p, rid, phone, now, warnings)
                person_ids.append(person.id)
            seq = self._next_seq(s, actor.window_code, today)
            visit = Visit(
                query_code=make_query_code(actor.window_code, today, seq),
                received_at=received_at, received_on=received_on, channel=inp.channel,
                group_size=inp.group_size, group_name=inp.group_name or "",
                window_code=actor.window_code, operator_id=actor.user_id, created_at=now,
            )
            s.add(visit)
            record_change(s, actor, visit)
            for pos, ((p, _rid, _ph), pid) in enumerate(zip(v.people, person_ids, strict=True)):
                vp = VisitPerson(visit_id=visit.id, person_id=pid, role=p.role, position=pos)
                s.add(vp)
                record_change(s, actor, vp)
            m = inp.matter
            rkey = repeat_key(m.kind, m.respondent, m.demands or m.summary)
            earlier = find_repeat(s, person_ids, rkey, exclude_visit=visit.id)
            matter = Matter(
                visit_id=visit.id, kind=m.kind, facts=v.facts, summary=m.summary, demands=m.demands or "",
                respondent=m.respondent or "", repeat_key=rkey,
                repeat_of_visit_id=earlier.visit_id if earlier else None,
                window_code=actor.window_code, operator_id=actor.user_id, created_at=now,
            )
            s.add(matter)
            record_change(s, actor, matter)
            c = store_classification(s, actor, visit, matter, inp.override, today, result=v.proposal)
            if earlier:
                warnings.append(
                    _("Repeat visit: the same matter was registered on {day} ({code}).").format(
                        day=earlier.received_on.isoformat(), code=earlier.query_code)
                )
            audit(s, actor, "visit.register", "visits", visit.id, query_code=visit.query_code,
                  kind=m.kind, people=len(person_ids), repeat_of=matter.repeat_of_visit_id)
            return RegistrationResult(visit.id, visit.query_code, tuple(person_ids), matter.id, earlier, tuple(warnings),
                                      c.id, c.result)

    def _resolve_person(self, s: Any, actor: Actor, p: PersonInput, rid: ResidentId | None, phone: str | None,
                        now: dt.datetime, warnings: list[str]) -> Person:
        person = None
        if p.person_id:
            person = s.get(Person, p.person_id)
            if person is None:
                raise fail("people.person_id", N_("Visitor"), N_("no such person"))
        elif rid is not None:
            person = s.scalar(select(Person).where(Person.id_number == rid.number).order_by(Person.created_at).limit(1))
        if person is None:
            key, full, initials = name_keys(p.name)
            person = Person(
                name=p.name, name_key=key, name_pinyin=full, name_initials=initials,
                id_number=rid.number if rid else None, gender=rid.gender if rid else None,
                birth_date=rid.birth_date if rid else None, phone=phone, address=p.address or "",
                window_code=actor.window_code, operator_id=actor.user_id, created_at=now, updated_at=now,
            )
            s.add(person)
            record_change(s, actor, person)
            return person
        if person.name != p.name:
            warnings.append(_("The name typed ({typed}) differs from the registered name ({stored}); the registered name was kept.")
                            .format(typed=p.name, stored=person.name))
        changed = False
        base = person.version
        if phone and phone != person.phone:
            person.phone = phone
            changed = True
        if p.address and p.address != person.address:
            person.address = p.address
            changed = True
        if rid is not None and not person.id_number:
            person.id_number, person.gender, person.birth_date = rid.number, rid.gender, rid.birth_date
            changed = True
        if changed:
            person.version = base + 1
            person.updated_at = now
            record_change(s, actor, person, op="update", base_version=base)
        return person

    @staticmethod
    def _next_seq(s: Any, window: str, day: dt.date) -> int:
        """One more than the highest sequence of this window and day; a stored code that is not exactly
        window-date-sequence (e.g. from a window code that contained a dash) is ignored, never int()-ed."""
        prefix = make_query_code(window, day, 1)[:-4]
        codes = s.scalars(select(Visit.query_code).where(Visit.query_code >= prefix, Visit.query_code < prefix + "~"))
        seqs = [q.seq for q in map(parse_query_code, codes) if q is not None and q.window == window and q.day == day]
        return max(seqs, default=0) + 1


def find_repeat(s: Any, person_ids: list[str], rkey: str, exclude_visit: str | None = None) -> RepeatInfo | None:
    """The earliest earlier visit of any of these people with the same matter."""
    if not person_ids:
        return None
    q = (
        select(Visit, Matter)
        .join(Matter, Matter.visit_id == Visit.id)
        .join(VisitPerson, VisitPerson.visit_id == Visit.id)
        .where(VisitPerson.person_id.in_(person_ids), Matter.repeat_key == rkey)
        .order_by(Visit.received_at)
        .limit(1)
    )
    if exclude_visit:
        q = q.where(Visit.id != exclude_visit)
    row = s.execute(q).first()
    if not row:
        return None
    visit, matter = row
    return RepeatInfo(visit.id, visit.query_code, visit.received_on, visit.window_code, matter.kind, matter.status)
