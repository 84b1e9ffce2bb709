"""Accounts and command-line sessions: what a log-in and every resumed session need."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import UTCDateTime, utcnow


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
