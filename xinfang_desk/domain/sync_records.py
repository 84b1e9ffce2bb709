"""What the centre holds about a window's changes that a supervisor must look at — an edit that met another
window's edit (a conflict) and a change the centre refused (quarantine) — as plain values: the sync reads them from
the centre (`sync.central`), the sync service hands them to the GUI (`services.sync`), which never imports sync."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConflictDTO:
    id: int
    entity: str
    entity_id: str
    window_code: str
    base_version: int | None
    central_version: int
    proposed: dict[str, Any]
    central: dict[str, Any] | None
    status: str
    choice: str | None
    resolved_by: str | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None

    def differences(self) -> dict[str, tuple[Any, Any]]:
        """field -> (central value, proposed value), without bookkeeping fields."""
        c = self.central or {}
        keys = (set(c) | set(self.proposed)) - {"version", "updated_at"}
        return {k: (c.get(k), self.proposed.get(k)) for k in sorted(keys) if c.get(k) != self.proposed.get(k)}


@dataclass(frozen=True)
class QuarantineDTO:
    id: int
    change_id: str
    window_code: str
    window_seq: int | None
    entity: str | None
    entity_id: str | None
    op: str | None
    reason: str
    payload_text: str
    received_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None
