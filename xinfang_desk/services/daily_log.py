"""The daily log (接待日志) of a day or a range: every visit once, totals by window, kind, channel decision
and town, the collective visits, the office's own duties overdue and due within 3 days; and the statistics
the supervisor's page charts. Plain frozen data; printing/daily_log.py lays it out as PDF and workbook.

Each visit is counted once in every breakdown: by the first channel decision of its latest classification
(the one the notice leads with), by the town named in its first visitor's address ('' when none)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain import progress as P
from xinfang_desk.domain.errors import FieldProblem, ValidationFailed
from xinfang_desk.domain.phone import mask_phone
from xinfang_desk.domain.resident_id import mask_id
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    LegalAdvice,
    ReceptionSession,
    SessionBooking,
    SessionStaff,
    StaffPerson,
    Visit,
)
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, local_today, to_local
from xinfang_desk.services.progress import Duty, DutyBoard, ProgressService, refresh_positions
from xinfang_desk.services.recording import audit, require
from xinfang_desk.services.visit_search import STATUTORY_DECISIONS, VisitHit, rows_for

MAX_RANGE_DAYS = 366
NO_TOWN = "（未注明镇街）"
NO_DECISION = "（未分类）"

# Sessions (issue 9): each visit's booked session, and the sessions held in the range with who took part,
# bookings, attendance and the legal advice given there. Labels are Chinese; no phone of staff is printed.
SESSION_TYPES_ZH = {"leader_reception": "领导接访", "lawyer_duty": "律师值班", "outreach": "下访接待"}
SESSION_TYPES_LONG_ZH = {"leader_reception": "领导公开接访", "lawyer_duty": "律师值班接待", "outreach": "赶场日下访接待"}
STAFF_ROLES_ZH = {"leader": "接访领导", "lawyer": "律师", "legal_worker": "法律服务工作者", "mediator": "调解员",
                  "staff": "工作人员"}
BOOKING_MARKS_ZH = {"booked": "", "waiting": "（候补）", "attended": "（已到）", "no_show": "（未到）"}
LIVE_BOOKINGS = ("booked", "waiting", "attended", "no_show")  # not cancelled


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜 (code points, so a rare character stays whole)."""
    chars = list(name or "")
    if len(chars) <= 1:
        return name or ""
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


@dataclass(frozen=True)
class LogRow:
    visit_id: str
    received_at: dt.datetime  # local (Asia/Shanghai), aware
    window_code: str
    query_code: str
    names_masked: str
    ids_masked: str
    phones_masked: str
    channel_zh: str  # 来访/来信/来电/网上
    kind_zh: str
    decisions_zh: str
    first_decision: str  # code, '' when none
    clerk: str
    group_size: int
    collective: bool
    repeat: bool
    booked_session: str  # "领导接访 12月2日 09:00", '' when none
    state: str
    state_zh: str
    synced: bool
    town: str
    group_name: str = ""
    advice: int = 0  # current legal-advice records (法律意见) of the visit
    legal_aid: bool = False  # legal aid advised in its current advice


@dataclass(frozen=True)
class SessionHeld:
    """A session (not cancelled) on a day of the log's range."""

    id: str
    day: dt.date
    start: str
    end: str
    type: str  # code, for sorting only
    type_zh: str
    place: str  # place, or the town for an outreach
    leaders: tuple[str, ...]  # "王建国（副区长）"
    legal: tuple[str, ...]  # "律师 刘明（青溪正和律师事务所）": lawyers, legal workers, mediators
    staff: tuple[str, ...]  # "工作人员 孙丽"
    capacity: int
    bookings: int  # booked, attended or no-show (the waiting list not counted)
    waiting: int
    attended: int
    no_show: int
    advice: int  # current legal-advice records given in this session
    legal_aid: int  # of which advise legal aid (法律援助)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class DailyLog:
    date_from: dt.date
    date_to: dt.date
    window: str | None
    office: str
    rows: tuple[LogRow, ...]
    by_window: tuple[Tally, ...]
    by_kind: tuple[Tally, ...]
    by_decision: tuple[Tally, ...]
    by_town: tuple[Tally, ...]
    collective: tuple[LogRow, ...]
    duties: DutyBoard
    sessions_held: tuple[SessionHeld, ...]
    generated_at: dt.datetime
    generated_by: str
    advice_visits: int = 0  # visits of the log with legal advice given
    advice_total: int = 0  # current advice records of those visits
    legal_aid_total: int = 0  # visits of the log whose advice recommends legal aid


@dataclass(frozen=True)
class Statistics:
    date_from: dt.date
    date_to: dt.date
    per_day: tuple[tuple[dt.date, int], ...]
    by_kind: tuple[Tally, ...]
    by_decision: tuple[Tally, ...]
    by_town: tuple[Tally, ...]
    visits: int
    repeats: int
    collective: int
    collective_people: int
    guided_statutory: int  # first decision leads into a statutory procedure

    @property
    def repeat_rate(self) -> float:
        return self.repeats / self.visits if self.visits else 0.0

    @property
    def guided_share(self) -> float:
        return self.guided_statutory / self.visits if self.visits else 0.0


def _tallies(counter: Counter[str], order: Sequence[str] | None = None) -> tuple[Tally, ...]:
    if order is not None:
        return tuple(Tally(k, counter[k]) for k in order if counter.get(k))
    return tuple(Tally(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _log_row(h: VisitHit, booked: dict[str, str], group_name: str, advice: dict[str, tuple[int, bool]]) -> LogRow:
    kinds = matter_kinds.kinds_by_code()
    labels = matter_kinds.decision_labels()
    k = kinds.get(h.kind)
    return LogRow(
        h.visit_id, to_local(h.received_at), h.window_code, h.query_code,
        "、".join(mask_name(n) for n in h.names),
        "、".join(x for x in (_mask(p.get("id_number"), mask_id) for p in h.people) if x),
        "、".join(x for x in (_mask(p.get("phone"), mask_phone) for p in h.people) if x),
        matter_kinds.CHANNEL_LABELS_ZH.get(h.channel, h.channel), k.label_zh if k else h.kind,
        "；".join(labels.get(d, d) for d in h.decisions), h.decisions[0] if h.decisions else "", h.clerk,
        h.group_size, h.is_collective, h.is_repeat, booked.get(h.visit_id, ""),
        h.status, P.STATE_LABELS_ZH.get(h.status, h.status), h.synced, h.town, group_name,
        *advice.get(h.visit_id, (0, False)),
    )


def session_label(type_: str, day: dt.date, start: str) -> str:
    return f"{SESSION_TYPES_ZH.get(type_, '接访')} {day.month}月{day.day}日 {start}"


def _chunks(ids: Sequence[str], n: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def _current_advice(s: Any, q: Any) -> list[LegalAdvice]:
    """Advice rows not corrected by a later row (advice is append-only)."""
    rows = list(s.scalars(q))
    corrected: set[str] = set()
    for part in _chunks([r.id for r in rows]):
        corrected.update(s.scalars(select(LegalAdvice.corrects_id).where(LegalAdvice.corrects_id.in_(part))))
    return [r for r in rows if r.id not in corrected]


def booked_sessions(s: Any, ids: Sequence[str]) -> dict[str, str]:
    """{visit id: label of its booked session}: its bookings that are not cancelled, in sessions not cancelled,
    on the day of the visit or later; the earliest one (a visit seldom has two)."""
    out: dict[str, str] = {}
    for part in _chunks(ids):
        q = (select(SessionBooking.visit_id, SessionBooking.status, ReceptionSession.type, ReceptionSession.day,
                    ReceptionSession.start_time)
             .join(ReceptionSession, ReceptionSession.id == SessionBooking.session_id)
             .join(Visit, Visit.id == SessionBooking.visit_id)
             .where(SessionBooking.visit_id.in_(part), SessionBooking.status.in_(LIVE_BOOKINGS),
                    ReceptionSession.status != "cancelled", ReceptionSession.day >= Visit.received_on)
             .order_by(ReceptionSession.day, ReceptionSession.start_time))
        for vid, status, type_, day, start in s.execute(q):
            if vid not in out:
                out[vid] = session_label(type_, day, start) + BOOKING_MARKS_ZH.get(status, "")
    return out


def advice_of_visits(s: Any, ids: Sequence[str]) -> dict[str, tuple[int, bool]]:
    """{visit id: (current advice records, legal aid advised)}."""
    out: dict[str, tuple[int, bool]] = {}
    for part in _chunks(ids):
        for a in _current_advice(s, select(LegalAdvice).where(LegalAdvice.visit_id.in_(part))):
            n, aid = out.get(a.visit_id, (0, False))
            out[a.visit_id] = (n + 1, aid or bool(a.legal_aid))
    return out


def sessions_held(s: Any, date_from: dt.date, date_to: dt.date) -> list[SessionHeld]:
    sessions = list(s.scalars(select(ReceptionSession).where(
        ReceptionSession.day >= date_from, ReceptionSession.day <= date_to, ReceptionSession.status != "cancelled")
        .order_by(ReceptionSession.day, ReceptionSession.start_time, ReceptionSession.type)))
    if not sessions:
        return []
    sids = [x.id for x in sessions]
    staff: dict[str, list[StaffPerson]] = {}
    for sid, p in s.execute(select(SessionStaff.session_id, StaffPerson)
                            .join(StaffPerson, StaffPerson.id == SessionStaff.person_id)
                            .where(SessionStaff.session_id.in_(sids), SessionStaff.active.is_(True))):
        staff.setdefault(sid, []).append(p)
    counts: dict[str, Counter[str]] = {}
    for sid, status, n in s.execute(select(SessionBooking.session_id, SessionBooking.status, func.count())
                                    .where(SessionBooking.session_id.in_(sids)).group_by(SessionBooking.session_id,
                                                                                          SessionBooking.status)):
        counts.setdefault(sid, Counter())[status] += n
    advice: dict[str, list[LegalAdvice]] = {}
    for a in _current_advice(s, select(LegalAdvice).where(LegalAdvice.session_id.in_(sids))):
        advice.setdefault(a.session_id or "", []).append(a)
    order = {r: i for i, r in enumerate(STAFF_ROLES_ZH)}
    out = []
    for x in sessions:
        people = sorted(staff.get(x.id, []), key=lambda p: (order.get(p.role, 9), p.organisation, p.name))
        c = counts.get(x.id, Counter())
        adv = advice.get(x.id, [])
        out.append(SessionHeld(
            x.id, x.day, x.start_time, x.end_time, x.type, SESSION_TYPES_LONG_ZH.get(x.type, "接访"),
            "、".join(dict.fromkeys(v for v in (x.town, x.place) if v)) or "信访接待大厅",
            tuple(f"{p.name}（{p.title}）" if p.title else p.name for p in people if p.role == "leader"),
            tuple(f"{STAFF_ROLES_ZH[p.role]} {p.name}" + (f"（{p.organisation}）" if p.organisation else "")
                  for p in people if p.role in ("lawyer", "legal_worker", "mediator")),
            tuple(f"{STAFF_ROLES_ZH['staff']} {p.name}" for p in people
                  if p.role not in ("leader", "lawyer", "legal_worker", "mediator")),
            x.capacity, c["booked"] + c["attended"] + c["no_show"], c["waiting"], c["attended"], c["no_show"],
            len(adv), sum(1 for a in adv if a.legal_aid)))
    return out


def _mask(value: str | None, mask: Any) -> str:
    if not value:
        return ""
    return value if "*" in value else mask(value)


def check_range(date_from: dt.date, date_to: dt.date | None) -> dt.date:
    date_to = date_to or date_from
    if date_to < date_from:
        raise ValidationFailed([FieldProblem("--to", N_("To"), N_("lies before the start of the range"))])
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ValidationFailed([FieldProblem("--to", N_("To"), N_("the range may span at most {n} days"), {"n": MAX_RANGE_DAYS})])
    return date_to


class DailyLogService:
    def __init__(self, db: Database, progress: ProgressService) -> None:
        self.db = db
        self.progress = progress

    def _visit_ids(self, s: Any, date_from: dt.date, date_to: dt.date, window: str | None) -> list[str]:
        q = select(Visit.id).where(Visit.received_on >= date_from, Visit.received_on <= date_to)
        if window:
            q = q.where(Visit.window_code == window)
        return list(s.scalars(q.order_by(Visit.received_at, Visit.query_code)))

    @writes
    def build(self, actor: Actor, date_from: dt.date, date_to: dt.date | None = None, window: str | None = None,
              office: str = "", now: dt.datetime | None = None) -> DailyLog:
        require(self.db, actor, N_("print daily logs and statistics"))
        date_to = check_range(date_from, date_to)
        now = now or utcnow()
        with self.db.transaction() as s:
            refresh_positions(s)
        with self.db.session() as s:
            ids = self._visit_ids(s, date_from, date_to, window)
            hits = rows_for(s, ids, full=False)
            group_names = dict(s.execute(select(Visit.id, Visit.group_name).where(Visit.group_size > 5,
                                         Visit.received_on >= date_from, Visit.received_on <= date_to)).all())
            booked = booked_sessions(s, ids)
            advice = advice_of_visits(s, ids)
            held = sessions_held(s, date_from, date_to)
        office = office or self.progress.office()
        rows = tuple(_log_row(h, booked, group_names.get(h.visit_id, ""), advice) for h in hits)
        as_of = min(date_to, local_today(now))
        duties = self.progress.duties(actor, as_of, window_code=window)
        labels = matter_kinds.decision_labels()
        by_window = _tallies(Counter(r.window_code for r in rows))
        by_kind = _tallies(Counter(r.kind_zh for r in rows))
        by_decision = _tallies(Counter(labels.get(r.first_decision, NO_DECISION) if r.first_decision else NO_DECISION
                                       for r in rows))
        by_town = _tallies(Counter(r.town or NO_TOWN for r in rows))
        with self.db.transaction() as s:
            audit(s, actor, "daily_log.build", "visits", None, date_from=date_from.isoformat(),
                  date_to=date_to.isoformat(), window=window, visits=len(rows))
        return DailyLog(date_from, date_to, window, office, rows, by_window, by_kind, by_decision, by_town,
                        tuple(r for r in rows if r.collective), duties, tuple(held),
                        now, actor.display_name or actor.username, sum(1 for r in rows if r.advice),
                        sum(r.advice for r in rows), sum(1 for r in rows if r.legal_aid))

    @writes
    def render(self, actor: Actor, date_from: dt.date, date_to: dt.date | None = None, window: str | None = None,
               *, pdf: bool = True, xlsx: bool = False) -> tuple[bytes | None, bytes | None, int]:
        """The log as PDF and/or workbook bytes, and how many visits it lists."""
        from xinfang_desk.printing.daily_log import render_pdf, render_xlsx

        log = self.build(actor, date_from, date_to, window)
        return (render_pdf(log) if pdf else None), (render_xlsx(log) if xlsx else None), len(log.rows)

    @reads
    def statistics(self, actor: Actor, date_from: dt.date, date_to: dt.date | None = None,
                   window: str | None = None) -> Statistics:
        require(self.db, actor, N_("print daily logs and statistics"))
        date_to = check_range(date_from, date_to)
        with self.db.session() as s:
            q = select(Visit.received_on, func.count()).where(Visit.received_on >= date_from, Visit.received_on <= date_to)
            if window:
                q = q.where(Visit.window_code == window)
            counts = dict(s.execute(q.group_by(Visit.received_on)).all())
            ids = self._visit_ids(s, date_from, date_to, window)
            hits = rows_for(s, ids, full=False)
        days = []
        d = date_from
        while d <= date_to:
            days.append((d, int(counts.get(d, 0))))
            d += dt.timedelta(days=1)
        kinds = matter_kinds.kinds_by_code()
        labels = matter_kinds.decision_labels()
        return Statistics(
            date_from, date_to, tuple(days),
            _tallies(Counter(kinds[h.kind].label_zh if h.kind in kinds else h.kind for h in hits)),
            _tallies(Counter(labels.get(h.decisions[0], NO_DECISION) if h.decisions else NO_DECISION for h in hits)),
            _tallies(Counter(h.town or NO_TOWN for h in hits)),
            len(hits), sum(1 for h in hits if h.is_repeat), sum(1 for h in hits if h.is_collective),
            sum(h.group_size for h in hits if h.is_collective),
            sum(1 for h in hits if h.decisions and h.decisions[0] in STATUTORY_DECISIONS),
        )


def duty_basis_zh(d: Duty) -> str:
    """《条例》第N条第M款 (the formatting lives in printing, below services; imported when first used)."""
    from xinfang_desk.printing.daily_log import duty_basis_zh as basis

    return basis(d)
