"""The audit trail, its hash chain heads and the outbox: what every recorded change or audited read writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.fieldcrypt import SealedJSON
from xinfang_desk.persistence.models._base import Base, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


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


class AuditChainHead(Base):
    """The last position and hash of each window's audit chain, moved in the same transaction as the record.
    A truncated log ends before its head. Local only: never in the outbox."""

    __tablename__ = "audit_chain_heads"
    window_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
