"""Accounts, settings, the audit trail and its chain, the outbox, command-line sessions: what every service touches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.fieldcrypt import SealedJSON
from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


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


class PasswordHistory(Base):
    """The last password hashes of a user, so that none of the last N is used again. Local only: no outbox
    entry, never synced, never exported."""

    __tablename__ = "password_history"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CliSession(Base):
    """A command-line session (`xinfang-desk --user NAME login`): the command line resumes it without the
    password until `logout`, `idle_minutes` without a command or `expires_at`. Only the SHA-256 of the token is
    kept (the token itself is in a 0600 file of the OS user who logged in). Local only: never synced."""

    __tablename__ = "cli_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # hex SHA-256 of the token
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    window_code: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))  # at log-in: a role changed since ends the session
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    idle_minutes: Mapped[int] = mapped_column(Integer)


class AuditChainHead(Base):
    """The last position and hash of each window's audit chain, moved in the same transaction as the record.
    A truncated log ends before its head. Local only: never in the outbox."""

    __tablename__ = "audit_chain_heads"
    window_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
