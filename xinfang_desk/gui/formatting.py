"""Small read-only display helpers for the GUI (Qt-free, so they are easy to test)."""

from __future__ import annotations

import datetime as dt

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
