"""Every change writes its outbox entry and its audit event in the same transaction: the primitives live in
`persistence.recording` (so that sync, below services, can use them too); every name is re-exported here."""

from __future__ import annotations

from xinfang_desk.persistence.recording import (
    LOCAL_ONLY_COLUMNS,
    audit,
    record_change,
    record_changes,
    require,
    row_payload,
)

__all__ = ["LOCAL_ONLY_COLUMNS", "audit", "record_change", "record_changes", "require", "row_payload"]
