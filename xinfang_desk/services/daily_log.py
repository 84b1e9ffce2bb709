"""The daily log (接待日志) of a day or a range: every visit once, totals by window, kind, channel decision
and town, the collective visits, the office's own duties overdue and due within 3 days; and the statistics
the supervisor's page charts. Plain frozen data; printing/daily_log.py lays it out as PDF and workbook.

Each visit is counted once in every breakdown: by the first channel decision of its latest classification
(the one the notice leads with), by the town named in its first visitor's address ('' when none)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
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
from xinfang_desk.persistence.models import Visit
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.context import Actor, local_today, to_local
from xinfang_desk.services.progress import Duty, DutyBoard, ProgressService, refresh_positions
from xinfang_desk.services.recording import audit, require
from xinfang_desk.services.visit_search import STATUTORY_DECISIONS, VisitHit, rows_for

MAX_RANGE_DAYS = 366
NO_TOWN = "（未注明镇街）"
NO_DECISION = "（未分类）"

# Booked leader sessions (领导接访场次) come from the scheduling module, which another part of the product
# builds. Until it registers here, the log prints its column and section with a clear placeholder.
# A provider takes (session, visit ids) and returns {visit_id: "11月27日上午 张区长"}; a second one returns the
# sessions held in the range as (label, participants, lawyers' advice count).
BookedSessionsProvider = Callable[[Any, Sequence[str]], dict[str, str]]
SessionsHeldProvider = Callable[[Any, dt.date, dt.date, str | None], list[tuple[str, str, int]]]
booked_sessions_provider: BookedSessionsProvider | None = None
sessions_held_provider: SessionsHeldProvider | None = None
SESSIONS_PLACEHOLDER = "（排期模块未接入）"


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
    booked_session: str | None  # None: the scheduling module is not connected
    state: str
    state_zh: str
    synced: bool
    town: str
    group_name: str = ""


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
    sessions_held: tuple[tuple[str, str, int], ...] | None  # None: not connected
    generated_at: dt.datetime
    generated_by: str
    sessions_connected: bool


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


def _log_row(h: VisitHit, booked: dict[str, str] | None, group_name: str) -> LogRow:
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
        h.group_size, h.is_collective, h.is_repeat, None if booked is None else booked.get(h.visit_id, ""),
        h.status, P.STATE_LABELS_ZH.get(h.status, h.status), h.synced, h.town, group_name,
    )


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
            booked = booked_sessions_provider(s, ids) if booked_sessions_provider else None
            held = sessions_held_provider(s, date_from, date_to, window) if sessions_held_provider else None
        office = office or self.progress.office()
        rows = tuple(_log_row(h, booked, group_names.get(h.visit_id, "")) for h in hits)
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
                        tuple(r for r in rows if r.collective), duties, None if held is None else tuple(held),
                        now, actor.display_name or actor.username, booked_sessions_provider is not None)

    def render(self, actor: Actor, date_from: dt.date, date_to: dt.date | None = None, window: str | None = None,
               *, pdf: bool = True, xlsx: bool = False) -> tuple[bytes | None, bytes | None, int]:
        """The log as PDF and/or workbook bytes, and how many visits it lists."""
        from xinfang_desk.printing.daily_log import render_pdf, render_xlsx

        log = self.build(actor, date_from, date_to, window)
        return (render_pdf(log) if pdf else None), (render_xlsx(log) if xlsx else None), len(log.rows)

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
    from xinfang_desk.printing.document import cn_number

    para = f"第{cn_number(d.paragraph)}款" if d.paragraph else ""
    return f"《{d.instrument}》第{cn_number(d.article)}条{para}"
