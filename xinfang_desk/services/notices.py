"""Guidance notices (告知书): printed from the stored classification; a reprint (补打) renders the stored
content again, marked as such, so a notice reprinted a year later says exactly what the first one said."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any, cast

from sqlalchemy import func, select

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import NotFound, fail
from xinfang_desk.domain.phone import mask_phone
from xinfang_desk.domain.resident_id import mask_id
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import (
    Classification,
    Matter,
    Notice,
    Organ,
    Person,
    Setting,
    User,
    Visit,
    VisitPerson,
)
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, to_local
from xinfang_desk.services.recording import audit, record_change, require

DEFAULT_OFFICE = "区人民政府信访局"
COPIES = ("visitor", "stub", "both")


@dataclasses.dataclass(frozen=True)
class PrintedNotice:
    notice_id: str
    visit_id: str
    query_code: str
    document_number: str
    reprint: bool
    pdf: bytes
    pdf_sha256: str
    unconfirmed_organs: tuple[str, ...] = ()  # names printed without address and phone (not yet confirmed)


def _content_to_data(content: dict[str, Any]) -> Any:
    from xinfang_desk.printing.notice import NoticeData, NoticeVisitor, OrganInfo

    c = dict(content)
    c["received_at"] = dt.datetime.fromisoformat(c["received_at"])
    c["printed_at"] = dt.datetime.fromisoformat(c["printed_at"])
    c["issued_on"] = dt.date.fromisoformat(c["issued_on"]) if c.get("issued_on") else None
    c["visitors"] = tuple(NoticeVisitor(**v) for v in c["visitors"])
    c["organs"] = {k: OrganInfo(**v) for k, v in c["organs"].items()}  # older content: confirmed (printed) by default
    return NoticeData(**c)


def _data_to_content(data: Any) -> dict[str, Any]:
    d = dataclasses.asdict(data)
    d["received_at"] = data.received_at.isoformat()
    d["printed_at"] = data.printed_at.isoformat()
    d["issued_on"] = data.issued_on.isoformat() if data.issued_on else None
    d["visitors"] = [dataclasses.asdict(v) for v in data.visitors]
    d["organs"] = {k: dataclasses.asdict(v) for k, v in data.organs.items()}
    d["classification"] = dict(data.classification)
    return d


class NoticeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _find_visit(self, s: Any, ref: str) -> Visit:
        visit = s.scalar(select(Visit).where((Visit.query_code == ref.strip().upper()) | (Visit.id == ref.strip())))
        if visit is None:
            raise fail("query_code", N_("Query code"), N_("no visit with this query code"))
        return visit

    @writes
    def print_notice(self, actor: Actor, ref: str, copy: str = "both", now: dt.datetime | None = None) -> PrintedNotice:
        """The first print for the visit's latest classification, or a reprint (补打) of what was printed."""
        from xinfang_desk.printing.notice import Copy, render_notice

        require(self.db, actor, N_("print notices"))
        if copy not in COPIES:
            raise fail("copy", N_("Copy"), N_("must be visitor, stub or both"))
        now = now or utcnow()
        with self.db.session() as s:
            visit = self._find_visit(s, ref)
            cls = s.scalar(select(Classification).where(Classification.visit_id == visit.id)
                           .order_by(Classification.created_at.desc(), Classification.id.desc()).limit(1))
            if cls is None:
                raise NotFound(visit.query_code)
            first = s.scalar(select(Notice).where(Notice.classification_id == cls.id, Notice.reprint_of_id.is_(None))
                             .order_by(Notice.printed_at).limit(1))
            if first is not None:
                data = _content_to_data(first.content)
                data = dataclasses.replace(data, reprint=True, printed_at=now)
                reprint_of, doc_no = first.id, first.document_number
            else:
                data = self._compose(s, actor, visit, cls, now)
                reprint_of, doc_no = None, data.document_number
        notice_id = _new_id()
        data = dataclasses.replace(data, document_id=notice_id)
        with self.db.transaction() as s:  # a glyph no font has (MissingGlyph) rolls everything back
            if reprint_of is None:  # the document number is taken inside the write lock
                doc_no = self._next_document_number(s, actor.window_code, now)
                data = dataclasses.replace(data, document_number=doc_no)
            pdf = render_notice(data, cast(Copy, copy))  # one of COPIES, checked above
            digest = hashlib.sha256(pdf).hexdigest()
            n = Notice(id=notice_id, visit_id=visit.id, classification_id=cls.id, document_number=doc_no,
                       template=str(data.template_version), content=_data_to_content(dataclasses.replace(data, reprint=False)),
                       reprint_of_id=reprint_of, printed_at=now, pdf_sha256=digest,
                       window_code=actor.window_code, operator_id=actor.user_id, created_at=now)
            s.add(n)
            record_change(s, actor, n)
            audit(s, actor, "notice.reprint" if reprint_of else "notice.print", "notices", n.id,
                  visit_id=visit.id, document_number=doc_no, copy=copy)
            if reprint_of is None:  # the written notice to the visitor: progress step 已告知 (issue 10)
                from xinfang_desk.services.progress import notice_given

                notice_given(s, actor, visit, doc_no, data.issuing_office, now)
        unconfirmed = tuple(sorted({o.name for o in data.organs.values() if not o.confirmed}))
        return PrintedNotice(notice_id, visit.id, visit.query_code, doc_no, reprint_of is not None, pdf, digest,
                             unconfirmed)

    @reads
    def history(self, actor: Actor, visit_id: str) -> list[dict[str, Any]]:
        require(self.db, actor, N_("view visits"))
        with self.db.session() as s:
            return [{"id": n.id, "document_number": n.document_number, "printed_at": n.printed_at,
                     "reprint": n.reprint_of_id is not None}
                    for n in s.scalars(select(Notice).where(Notice.visit_id == visit_id).order_by(Notice.printed_at))]

    @staticmethod
    def _next_document_number(s: Any, window: str, now: dt.datetime) -> str:
        year = to_local(now).year
        prefix = f"〔{year}〕{window}-告字第"
        n = s.scalar(select(func.count()).select_from(Notice).where(
            Notice.document_number.startswith(prefix, autoescape=True), Notice.reprint_of_id.is_(None))) or 0
        return f"{prefix}{n + 1:04d}号"

    def _compose(self, s: Any, actor: Actor, visit: Visit, cls: Classification, now: dt.datetime) -> Any:
        from xinfang_desk.printing.notice import NoticeData, NoticeVisitor, OrganInfo
        from xinfang_desk.statutes.catalogue import default_catalogue

        matter = s.scalar(select(Matter).where(Matter.visit_id == visit.id).limit(1))
        people = s.execute(select(VisitPerson, Person).join(Person, Person.id == VisitPerson.person_id)
                           .where(VisitPerson.visit_id == visit.id).order_by(VisitPerson.position)).all()
        result = cls.result
        keys = {str(ch.get("organ")) for ch in result.get("channels", []) if ch.get("organ")}
        organs: dict[str, OrganInfo] = {}
        for key in sorted(keys):
            o = s.get(Organ, key)
            if o is not None:
                organs[key] = OrganInfo(o.name, o.address, o.phone, o.hours, bool(o.confirmed))
            else:  # an organ outside the directory (e.g. typed in an override): its name only
                ch = next(c for c in result["channels"] if c.get("organ") == key)
                organs[key] = OrganInfo(ch.get("organ_name") or key, "", "", "", False)
        cat = default_catalogue()
        titles = {}
        for ch in result.get("channels", []):
            cited = list(ch.get("citations", [])) + [d["basis"] for d in ch.get("deadlines", []) if d.get("basis")]
            cited += [c for n in ch.get("notes", []) for c in n.get("citations", [])]
            for c in cited:
                try:
                    titles[c["instrument"]] = cat.instrument(c["instrument"]).full_title or c["instrument"]
                except Exception:  # noqa: BLE001 — an instrument outside the catalogue keeps its key as title
                    titles[c["instrument"]] = c["instrument"]
        office = s.get(Setting, "issuing_office")
        seal = s.get(Setting, "seal_text")
        operator = s.get(User, visit.operator_id) if visit.operator_id else None
        kind = matter_kinds.kinds_by_code().get(matter.kind) if matter else None
        return NoticeData(
            query_code=visit.query_code, document_number="", received_at=visit.received_at, window=visit.window_code,
            operator=operator.display_name if operator else actor.display_name,
            visitors=tuple(NoticeVisitor(p.name, mask_id(p.id_number), mask_phone(p.phone)) for _vp, p in people),
            matter_kind_label=kind.label_zh if kind else (matter.kind if matter else ""),
            matter_summary=matter.summary if matter else "", classification=result, organs=organs,
            issuing_office=str(office.value) if office else DEFAULT_OFFICE, printed_at=now, reprint=False,
            rule_set_version=cls.ruleset_version,
            statute_version=str(result.get("catalogue_digest", ""))[:12],
            issued_on=to_local(now).date(), instrument_titles=titles,  # dated the day it is issued
            seal_text=str(seal.value) if seal and seal.value else "印章处",
        )


def _new_id() -> str:
    from xinfang_desk.domain.ids import new_id

    return new_id()
