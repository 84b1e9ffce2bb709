"""Small read-only display helpers for the GUI (Qt-free, so they are easy to test)."""

from __future__ import annotations

import datetime as dt
import json
import re

from xinfang_desk.i18n import N_, _
from xinfang_desk.services.context import ROLE_LABELS, Actor, to_local

STATUS_LABELS = {
    "registered": N_("Registered"),
    "accepted": N_("Accepted"),
    "referred": N_("Referred"),
    "guided": N_("Guided to another channel"),
    "in_progress": N_("In progress"),
    "answered": N_("Answered"),
    "closed": N_("Closed"),
    "rejected": N_("Not accepted"),
    # matter progress (services/progress.py)
    "notified": N_("Notice given"),
    "transferred": N_("Transferred"),
    "assigned": N_("Assigned"),
    "extended": N_("Time limit extended"),
    "not_accepted": N_("Not accepted"),
    "replied": N_("Replied"),
    "review": N_("Review requested"),
    "recheck": N_("Recheck requested"),
}
GENDER_LABELS = {"M": N_("Male"), "F": N_("Female")}


def status_label(code: str) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def gender_label(code: str | None) -> str:
    return _(GENDER_LABELS[code]) if code in GENDER_LABELS else "—"


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def local_time(t: dt.datetime) -> str:
    """HH:MM in Asia/Shanghai."""
    return to_local(t).strftime("%H:%M")


def local_datetime(t: dt.datetime) -> str:
    return to_local(t).strftime("%Y-%m-%d %H:%M")


def may_see_names(actor: Actor) -> bool:
    """Clerks and supervisors register and follow up visitors by name; other roles see masked names."""
    return actor.may(N_("register visits"))


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; code points, so 𠮷 counts as one character."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def shown_name(actor: Actor, name: str) -> str:
    return name if may_see_names(actor) else mask_name(name)


def age_text(seconds: float) -> str:
    """How long ago, in whole units: 刚才 / 5 分钟前 / 3 小时前 / 2 天前."""
    s = max(int(seconds), 0)
    if s < 60:
        return _("just now")
    if s < 3600:
        return _("{n} min ago").format(n=s // 60)
    if s < 86400:
        return _("{n} h ago").format(n=s // 3600)
    return _("{n} days ago").format(n=s // 86400)


# ---------------------------------------------------------------- sync: operations, reasons (issue 13 item 4)
SYNC_OP_LABELS = {"insert": N_("new record"), "update": N_("change"), "delete": N_("deletion")}
# PostgreSQL SQLSTATEs the centre may answer with, in words (the raw "23514: new row for relation …" never shows)
SQLSTATE_LABELS = {
    "23505": N_("the centre already has a record with the same key"),
    "23503": N_("it refers to a record the centre does not have"),
    "23502": N_("a required value is missing"),
    "23514": N_("a value breaks a check of the central database"),
    "22001": N_("a value is too long for the central database"),
    "40001": N_("the centre was busy with the same records; it is tried again"),
    "40P01": N_("the centre was busy with the same records; it is tried again"),
}
SQLSTATE_CLASS_LABELS = {
    "08": N_("the connection to the centre failed"),
    "22": N_("a value is not valid for the central database"),
    "23": N_("the record breaks a rule of the central database"),
    "42": N_("the central database does not know this kind of record (upgrade the application)"),
    "53": N_("the central server ran out of resources"),
    "57": N_("the central database was shut down or restarted"),
}
T_UNEXPLAINED = N_("an unexpected error (the details are in the log)")
_SQLSTATE = re.compile(r"^\s*([0-9A-Z]{5}):")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")


def sync_op_label(op: str | None) -> str:
    return _(SYNC_OP_LABELS[op]) if op in SYNC_OP_LABELS else "—"


def error_in_words(error: object) -> str:
    """A database or driver error as a Chinese phrase with its SQLSTATE code, never the raw message."""
    text = str(error or "")
    m = _SQLSTATE.match(text)
    if m:
        code = m.group(1)
        label = SQLSTATE_LABELS.get(code) or SQLSTATE_CLASS_LABELS.get(code[:2])
        words = _(label) if label else _(T_UNEXPLAINED)
        return _("{words} (error code {code})").format(words=words, code=code)
    return text if _CJK.search(text) and not re.search(r"[A-Za-z]{3,}", text) else _(T_UNEXPLAINED)


def sync_reason_label(stored: str | None) -> str:
    """A stored sync reason (JSON msgid with parameters, or old plain text) in words for the screen."""
    stored = stored or ""
    if stored.startswith("{"):
        try:
            doc = json.loads(stored)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("msgid"), str):
            params = doc.get("params") if isinstance(doc.get("params"), dict) else {}
            if "error" in params:
                params = {**params, "error": error_in_words(params["error"])}
            try:
                return _(doc["msgid"]).format(**params)
            except (KeyError, IndexError, ValueError):
                return _(T_UNEXPLAINED)
    if not stored:
        return "—"
    if _SQLSTATE.match(stored):
        return error_in_words(stored)
    return stored if not re.search(r"[A-Za-z]{3,}", stored) else _(T_UNEXPLAINED)
