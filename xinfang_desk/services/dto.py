"""Plain frozen data the services take and return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonInput:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    person_id: str | None = None  # an existing person picked from the search
    role: str = "visitor"  # visitor | representative


@dataclass(frozen=True)
class MatterInput:
    kind: str
    summary: str = ""
    demands: str = ""
    respondent: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RegistrationInput:
    people: tuple[PersonInput, ...]
    matter: MatterInput
    channel: str = "visit"
    group_size: int = 1
    group_name: str = ""
    received_on: dt.date | None = None  # default: today in Asia/Shanghai
    received_at: dt.datetime | None = None
    override: Any = None  # services.classification.Override: the clerk's channel instead of the engine's


@dataclass(frozen=True)
class RepeatInfo:
    visit_id: str
    query_code: str
    received_on: dt.date
    window_code: str
    kind: str
    status: str


@dataclass(frozen=True)
class RegistrationResult:
    visit_id: str
    query_code: str
    person_ids: tuple[str, ...]
    matter_id: str
    repeat_of: RepeatInfo | None
    warnings: tuple[str, ...] = ()
    classification_id: str | None = None
    classification: dict[str, Any] | None = None


@dataclass(frozen=True)
class PersonHit:
    id: str
    name: str
    id_masked: str
    phone_masked: str
    gender: str | None
    birth_date: dt.date | None
    address: str
    visits: int
    last_visit_on: dt.date | None
    id_number: str | None = None  # filled only for roles allowed to see it
    phone: str | None = None


@dataclass(frozen=True)
class MatterSummary:
    visit_id: str
    matter_id: str
    query_code: str
    received_on: dt.date
    window_code: str
    channel: str
    kind: str
    kind_label: str
    summary: str
    demands: str
    respondent: str
    status: str
    repeat_of_visit_id: str | None


@dataclass(frozen=True)
class VisitRow:
    visit_id: str
    query_code: str
    received_at: dt.datetime
    received_on: dt.date
    window_code: str
    channel: str
    group_size: int
    names: tuple[str, ...]
    people: tuple[dict[str, Any], ...]
    kind: str
    kind_label: str
    clerk: str
    status: str
    is_repeat: bool


# ---------------------------------------------------------------- the clerk's desk (issue 13): a visit in full
@dataclass(frozen=True)
class VisitLink:
    """Another visit of the same matter (the earlier one a repeat points to, or a later repeat)."""

    visit_id: str
    query_code: str
    received_on: dt.date


@dataclass(frozen=True)
class StatusStep:
    status: str
    note: str
    at: dt.datetime


@dataclass(frozen=True)
class VisitDetail:
    """A visit with its whole matter: people (masked by role), address, the answers to the facts, repeats.
    `status_history` comes from the matter's status events; `bookings` is filled once sessions exist."""

    visit_id: str
    query_code: str
    received_at: dt.datetime
    received_on: dt.date
    window_code: str
    channel: str
    group_size: int
    people: tuple[dict[str, Any], ...]  # name, role, id_number, phone (masked unless the role may see them), address
    kind: str
    kind_label: str
    summary: str
    demands: str
    respondent: str
    facts: dict[str, Any]
    status: str
    repeat_of: VisitLink | None
    repeated_by: tuple[VisitLink, ...]
    status_history: tuple[StatusStep, ...] = ()
    bookings: tuple[dict[str, Any], ...] = ()  # hook: 接访排班 bookings of this visit (sessions helper)
