"""The window's audit chain head goes to the centre with every sync (central migration c0005_audit_chain).

`report_head` runs inside the sync's connection after the push. The centre answers with the head it was told
before; if this window's log no longer has that record with that hash (and no purge explains it), or the centre
marks the report as going backwards or rewriting a position, the sync carries a warning and logs it: the local
log was changed below a point the centre had already seen.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from sqlalchemy import select

from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import AuditChainHead, AuditEvent

log = logging.getLogger(__name__)


def local_head(db: Database, window_code: str) -> tuple[int, str] | None:
    with db.session() as s:
        h = s.get(AuditChainHead, window_code)
        return (int(h.seq), h.hash) if h is not None else None


def _local_hash_at(db: Database, window_code: str, seq: int) -> tuple[bool, str | None]:
    """(found, hash) of the record at `seq`; found is True also when a purge removed it legitimately."""
    with db.session() as s:
        h = s.scalar(select(AuditEvent.hash).where(AuditEvent.window_code == window_code, AuditEvent.chain_seq == seq))
        if h is not None:
            return True, h
        first = s.scalar(select(AuditEvent.chain_seq).where(AuditEvent.window_code == window_code,
                                                              AuditEvent.chain_seq.is_not(None))
                         .order_by(AuditEvent.chain_seq).limit(1))
        return (first is not None and seq < first), None


def report_head(db: Database, conn: psycopg.Connection[Any], window_code: str) -> list[str]:
    """Tell the centre this window's head; return warnings (empty when all is well)."""
    head = local_head(db, window_code)
    if head is None:
        return []
    try:
        row = conn.execute("SELECT * FROM central.report_audit_head(%s, %s)", head).fetchone()
        conn.commit()
    except psycopg.errors.UndefinedFunction:
        conn.rollback()
        msg = "the centre does not keep audit chain heads yet: run `xinfang-desk central init` there"
        log.warning("%s", msg)
        return [msg]
    warnings: list[str] = []
    if row is None:
        return warnings
    prev_seq, prev_hash, status = row[0], row[1], row[2]
    if status != "ok":
        warnings.append(f"audit chain {status}: the centre had position {prev_seq}, this window reports {head[0]}")
    if prev_seq is not None and prev_seq <= head[0]:
        found, h = _local_hash_at(db, window_code, int(prev_seq))
        if not found or (h is not None and h != prev_hash):
            warnings.append(f"audit chain differs from the centre at position {prev_seq}: the local log was "
                            "changed after the last sync")
    for w in warnings:
        log.warning("%s", w)
    return warnings


def central_heads(conn: psycopg.Connection[Any]) -> list[tuple[int, str, str]]:
    """Every head this window reported, oldest first: (position, hash, status)."""
    rows = conn.execute("SELECT seq, hash, status FROM central.my_audit_heads()").fetchall()
    conn.commit()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
