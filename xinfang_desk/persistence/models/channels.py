"""Classifications and notices (issues 3 and 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinfang_desk.persistence.fieldcrypt import SealedJSON
from xinfang_desk.persistence.models import visits as _visits  # noqa: F401  (the tables its foreign keys name)
from xinfang_desk.persistence.models._base import Base, Provenance, _id
from xinfang_desk.persistence.types import JSONText, UTCDateTime, utcnow


class Classification(Provenance, Base):
    """The channels proposed for a matter, as the engine gave them, with the rule-set and statute versions
    used, so that a notice printed a year later reproduces exactly. Append-only: a re-classification or an
    override is a new row pointing to the one it corrects."""

    __tablename__ = "classifications"
    id: Mapped[str] = _id()
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    input: Mapped[dict[str, Any]] = mapped_column(JSONText)  # received_on, group_size, kind, facts, today
    result: Mapped[dict[str, Any]] = mapped_column(JSONText)  # the engine's document, as printed
    ruleset_version: Mapped[str] = mapped_column(String(64))
    statute_versions: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    proposed: Mapped[dict[str, Any] | None] = mapped_column(JSONText)  # the engine's proposal when overridden
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("classifications.id"))


class Notice(Provenance, Base):
    """A printed guidance notice (告知书). `content` holds everything the PDF was made from, so a reprint
    (补打) renders the same text from it; `pdf_sha256` fingerprints what was printed."""

    __tablename__ = "notices"
    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    classification_id: Mapped[str] = mapped_column(ForeignKey("classifications.id"), index=True)
    document_number: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(SealedJSON)
    reprint_of_id: Mapped[str | None] = mapped_column(ForeignKey("notices.id"))
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")


Index("ix_classifications_corrects_id", Classification.corrects_id)  # "the latest classification" = not corrected
