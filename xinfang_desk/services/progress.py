"""Matter progress (办理进度): record a step, show the history, look a matter up for its visitor, and the
board of the office's own duties (overdue, due within 3 days).

Steps are append-only `progress_events` that sync like visits. Where a matter stands is derived by
replaying its events (domain/progress.py) into the local `matter_progress` table, refreshed for every
matter whose events this database has not replayed yet (an event recorded here or pulled from the centre):
SQLite's rowid of `progress_events` grows with every local insert, whatever window made the row, and the
last rowid replayed is kept in `settings`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain import progress as P
from xinfang_desk.domain.errors import FieldProblem, NotFound, ValidationFailed, fail
from xinfang_desk.domain.querycode import parse_query_code
from xinfang_desk.domain.resident_id import mask_id, parse_resident_id
from xinfang_desk.domain.text import check_text
from xinfang_desk.i18n import N_, _
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    Matter,
    MatterProgress,
    Person,
    ProgressEvent,
    Setting,
    Visit,
    VisitPerson,
)
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.progress_mark import WATERMARK_KEY, replay_marks
from xinfang_desk.services.recording import audit, record_change, require
from xinfang_desk.services.reference import calendar_from_session

SOON_DAYS = 3

STATE_MSGIDS = {
    P.REGISTERED: N_("Registered"), P.NOTIFIED: N_("Notice given"), P.TRANSFERRED: N_("Transferred"),
    P.ASSIGNED: N_("Assigned"), P.ACCEPTED: N_("Accepted"), P.EXTENDED: N_("Time limit extended"), P.NOT_ACCEPTED: N_("Not accepted"),
    P.REPLIED: N_("Replied"), P.REVIEW: N_("Review requested"), P.RECHECK: N_("Recheck requested"),
    P.CLOSED: N_("Closed"),
}
REASON_MSGIDS = {
    P.R_UNKNOWN_STATE: N_("{target} is not a progress step"),
    P.R_FINAL: N_("the matter is already {state}; it cannot become {target}"),
    P.R_NOT_NEXT: N_("the matter is {state}; {target} cannot follow directly"),
    P.R_REVIEW_LEVEL: N_("a review can only be requested of the first reply"),
    P.R_RECHECK_LEVEL: N_("a recheck can only be requested of the review opinion"),
    P.R_AFTER_RECHECK: N_("after the recheck opinion the same matter is not accepted again (信访工作条例 36(3))"),
    P.R_BEFORE_RECEIPT: N_("the date lies before the visit was registered"),
    P.R_BEFORE_PREVIOUS: N_("the date lies before the previous step"),
}


def state_text(code: str) -> str:
    return _(STATE_MSGIDS[code]) if code in STATE_MSGIDS else code


def refusal_text(r: P.StepRefused) -> str:
    return _(REASON_MSGIDS[r.code]).format(state=state_text(r.state), target=state_text(r.target))


class StepNotAllowed(ValidationFailed):
    """An illegal transition: refused with the reason (a code with the states), nothing written."""

    def __init__(self, refused: P.StepRefused) -> None:
        self.refused = refused
        super().__init__([FieldProblem("state", N_("Progress step"), REASON_MSGIDS[refused.code],
                                       {"state": state_text(refused.state), "target": state_text(refused.target)})])


# -- DTOs ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepInput:
    state: str
    occurred_on: dt.date | None = None  # default: today (Asia/Shanghai)
    organ: str = ""
    document: str = ""
    note: str = ""


@dataclass(frozen=True)
class ProgressStep:
    event_id: str
    state: str
    occurred_on: dt.date
    organ: str
    document: str
    note: str
    operator_name: str
    window_code: str
    recorded_at: dt.datetime
    out_of_order: str | None = None  # refusal code when the merged history does not allow this step


@dataclass(frozen=True)
class Duty:
    visit_id: str
    matter_id: str
    query_code: str
    received_on: dt.date
    window_code: str
    kind_label: str
    state: str
    since: dt.date
    duty: str  # dispose | reply | review | recheck
    duty_label_zh: str
    instrument: str
    version: str
    article: int
    paragraph: int | None
    period: str
    last_day: dt.date
    calendar_certain: bool
    overdue: bool
    days_left: int  # negative when overdue


@dataclass(frozen=True)
class ProgressView:
    visit_id: str
    matter_id: str
    query_code: str
    received_on: dt.date
    window_code: str
    kind: str
    kind_label: str
    names: tuple[str, ...]  # as typed (a visitor's own matter)
    ids_masked: tuple[str, ...]
    state: str
    since: dt.date
    level: int
    steps: tuple[ProgressStep, ...]
    duty: Duty | None


@dataclass(frozen=True)
class DutyBoard:
    today: dt.date
    overdue: tuple[Duty, ...]
    due_soon: tuple[Duty, ...]
    overdue_total: int
    due_soon_total: int


# -- the derived position ------------------------------------------------------------------------------
def _steps(events: Iterable[ProgressEvent]) -> list[P.Step]:
    return [P.Step(e.id, e.state, e.occurred_on, e.created_at) for e in events]


def _duty_of(visit: Any, matter_id: str, kind: str, pos: P.Position, today: dt.date, calendar: Any) -> Duty | None:
    from xinfang_desk.statutes.deadlines import period_end

    rule = P.duty_for(pos, visit.received_on)
    if rule is None:
        return None
    end = period_end(pos.period_start, rule.period, calendar)
    k = matter_kinds.kinds_by_code().get(kind)
    return Duty(visit.id, matter_id, visit.query_code, visit.received_on, visit.window_code, k.label_zh if k else kind,
                pos.state, pos.since, rule.code, rule.label_zh, rule.instrument, rule.version, rule.article,
                rule.paragraph, rule.period, end.last_day, end.calendar_certain, end.last_day < today,
                (end.last_day - today).days)


def refresh_positions(s: Any, matter_ids: Iterable[str] | None = None) -> int:
    """Replay the events of the given matters (default: every matter with events not replayed yet) into
    `matter_progress` and `matters.status`. Returns how many matters were refreshed. Local only: no outbox."""
    top, seen = replay_marks(s)
    ids = set(matter_ids or ())
    if top > seen:
        ids.update(s.execute(text("SELECT DISTINCT matter_id FROM progress_events WHERE rowid > :r"), {"r": seen}).scalars())
    if not ids:
        return 0
    calendar = calendar_from_session(s)
    ids_l = sorted(ids)
    for i in range(0, len(ids_l), 500):
        chunk = ids_l[i:i + 500]
        events: dict[str, list[ProgressEvent]] = defaultdict(list)
        for e in s.scalars(select(ProgressEvent).where(ProgressEvent.matter_id.in_(chunk))):
            events[e.matter_id].append(e)
        for m, v in s.execute(select(Matter, Visit).join(Visit, Visit.id == Matter.visit_id).where(Matter.id.in_(chunk))):
            rep = P.replay(v.received_on, _steps(events.get(m.id, [])))
            pos = rep.position
            rule = P.duty_for(pos, v.received_on)
            due = None
            if rule is not None:
                from xinfang_desk.statutes.deadlines import period_end

                due = period_end(pos.period_start, rule.period, calendar).last_day
            row = s.get(MatterProgress, m.id)
            if row is None:
                row = MatterProgress(matter_id=m.id, visit_id=v.id)
                s.add(row)
            row.state, row.since, row.level, row.started = pos.state, pos.since, pos.level, pos.period_start
            row.duty, row.due_on, row.out_of_order, row.updated_at = (rule.code if rule else None), due, len(rep.out_of_order), utcnow()
            m.status = pos.state
    if top > seen:
        mark = s.get(Setting, WATERMARK_KEY)
        if mark is None:
            s.add(Setting(key=WATERMARK_KEY, value=top))
        else:
            mark.value = top
    s.flush()
    return len(ids)


def notice_given(s: Any, actor: Actor, visit: Visit, document_number: str, office: str, now: dt.datetime) -> None:
    """The first print of a guidance notice (告知书) is the written notice to the visitor: when the matter still
    stands at 已登记, record the step 已告知 with the notice's number, in the caller's transaction."""
    matter = s.scalar(select(Matter).where(Matter.visit_id == visit.id).order_by(Matter.created_at).limit(1))
    if matter is None:
        return
    events = list(s.scalars(select(ProgressEvent).where(ProgressEvent.matter_id == matter.id)))
    day = local_today(now)
    pos = P.replay(visit.received_on, _steps(events)).position
    if pos.state != P.REGISTERED or P.check_step(pos, P.NOTIFIED, day) is not None:
        return
    ev = ProgressEvent(matter_id=matter.id, visit_id=visit.id, state=P.NOTIFIED, occurred_on=day, organ=office,
                       document=document_number, note="", operator_name=actor.display_name or actor.username,
                       window_code=actor.window_code, operator_id=actor.user_id, created_at=now)
    s.add(ev)
    record_change(s, actor, ev)
    refresh_positions(s, [matter.id])


# -- the service ---------------------------------------------------------------------------------------
class ProgressService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @reads
    def office(self) -> str:
        """The issuing office printed on slips and logs (the notices' setting)."""
        from xinfang_desk.services.notices import DEFAULT_OFFICE

        with self.db.session() as s:
            row = s.get(Setting, "issuing_office")
            return str(row.value) if row is not None and row.value else DEFAULT_OFFICE

    @writes
    def refresh(self) -> int:
        with self.db.transaction() as s:
            return refresh_positions(s)

    @staticmethod
    def _find(s: Any, ref: str) -> tuple[Visit, Matter]:
        ref = (ref or "").strip()
        row = None
        if ref:
            row = s.execute(select(Visit, Matter).join(Matter, Matter.visit_id == Visit.id)
                            .where((Visit.query_code == ref.upper()) | (Visit.id == ref))
                            .order_by(Matter.created_at).limit(1)).first()
        if row is None:
            if parse_query_code(ref) is None:
                raise fail("query_code", N_("Query code"), N_("is not a query code (e.g. BN03-20261127-0001)"))
            raise NotFound(_("No matter has the query code {code}.").format(code=ref.upper()))
        return row[0], row[1]

    # -- record a step ------------------------------------------------------------------------------
    @writes
    def record(self, actor: Actor, ref: str, step: StepInput, now: dt.datetime | None = None) -> ProgressView:
        """Append a step after checking it follows from where the matter stands; an illegal step is refused
        (StepNotAllowed, with the reason) and audited, nothing else is written."""
        require(self.db, actor, N_("record matter progress"))
        now = now or utcnow()
        today = local_today(now)
        problems: list[FieldProblem] = []
        if step.state not in P.RECORDABLE:
            problems.append(FieldProblem("state", N_("Progress step"), N_("must be one of {states}"),
                                         {"states": ", ".join(P.RECORDABLE)}))
        on = step.occurred_on or today
        if on > today:
            problems.append(FieldProblem("occurred_on", N_("Date"), N_("lies in the future")))
        for field, label, value, limit in (("organ", N_("Organ"), step.organ, 200), ("document", N_("Document"), step.document, 200),
                                           ("note", N_("Note"), step.note, 2000)):
            try:
                check_text(value, field, label, max_len=limit, multiline=field == "note")
            except ValidationFailed as e:
                problems.extend(e.problems)
        if step.state in P.NEEDS_ORGAN and not step.organ.strip():
            problems.append(FieldProblem("organ", N_("Organ"), N_("is needed for this step (who it went to or who acts)")))
        if step.state in P.NEEDS_DOCUMENT and not step.document.strip():
            problems.append(FieldProblem("document", N_("Document"), N_("is needed for a reply (its number or title)")))
        if step.state in P.NEEDS_REASON and not step.note.strip():
            problems.append(FieldProblem("note", N_("Note"), N_("give the reason the matter is not accepted")))
        if problems:
            raise ValidationFailed(problems)
        with self.db.transaction() as s:
            refresh_positions(s)
            visit, matter = self._find(s, ref)
            events = list(s.scalars(select(ProgressEvent).where(ProgressEvent.matter_id == matter.id)))
            pos = P.replay(visit.received_on, _steps(events)).position
            why = P.check_step(pos, step.state, on)
            if why is not None:
                audit(s, actor, "progress.refused", "matters", matter.id, success=False, state=pos.state,
                      target=step.state, reason=why.code)
            else:
                ev = ProgressEvent(matter_id=matter.id, visit_id=visit.id, state=step.state, occurred_on=on,
                                   organ=step.organ.strip(), document=step.document.strip(), note=step.note.strip(),
                                   operator_name=actor.display_name or actor.username,
                                   window_code=actor.window_code, operator_id=actor.user_id, created_at=now)
                s.add(ev)
                record_change(s, actor, ev)
                audit(s, actor, "progress.record", "matters", matter.id, event_id=ev.id, state=step.state,
                      occurred_on=on.isoformat(), query_code=visit.query_code)
                refresh_positions(s, [matter.id])
        if why is not None:
            raise StepNotAllowed(why)
        return self.history(actor, visit.query_code, _audit=False)

    # -- read ---------------------------------------------------------------------------------------
    def _view(self, s: Any, visit: Visit, matter: Matter, today: dt.date, *, full: bool) -> ProgressView:
        events = list(s.scalars(select(ProgressEvent).where(ProgressEvent.matter_id == matter.id)))
        rep = P.replay(visit.received_on, _steps(events))
        bad = dict(rep.out_of_order)
        by_id = {e.id: e for e in events}
        ordered = sorted(_steps(events), key=P.order_key)
        steps = tuple(
            ProgressStep(st.event_id, st.state, st.occurred_on, by_id[st.event_id].organ, by_id[st.event_id].document,
                         by_id[st.event_id].note, by_id[st.event_id].operator_name, by_id[st.event_id].window_code,
                         st.recorded_at, bad[st.event_id].code if st.event_id in bad else None)
            for st in ordered
        )
        people = s.execute(select(Person.name, Person.id_number).join(VisitPerson, VisitPerson.person_id == Person.id)
                           .where(VisitPerson.visit_id == visit.id).order_by(VisitPerson.position)).all()
        calendar = calendar_from_session(s)
        k = matter_kinds.kinds_by_code().get(matter.kind)
        return ProgressView(
            visit.id, matter.id, visit.query_code, visit.received_on, visit.window_code, matter.kind,
            k.label_zh if k else matter.kind, tuple(n for n, _i in people),
            tuple((i or "") if full else mask_id(i) for _n, i in people),
            rep.position.state, rep.position.since, rep.position.level, steps,
            _duty_of(visit, matter.id, matter.kind, rep.position, today, calendar),
        )

    @writes
    def history(self, actor: Actor, ref: str, today: dt.date | None = None, *, _audit: bool = True) -> ProgressView:
        """A matter's state history by query code (or visit id). Viewing is audited."""
        require(self.db, actor, N_("view visits"))
        today = today or local_today()
        with self.db.transaction() as s:
            refresh_positions(s)
            visit, matter = self._find(s, ref)
            if _audit:
                audit(s, actor, "progress.view", "visits", visit.id, query_code=visit.query_code)
            return self._view(s, visit, matter, today, full=False)

    @writes
    def lookup(self, actor: Actor, *, query_code: str = "", id_number: str = "", name: str = "",
               today: dt.date | None = None) -> list[ProgressView]:
        """The visitor's own question (查询办理进度): by query code, or by ID number together with the name as
        registered. Never anyone else's matter: both must match; ID numbers always come back masked."""
        require(self.db, actor, N_("look up matter progress"))
        today = today or local_today()
        if query_code.strip():
            with self.db.transaction() as s:
                refresh_positions(s)
                visit, matter = self._find(s, query_code)
                audit(s, actor, "progress.lookup", "visits", visit.id, by="query_code")
                return [self._view(s, visit, matter, today, full=False)]
        if not id_number.strip() or not name.strip():
            raise ValidationFailed([FieldProblem("id_number" if not id_number.strip() else "name",
                                                 N_("ID number") if not id_number.strip() else N_("Name"),
                                                 N_("give the query code, or the ID number together with the name"))])
        rid = parse_resident_id(id_number, "id_number", today=today)
        with self.db.transaction() as s:
            refresh_positions(s)
            rows = s.execute(
                select(Visit, Matter).join(Matter, Matter.visit_id == Visit.id)
                .join(VisitPerson, VisitPerson.visit_id == Visit.id).join(Person, Person.id == VisitPerson.person_id)
                .where(Person.id_number == rid.number, Person.name == name.strip())
                .order_by(Visit.received_at.desc()).limit(50)
            ).all()
            audit(s, actor, "progress.lookup", "people", None, by="id_number", found=len(rows))
            if not rows:
                raise NotFound(_("No matter is registered for this ID number and name."))
            return [self._view(s, v, m, today, full=False) for v, m in rows]

    @writes
    def duties(self, actor: Actor, today: dt.date | None = None, *, soon_days: int = SOON_DAYS,
               limit: int = 200, window_code: str | None = None) -> DutyBoard:
        """The office's own duties that are overdue or due within `soon_days` days (last day on or before
        today + soon_days), most urgent first; the totals count all of them, the lists at most `limit`."""
        require(self.db, actor, N_("view visits"))
        today = today or local_today()
        horizon = today + dt.timedelta(days=soon_days)
        with self.db.transaction() as s:
            refresh_positions(s)
            calendar = calendar_from_session(s)
            duties: list[Duty] = []
            # matters with events: the cached last day
            q = (select(MatterProgress, Visit, Matter).join(Visit, Visit.id == MatterProgress.visit_id)
                 .join(Matter, Matter.id == MatterProgress.matter_id)
                 .where(MatterProgress.due_on.is_not(None), MatterProgress.due_on <= horizon))
            if window_code:
                q = q.where(Visit.window_code == window_code)
            for mp, v, m in s.execute(q):
                d = _duty_of(v, m.id, m.kind, P.Position(mp.state, mp.since, mp.level, mp.started), today, calendar)
                if d is not None:
                    duties.append(d)
            # matters still only registered (no event yet): the 15-day duty runs from the day of receipt, and
            # its last day is at least 15 days later, so only visits received up to horizon - 15 can be due
            latest = horizon - dt.timedelta(days=15)
            days = s.execute(
                select(Visit.received_on, func.count()).join(Matter, Matter.visit_id == Visit.id)
                .outerjoin(MatterProgress, MatterProgress.matter_id == Matter.id)
                .where(MatterProgress.matter_id.is_(None), Visit.received_on <= latest,
                       *( [Visit.window_code == window_code] if window_code else []))
                .group_by(Visit.received_on)
            ).all()
            due_days = []
            counted_overdue = counted_soon = 0
            for day, n in days:
                rule = P.duty_for(P.Position(P.REGISTERED, day), day)
                if rule is None:
                    continue
                from xinfang_desk.statutes.deadlines import period_end

                last = period_end(day, rule.period, calendar).last_day
                if last <= horizon:
                    due_days.append((last, day))
                    if last < today:
                        counted_overdue += n
                    else:
                        counted_soon += n
            # list the registered-only matters, the longest overdue first, at most `limit` of each list
            due_days.sort()
            fetched = {True: 0, False: 0}
            for last, day in due_days:
                if fetched[last < today] >= limit:
                    continue
                rows = s.execute(
                    select(Visit, Matter).join(Matter, Matter.visit_id == Visit.id)
                    .outerjoin(MatterProgress, MatterProgress.matter_id == Matter.id)
                    .where(MatterProgress.matter_id.is_(None), Visit.received_on == day,
                           *( [Visit.window_code == window_code] if window_code else []))
                    .order_by(Visit.query_code).limit(limit - fetched[last < today])
                ).all()
                for v, m in rows:
                    d = _duty_of(v, m.id, m.kind, P.Position(P.REGISTERED, v.received_on), today, calendar)
                    if d is not None:
                        duties.append(d)
                        fetched[d.overdue] += 1
            cached_overdue = sum(1 for d in duties if d.overdue and d.state != P.REGISTERED)
            cached_soon = sum(1 for d in duties if not d.overdue and d.state != P.REGISTERED)
        overdue = sorted((d for d in duties if d.overdue), key=lambda d: (d.last_day, d.query_code))
        soon = sorted((d for d in duties if not d.overdue), key=lambda d: (d.last_day, d.query_code))
        return DutyBoard(today, tuple(overdue[:limit]), tuple(soon[:limit]),
                         cached_overdue + counted_overdue, cached_soon + counted_soon)

    @writes
    def slip_pdf(self, actor: Actor, views: list[ProgressView]) -> bytes:
        """The printable progress slip (办理进度查询单) of these matters; printing it is audited."""
        from xinfang_desk.printing.progress_slip import render_slip

        require(self.db, actor, N_("look up matter progress"))
        pdf = render_slip(views, office=self.office())
        with self.db.transaction() as s:
            audit(s, actor, "progress.slip", "visits", views[0].visit_id if views else None,
                  query_codes=[v.query_code for v in views])
        return pdf

    @staticmethod
    @reads
    def slip_text(view: ProgressView) -> list[str]:
        """The slip's content as plain Chinese lines (for a screen)."""
        from xinfang_desk.printing.progress_slip import slip_lines

        return slip_lines(view)

    @reads
    def positions(self, s: Any, visit_ids: list[str]) -> dict[str, MatterProgress]:
        """Cached positions of these visits (for lists inside other services' sessions)."""
        out: dict[str, MatterProgress] = {}
        for i in range(0, len(visit_ids), 500):
            for mp in s.scalars(select(MatterProgress).where(MatterProgress.visit_id.in_(visit_ids[i:i + 500]))):
                out[mp.visit_id] = mp
        return out

