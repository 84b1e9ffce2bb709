"""Windows, this window's settings and password history (the administrator's tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.models import identity as _identity  # noqa: F401  (the tables its foreign keys name)
from xinfang_desk.persistence.models._base import Base, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


class Window(Base):
    __tablename__ = "windows"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


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
