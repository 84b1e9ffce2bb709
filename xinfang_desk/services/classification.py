"""The channel engine applied to stored matters: propose live, store with the versions used, override
only with a reason (audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import NotFound, fail
from xinfang_desk.domain.text import check_text
from xinfang_desk.i18n import N_
from xinfang_desk.i18n.messages import render_message
from xinfang_desk.persistence import models as M  # declared when first used: a proposal reads only organs
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import Organ
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.recording import audit, record_change, require

if TYPE_CHECKING:
    from xinfang_desk.persistence.models import Classification, Matter, Visit

MAX_REASON = 500


@dataclass(frozen=True)
class Override:
    """The clerk's decision instead of the engine's: a decision code, the organ, and why."""

    decision: str
    organ: str
    reason: str


@dataclass(frozen=True)
class ClassificationDTO:
    id: str
    matter_id: str
    visit_id: str
    result: dict[str, Any]
    ruleset_version: str
    overridden: bool
    override_reason: str
    created_at: dt.datetime


@dataclass(frozen=True)
class OrganDirectory:
    """The office's organ directory as the admin keeps it (names and whether address and phone are confirmed)."""

    version: str
    organs: dict[str, tuple[str, bool]]  # key -> (name, confirmed)


def organ_directory(s: Session) -> OrganDirectory:
    rows = list(s.scalars(select(Organ).order_by(Organ.key)))
    if not rows:
        return OrganDirectory("", {})
    digest = hashlib.sha256("|".join(f"{o.key}:{o.version}" for o in rows).encode()).hexdigest()[:12]
    return OrganDirectory(f"db-{digest}", {o.key: (o.name, bool(o.confirmed)) for o in rows})


def propose(received_on: dt.date, group_size: int, kind: str, facts: Mapping[str, Any] | None, today: dt.date | None = None,
            calendar: Any = None, organs: OrganDirectory | None = None) -> dict[str, Any]:
    """What the engine proposes (no writes) — for the live right-hand column and for storing. With the office's
    directory, each channel names the organ as the admin keeps it (and whether its details are confirmed)."""
    from xinfang_desk.statutes.engine import classify

    result = classify(received_on, group_size, kind, facts, today, calendar=calendar).to_dict()
    if organs is not None and organs.organs:
        for ch in result.get("channels", []):
            known = organs.organs.get(str(ch.get("organ") or ""))
            if known is not None:
                ch["organ_name"], ch["organ_confirmed"] = known
        result["organs_version"] = organs.version
    return result


def check_override(ov: Override) -> None:
    if ov.decision not in matter_kinds.decision_labels():
        raise fail("override.decision", N_("Decision"), N_("unknown decision {code}"), code=ov.decision)
    check_text(ov.organ, "override.organ", N_("Organ"), max_len=200, required=True, multiline=False)
    check_text(ov.reason, "override.reason", N_("Reason for the override"), max_len=MAX_REASON, required=True)
    if len(ov.reason.strip()) < 4:
        raise fail("override.reason", N_("Reason for the override"), N_("say in a few words why the proposal is wrong"))


def apply_override(result: dict[str, Any], ov: Override, organ_name: str) -> dict[str, Any]:
    """The stored result of an override: the clerk's channel, no article cited by the engine for it (the
    clerk's choice is not a rule), the engine's proposal kept beside it."""
    out = dict(result)
    out["channels"] = [{
        "id": "override", "decision": ov.decision, "decision_label_zh": matter_kinds.decision_labels()[ov.decision],
        "label": matter_kinds.decision_labels()[ov.decision], "organ": ov.organ, "organ_name": organ_name,
        "organ_detail": None, "organ_confirmed": None, "citations": [], "deadlines": [], "notes": [],
    }]
    msgid = N_("The clerk overrode the proposal (reason: {reason}); this channel is not checked by the rules and "
               "cites no article.")
    params = {"reason": ov.reason}
    out["warnings"] = list(result.get("warnings", [])) + [{
        "code": "manual_override", "message": render_message(msgid, params), "msgid": msgid, "params": params,
        "fact": None, "status": "J", "channel": "override", "citation": None,
    }]
    out["override"] = {"decision": ov.decision, "organ": ov.organ, "reason": ov.reason}
    return out


def store_classification(s: Session, actor: Actor, visit: Visit, matter: Matter, override: Override | None,
                         today: dt.date, corrects_id: str | None = None,
                         result: dict[str, Any] | None = None) -> Classification:
    """Classify the stored matter and write the row (with outbox and audit) inside the caller's transaction.
    `result` is the engine's answer when the caller already computed it for these very inputs."""
    if result is None:
        from xinfang_desk.services.reference import calendar_from_session

        result = propose(visit.received_on, visit.group_size, matter.kind, matter.facts or {}, today,
                         calendar_from_session(s), organ_directory(s))
    proposed = None
    if override is not None:
        actor.require(N_("override a classification"))  # checked (and audited) by the caller first
        check_override(override)
        organ = s.get(Organ, override.organ)
        proposed = result
        result = apply_override(result, override, organ.name if organ else override.organ)
    c = M.Classification(
        matter_id=matter.id, visit_id=visit.id,
        input={"received_on": visit.received_on.isoformat(), "group_size": visit.group_size, "kind": matter.kind,
               "facts": matter.facts or {}, "today": today.isoformat()},
        result=result, ruleset_version=str(result.get("ruleset_version", "")),
        statute_versions=dict(result.get("statute_versions", {})), overridden=override is not None,
        override_reason=override.reason if override else "", proposed=proposed, corrects_id=corrects_id,
        window_code=actor.window_code, operator_id=actor.user_id,
    )
    s.add(c)
    record_change(s, actor, c)
    audit(s, actor, "classification.override" if override else "classification.create", "classifications", c.id,
          matter_id=matter.id, decisions=[ch["decision"] for ch in result.get("channels", [])],
          reason=override.reason if override else None)
    return c


def _dto(c: Classification) -> ClassificationDTO:
    return ClassificationDTO(c.id, c.matter_id, c.visit_id, c.result, c.ruleset_version, c.overridden,
                             c.override_reason, c.created_at)


class ClassificationService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @reads
    def propose(self, actor: Actor, received_on: dt.date, group_size: int, kind: str, facts: dict[str, Any]) -> dict[str, Any]:
        require(self.db, actor, N_("classify matters"))
        from xinfang_desk.services.reference import calendar_from_session

        with self.db.session() as s:
            cal, organs = calendar_from_session(s), organ_directory(s)
        return propose(received_on, group_size, kind, facts, local_today(), cal, organs)

    @reads
    def propose_document(self, actor: Actor, doc: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
        """The CLI's `classify`: the same proposal as the registration page (the office's holiday calendar and
        organ directory) from `{"received_on", "group_size", "matter": {"kind", "facts"}}`; writes nothing."""
        from xinfang_desk.services.reference import calendar_from_session
        from xinfang_desk.statutes.engine import LABEL_DOCUMENT, LABEL_MATTER, LABEL_RECEIVED_ON
        from xinfang_desk.statutes.facts import LABEL_KIND

        require(self.db, actor, N_("classify matters"))
        if not isinstance(doc, Mapping):
            raise fail("", LABEL_DOCUMENT, N_("must be a JSON object"))
        if "received_on" not in doc:
            raise fail("received_on", LABEL_RECEIVED_ON, N_("is required"))
        matter = doc.get("matter")
        if not isinstance(matter, Mapping):
            raise fail("matter", LABEL_MATTER, N_("must be an object with kind and facts"))
        if not isinstance(matter.get("kind"), str):
            raise fail("matter.kind", LABEL_KIND, N_("is required"))
        with self.db.session() as s:
            cal, organs = calendar_from_session(s), organ_directory(s)
        return propose(doc["received_on"], doc.get("group_size", 1), matter["kind"], matter.get("facts"),
                       today or local_today(), cal, organs)

    @reads
    def latest_for_visit(self, actor: Actor, visit_id: str) -> ClassificationDTO | None:
        require(self.db, actor, N_("view visits"))
        with self.db.session() as s:
            c = s.scalar(select(M.Classification).where(M.Classification.visit_id == visit_id)
                         .order_by(M.Classification.created_at.desc(), M.Classification.id.desc()).limit(1))
            return _dto(c) if c else None

    @writes
    def reclassify(self, actor: Actor, visit_id: str, override: Override | None = None) -> ClassificationDTO:
        """A new classification event for the visit's matter (e.g. after facts became known, or an override)."""
        require(self.db, actor, N_("classify matters"))
        if override is not None:
            require(self.db, actor, N_("override a classification"))
            check_override(override)
        with self.db.transaction() as s:
            visit = s.get(M.Visit, visit_id)
            if visit is None:
                raise NotFound(visit_id)
            matter = s.scalar(select(M.Matter).where(M.Matter.visit_id == visit_id).limit(1))
            if matter is None:
                raise NotFound(visit_id)
            prev = s.scalar(select(M.Classification.id).where(M.Classification.visit_id == visit_id)
                            .order_by(M.Classification.created_at.desc()).limit(1))
            c = store_classification(s, actor, visit, matter, override, local_today(), corrects_id=prev)
            return _dto(c)
