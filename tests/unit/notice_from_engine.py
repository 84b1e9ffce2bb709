"""Render a visitor's notice straight from the channel engine (no database): the engine's JSON result, the
shipped organ directory (or one given), instrument titles from the catalogue — as the notice service does."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from pypdf import PdfReader

from xinfang_desk.printing.notice import NoticeData, NoticeVisitor, OrganInfo, render_notice
from xinfang_desk.statutes.catalogue import default_catalogue
from xinfang_desk.statutes.engine import classify_document
from xinfang_desk.statutes.organs import default_organs

TODAY = date(2026, 11, 27)


def classify(received: str, kind: str, facts: dict | None = None, group: int = 1, today: date = TODAY) -> dict:
    return classify_document({"received_on": received, "group_size": group, "matter": {"kind": kind, "facts": facts or {}}},
                             today)


def notice_data(result: dict[str, Any], *, confirmed: bool = True, today: date = TODAY) -> NoticeData:
    directory = default_organs()
    organs = {}
    for ch in result["channels"]:
        key = ch.get("organ")
        if key and key in directory:
            o = directory.get(key)
            info = OrganInfo(o.name, o.address or "", o.phone or "", o.hours or "")
            organs[key] = replace(info, confirmed=confirmed) if hasattr(info, "confirmed") else info
    cat = default_catalogue()
    titles = {}
    for ch in result["channels"]:
        cited = ch["citations"] + [d["basis"] for d in ch["deadlines"] if d.get("basis")]
        cited += [c for n in ch.get("notes", []) for c in n.get("citations", [])]
        for c in cited:
            titles[c["instrument"]] = cat.instrument(c["instrument"]).full_title or c["instrument"]
    received = date.fromisoformat(result["received_on"])
    return NoticeData(
        query_code="BN03-20261127-0001", document_number="〔2026〕BN03-告字第0001号",
        received_at=datetime(received.year, received.month, received.day, 2, 0, tzinfo=UTC), window="BN03",
        operator="李娜", visitors=(NoticeVisitor("欧阳娜娜", "110105********002X", "138****5678"),),
        matter_kind_label="事项", matter_summary="来访人反映的事项摘要", classification=result, organs=organs,
        issuing_office="某某区人民政府信访局", printed_at=datetime(today.year, today.month, today.day, 3, 0, tzinfo=UTC),
        issued_on=today, instrument_titles=titles)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def visitor_text(result: dict[str, Any], **kw: Any) -> str:
    return flat("".join(pages(render_notice(notice_data(result, **kw), "visitor"))))


def stub_text(result: dict[str, Any], **kw: Any) -> str:
    return flat("".join(pages(render_notice(notice_data(result, **kw), "stub"))))


def cn(day: str | date) -> str:
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{d.year}年{d.month}月{d.day}日"
