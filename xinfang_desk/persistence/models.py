"""Typed models. Conventions (ARCHITECTURE.md): UUIDv7 text keys made on the window; every row records
the window and operator that made it and a UTC timestamp; events (visits, matters, classifications,
notices) are append-only — a correction is a new row that points to the one it corrects; names are stored
exactly as typed and searched through separate keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.fieldcrypt import SealedJSON, SealedString, SealedText
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Provenance:
    """Who made the row, where and when."""

    window_code: Mapped[str] = mapped_column(String(8))
    operator_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Window(Base):
    __tablename__ = "windows"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Provenance, Base):
    __tablename__ = "users"
    id: Mapped[str] = _id()
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))  # clerk | lawyer | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # identity (0005_identity): first log-in / reset forces a change; age counts from password_changed_at
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    home_window: Mapped[str | None] = mapped_column(String(8))


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


class AuditEvent(Base):
    """Who did or saw what, when, where, and whether it worked. Append-only."""

    __tablename__ = "audit_events"
    id: Mapped[str] = _id()
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    window_code: Mapped[str] = mapped_column(String(8))
    operator_id: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(48), index=True)
    entity: Mapped[str] = mapped_column(String(32), default="")
    entity_id: Mapped[str | None] = mapped_column(String(36))
    success: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    # the hash chain (persistence/audit_chain.py): position in this window's chain, previous and own hash
    chain_seq: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_events_window_chain", "window_code", "chain_seq"),)


class OutboxEntry(Base):
    """Written in the same transaction as every change; the sync consumes it in `seq` order per window."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # local order only
    change_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    window_code: Mapped[str] = mapped_column(String(8))
    operator_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(32))  # table name
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))  # insert | update
    base_version: Mapped[int | None] = mapped_column(Integer)  # for editable rows: the version edited
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "seq"),
                      Index("ix_outbox_entity", "entity", "entity_id"))  # is this row still unsent? (0007_sessions)


class Setting(Base):
    """Local, typed-by-convention key/value settings of this window (no secrets here)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONText)


class Classification(Provenance, Base):
    """The channels proposed for a matter, as the engine gave them, with the rule-set and statute versions
    used, so that a notice printed a year later reproduces exactly. Append-only: a re-classification or an
    override is a new row pointing to the one it corrects."""

    __tablename__ = "classifications"
    id: Mapped[str] = _id()
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    input: Mapped[dict[str, Any]] = mapped_column(JSONText)  # received_on, group_size, kind, facts, today
    result: Mapped[dict[str, Any]] = mapped_column(JSONText)  # the engine's document, as printed
    ruleset_version: Mapped[str] = mapped_column(String(64))
    statute_versions: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    proposed: Mapped[dict[str, Any] | None] = mapped_column(JSONText)  # the engine's proposal when overridden
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("classifications.id"))


class Notice(Provenance, Base):
    """A printed guidance notice (告知书). `content` holds everything the PDF was made from, so a reprint
    (补打) renders the same text from it; `pdf_sha256` fingerprints what was printed."""

    __tablename__ = "notices"
    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    classification_id: Mapped[str] = mapped_column(ForeignKey("classifications.id"), index=True)
    document_number: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(SealedJSON)
    reprint_of_id: Mapped[str | None] = mapped_column(ForeignKey("notices.id"))
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")


class Organ(Base):
    """The district's organ directory (reference data, edited by an admin, flows from the centre)."""

    __tablename__ = "organs"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))


class CalendarYear(Base):
    """Holidays and adjusted working days of one year (State Council schedule), updatable by an admin."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONText)  # {"holidays": [...], "workdays": [...], "source": ...}
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))


# ---- sessions: leader receptions, duty lawyers, town outreach on market days, the lawyer's desk (issue 9) ----
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


# -- identity (issue 11: login rules) ---------------------------------------------------------------------
class PasswordHistory(Base):
    """The last password hashes of a user, so that none of the last N is used again. Local only: no outbox
    entry, never synced, never exported."""

    __tablename__ = "password_history"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# ----------------------------------------------------------------------------------------------------------
# Matter progress (issue 10, the supervisor's desk)
# ----------------------------------------------------------------------------------------------------------
class ProgressEvent(Provenance, Base):
    """One step of a matter's handling (告知, 转送, 交办, 受理, 答复, 复查, 复核, 办结, 不予受理). Append-only and
    synced like visits: the history is the set of these rows, replayed in `occurred_on` order
    (domain/progress.py); a mistaken step is corrected by a new row that points to it (`corrects_id`)."""

    __tablename__ = "progress_events"
    id: Mapped[str] = _id()
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[dt.date] = mapped_column()  # the day of the act (e.g. the reply date), local date
    organ: Mapped[str] = mapped_column(String(200), default="")  # who it went to / who acted
    document: Mapped[str] = mapped_column(String(200), default="")  # document number or title
    note: Mapped[str] = mapped_column(Text, default="")  # reason (不予受理) or remark
    operator_name: Mapped[str] = mapped_column(String(50), default="")  # who recorded it, as shown then
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("progress_events.id"))


class MatterProgress(Base):
    """Local, derived, never synced: where each matter stands after replaying its events, and the office's
    duty that runs (its last day), so that lists, search by state and the duty board stay index look-ups.
    Rebuilt from `progress_events` whenever an event is recorded here or pulled from the centre."""

    __tablename__ = "matter_progress"
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    since: Mapped[dt.date] = mapped_column()
    level: Mapped[int] = mapped_column(Integer, default=0)
    started: Mapped[dt.date | None] = mapped_column()  # when the running period started (after an extension)
    duty: Mapped[str | None] = mapped_column(String(16))
    due_on: Mapped[dt.date | None] = mapped_column(index=True)
    out_of_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# Search of past visits (newest first inside a date range; by progress state)
Index("ix_visits_received_on_at", Visit.received_on, Visit.received_at)
Index("ix_matters_status", Matter.status)
Index("ix_classifications_corrects_id", Classification.corrects_id)  # "the latest classification" = not corrected


# -- tamper-evident audit (issue 11, item 4) -----------------------------------------------------------------
class AuditChainHead(Base):
    """The last position and hash of each window's audit chain, moved in the same transaction as the record.
    A truncated log ends before its head. Local only: never in the outbox."""

    __tablename__ = "audit_chain_heads"
    window_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- sync bookkeeping (moved here from sync/local_models.py, which re-exports them: the migrations' metadata
# must not import sync). Migration: versions/0002_sync_state.py.
class SyncCursor(Base):
    """Per centre (its instance id): how far this window has pulled the central log, and when it last synced.
    Written in the same local transaction as the pulled rows."""

    __tablename__ = "sync_cursor"
    central_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_gseq: Mapped[int] = mapped_column(Integer, default=0)
    last_pull_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_push_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncIssue(Base):
    """What the sync could not simply apply, kept visible until someone resolves it:
    push/quarantined (the centre rejected our change), push/conflict (our edit of an editable row met another
    window's edit), pull/apply_failed (a central change could not be applied locally)."""

    __tablename__ = "sync_issues"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    change_id: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(8))  # push | pull
    kind: Mapped[str] = mapped_column(String(16))  # quarantined | conflict | apply_failed
    entity: Mapped[str] = mapped_column(String(32), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    gseq: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (UniqueConstraint("change_id", "direction", "kind", name="uq_sync_issues_change_dir_kind"),)
