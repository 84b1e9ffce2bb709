"""Typed models. Conventions (ARCHITECTURE.md): UUIDv7 text keys made on the window; every row records
the window and operator that made it and a UTC timestamp; events (visits, matters, classifications,
notices) are append-only — a correction is a new row that points to the one it corrects; names are stored
exactly as typed and searched through separate keys.

The classes live in groups (`identity`, `audit`, `settings`, `visits`, `channels`, `reference`, `scheduling`,
`progress`, `sync_state`) and are imported from here as always (`from xinfang_desk.persistence.models import Visit`); a group
is declared when one of its classes is first asked for (PEP 562), because declaring all 29 mapped classes takes
longer than a command-line listing takes to run (bench/bench_cli_startup.py). A group imports the groups its foreign keys
name. `Base` from here has every table in its metadata (`load_all`): Alembic, the sync and the checks see the
whole schema; `_base.Base` is the same class, for type hints that need not load anything.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xinfang_desk.persistence.models._base import Base
    from xinfang_desk.persistence.models.audit import AuditChainHead, AuditEvent, OutboxEntry
    from xinfang_desk.persistence.models.channels import Classification, Notice
    from xinfang_desk.persistence.models.identity import CliSession, User
    from xinfang_desk.persistence.models.progress import MatterProgress, ProgressEvent
    from xinfang_desk.persistence.models.reference import CalendarYear, Organ
    from xinfang_desk.persistence.models.scheduling import (
        LegalAdvice,
        ReceptionSession,
        SessionBooking,
        SessionPlan,
        SessionStaff,
        StaffConflict,
        StaffPerson,
        StaffUnavailability,
    )
    from xinfang_desk.persistence.models.settings import PasswordHistory, Setting, Window
    from xinfang_desk.persistence.models.sync_state import SyncCursor, SyncIssue
    from xinfang_desk.persistence.models.visits import Matter, MatterStatusEvent, Person, Visit, VisitPerson

GROUPS: dict[str, str] = {
    "Window": "settings",
    "User": "identity",
    "AuditEvent": "audit",
    "OutboxEntry": "audit",
    "Setting": "settings",
    "PasswordHistory": "settings",
    "CliSession": "identity",
    "AuditChainHead": "audit",
    "Person": "visits",
    "Visit": "visits",
    "VisitPerson": "visits",
    "Matter": "visits",
    "MatterStatusEvent": "visits",
    "Classification": "channels",
    "Notice": "channels",
    "Organ": "reference",
    "CalendarYear": "reference",
    "StaffPerson": "scheduling",
    "StaffUnavailability": "scheduling",
    "StaffConflict": "scheduling",
    "SessionPlan": "scheduling",
    "ReceptionSession": "scheduling",
    "SessionStaff": "scheduling",
    "SessionBooking": "scheduling",
    "LegalAdvice": "scheduling",
    "ProgressEvent": "progress",
    "MatterProgress": "progress",
    "SyncCursor": "sync_state",
    "SyncIssue": "sync_state",
}

__all__ = [  # the names of GROUPS and Base (tests/unit/test_cli_startup_paths.py checks it)
    "Base", "AuditChainHead", "AuditEvent", "CalendarYear", "Classification", "CliSession", "LegalAdvice", "Matter",
    "MatterProgress", "MatterStatusEvent", "Notice", "Organ", "OutboxEntry", "PasswordHistory", "Person",
    "ProgressEvent", "ReceptionSession", "SessionBooking", "SessionPlan", "SessionStaff", "Setting",
    "StaffConflict", "StaffPerson", "StaffUnavailability", "SyncCursor", "SyncIssue", "User", "Visit",
    "VisitPerson", "Window",
]


def load_all() -> type[Base]:
    """Declare every model; returns `Base`, whose metadata then holds the whole schema."""
    from xinfang_desk.persistence.models import (  # noqa: F401
        audit,
        channels,
        identity,
        progress,
        reference,
        scheduling,
        settings,
        sync_state,
        visits,
    )
    from xinfang_desk.persistence.models._base import Base

    return Base


def __getattr__(name: str) -> Any:
    if name == "Base":
        value: Any = load_all()
    elif name in GROUPS:
        # (PyInstaller's analysis sees every group through the literal imports of `load_all`)
        module = importlib.import_module(f"{__name__}.{GROUPS[name]}")
        value = getattr(module, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
