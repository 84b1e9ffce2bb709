"""Search before register; a person's history; the visits of a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import NotFound, ValidationFailed, fail
from xinfang_desk.domain.phone import display_phone, looks_like_phone, mask_phone, parse_phone
from xinfang_desk.domain.resident_id import looks_like_id, mask_id, normalise_id_query, parse_resident_id
from xinfang_desk.domain.text import search_key
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import Matter, MatterStatusEvent, Person, User, Visit, VisitPerson
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import (
    MatterSummary,
    PersonHit,
    RepeatInfo,
    StatusStep,
    VisitDetail,
    VisitLink,
    VisitRow,
)
from xinfang_desk.services.recording import audit, require

MAX_HITS = 50
UNMASKED = N_("view unmasked ID numbers and phones")


def _reveal_reason(actor: Actor, reason: str | None) -> str:
    """The reason for showing full ID numbers and phones, or "" (masked) when none is given or the role may not."""
    r = (reason or "").strip()
    return r[:500] if r and actor.may(UNMASKED) else ""


def _audit_reveal(db: Database, actor: Actor, what: str, reason: str, person_ids: list[str],
                  entity_id: str | None = None) -> None:
    """Record the unmasked read before the data leaves the service: if this write fails, nothing is shown."""
    with db.transaction() as s:
        audit(s, actor, "pii.reveal", "people", entity_id, reason=reason, what=what, people=person_ids[:200],
              count=len(person_ids))


def _prefix_range(col: Any, prefix: str) -> Any:
    # A range predicate uses the index where LIKE would not (SQLite LIKE is case-insensitive).
    return (col >= prefix) & (col < prefix + "\U0010ffff")


class SearchService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @writes
    def search_people(self, actor: Actor, query: str, limit: int = 20, reveal_reason: str = "") -> list[PersonHit]:
        """Exact ID number, exact phone, name prefix, full pinyin prefix or initials prefix; when no prefix finds
        anybody, any substring of the name (志强 finds 𠮷志强), of the initials, and (3+ letters) of the pinyin.
        Full numbers only for a role that may see them AND with a reason, which is audited; otherwise masked."""
        require(self.db, actor, N_("search visitors"))
        q = (query or "").strip()
        if not q:
            return []
        if any(0xD800 <= ord(c) <= 0xDFFF for c in q):  # cannot be encoded for the database driver
            raise fail("query", N_("Search"), N_("contains a broken character (lone surrogate)"))
        limit = max(1, min(limit, MAX_HITS))
        cond = None
        if looks_like_id(q):
            number = normalise_id_query(q)
            try:
                number = parse_resident_id(q).number
            except ValidationFailed:
                pass
            cond = Person.id_number == number
        elif looks_like_phone(q):
            try:
                cond = Person.phone == parse_phone(q)
            except ValidationFailed:
                cond = None
        inside = None  # the name search goes on inside the keys when no prefix finds anybody
        if cond is None:
            key = search_key(q)
            if not key:
                return []
            conds = [_prefix_range(Person.name_key, key)]
            # any substring: each scan reads one narrow index (the key and the rowid), not the table
            inner = [(Person.name_key, key)]
            if key.isascii() and key.isalpha():
                conds += [_prefix_range(Person.name_pinyin, key), _prefix_range(Person.name_initials, key)]
                inner += [(Person.name_initials, key)] + ([(Person.name_pinyin, key)] if len(key) >= 3 else [])
            cond = or_(*conds)
            inside = inner
        with self.db.session() as s:
            people = list(s.scalars(select(Person).where(cond).order_by(Person.name_key, Person.id).limit(limit)))
            if inside and not people:  # only then: a scan costs more than every prefix search
                seen = {p.id for p in people}
                more: list[Person] = []
                for col, k in inside:
                    keys = list(s.scalars(select(col).where(func.instr(col, k) > 1).distinct().limit(limit)))
                    if keys:
                        more += s.scalars(select(Person).where(col.in_(keys)).order_by(Person.name_key, Person.id)
                                          .limit(limit))
                    if len(seen) + len(more) >= limit:
                        break
                for p in more:
                    if p.id not in seen and len(people) < limit:
                        seen.add(p.id)
                        people.append(p)
            stats = self._visit_stats(s, [p.id for p in people])
        reason = _reveal_reason(actor, reveal_reason)
        if reason and people:
            _audit_reveal(self.db, actor, "search", reason, [p.id for p in people])
        return [self._hit(p, stats.get(p.id, (0, None)), bool(reason)) for p in people]

    @staticmethod
    def _visit_stats(s: Any, ids: list[str]) -> dict[str, tuple[int, dt.date | None]]:
        if not ids:
            return {}
        rows = s.execute(
            select(VisitPerson.person_id, func.count(Visit.id), func.max(Visit.received_on))
            .join(Visit, Visit.id == VisitPerson.visit_id)
            .where(VisitPerson.person_id.in_(ids))
            .group_by(VisitPerson.person_id)
        )
        return {pid: (n, last) for pid, n, last in rows}

    @staticmethod
    def _hit(p: Person, stat: tuple[int, dt.date | None], full: bool) -> PersonHit:
        return PersonHit(
            id=p.id, name=p.name, id_masked=mask_id(p.id_number), phone_masked=mask_phone(p.phone),
            gender=p.gender, birth_date=p.birth_date, address=p.address, visits=stat[0], last_visit_on=stat[1],
            id_number=p.id_number if full else None, phone=display_phone(p.phone) if full else None,
        )

    @writes
    def person(self, actor: Actor, person_id: str, reveal_reason: str = "") -> PersonHit:
        require(self.db, actor, N_("search visitors"))
        with self.db.session() as s:
            p = s.get(Person, person_id)
            if p is None:
                raise NotFound(person_id)
            stat = self._visit_stats(s, [p.id]).get(p.id, (0, None))
        reason = _reveal_reason(actor, reveal_reason)
        if reason:
            _audit_reveal(self.db, actor, "person", reason, [p.id], p.id)
        return self._hit(p, stat, bool(reason))

    @writes
    def reveal_person(self, actor: Actor, person_id: str, reason: str) -> PersonHit:
        """A person's full ID number and phone, for a role that may see them, with a reason that is audited."""
        require(self.db, actor, UNMASKED)
        if not (reason or "").strip():
            raise fail("reason", N_("Reason"), N_("say why the full number is needed"))
        return self.person(actor, person_id, reveal_reason=reason)

    @writes
    def person_history(self, actor: Actor, person_id: str) -> list[MatterSummary]:
        """Every earlier matter of this person, newest first, with its status. Viewing is audited."""
        require(self.db, actor, N_("view visits"))
        with self.db.transaction() as s:
            rows = s.execute(
                select(Visit, Matter)
                .join(Matter, Matter.visit_id == Visit.id)
                .join(VisitPerson, VisitPerson.visit_id == Visit.id)
                .where(VisitPerson.person_id == person_id)
                .order_by(Visit.received_at.desc())
            ).all()
            audit(s, actor, "person.view_history", "people", person_id, matters=len(rows))
            return [self._matter_summary(v, m) for v, m in rows]

    @staticmethod
    def _matter_summary(v: Visit, m: Matter) -> MatterSummary:
        kind = matter_kinds.kinds_by_code().get(m.kind)
        return MatterSummary(
            v.id, m.id, v.query_code, v.received_on, v.window_code, v.channel, m.kind,
            kind.label() if kind else m.kind, m.summary, m.demands, m.respondent, m.status, m.repeat_of_visit_id,
        )

    @reads
    def check_repeat(self, actor: Actor, person_ids: list[str], kind: str, respondent: str, demands: str) -> RepeatInfo | None:
        """The live warning on the registration page, before saving."""
        from xinfang_desk.domain.visit_rules import repeat_key

        require(self.db, actor, N_("search visitors"))
        with self.db.session() as s:
            from xinfang_desk.services.registration import find_repeat  # only here: it brings the engine

            return find_repeat(s, person_ids, repeat_key(kind, respondent, demands))

    @writes
    def visits_on(self, actor: Actor, day: dt.date, window_code: str | None = None,
                  reveal_reason: str = "") -> list[VisitRow]:
        """The visits of a day; ID numbers and phones masked unless the role may see them and gives a reason
        (audited before the list is returned)."""
        require(self.db, actor, N_("view visits"))
        reason = _reveal_reason(actor, reveal_reason)
        full = bool(reason)
        from xinfang_desk.services.progress_mark import positions_stale  # issue 10

        with self.db.session() as s:
            stale = positions_stale(s)
        if stale:  # progress steps pulled from the centre: the status column follows them
            from xinfang_desk.services.progress import refresh_positions

            with self.db.transaction() as s:
                refresh_positions(s)
        with self.db.session() as s:
            q = select(Visit).where(Visit.received_on == day)
            if window_code:
                q = q.where(Visit.window_code == window_code)
            visits = list(s.scalars(q.order_by(Visit.received_at, Visit.query_code)))
            ids = [v.id for v in visits]
            people: dict[str, list[tuple[VisitPerson, Person]]] = defaultdict(list)
            matters: dict[str, Matter] = {}
            clerks: dict[str, str] = {}
            if ids:
                for vp, p in s.execute(
                    select(VisitPerson, Person).join(Person, Person.id == VisitPerson.person_id)
                    .where(VisitPerson.visit_id.in_(ids)).order_by(VisitPerson.position)
                ):
                    people[vp.visit_id].append((vp, p))
                for found in s.scalars(select(Matter).where(Matter.visit_id.in_(ids))):
                    matters.setdefault(found.visit_id, found)
                op_ids = {v.operator_id for v in visits if v.operator_id}
                if op_ids:
                    clerks = dict(s.execute(select(User.id, User.display_name).where(User.id.in_(op_ids))).all())
        if full and visits:
            _audit_reveal(self.db, actor, "visits", reason,
                          sorted({p.id for plist in people.values() for _vp, p in plist}))
        kinds = matter_kinds.kinds_by_code()
        out = []
        for v in visits:
            m = matters.get(v.id)
            kind = kinds.get(m.kind) if m else None
            plist = tuple(
                {
                    "person_id": p.id, "name": p.name, "role": vp.role,
                    "id_number": p.id_number if full else mask_id(p.id_number),
                    "phone": display_phone(p.phone) if full else mask_phone(p.phone),
                }
                for vp, p in people.get(v.id, [])
            )
            out.append(VisitRow(
                v.id, v.query_code, v.received_at, v.received_on, v.window_code, v.channel, v.group_size,
                tuple(p.name for _vp, p in people.get(v.id, [])), plist, m.kind if m else "", kind.label() if kind else "",
                clerks.get(v.operator_id or "", ""), m.status if m else "", bool(m and m.repeat_of_visit_id),
            ))
        return out

    @writes
    def visit_detail(self, actor: Actor, visit_id: str) -> VisitDetail:
        """One visit with its whole matter, the visitors (masked by role), the repeats both ways and the matter's
        status history. Viewing is audited."""
        require(self.db, actor, N_("view visits"))
        full = actor.may(N_("view unmasked ID numbers and phones"))
        with self.db.transaction() as s:
            v = s.get(Visit, visit_id)
            if v is None:
                raise NotFound(visit_id)
            m = s.scalars(select(Matter).where(Matter.visit_id == v.id)).first()
            people = tuple(
                {"person_id": p.id, "name": p.name, "role": vp.role, "address": p.address or "",
                 "id_number": p.id_number if full else mask_id(p.id_number),
                 "phone": display_phone(p.phone) if full else mask_phone(p.phone)}
                for vp, p in s.execute(select(VisitPerson, Person).join(Person, Person.id == VisitPerson.person_id)
                                       .where(VisitPerson.visit_id == v.id).order_by(VisitPerson.position)))

            def link(vid: str) -> VisitLink | None:
                other = s.get(Visit, vid)
                return VisitLink(other.id, other.query_code, other.received_on) if other is not None else None

            repeat_of = link(m.repeat_of_visit_id) if m is not None and m.repeat_of_visit_id else None
            later = tuple(VisitLink(o.id, o.query_code, o.received_on) for o in s.scalars(
                select(Visit).join(Matter, Matter.visit_id == Visit.id).where(Matter.repeat_of_visit_id == v.id)
                .order_by(Visit.received_at)))
            history = tuple(StatusStep(e.status, e.note, e.created_at) for e in s.scalars(
                select(MatterStatusEvent).where(MatterStatusEvent.matter_id == m.id)
                .order_by(MatterStatusEvent.created_at))) if m is not None else ()
            audit(s, actor, "visit.view", "visits", v.id)
            kind = matter_kinds.kinds_by_code().get(m.kind) if m is not None else None
            return VisitDetail(
                v.id, v.query_code, v.received_at, v.received_on, v.window_code, v.channel, v.group_size, people,
                m.kind if m else "", kind.label() if kind else "", m.summary if m else "", m.demands if m else "",
                m.respondent if m else "", dict(m.facts or {}) if m else {}, m.status if m else "", repeat_of, later,
                history)

    @reads
    def earlier_answers(self, actor: Actor, person_ids: list[str], kind: str) -> tuple[str, dt.date, dict[str, Any]] | None:
        """The answers of the newest earlier matter of these people (of this kind if there is one, else of any
        kind): (query code, received on, facts), to offer as defaults to a returning visitor."""
        require(self.db, actor, N_("view visits"))
        if not person_ids:
            return None
        with self.db.session() as s:
            rows = s.execute(
                select(Visit.query_code, Visit.received_on, Matter.kind, Matter.facts)
                .join(Matter, Matter.visit_id == Visit.id)
                .join(VisitPerson, VisitPerson.visit_id == Visit.id)
                .where(VisitPerson.person_id.in_(person_ids))
                .order_by(Visit.received_at.desc()).limit(50)).all()
        with_facts = [r for r in rows if r.facts]
        best = next((r for r in with_facts if r.kind == kind), None) or (with_facts[0] if with_facts else None)
        return (best.query_code, best.received_on, dict(best.facts)) if best is not None else None
