"""Test helpers for real sessions: the services accept only actors issued by the log-in (issue 11).

`add_user` creates an account the way an administrator does (with a temporary password) and then plays its
holder's first log-in, which must change it: afterwards `password` logs in directly."""

from __future__ import annotations

import secrets
from typing import Any


def temp_password() -> str:
    return "Tmp-" + secrets.token_hex(6) + "Q"


def add_user(services: Any, admin: Any, username: str, display_name: str, role: str, password: str, *,
             home_window: str | None = None) -> Any:
    """Create the user and do its first-log-in password change; returns a session of the new user."""
    temp = temp_password()
    services.auth.create_user(admin, username, display_name, role, temp, home_window=home_window)
    return services.auth.change_password(username, temp, password)


def login_at(services: Any, window_code: str, username: str, password: str) -> Any:
    """A session at another window of the same database (as that window's PC would issue it)."""
    from xinfang_desk.services.auth import AuthService

    return AuthService(services.db, window_code).login(username, password)


# passwords of the sync tests' windows (tests/integration/conftest.py make_window)
ADMIN_PASSWORD = "Adminpass-123"
CLERK_PASSWORD = "Pass1234-x"
SUPERVISOR_PASSWORD = "Super-pass-9"


def session_of(services: Any, role: str, username: str | None = None) -> Any:
    """A live session with `role` on a fresh database: sets up the first administrator when there is none, then
    adds (first use) and logs in a user of that role."""
    from xinfang_desk.domain.errors import AuthenticationFailed

    if services.auth.needs_first_run():
        services.auth.setup_first_admin("admin", "管理员", ADMIN_PASSWORD)
    admin = services.auth.login("admin", ADMIN_PASSWORD)
    if role == "admin":
        return admin
    name, password = username or f"test{role}", f"Test-{role}-26"
    try:
        return services.auth.login(name, password)
    except AuthenticationFailed:
        return add_user(services, admin, name, name, role, password)
