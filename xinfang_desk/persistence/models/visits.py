"""Visitors, visits and matters (registration, search)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.fieldcrypt import SealedString, SealedText
from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


class Person(Provenance, Base):
    """A visitor. Reference-like: contact details may be corrected (a new version, sync compares them)."""

    __tablename__ = "people"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200))  # exactly as typed (≤ 50 code points, may be beyond BMP)
    name_key: Mapped[str] = mapped_column(String(200), index=True)  # NFKC + casefold, for prefix search
    name_pinyin: Mapped[str] = mapped_column(String(400), index=True)  # "zhangsan"
    name_initials: Mapped[str] = mapped_column(String(100), index=True)  # "zs"
    id_number: Mapped[str | None] = mapped_column(SealedString(18, searchable=True), index=True)
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column()
    phone: Mapped[str | None] = mapped_column(SealedString(20, searchable=True), index=True)  # E.164
    address: Mapped[str] = mapped_column(SealedText(), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Visit(Provenance, Base):
    """One reception event (来访/来信/来电/网上). Append-only."""

    __tablename__ = "visits"
    id: Mapped[str] = _id()
    query_code: Mapped[str] = mapped_column(String(32), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    received_on: Mapped[dt.date] = mapped_column(index=True)  # local (Asia/Shanghai) date: decides the regulation
    channel: Mapped[str] = mapped_column(String(8))  # visit | letter | phone | online
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    group_name: Mapped[str] = mapped_column(String(200), default="")  # e.g. "某小区业主" for 集体访
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))


class VisitPerson(Base):
    """Who came: the visitor(s); for a collective visit the representatives (at most 5)."""

    __tablename__ = "visit_people"
    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # visitor | representative
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("visit_id", "person_id", name="uq_visit_people_visit_person"),)


class Matter(Provenance, Base):
    __tablename__ = "matters"
    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    summary: Mapped[str] = mapped_column(SealedText(), default="")
    demands: Mapped[str] = mapped_column(SealedText(), default="")
    respondent: Mapped[str] = mapped_column(SealedText(), default="")
    repeat_key: Mapped[str] = mapped_column(String(32), index=True)
    repeat_of_visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    status: Mapped[str] = mapped_column(String(16), default="registered")


class MatterStatusEvent(Provenance, Base):
    """Status changes of a matter are events too (办理中, 已办结 …); the matter row keeps the latest for lists."""

    __tablename__ = "matter_status_events"
    id: Mapped[str] = _id()
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

# Search of past visits (newest first inside a date range; by progress state)
Index("ix_visits_received_on_at", Visit.received_on, Visit.received_at)
Index("ix_matters_status", Matter.status)
