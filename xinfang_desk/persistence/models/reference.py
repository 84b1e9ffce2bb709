"""Reference data: the organ directory and the holiday calendar (edited by an admin, flow from the centre)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.models._base import Base
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


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
