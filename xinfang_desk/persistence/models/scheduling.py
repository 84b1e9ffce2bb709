"""Sessions: leader receptions, duty lawyers, town outreach on market days, the lawyer's desk (issue 9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.models import identity as _identity  # noqa: F401  (the tables its foreign keys name)
from xinfang_desk.persistence.models import visits as _visits  # noqa: F401  (the tables its foreign keys name)
from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


class StaffPerson(Provenance, Base):
    """Someone who serves in sessions: a leader (title), lawyer, legal-service worker, mediator (firm or
    organisation, specialties by matter kind) or staff. Reference-like (edited by an admin, versioned)."""

    __tablename__ = "staff_people"
    id: Mapped[str] = _id()
    key: Mapped[str] = mapped_column(String(64), unique=True)  # the plan file's key, stable across re-runs
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # leader | lawyer | legal_worker | mediator | staff
    title: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")  # firm (律师事务所) or organisation
    specialties: Mapped[list[str]] = mapped_column(JSONText, default=list)  # matter kinds
    phone: Mapped[str] = mapped_column(String(20), default="")
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)  # a lawyer's log-in
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffUnavailability(Provenance, Base):
    """Leave or other unavailability of a person, both days included."""

    __tablename__ = "staff_unavailability"
    id: Mapped[str] = _id()
    person_id: Mapped[str] = mapped_column(ForeignKey("staff_people.id"), index=True)
    from_day: Mapped[dt.date] = mapped_column()
    to_day: Mapped[dt.date] = mapped_column()
    reason: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false: withdrawn by an admin (0012_staff)
    version: Mapped[int] = mapped_column(Integer, default=1)


class StaffConflict(Provenance, Base):
    """A declared conflict of interest: a party's name, an ID number or an organisation (any one of them)."""

    __tablename__ = "staff_conflicts"
    id: Mapped[str] = _id()
    person_id: Mapped[str] = mapped_column(ForeignKey("staff_people.id"), index=True)
    party_name: Mapped[str] = mapped_column(String(200), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false: withdrawn by an admin (0012_staff)
    version: Mapped[int] = mapped_column(Integer, default=1)


class SessionPlan(Provenance, Base):
    """A recurrence that made sessions: weekly on weekdays, or on a town's market days, between two dates."""

    __tablename__ = "session_plans"
    id: Mapped[str] = _id()
    key: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(20))  # leader_reception | lawyer_duty | outreach
    place: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    spec: Mapped[dict[str, Any]] = mapped_column(JSONText)  # the plan as given (weekdays/market days, people, …)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReceptionSession(Provenance, Base):
    """One session on one day: a leader's reception, a duty lawyer's turn at the hall, or an outreach visit."""

    __tablename__ = "reception_sessions"
    id: Mapped[str] = _id()
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("session_plans.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    day: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[str] = mapped_column(String(5))  # "09:00", local time
    end_time: Mapped[str] = mapped_column(String(5))
    place: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="", index=True)
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # scheduled | cancelled
    moved_from: Mapped[dt.date | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("plan_id", "day", name="uq_reception_sessions_plan_day"),)


class SessionStaff(Provenance, Base):
    """A person serving in a session. Versioned: removal sets `active` false (the row stays for the record)."""

    __tablename__ = "session_staff"
    id: Mapped[str] = _id()
    session_id: Mapped[str] = mapped_column(ForeignKey("reception_sessions.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("staff_people.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_session_staff_session_person"),)


class SessionBooking(Provenance, Base):
    """A visit booked into a session. status: booked | waiting | cancelled | attended | no_show. A booking made
    at a window is provisional until the centre has accepted it (see services.scheduling)."""

    __tablename__ = "session_bookings"
    id: Mapped[str] = _id()
    session_id: Mapped[str] = mapped_column(ForeignKey("reception_sessions.id"), index=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # order of the waiting list
    rescheduled_to_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LegalAdvice(Provenance, Base):
    """法律意见 given to a visitor. Append-only: an edit is a new row correcting the previous one."""

    __tablename__ = "legal_advice"
    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("reception_sessions.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("staff_people.id"))  # the lawyer who gave it
    advice: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(64), default="")  # the statutory channel recommended (engine key)
    legal_aid: Mapped[bool] = mapped_column(Boolean, default=False)  # legal aid advised (法律援助法)
    referral_printed: Mapped[bool] = mapped_column(Boolean, default=False)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("legal_advice.id"))
