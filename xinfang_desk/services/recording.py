"""Every change writes its outbox entry and its audit event in the same transaction.

The audit record is chained (persistence/audit_chain.py) inside that transaction: if the audit write fails for
any reason the whole transaction rolls back, so the operation it records does not happen either."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.persistence.audit_chain import chain
from xinfang_desk.persistence.models import AuditEvent, Base, OutboxEntry
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.context import Actor


def row_payload(obj: Base) -> dict[str, Any]:
    """A JSON-able snapshot of the row's columns (dates as ISO text)."""
    out: dict[str, Any] = {}
    for attr in inspect(obj).mapper.column_attrs:
        v = getattr(obj, attr.key)
        if isinstance(v, dt.datetime):
            v = v.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif isinstance(v, dt.date):
            v = v.isoformat()
        out[attr.key] = v
    return out


def record_change(s: Session, actor: Actor, obj: Base, op: str = "insert", base_version: int | None = None) -> None:
    s.flush()
    pk = inspect(obj).identity
    s.add(
        OutboxEntry(
            window_code=actor.window_code,
            operator_id=actor.user_id,
            entity=obj.__tablename__,
            entity_id=str(pk[0] if pk and len(pk) == 1 else pk),
            op=op,
            base_version=base_version,
            payload=row_payload(obj),
        )
    )


def audit(
    s: Session,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: str | None = None,
    success: bool = True,
    **detail: Any,
) -> AuditEvent:
    ev = AuditEvent(
        at=utcnow(),
        window_code=actor.window_code,
        operator_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        success=success,
        detail=detail,
    )
    chain(s, ev)
    s.add(ev)
    record_change(s, actor, ev)
    return ev


def require(db: Any, actor: Actor, action: str) -> None:
    """Check a permission; a refusal is itself audited (who tried what, where) before it is raised."""
    if actor.may(action):
        return
    with db.transaction() as s:
        audit(s, actor, "permission.denied", success=False, permission=action)
    raise PermissionDenied(action, actor.role)
