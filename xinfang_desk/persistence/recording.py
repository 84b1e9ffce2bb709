"""Every change writes its outbox entry and its audit event in the same transaction.

The audit record is chained (persistence/audit_chain.py) inside that transaction: if the audit write fails for
any reason the whole transaction rolls back, so the operation it records does not happen either.

These primitives live in `persistence` (below sync and services) so that the sync engine can record its own
audit events without importing services; `services.recording` re-exports every name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.domain.identity import Actor, SessionInvalid, internal_actor, may_record
from xinfang_desk.persistence.access import permitted_write
from xinfang_desk.persistence.audit_chain import chain
from xinfang_desk.persistence.models import AuditEvent, OutboxEntry
from xinfang_desk.persistence.models._base import Base
from xinfang_desk.persistence.types import utcnow

# Columns of `users` that never leave the window (outbox, export files, the centre): secrets and lock state.
LOCAL_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "users": frozenset({"password_hash", "failed_logins", "locked_until"}),
}


def row_payload(obj: Base) -> dict[str, Any]:
    """A JSON-able snapshot of the row's columns (dates as ISO text)."""
    out: dict[str, Any] = {}
    hidden = LOCAL_ONLY_COLUMNS.get(getattr(obj, "__tablename__", ""), frozenset())
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in hidden:
            continue
        v = getattr(obj, attr.key)
        if isinstance(v, dt.datetime):
            v = v.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif isinstance(v, dt.date):
            v = v.isoformat()
        out[attr.key] = v
    return out


def record_change(s: Session, actor: Actor, obj: Base, op: str = "insert", base_version: int | None = None) -> None:
    may_record(actor)  # only a live session (or an internal actor before any log-in) writes
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


def _first_key(obj: Base) -> str:
    pk = inspect(obj).identity  # set by the flush
    if pk is None:
        raise ValueError(f"{obj!r} has no primary key after the flush")
    return str(pk[0])


def record_changes(s: Session, actor: Actor, objs: list[Base]) -> None:
    """Insert many new rows with one flush, then their outbox entries in the given order (parents first)."""
    may_record(actor)
    s.add_all(objs)
    s.flush()
    s.add_all([OutboxEntry(window_code=actor.window_code, operator_id=actor.user_id, entity=o.__tablename__,
                           entity_id=_first_key(o), op="insert", payload=row_payload(o)) for o in objs])


def audit(
    s: Session,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: str | None = None,
    success: bool = True,
    **detail: Any,
) -> AuditEvent:
    may_record(actor)
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
    """Check the session, then the permission; a refusal is itself audited (who tried what, where) before it
    is raised. Every service checks here, so a new service gets the session check for free: an actor that
    the log-in did not issue (hand-made, copied with another role, expired, logged out) is refused."""
    try:
        actor.require(action)
        return
    except SessionInvalid as e:
        claimed = getattr(actor, "username", "") or ""
        window = getattr(actor, "window_code", "") or ""
        with permitted_write("the audit of a refused session"), db.transaction() as s:
            audit(s, internal_actor(str(window)[:8], str(claimed)), "session.refused", success=False,
                  permission=action, claimed_role=str(getattr(actor, "role", "") or ""), why=e.why)
        raise
    except PermissionDenied:
        pass
    with permitted_write("the audit of a refused permission"), db.transaction() as s:  # also in a read method
        audit(s, actor, "permission.denied", success=False, permission=action)
    raise PermissionDenied(action, actor.role)
