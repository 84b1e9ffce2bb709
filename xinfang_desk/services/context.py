"""Who is acting, and what each role may do. Checked inside every service, not only in the GUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.i18n import N_

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

ROLES = ("clerk", "lawyer", "supervisor", "admin")
ROLE_LABELS = {"clerk": N_("Clerk"), "lawyer": N_("Duty lawyer"), "supervisor": N_("Supervisor"), "admin": N_("Administrator")}

# action -> roles allowed. Actions are msgids so a refusal reads well in the UI.
PERMISSIONS: dict[str, frozenset[str]] = {
    N_("register visits"): frozenset({"clerk", "supervisor"}),
    N_("search visitors"): frozenset({"clerk", "lawyer", "supervisor"}),
    N_("view visits"): frozenset({"clerk", "lawyer", "supervisor"}),
    N_("view unmasked ID numbers and phones"): frozenset({"supervisor"}),
    N_("classify matters"): frozenset({"clerk", "supervisor"}),
    N_("override a classification"): frozenset({"clerk", "supervisor"}),
    N_("print notices"): frozenset({"clerk", "supervisor"}),
    N_("view the audit trail"): frozenset({"supervisor", "admin"}),
    N_("purge old audit records"): frozenset({"admin"}),
    N_("print daily logs and statistics"): frozenset({"supervisor"}),
    N_("resolve sync conflicts"): frozenset({"supervisor"}),
    N_("manage users"): frozenset({"admin"}),
    N_("manage windows, organs and settings"): frozenset({"admin"}),
    N_("load demo data"): frozenset({"admin"}),
    N_("run the sync"): frozenset({"clerk", "lawyer", "supervisor", "admin"}),
}


@dataclass(frozen=True)
class Actor:
    user_id: str | None
    username: str
    display_name: str
    role: str
    window_code: str

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(action, self.role)


def system_actor(window_code: str, role: str = "admin") -> Actor:
    """For automation that runs as the machine (the CLI without a login, demo data, migrations)."""
    return Actor(None, "system", "系统", role, window_code)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(LOCAL_TZ).date()


def to_local(t: dt.datetime) -> dt.datetime:
    return t.astimezone(LOCAL_TZ)
