"""Who is acting, and what each role may do: re-exported from `domain.identity` (sessions, the permission table)
and `domain.localtime` (the office's time zone), which sit below sync and persistence so that those can check a
session without importing services. Checked inside every service, not only in the GUI."""

from __future__ import annotations

from xinfang_desk.domain.identity import (
    ALL_ROLES,
    AUTOMATION_ROLE,
    DEFAULT_SESSION_HOURS,
    PERMISSIONS,
    ROLE_LABELS,
    ROLES,
    Actor,
    PasswordChangeRequired,
    SessionInvalid,
    _end_sessions_of,
    _extend_session,
    _is_live,
    _issue_session,
    check_session,
    end_session,
    internal_actor,
    is_internal,
    is_live,
    may_record,
)
from xinfang_desk.domain.localtime import LOCAL_TZ, local_today, to_local

__all__ = [
    "ALL_ROLES", "AUTOMATION_ROLE", "DEFAULT_SESSION_HOURS", "LOCAL_TZ", "PERMISSIONS", "ROLES", "ROLE_LABELS", "Actor",
    "PasswordChangeRequired", "SessionInvalid", "_end_sessions_of", "_extend_session", "_is_live", "_issue_session",
    "check_session", "end_session", "internal_actor", "is_internal", "is_live", "local_today", "may_record", "to_local",
]
