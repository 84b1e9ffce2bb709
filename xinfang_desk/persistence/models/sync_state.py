"""Sync bookkeeping (moved here from sync/local_models.py, which re-exports them: the migrations' metadata must
not import sync). Migration: versions/0002_sync_state.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.models._base import Base
from xinfang_desk.persistence.types import UTCDateTime, utcnow


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
