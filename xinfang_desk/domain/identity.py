"""Who is acting, and what each role may do. Checked inside every service, not only in the GUI.

An `Actor` is a *session* issued by the authentication service (`services.auth.AuthService.login`): it is
registered here under a random id, and every check (`Actor.may`, `Actor.require`, `persistence.recording.require`,
`persistence.recording.audit`) first asks `check_session`, which accepts only that very object (identity, not
equality: a hand-made `Actor(...)` or a `dataclasses.replace` copy with another role is refused), before its
expiry (12 hours by default) and unless it was ended (log-out, lock-out, the user disabled or reset).

Internal actors (`internal_actor`) exist for the few writes that happen before anybody can log in: the first
administrator's set-up on an empty database and the audit of a failed log-in. They have no role, so they pass
no permission check; they can only record the event they were made for.

This module is stdlib-only (with i18n msgids) and sits in `domain` so that every layer — services, sync,
persistence's audit recording — can check a session without importing upwards. `services.context` re-exports
every name, so `from xinfang_desk.services.context import Actor` keeps working.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import weakref
from dataclasses import dataclass, field

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.i18n import N_, _

ROLES = ("clerk", "lawyer", "supervisor", "admin")  # people
AUTOMATION_ROLE = "automation"  # a window's automation credential (OS keyring), created by an admin
ALL_ROLES = (*ROLES, AUTOMATION_ROLE)
ROLE_LABELS = {"clerk": N_("Clerk"), "lawyer": N_("Duty lawyer"), "supervisor": N_("Supervisor"),
               "admin": N_("Administrator"), AUTOMATION_ROLE: N_("Automation")}

C, L, S, A, AU = "clerk", "lawyer", "supervisor", "admin", AUTOMATION_ROLE

# THE permission table (role × action), in one place. Actions are msgids so a refusal reads well in the UI.
# The README's security section prints it; tests/integration/test_permission_table.py checks every cell.
PERMISSIONS: dict[str, frozenset[str]] = {
    N_("register visits"): frozenset({C, S, AU}),
    N_("search visitors"): frozenset({C, L, S}),
    N_("view visits"): frozenset({C, L, S}),
    N_("view unmasked ID numbers and phones"): frozenset({S}),
    N_("classify matters"): frozenset({C, S}),
    N_("override a classification"): frozenset({C, S}),
    N_("print notices"): frozenset({C, S}),
    N_("view the audit trail"): frozenset({S, A}),
    N_("print daily logs and statistics"): frozenset({S}),
    N_("resolve sync conflicts"): frozenset({S}),
    N_("manage users"): frozenset({A}),
    N_("manage windows, organs and settings"): frozenset({A}),
    N_("manage the central database"): frozenset({A}),
    N_("export pending changes to a file"): frozenset({S}),
    N_("load demo data"): frozenset({A}),
    N_("run the sync"): frozenset({C, L, S, A, AU}),
    # sessions: leader receptions, duty lawyers, outreach (issue 9)
    N_("view sessions"): frozenset({C, L, S, A}),
    N_("plan sessions"): frozenset({S, A}),
    N_("manage session staff"): frozenset({A}),
    N_("book visitors into sessions"): frozenset({C, S}),
    N_("record legal advice"): frozenset({L, S}),
    N_("edit anyone's legal advice"): frozenset({S}),
    # resilience (issue 12)
    N_("see the backup status"): frozenset({S, A}),
    # matter progress (issue 10)
    N_("record matter progress"): frozenset({C, S}),
    N_("look up matter progress"): frozenset({C, S}),
    # tamper-evident audit (issue 11, item 4)
    N_("purge old audit records"): frozenset({A}),
}

DEFAULT_SESSION_HOURS = 12.0  # absolute cap of a session (reliability-anchors B3); the GUI locks after idle


class SessionInvalid(PermissionDenied):
    """The actor is not a live session issued by the authentication service."""

    def __init__(self, why: str, role: str | None = None) -> None:
        self.why = why
        self.action = N_("use a session not issued by the log-in")
        self.role = role
        Exception.__init__(self, _("Not logged in: {why}").format(why=_(why)))


class PasswordChangeRequired(PermissionDenied):
    """The session may only change its password (first log-in, an admin's reset, expiry, a weak password)."""

    def __init__(self, role: str | None = None) -> None:
        self.action = N_("work before changing the password")
        self.role = role
        Exception.__init__(self, _("The password must be changed first."))


@dataclass(frozen=True, eq=False)
class Actor:
    """A session: who, with which role, at which window. Only `AuthService` makes valid ones."""

    user_id: str | None
    username: str
    display_name: str
    role: str
    window_code: str
    session_id: str = field(default="", repr=False)

    def may(self, action: str) -> bool:
        if not _is_live(self):
            return False
        return self.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        check_session(self)
        if self.role not in PERMISSIONS[action]:
            raise PermissionDenied(action, self.role)

    @property
    def expires_at(self) -> dt.datetime | None:
        e = _SESSIONS.get(self.session_id)
        return e.expires_at if e is not None and e.actor is self else None


@dataclass
class _Entry:
    actor: Actor
    expires_at: dt.datetime


_LOCK = threading.Lock()
_SESSIONS: dict[str, _Entry] = {}
_INTERNAL: weakref.WeakSet[Actor] = weakref.WeakSet()  # the internal actors alive (eq=False: by identity)


def _issue_session(user_id: str, username: str, display_name: str, role: str, window_code: str,
                   hours: float = DEFAULT_SESSION_HOURS) -> Actor:
    """Only for `services.auth`: register a new session for a user who has just proved who they are."""
    sid = secrets.token_urlsafe(24)
    actor = Actor(user_id, username, display_name, role, window_code, sid)
    with _LOCK:
        _SESSIONS[sid] = _Entry(actor, dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours))
    return actor


def end_session(actor: Actor) -> None:
    """Log-out: the session stops working everywhere at once."""
    with _LOCK:
        e = _SESSIONS.get(actor.session_id)
        if e is not None and e.actor is actor:
            del _SESSIONS[actor.session_id]


def _end_sessions_of(user_id: str) -> int:
    """Only for `services.auth`: a disabled or reset user's sessions end."""
    with _LOCK:
        gone = [sid for sid, e in _SESSIONS.items() if e.actor.user_id == user_id]
        for sid in gone:
            del _SESSIONS[sid]
    return len(gone)


def _extend_session(actor: Actor, hours: float = DEFAULT_SESSION_HOURS) -> None:
    """Only for `services.auth`: the same user re-entered the password (GUI lock)."""
    with _LOCK:
        e = _SESSIONS.get(actor.session_id)
        if e is not None and e.actor is actor:
            e.expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)


def _is_live(actor: object, now: dt.datetime | None = None) -> bool:
    if not isinstance(actor, Actor):
        return False
    e = _SESSIONS.get(actor.session_id)
    return e is not None and e.actor is actor and (now or dt.datetime.now(dt.UTC)) < e.expires_at


def is_live(actor: object) -> bool:
    """True while `actor` is a session the log-in issued that has not expired or ended."""
    return _is_live(actor)


def check_session(actor: object, now: dt.datetime | None = None) -> None:
    """Raise `SessionInvalid` unless `actor` is a live session issued by the log-in."""
    if _is_live(actor, now):
        return
    role = getattr(actor, "role", None)
    e = _SESSIONS.get(getattr(actor, "session_id", "") or "")
    if e is not None and e.actor is actor:
        raise SessionInvalid(N_("the session has expired; log in again"), role)
    raise SessionInvalid(N_("this session was not issued by the log-in, or it has ended"), role)


def internal_actor(window_code: str, username: str = "system") -> Actor:
    """For the writes that precede any log-in (the first administrator on an empty database, the audit of a
    failed log-in, migrations). No role: it passes no permission check and can only record its own event."""
    a = Actor(None, username[:64], "系统" if username == "system" else "", "", window_code, "")
    with _LOCK:
        _INTERNAL.add(a)
    return a


def is_internal(actor: object) -> bool:
    return isinstance(actor, Actor) and actor in _INTERNAL


def may_record(actor: object) -> None:
    """What `recording.audit` and `record_change` demand: a live session or an internal actor."""
    if not is_internal(actor):
        check_session(actor)

