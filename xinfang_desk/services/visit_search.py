"""Search of past visits for the supervisor: by date range, window, kind, channel decision, progress state,
town, repeat, collective, and a visitor's name / ID number / phone; paged and sortable. The rows carry
masked ID numbers and phones (unless the role may see more) and whether each visit has reached the centre.

Fast on 1,000,000 visits: the default order (newest first) walks the index `ix_visits_received_on_at`
backwards inside the date range and stops at the end of the page; every other filter is an index look-up
or an EXISTS on a handful of rows per visit (see bench/bench_supervisor_search.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.orm import aliased

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain import progress as P
from xinfang_desk.domain.errors import FieldProblem, ValidationFailed
from xinfang_desk.domain.phone import looks_like_phone, mask_phone, parse_phone
from xinfang_desk.domain.places import towns
from xinfang_desk.domain.resident_id import looks_like_id, mask_id, normalise_id_query, parse_resident_id
from xinfang_desk.domain.text import search_key
from xinfang_desk.domain.visit_rules import COLLECTIVE_THRESHOLD
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    Classification,
    Matter,
    OutboxEntry,
    Person,
    User,
    Visit,
    VisitPerson,
)
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import VisitRow
from xinfang_desk.services.recording import audit, require

SORTS = ("received_at", "query_code", "window", "kind", "state")
MAX_PAGE = 200
COUNT_CAP = 10_000
# Decisions that guide a matter into a statutory procedure (诉讼/仲裁/复议/纪检监察/政法 …) rather than the
# petition procedure itself (信访工作条例 22(2) last sentence, 28(2), 31(1)–(5)).
STATUTORY_DECISIONS = frozenset({"statutory_channel", "transfer_political_legal", "transfer_discipline"})


@dataclass(frozen=True)
class VisitQuery:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    windows: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    town: str = ""
    repeat: bool | None = None
    collective: bool | None = None
    person: str = ""  # name (prefix, pinyin, initials), ID number or phone
    sort: str = "received_at"
    descending: bool = True
    page: int = 1
    page_size: int = 50
    count: bool = False  # also count the matches (up to COUNT_CAP)


@dataclass(frozen=True)
class VisitHit(VisitRow):
    """A visit as lists show it: a dto.VisitRow (so the visit detail dialog opens from either) with what the
    supervisor's search adds."""

    decisions: tuple[str, ...] = ()
    town: str = ""
    synced: bool = False  # reached the centre (sent and acknowledged, or came from it)
    matter_id: str = ""

    @property
    def is_collective(self) -> bool:
        return self.group_size > COLLECTIVE_THRESHOLD


@dataclass(frozen=True)
class VisitPage:
    rows: tuple[VisitHit, ...]
    page: int
    page_size: int
    has_more: bool
    total: int | None = None  # when counted
    total_capped: bool = False  # the count stopped at COUNT_CAP
    query: VisitQuery = field(default_factory=VisitQuery)


def town_of(address: str) -> str:
    """The district's town or street office (镇街) named in an address, or ''."""
    for t in towns():
        if t.name and t.name in (address or ""):
            return t.name
    return ""


def validate_query(q: VisitQuery) -> VisitQuery:
    problems: list[FieldProblem] = []
    if q.date_from and q.date_to and q.date_from > q.date_to:
        problems.append(FieldProblem("date_to", N_("To"), N_("lies before the start of the range")))
    bad_kinds = [k for k in q.kinds if not matter_kinds.is_kind(k)]
    if bad_kinds:
        problems.append(FieldProblem("kinds", N_("Kind of matter"), N_("unknown kind {kind}"), {"kind": bad_kinds[0]}))
    known = matter_kinds.decision_labels()
    bad_dec = [d for d in q.decisions if d not in known]
    if bad_dec:
        problems.append(FieldProblem("decisions", N_("Channel decision"), N_("unknown decision {decision}"),
                                     {"decision": bad_dec[0]}))
    bad_states = [s for s in q.states if s not in P.STATES]
    if bad_states:
        problems.append(FieldProblem("states", N_("Progress step"), N_("must be one of {states}"),
                                     {"states": ", ".join(P.STATES)}))
    if q.sort not in SORTS:
        problems.append(FieldProblem("sort", N_("Sort"), N_("must be one of {states}"), {"states": ", ".join(SORTS)}))
    if not isinstance(q.page, int) or q.page < 1:
        problems.append(FieldProblem("page", N_("Page"), N_("must be a whole number from 1")))
    if not isinstance(q.page_size, int) or not 1 <= q.page_size <= MAX_PAGE:
        problems.append(FieldProblem("page_size", N_("Page size"), N_("must be between 1 and {max}"), {"max": MAX_PAGE}))
    if any(0xD800 <= ord(c) <= 0xDFFF for c in (q.person or "") + (q.town or "")):
        problems.append(FieldProblem("person", N_("Search"), N_("contains a broken character (lone surrogate)")))
    if problems:
        raise ValidationFailed(problems)
    return q


def _person_condition(text_: str) -> Any:
    t = text_.strip()
    if looks_like_id(t):
        number = normalise_id_query(t)
        try:
            number = parse_resident_id(t).number
        except ValidationFailed:
            pass
        return Person.id_number == number
    if looks_like_phone(t):
        try:
            return Person.phone == parse_phone(t)
        except ValidationFailed:
            pass
    key = search_key(t)
    top = "\U0010ffff"
    conds = [and_(Person.name_key >= key, Person.name_key < key + top)]
    if key.isascii() and key.isalpha():
        conds += [and_(Person.name_pinyin >= key, Person.name_pinyin < key + top),
                  and_(Person.name_initials >= key, Person.name_initials < key + top)]
    return or_(*conds)


def latest_classification_filter(c: Any) -> Any:
    c2 = aliased(Classification)
    return ~exists().where(c2.corrects_id == c.id)


class VisitSearchService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @writes
    def search(self, actor: Actor, q: VisitQuery) -> VisitPage:
        require(self.db, actor, N_("view visits"))
        q = validate_query(q)
        stmt = self._statement(q)
        order = self._order(q)
        from xinfang_desk.services.progress_mark import positions_stale

        with self.db.session() as s:
            stale = positions_stale(s)
        if stale:  # a step pulled from the centre changes the state a filter looks at
            from xinfang_desk.services.progress import refresh_positions

            with self.db.transaction() as s:
                refresh_positions(s)
        with self.db.session() as s:
            off = (q.page - 1) * q.page_size
            page_rows = s.execute(stmt.with_only_columns(*VISIT_COLS, *MATTER_COLS).order_by(*order)
                                  .limit(q.page_size + 1).offset(off)).all()
            has_more = len(page_rows) > q.page_size
            page_rows = page_rows[:q.page_size]
            ids = [r.id for r in page_rows]
            total = capped = None
            if q.count:
                n = s.execute(select(func.count()).select_from(
                    stmt.with_only_columns(Visit.id).limit(COUNT_CAP + 1).subquery())).scalar_one()
                total, capped = min(n, COUNT_CAP), n > COUNT_CAP
            rows = rows_for(s, ids, full=actor.may(N_("view unmasked ID numbers and phones")),
                            prefetched={r.id: r for r in page_rows})
        with self.db.transaction() as s:
            audit(s, actor, "visits.search", "visits", None, page=q.page, hits=len(rows),
                  filters=_filters_for_audit(q))
        return VisitPage(tuple(rows), q.page, q.page_size, has_more, total, bool(capped), q)

    @staticmethod
    def _statement(q: VisitQuery) -> Any:
        stmt = select(Visit.id).join(Matter, Matter.visit_id == Visit.id)
        if q.date_from:
            stmt = stmt.where(Visit.received_on >= q.date_from)
        if q.date_to:
            stmt = stmt.where(Visit.received_on <= q.date_to)
        if q.windows:
            stmt = stmt.where(Visit.window_code.in_(q.windows))
        if q.kinds:
            stmt = stmt.where(Matter.kind.in_(q.kinds))
        if q.states:
            stmt = stmt.where(Matter.status.in_(q.states))
        if q.repeat is not None:
            stmt = stmt.where(Matter.repeat_of_visit_id.is_not(None) if q.repeat else Matter.repeat_of_visit_id.is_(None))
        if q.collective is not None:
            stmt = stmt.where(Visit.group_size > COLLECTIVE_THRESHOLD if q.collective else Visit.group_size <= COLLECTIVE_THRESHOLD)
        if q.person.strip() or q.town.strip():
            conds = []
            if q.person.strip():
                conds.append(_person_condition(q.person))
            if q.town.strip():
                conds.append(Person.address.contains(q.town.strip(), autoescape=True))
            stmt = stmt.where(exists().where(VisitPerson.visit_id == Visit.id, Person.id == VisitPerson.person_id, *conds))
        if q.decisions:
            c = aliased(Classification, name="cls_f")
            placeholders = ", ".join(f"'{d}'" for d in q.decisions)  # validated against the decision list
            stmt = stmt.where(exists().where(
                c.visit_id == Visit.id, latest_classification_filter(c),
                text("EXISTS (SELECT 1 FROM json_each(cls_f.result, '$.channels') j "
                     f"WHERE json_extract(j.value, '$.decision') IN ({placeholders}))")))
        return stmt

    @staticmethod
    def _order(q: VisitQuery) -> list[Any]:
        if q.sort == "received_at":
            cols = [Visit.received_on, Visit.received_at, Visit.id]
        elif q.sort == "query_code":
            cols = [Visit.query_code]
        elif q.sort == "window":
            cols = [Visit.window_code, Visit.received_at, Visit.id]
        elif q.sort == "kind":
            cols = [Matter.kind, Visit.received_at, Visit.id]
        else:
            cols = [Matter.status, Visit.received_at, Visit.id]
        return [c.desc() if q.descending else c.asc() for c in cols]

    @reads
    def visit(self, actor: Actor, visit_id: str) -> VisitHit:
        """One visit as the lists show it (to open its detail from the duty board)."""
        from xinfang_desk.domain.errors import NotFound

        require(self.db, actor, N_("view visits"))
        with self.db.session() as s:
            rows = rows_for(s, [visit_id], full=actor.may(N_("view unmasked ID numbers and phones")))
        if not rows:
            raise NotFound(visit_id)
        return rows[0]

    @writes
    def export_csv(self, actor: Actor, q: VisitQuery) -> bytes:
        return hits_to_csv(self.all_rows(actor, q))

    @writes
    def all_rows(self, actor: Actor, q: VisitQuery, limit: int = 100_000) -> list[VisitHit]:
        """Every match (for the CSV export), in the query's order, at most `limit`."""
        require(self.db, actor, N_("view visits"))
        q = validate_query(q)
        with self.db.session() as s:
            ids = [r[0] for r in s.execute(self._statement(q).with_only_columns(Visit.id).order_by(*self._order(q)).limit(limit))]
            rows = rows_for(s, ids, full=False)
        with self.db.transaction() as s:
            audit(s, actor, "visits.export", "visits", None, hits=len(rows), filters=_filters_for_audit(q))
        return rows


def _filters_for_audit(q: VisitQuery) -> dict[str, Any]:
    d = {k: v for k, v in q.__dict__.items() if v not in (None, "", (), False)}
    if "person" in d:
        d["person"] = "(given)"  # the search text may be an ID number: not copied into the audit trail
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in d.items()}


def unsynced_visit_ids(s: Any, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(ids), 500):
        out.update(s.scalars(select(OutboxEntry.entity_id).where(
            OutboxEntry.sent_at.is_(None), OutboxEntry.entity == "visits", OutboxEntry.entity_id.in_(ids[i:i + 500]))))
    return out


def decisions_for(s: Any, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The channel decisions of each visit's latest classification."""
    out: dict[str, list[str]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        chunk = list(ids[i:i + 500])
        marks = ", ".join(f":v{k}" for k in range(len(chunk)))
        rows = s.execute(text(
            "SELECT c.visit_id, json_extract(j.value, '$.decision') FROM classifications c, json_each(c.result, '$.channels') j "
            f"WHERE c.visit_id IN ({marks}) AND NOT EXISTS (SELECT 1 FROM classifications c2 WHERE c2.corrects_id = c.id) "
            "ORDER BY c.visit_id, c.created_at, j.key"), {f"v{k}": v for k, v in enumerate(chunk)})
        for vid, dec in rows:
            if dec and dec not in out[vid]:
                out[vid].append(dec)
    return {k: tuple(v) for k, v in out.items()}


VISIT_COLS = (Visit.id, Visit.query_code, Visit.received_at, Visit.received_on, Visit.window_code, Visit.channel,
              Visit.group_size, Visit.operator_id)
MATTER_COLS = (Matter.id.label("matter_id"), Matter.kind, Matter.status, Matter.repeat_of_visit_id)


def rows_for(s: Any, ids: Sequence[str], *, full: bool, prefetched: dict[str, Any] | None = None) -> list[VisitHit]:
    """The list rows of these visits, in the order given (plain column tuples: no ORM objects to build).
    `prefetched`: visit and matter columns (VISIT_COLS + MATTER_COLS) the caller's query already read."""
    if not ids:
        return []
    visits: dict[str, Any] = dict(prefetched or {})
    matters: dict[str, Any] = dict(prefetched or {})
    people: dict[str, list[Any]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        chunk = list(ids[i:i + 500])
        if prefetched is None:
            for v in s.execute(select(*VISIT_COLS, *MATTER_COLS).join(Matter, Matter.visit_id == Visit.id)
                               .where(Visit.id.in_(chunk)).order_by(Matter.created_at.desc())):
                visits[v.id] = matters[v.id] = v  # the first matter of the visit wins (written last)
        for p in s.execute(select(VisitPerson.visit_id, VisitPerson.role, Person.id, Person.name, Person.id_number,
                                  Person.phone, Person.address)
                           .join(Person, Person.id == VisitPerson.person_id)
                           .where(VisitPerson.visit_id.in_(chunk)).order_by(VisitPerson.position)):
            people[p.visit_id].append(p)
    op_ids = {v.operator_id for v in visits.values() if v.operator_id}
    clerks = dict(s.execute(select(User.id, User.display_name).where(User.id.in_(op_ids))).all()) if op_ids else {}
    unsynced = unsynced_visit_ids(s, ids)
    decisions = decisions_for(s, ids)
    kinds = matter_kinds.kinds_by_code()
    out = []
    for vid in ids:
        v = visits.get(vid)
        if v is None:
            continue
        m = matters.get(vid)
        kind = kinds.get(m.kind) if m else None
        plist = tuple(
            {"person_id": p.id, "name": p.name, "role": p.role,
             "id_number": p.id_number if full else mask_id(p.id_number),
             "phone": p.phone if full else mask_phone(p.phone)}
            for p in people.get(vid, [])
        )
        town = next((t for t in (town_of(p.address) for p in people.get(vid, [])) if t), "")
        out.append(VisitHit(
            v.id, v.query_code, v.received_at, v.received_on, v.window_code, v.channel, v.group_size,
            tuple(d["name"] for d in plist), plist, m.kind if m else "", kind.label() if kind else "",
            clerks.get(v.operator_id or "", ""), m.status if m else "", bool(m and m.repeat_of_visit_id),
            decisions.get(vid, ()), town, vid not in unsynced, m.matter_id if m else "",
        ))
    return out


# -- CSV --------------------------------------------------------------------------------------------------
CSV_HEADER = ("查询码", "登记时间", "窗口", "来访方式", "来访人", "身份证号", "电话", "人数", "事项类别", "处理途径",
              "办理状态", "重复访", "集体访", "镇街", "接待人员", "已同步至中心")


def hits_to_csv(rows: Iterable[VisitHit]) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF line ends; masked numbers only."""
    from xinfang_desk.services.context import to_local

    labels = matter_kinds.decision_labels()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for r in rows:
        w.writerow([
            r.query_code, to_local(r.received_at).strftime("%Y-%m-%d %H:%M"), r.window_code,
            matter_kinds.CHANNEL_LABELS_ZH.get(r.channel, r.channel),
            "、".join(r.names), "、".join(_masked(p.get("id_number"), mask_id) for p in r.people),
            "、".join(_masked(p.get("phone"), mask_phone) for p in r.people),
            r.group_size, (k.label_zh if (k := matter_kinds.kinds_by_code().get(r.kind)) is not None else r.kind),
            "；".join(labels.get(d, d) for d in r.decisions), P.STATE_LABELS_ZH.get(r.status, r.status),
            "是" if r.is_repeat else "否", "是" if r.is_collective else "否", r.town, r.clerk, "是" if r.synced else "否",
        ])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _masked(value: str | None, mask: Any) -> str:
    """A number for export: masked whatever the caller's role (a masked value stays as it is)."""
    if not value:
        return ""
    return value if "*" in value else mask(value)


def hit_json(r: VisitHit) -> dict[str, Any]:
    from xinfang_desk.services.context import to_local

    return {
        "visit_id": r.visit_id, "query_code": r.query_code,
        "received_at": to_local(r.received_at).isoformat(timespec="seconds"), "received_on": r.received_on.isoformat(),
        "window": r.window_code, "channel": r.channel, "group_size": r.group_size, "collective": r.is_collective,
        "people": [dict(p) for p in r.people], "matter": {"kind": r.kind, "label": r.kind_label, "state": r.status},
        "decisions": list(r.decisions), "repeat": r.is_repeat, "town": r.town, "clerk": r.clerk, "synced": r.synced,
    }


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)
