"""Matter progress (issue 10, the supervisor's desk)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.models import visits as _visits  # noqa: F401  (the tables its foreign keys name)
from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import UTCDateTime, utcnow


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
