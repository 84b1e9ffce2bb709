"""Accounts: Argon2id hashes, login with lock-out, first-run admin set-up, user management (admin only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from xinfang_desk.domain.errors import AuthenticationFailed, fail
from xinfang_desk.domain.text import check_name
from xinfang_desk.i18n import N_, _
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import User
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.context import ROLES, Actor, system_actor
from xinfang_desk.services.recording import audit, record_change, require

MAX_FAILED = 5  # GB/T 22239-2019 8.1.4.1: lock after repeated failures
LOCK_MINUTES = 15
MIN_PASSWORD = 8

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile defaults


@dataclass(frozen=True)
class UserDTO:
    id: str
    username: str
    display_name: str
    role: str
    active: bool


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise fail("password", N_("Password"), N_("must have at least {n} characters"), n=MIN_PASSWORD)
    if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
        raise fail("password", N_("Password"), N_("must contain letters and digits"))


def _check_username(username: str) -> str:
    u = (username or "").strip()
    if not u or len(u) > 64 or not all(c.isascii() and (c.isalnum() or c in "._-") for c in u):
        raise fail("username", N_("User name"), N_("use 1–64 letters, digits, dot, dash or underscore"))
    return u.lower()


class AuthService:
    def __init__(self, db: Database, window_code: str) -> None:
        self.db = db
        self.window_code = window_code

    def needs_first_run(self) -> bool:
        with self.db.session() as s:
            return (s.scalar(select(func.count()).select_from(User)) or 0) == 0

    def setup_first_admin(self, username: str, display_name: str, password: str) -> UserDTO:
        """Only while no user exists: creates the first administrator."""
        if not self.needs_first_run():
            raise AuthenticationFailed(_("An administrator already exists; ask them for an account."))
        if not self.db.created_by_app():  # never on a file this application did not create
            from xinfang_desk.persistence.safety import StorageProblem

            raise StorageProblem("not_ours", self.db.describe())
        return self._create(system_actor(self.window_code), username, display_name, "admin", password)

    def create_user(self, actor: Actor, username: str, display_name: str, role: str, password: str) -> UserDTO:
        require(self.db, actor, N_("manage users"))
        return self._create(actor, username, display_name, role, password)

    def _create(self, actor: Actor, username: str, display_name: str, role: str, password: str) -> UserDTO:
        uname = _check_username(username)
        check_name(display_name, "display_name", N_("Display name"))
        if role not in ROLES:
            raise fail("role", N_("Role"), N_("unknown role {role}"), role=role)
        check_password_strength(password)
        pw_hash = _hasher.hash(password)
        with self.db.transaction() as s:
            if s.scalar(select(User.id).where(User.username == uname)):
                raise fail("username", N_("User name"), N_("is already taken"))
            u = User(
                username=uname, display_name=display_name, role=role, password_hash=pw_hash,
                window_code=actor.window_code, operator_id=actor.user_id,
            )
            s.add(u)
            record_change(s, actor, u)
            audit(s, actor, "user.create", "users", u.id, role=role, username=uname)
            return UserDTO(u.id, u.username, u.display_name, u.role, u.active)

    def list_users(self, actor: Actor) -> list[UserDTO]:
        require(self.db, actor, N_("manage users"))
        with self.db.session() as s:
            return [UserDTO(u.id, u.username, u.display_name, u.role, u.active)
                    for u in s.scalars(select(User).order_by(User.username))]

    def login(self, username: str, password: str, now: dt.datetime | None = None) -> Actor:
        """Verify, count failures, lock after 5 for 15 minutes; audit success and failure alike."""
        now = now or utcnow()
        uname = (username or "").strip().lower()
        bad = AuthenticationFailed(_("Wrong user name or password."))
        error: AuthenticationFailed | None = None
        with self.db.transaction() as s:  # failures are committed too: the count and the audit must stick
            u = s.scalar(select(User).where(User.username == uname))
            if u is None or not u.active:
                anon = Actor(None, uname[:64], "", "", self.window_code)
                audit(s, anon, "auth.login", "users", None, success=False, reason="unknown or inactive user")
                error = bad
            else:
                actor = Actor(u.id, u.username, u.display_name, u.role, self.window_code)
                if u.locked_until and u.locked_until > now:
                    audit(s, actor, "auth.login", "users", u.id, success=False, reason="locked")
                    mins = int((u.locked_until - now).total_seconds() // 60) + 1
                    error = AuthenticationFailed(
                        _("Too many failed attempts; the account is locked for {n} more minutes.").format(n=mins)
                    )
                else:
                    try:
                        _hasher.verify(u.password_hash, password or "")
                    except (VerificationError, InvalidHashError):
                        u.failed_logins += 1
                        if u.failed_logins >= MAX_FAILED:
                            u.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                            u.failed_logins = 0
                        audit(s, actor, "auth.login", "users", u.id, success=False, reason="wrong password")
                        error = bad
                    else:
                        u.failed_logins = 0
                        u.locked_until = None
                        if _hasher.check_needs_rehash(u.password_hash):
                            u.password_hash = _hasher.hash(password)
                        audit(s, actor, "auth.login", "users", u.id)
        if error is not None:
            raise error
        return actor
