"""The lawyer's desk: legal advice (法律意见) per visit, and the legal-aid referral (法律援助法).

Advice is append-only: an edit is a new row that corrects the current one. Only the lawyer who gave it (their
account linked to their person) and supervisors may edit it. The recommended channel is one of the channel
engine's decisions; `legal_aid` says whether legal aid is advised, and a referral letter can then be printed,
citing 法律援助法 in the version in force on the day (the article quoted from the catalogue only if printable).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import PermissionDenied, fail
from xinfang_desk.domain.phone import mask_phone
from xinfang_desk.domain.resident_id import mask_id
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    Classification,
    LegalAdvice,
    Matter,
    Person,
    ReceptionSession,
    SessionStaff,
    StaffPerson,
    Visit,
    VisitPerson,
)
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, local_today, to_local
from xinfang_desk.services.recording import audit, record_change, require

P_ADVISE = N_("record legal advice")
P_EDIT_ANY = N_("edit anyone's legal advice")
MAX_ADVICE = 5000
LEGAL_AID_CENTRE = "区法律援助中心"
REFERRAL_ARTICLE = 31  # 法律援助法 第三十一条: the matters for which legal aid may be requested


@dataclass(frozen=True)
class AdviceInput:
    advice: str
    channel: str = ""  # a decision code of the channel engine (matter_kinds.decision_labels())
    legal_aid: bool = False
    session_id: str | None = None
    person_key: str | None = None  # whose advice (a supervisor recording for a lawyer); default: the actor's person


@dataclass(frozen=True)
class AdviceDTO:
    id: str
    visit_id: str
    query_code: str
    session_id: str | None
    person_key: str
    lawyer: str
    organisation: str
    advice: str
    channel: str
    channel_label: str
    legal_aid: bool
    created_at: dt.datetime
    corrects_id: str | None
    may_edit: bool


@dataclass(frozen=True)
class VisitFile:
    """A booked visit as the lawyer opens it: the matter, earlier visits of the same people, proposed channels
    and the advice so far."""

    query_code: str
    visit_id: str
    received_on: dt.date
    names: tuple[str, ...]
    ids_masked: tuple[str, ...]
    phones_masked: tuple[str, ...]
    kind: str
    kind_label: str
    summary: str
    demands: str
    respondent: str
    channels: tuple[tuple[str, str], ...]  # (decision code, Chinese label)
    earlier: tuple[tuple[str, dt.date, str, str], ...]  # (query code, received on, kind label, summary)
    advice: tuple[AdviceDTO, ...]


class AdviceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _visit(s: Session, code: str) -> Visit:
        ref = (code or "").strip()
        v = s.scalar(select(Visit).where((Visit.query_code == ref.upper()) | (Visit.id == ref)))
        if v is None:
            raise fail("query_code", N_("Query code"), N_("no visit with this query code"))
        return v

    @staticmethod
    def _my_person(s: Session, actor: Actor) -> StaffPerson | None:
        if not actor.user_id:
            return None
        return s.scalar(select(StaffPerson).where(StaffPerson.user_id == actor.user_id))

    def _dto(self, s: Session, actor: Actor, a: LegalAdvice, code: str, mine: StaffPerson | None) -> AdviceDTO:
        p = s.get(StaffPerson, a.person_id)
        assert p is not None
        labels = matter_kinds.decision_labels()
        may_edit = actor.may(P_EDIT_ANY) or (actor.may(P_ADVISE) and mine is not None and mine.id == a.person_id)
        return AdviceDTO(a.id, a.visit_id, code, a.session_id, p.key, p.name, p.organisation, a.advice, a.channel,
                         labels.get(a.channel, ""), a.legal_aid, a.created_at, a.corrects_id, may_edit)

    @staticmethod
    def _current(s: Session, visit_id: str) -> list[LegalAdvice]:
        rows = list(s.scalars(select(LegalAdvice).where(LegalAdvice.visit_id == visit_id).order_by(LegalAdvice.created_at, LegalAdvice.id)))
        corrected = {r.corrects_id for r in rows if r.corrects_id}
        return [r for r in rows if r.id not in corrected]

    def _validate(self, inp: AdviceInput) -> None:
        text = (inp.advice or "").strip()
        if not text:
            raise fail("advice", N_("Advice"), N_("must not be empty"))
        if len(inp.advice) > MAX_ADVICE:
            raise fail("advice", N_("Advice"), N_("must be at most {n} characters"), n=MAX_ADVICE)
        if inp.channel and inp.channel not in matter_kinds.decision_labels():
            raise fail("channel", N_("Recommended channel"), N_("{value} is not a channel of the engine"), value=inp.channel)

    @writes
    def record(self, actor: Actor, query_code: str, inp: AdviceInput, corrects: str | None = None) -> AdviceDTO:
        """New advice for a visit, or (`corrects`) an edit of the current advice, which only its lawyer or a
        supervisor may make."""
        require(self.db, actor, P_ADVISE)
        self._validate(inp)
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            mine = self._my_person(s, actor)
            if corrects:
                old = s.get(LegalAdvice, corrects)
                if old is None or old.visit_id != visit.id:
                    raise fail("corrects", N_("Advice"), N_("no such advice for this visit"))
                if old.id not in {r.id for r in self._current(s, visit.id)}:
                    raise fail("corrects", N_("Advice"), N_("this advice was already edited; edit its latest version"))
                if not (actor.may(P_EDIT_ANY) or (mine is not None and mine.id == old.person_id)):
                    audit(s, actor, "permission.denied", "legal_advice", old.id, success=False, permission=P_EDIT_ANY)
                    s.commit()
                    raise PermissionDenied(P_EDIT_ANY, actor.role)
                person_id, session_id = old.person_id, inp.session_id or old.session_id
            else:
                if inp.person_key and actor.may(P_EDIT_ANY):
                    p = s.scalar(select(StaffPerson).where(StaffPerson.key == inp.person_key))
                    if p is None:
                        raise fail("person", N_("Person"), N_("no person with the key {key}"), key=inp.person_key)
                    person_id = p.id
                elif mine is not None:
                    person_id = mine.id
                else:
                    raise fail("person", N_("Person"), N_("your account is not linked to a lawyer; ask the administrator"))
                session_id = inp.session_id
            if session_id:
                rs = s.get(ReceptionSession, session_id)
                if rs is None:
                    raise fail("session_id", N_("Session"), N_("no such session"))
                serves = s.scalar(select(SessionStaff.id).where(SessionStaff.session_id == session_id,
                                                                SessionStaff.person_id == person_id, SessionStaff.active.is_(True)))
                if serves is None:
                    raise fail("session_id", N_("Session"), N_("the lawyer does not serve in this session"))
            a = LegalAdvice(visit_id=visit.id, session_id=session_id, person_id=person_id, advice=inp.advice.strip(),
                            channel=inp.channel, legal_aid=inp.legal_aid, corrects_id=corrects,
                            window_code=actor.window_code, operator_id=actor.user_id)
            s.add(a)
            record_change(s, actor, a)
            audit(s, actor, "advice.correct" if corrects else "advice.record", "legal_advice", a.id, visit_id=visit.id)
            return self._dto(s, actor, a, visit.query_code, mine)

    @reads
    def for_visit(self, actor: Actor, query_code: str) -> list[AdviceDTO]:
        require(self.db, actor, N_("view visits"))
        with self.db.session() as s:
            visit = self._visit(s, query_code)
            mine = self._my_person(s, actor)
            return [self._dto(s, actor, a, visit.query_code, mine) for a in self._current(s, visit.id)]

    @writes
    def visit_file(self, actor: Actor, query_code: str) -> VisitFile:
        """What the lawyer sees when opening a booked visit (reading it is audited)."""
        require(self.db, actor, N_("view visits"))
        full = actor.may(N_("view unmasked ID numbers and phones"))
        kinds = matter_kinds.kinds_by_code()
        labels = matter_kinds.decision_labels()
        with self.db.transaction() as s:
            visit = self._visit(s, query_code)
            people = list(s.scalars(select(Person).join(VisitPerson, VisitPerson.person_id == Person.id)
                                    .where(VisitPerson.visit_id == visit.id).order_by(VisitPerson.position)))
            m = s.scalar(select(Matter).where(Matter.visit_id == visit.id).limit(1))
            cls = s.scalar(select(Classification).where(Classification.visit_id == visit.id)
                           .order_by(Classification.created_at.desc(), Classification.id.desc()).limit(1))
            channels = tuple(dict.fromkeys((c.get("decision", ""), c.get("label_zh") or labels.get(c.get("decision", ""), ""))
                                           for c in (cls.result.get("channels", []) if cls else [])))
            earlier_rows = s.execute(
                select(Visit.query_code, Visit.received_on, Matter.kind, Matter.summary)
                .join(VisitPerson, VisitPerson.visit_id == Visit.id).join(Matter, Matter.visit_id == Visit.id)
                .where(VisitPerson.person_id.in_([p.id for p in people]), Visit.id != visit.id,
                       Visit.received_at < visit.received_at)
                .order_by(Visit.received_at.desc()).limit(20)).all()
            earlier = tuple(dict.fromkeys((c, d, kinds[k].label_zh if k in kinds else "", sm) for c, d, k, sm in earlier_rows))
            mine = self._my_person(s, actor)
            advice = tuple(self._dto(s, actor, a, visit.query_code, mine) for a in self._current(s, visit.id))
            audit(s, actor, "advice.open_visit", "visits", visit.id, unmasked=full)
            return VisitFile(
                visit.query_code, visit.id, visit.received_on, tuple(p.name for p in people),
                tuple((p.id_number or "") if full else mask_id(p.id_number) for p in people),
                tuple((p.phone or "") if full else mask_phone(p.phone) for p in people),
                m.kind if m else "", kinds[m.kind].label_zh if m and m.kind in kinds else "",
                m.summary if m else "", m.demands if m else "", m.respondent if m else "", channels, earlier, advice)

    @writes
    def print_referral(self, actor: Actor, advice_id: str, now: dt.datetime | None = None) -> bytes:
        """The legal-aid referral letter (法律援助转介函) for advice that recommends legal aid."""
        from xinfang_desk.printing.sessions import ReferralData, render_referral
        from xinfang_desk.services.scheduling import _office
        from xinfang_desk.statutes.catalogue import CatalogueError, default_catalogue

        require(self.db, actor, P_ADVISE)
        now = now or utcnow()
        full = actor.may(N_("view unmasked ID numbers and phones"))
        with self.db.session() as s:
            a = s.get(LegalAdvice, advice_id)
            if a is None:
                raise fail("advice_id", N_("Advice"), N_("no such advice"))
            if not a.legal_aid:
                raise fail("advice_id", N_("Advice"), N_("this advice does not recommend legal aid"))
            visit = s.get(Visit, a.visit_id)
            assert visit is not None
            f = self.visit_file(actor, visit.query_code)
            lawyer = s.get(StaffPerson, a.person_id)
            assert lawyer is not None
            office = _office(s)
        cat = default_catalogue()
        day = to_local(now).date() if now else local_today()
        version = cat.version_in_force("法律援助法", day)
        if version is None:
            citation, quote = "《中华人民共和国法律援助法》", None
        else:
            title = cat.instrument("法律援助法").full_title
            citation = f"《{title}》第三十一条"
            try:
                q = cat.quote("法律援助法", version.version, REFERRAL_ARTICLE)
                quote = q.text if q.printable else None
            except CatalogueError:
                citation, quote = f"《{title}》", None
        data = ReferralData(office, f.query_code, f.names, f.ids_masked, f.phones_masked, f.kind_label, f.summary,
                            a.advice, lawyer.name, lawyer.organisation, LEGAL_AID_CENTRE, citation, quote, now,
                            actor.display_name, actor.window_code)
        pdf = render_referral(data)
        with self.db.transaction() as s:
            row = s.get(LegalAdvice, advice_id)
            assert row is not None
            audit(s, actor, "advice.referral", "legal_advice", advice_id, visit_id=row.visit_id, unmasked=full)
        return pdf
