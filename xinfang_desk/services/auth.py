"""Accounts and sessions: Argon2id hashes, the login rules (等保 practice, configurable), lock-out on every path,
first-run admin set-up, user management (admin only), a window's automation credential.

The only way to get an `Actor` that the services accept is `login` (or `change_password`, which logs in with
the new password): see `services.context`. The rules (`LoginPolicy`, defaults from GB/T 22239-2019 8.1.4.1 as
assessors apply it, see shared/reference/reliability-anchors.md B1–B3):
* a password has ≥ 8 characters of ≥ 3 classes (lower-case, capitals, digits, other), is not the user name
  (nor reversed) and is not in `resources/security/common-passwords.txt`;
* it is changed at the first log-in (an account an administrator made or reset), after 90 days, and when it
  no longer meets the rules; none of the last 5 comes back;
* 5 wrong passwords in a row lock the account for 15 minutes, whichever path tried (GUI, CLI, automation,
  password change, unlocking the GUI); an administrator unlocks, disables, resets;
* a session ends after 12 hours at most; the GUI locks after 10 minutes idle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xinfang_desk.domain.errors import AuthenticationFailed, NotFound, fail
from xinfang_desk.domain.text import check_name
from xinfang_desk.i18n import N_, _
from xinfang_desk.persistence import models as M  # Setting, PasswordHistory: declared when first used
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import CliSession, User
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import (
    ALL_ROLES,
    AUTOMATION_ROLE,
    ROLES,
    Actor,
    PasswordChangeRequired,
    SessionInvalid,
    _end_sessions_of,
    _extend_session,
    _issue_session,
    check_session,
    end_session,
    internal_actor,
)
from xinfang_desk.services.recording import audit, record_change, require

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile defaults
POLICY_KEY = "login_policy"
MANAGE_USERS = N_("manage users")


@dataclass(frozen=True)
class LoginPolicy:
    """The login rules. Stored (partially) in the setting `login_policy`; never weaker than the floors."""

    min_length: int = 8
    min_classes: int = 3
    max_age_days: int = 90
    history: int = 5
    max_failed: int = 5
    lock_minutes: int = 15
    idle_lock_minutes: int = 10
    session_hours: int = 12

    # (field, lowest allowed, highest allowed): an administrator may make the rules stricter, not weaker
    BOUNDS = {"min_length": (8, 64), "min_classes": (3, 4), "max_age_days": (1, 90), "history": (5, 24),
              "max_failed": (1, 5), "lock_minutes": (15, 24 * 60), "idle_lock_minutes": (1, 10),
              "session_hours": (1, 12)}

    def checked(self) -> LoginPolicy:
        for name, (lo, hi) in self.BOUNDS.items():
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                raise fail(name, N_("Login rules"), N_("{name} must be a whole number from {lo} to {hi}"),
                           name=name, lo=lo, hi=hi)
        return self

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class UserDTO:
    id: str
    username: str
    display_name: str
    role: str
    active: bool
    home_window: str | None = None
    locked: bool = False
    must_change_password: bool = False


def _dto(u: User, now: dt.datetime | None = None) -> UserDTO:
    now = now or utcnow()
    return UserDTO(u.id, u.username, u.display_name, u.role, u.active, u.home_window,
                   bool(u.locked_until and u.locked_until > now), bool(u.must_change_password))


# -- the password rules ------------------------------------------------------------------------------------
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "$": "s", "5": "s", "3": "e", "1": "l", "!": "l", "|": "l",
                       "7": "t", "+": "t", "8": "b", "9": "g"})


def _norm(pw: str) -> str:
    return pw.casefold().translate(_LEET)


@functools.cache
def common_passwords() -> frozenset[str]:
    from xinfang_desk.paths import resource

    out = set()
    for line in resource("security", "common-passwords.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(_norm(line))
    return frozenset(out)


def password_classes(password: str) -> int:
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


def check_password_strength(password: str, username: str = "", policy: LoginPolicy | None = None) -> None:
    """Raise ValidationFailed (field `password`) unless the password meets the login rules."""
    p = policy or LoginPolicy()
    password = password or ""
    if len(password) < p.min_length:
        raise fail("password", N_("Password"), N_("must have at least {n} characters"), n=p.min_length)
    if password_classes(password) < p.min_classes:
        raise fail("password", N_("Password"),
                   N_("must mix at least {n} of: lower-case letters, capital letters, digits, other characters"),
                   n=p.min_classes)
    u = (username or "").strip().casefold()
    if u and password.casefold() in (u, u[::-1]):
        raise fail("password", N_("Password"), N_("must not be the user name"))
    if _norm(password) in common_passwords():
        raise fail("password", N_("Password"), N_("is too common; choose another"))


_TEMP_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-+#%")


def temporary_password(length: int = 8) -> str:
    """A password to read out or hand over on paper: every character class, no look-alikes (0/O, 1/l/I)."""
    n = max(length, 10)
    chars = [secrets.choice(a) for a in _TEMP_ALPHABETS]
    pool = "".join(_TEMP_ALPHABETS[:3])
    chars += [secrets.choice(pool) for _ in range(n - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _check_username(username: str) -> str:
    u = (username or "").strip()
    if not u or len(u) > 64 or not all(c.isascii() and (c.isalnum() or c in "._-") for c in u):
        raise fail("username", N_("User name"), N_("use 1–64 letters, digits, dot, dash or underscore"))
    return u.lower()


def _check_window(code: str | None) -> str | None:
    if code is None or code == "":
        return None
    c = code.strip().upper()
    if not (1 <= len(c) <= 8 and c.isascii() and c.isalnum()):
        raise fail("window", N_("Window"), N_("use 1–8 letters or digits, e.g. BN03"))
    return c


def automation_username(window_code: str) -> str:
    return f"auto-{window_code.strip().lower()}"


def _verify(hash_: str, password: str) -> bool:
    try:
        return bool(hash_) and _hasher.verify(hash_, password or "")
    except (VerificationError, InvalidHashError):
        return False


class AuthService:
    def __init__(self, db: Database, window_code: str) -> None:
        self.db = db
        self.window_code = window_code

    # -- the rules ------------------------------------------------------------------------------------------
    @reads
    def policy(self) -> LoginPolicy:
        with self.db.session() as s:
            row = s.get(M.Setting, POLICY_KEY)
        stored = row.value if row is not None and isinstance(row.value, dict) else {}
        known = {f.name for f in dataclasses.fields(LoginPolicy)}
        try:
            return LoginPolicy(**{k: v for k, v in stored.items() if k in known}).checked()
        except Exception:  # noqa: BLE001 - a damaged setting falls back to the defaults, never to weaker rules
            return LoginPolicy()

    @writes
    def set_policy(self, actor: Actor, **changes: Any) -> LoginPolicy:
        require(self.db, actor, MANAGE_USERS)
        known = {f.name for f in dataclasses.fields(LoginPolicy)}
        for k in changes:
            if k not in known:
                raise fail(k, N_("Login rules"), N_("is not a known rule"))
        new = dataclasses.replace(self.policy(), **changes).checked()
        with self.db.transaction() as s:
            row = s.get(M.Setting, POLICY_KEY)
            if row is None:
                s.add(M.Setting(key=POLICY_KEY, value=new.as_dict()))
            else:
                row.value = new.as_dict()
            audit(s, actor, "auth.policy", "settings", None, **{k: changes[k] for k in sorted(changes)})
        return new

    # -- first run --------------------------------------------------------------------------------------------
    @reads
    def needs_first_run(self) -> bool:
        with self.db.session() as s:
            return (s.scalar(select(func.count()).select_from(User)) or 0) == 0

    @writes
    def setup_first_admin(self, username: str, display_name: str, password: str) -> UserDTO:
        """Only while no user exists: creates the first administrator (who chose the password: no change due).
        The internal actor (no role) records it; nothing else can be done without logging in."""
        if not self.needs_first_run():
            raise AuthenticationFailed(_("An administrator already exists; ask them for an account."))
        if not self.db.created_by_app():  # never on a file this application did not create
            from xinfang_desk.persistence.safety import StorageProblem

            raise StorageProblem("not_ours", self.db.describe())
        return self._create(internal_actor(self.window_code), username, display_name, "admin", password,
                            must_change=False, home_window=self.window_code, first_run=True)

    # -- administration ----------------------------------------------------------------------------------------
    @writes
    def create_user(self, actor: Actor, username: str, display_name: str, role: str, password: str, *,
                    home_window: str | None = None) -> UserDTO:
        """A new account; its holder changes the password at the first log-in."""
        require(self.db, actor, MANAGE_USERS)
        if role not in ROLES:
            raise fail("role", N_("Role"), N_("unknown role {role}"), role=role)
        return self._create(actor, username, display_name, role, password, must_change=True,
                            home_window=_check_window(home_window))

    @writes
    def create_demo_user(self, actor: Actor, username: str, display_name: str, role: str, password: str, *,
                         home_window: str | None = None) -> UserDTO:
        """Demo data only: the documented demo accounts work without a first change (README: change or delete
        them before real use)."""
        require(self.db, actor, N_("load demo data"))
        return self._create(actor, username, display_name, role, password, must_change=False,
                            home_window=_check_window(home_window))

    def _create(self, actor: Actor, username: str, display_name: str, role: str, password: str, *,
                must_change: bool, home_window: str | None, first_run: bool = False) -> UserDTO:
        uname = _check_username(username)
        check_name(display_name, "display_name", N_("Display name"))
        if role not in ALL_ROLES:
            raise fail("role", N_("Role"), N_("unknown role {role}"), role=role)
        if role != AUTOMATION_ROLE:
            check_password_strength(password, uname, self.policy())
        pw_hash = _hasher.hash(password)
        now = utcnow()
        with self.db.transaction() as s:
            if first_run and (s.scalar(select(func.count()).select_from(User)) or 0) > 0:
                raise AuthenticationFailed(_("An administrator already exists; ask them for an account."))
            if s.scalar(select(User.id).where(User.username == uname)):
                raise fail("username", N_("User name"), N_("is already taken"))
            u = User(
                username=uname, display_name=display_name, role=role, password_hash=pw_hash,
                window_code=actor.window_code, operator_id=actor.user_id, must_change_password=must_change,
                password_changed_at=now, home_window=home_window,
            )
            s.add(u)
            s.flush()
            s.add(M.PasswordHistory(user_id=u.id, password_hash=pw_hash, changed_at=now))
            record_change(s, actor, u)
            audit(s, actor, "user.create", "users", u.id, role=role, username=uname, home_window=home_window)
            return _dto(u, now)

    @reads
    def list_users(self, actor: Actor) -> list[UserDTO]:
        require(self.db, actor, MANAGE_USERS)
        now = utcnow()
        with self.db.session() as s:
            return [_dto(u, now) for u in s.scalars(select(User).order_by(User.username))]

    def _admin_change(self, actor: Actor, username: str, action: str, fn: Any, *, end_sessions: bool = False,
                      **detail: Any) -> UserDTO:
        require(self.db, actor, MANAGE_USERS)
        uname = (username or "").strip().lower()
        with self.db.transaction() as s:
            u = s.scalar(select(User).where(User.username == uname))
            if u is None:
                raise NotFound(_("No user {name}.").format(name=uname))
            fn(s, u)
            audit(s, actor, action, "users", u.id, username=uname, **detail)
            out = _dto(u)
            uid = u.id
        if end_sessions:  # disabled, reset, or another role: their open sessions stop at once
            _end_sessions_of(uid)
        return out

    def _check_not_last_admin(self, s: Session, u: User) -> None:
        if u.role == "admin" and u.active:
            others = s.scalar(select(func.count()).select_from(User).where(
                User.role == "admin", User.active.is_(True), User.id != u.id)) or 0
            if others == 0:
                raise fail("username", N_("User name"), N_("is the last active administrator"))

    @staticmethod
    def _check_not_self(actor: Actor, u: User, problem: str) -> None:
        """An administrator cannot shut themselves out: no disabling or re-roling their own account."""
        if actor.user_id is not None and actor.user_id == u.id:
            raise fail("username", N_("User name"), problem)

    @writes
    def disable_user(self, actor: Actor, username: str) -> UserDTO:
        def fn(s: Session, u: User) -> None:
            self._check_not_self(actor, u, N_("is your own account; another administrator must disable it"))
            self._check_not_last_admin(s, u)
            u.active = False
        return self._admin_change(actor, username, "user.disable", fn, end_sessions=True)

    @writes
    def enable_user(self, actor: Actor, username: str) -> UserDTO:
        def fn(s: Session, u: User) -> None:
            u.active = True
        return self._admin_change(actor, username, "user.enable", fn)

    @writes
    def unlock_user(self, actor: Actor, username: str) -> UserDTO:
        def fn(s: Session, u: User) -> None:
            u.locked_until = None
            u.failed_logins = 0
        return self._admin_change(actor, username, "user.unlock", fn)

    @writes
    def update_user(self, actor: Actor, username: str, *, role: str | None = None, display_name: str | None = None,
                    home_window: str | None = None) -> UserDTO:
        if role is not None and role not in ROLES:
            raise fail("role", N_("Role"), N_("unknown role {role}"), role=role)
        if display_name is not None:
            check_name(display_name, "display_name", N_("Display name"))
        win = _check_window(home_window)

        def fn(s: Session, u: User) -> None:
            if role is not None and role != u.role:
                self._check_not_self(actor, u, N_("is your own account; another administrator must change its role"))
                self._check_not_last_admin(s, u)
                u.role = role
            if display_name is not None:
                u.display_name = display_name
            if home_window is not None:
                u.home_window = win
        return self._admin_change(actor, username, "user.update", fn, end_sessions=role is not None, role=role,
                                  display_name=display_name, home_window=win)

    @writes
    def reset_password(self, actor: Actor, username: str, new_password: str) -> UserDTO:
        """An administrator sets a temporary password; its holder must change it at the next log-in."""
        policy = self.policy()
        check_password_strength(new_password, username, policy)
        pw_hash = _hasher.hash(new_password)

        def fn(s: Session, u: User) -> None:
            self._store_password(s, u, pw_hash, must_change=True, policy=policy)
            u.locked_until = None
            u.failed_logins = 0
        return self._admin_change(actor, username, "user.reset_password", fn, end_sessions=True)

    @writes
    def reset_password_temporary(self, actor: Actor, username: str) -> tuple[UserDTO, str]:
        """Reset to a generated temporary password (returned once, never stored in clear); it meets the login
        rules and must be changed at the next log-in."""
        pw = temporary_password(self.policy().min_length)
        return self.reset_password(actor, username, pw), pw

    @writes
    def create_automation(self, actor: Actor, window_code: str) -> tuple[str, str]:
        """(Re)create the window's automation account (role `automation`: register visits and run the sync)
        with a new random secret; returns (user name, secret) for the OS keyring of that window."""
        require(self.db, actor, MANAGE_USERS)
        win = _check_window(window_code)
        if win is None:
            raise fail("window", N_("Window"), N_("is required"))
        uname = automation_username(win)
        secret = secrets.token_urlsafe(32)
        pw_hash = _hasher.hash(secret)
        with self.db.transaction() as s:
            u = s.scalar(select(User).where(User.username == uname))
            if u is None:
                u = User(username=uname, display_name=f"自动化{win}", role=AUTOMATION_ROLE, password_hash=pw_hash,
                         window_code=actor.window_code, operator_id=actor.user_id, must_change_password=False,
                         password_changed_at=utcnow(), home_window=win)
                s.add(u)
                s.flush()
                record_change(s, actor, u)
            else:
                if u.role != AUTOMATION_ROLE:
                    raise fail("window", N_("Window"), N_("the name {name} belongs to a person's account"), name=uname)
                u.password_hash, u.password_changed_at, u.active = pw_hash, utcnow(), True
                u.locked_until, u.failed_logins = None, 0
            audit(s, actor, "user.automation", "users", u.id, username=uname, window=win)
            uid = u.id
        _end_sessions_of(uid)
        return uname, secret

    @writes
    def set_policy_from_cli(self, actor: Actor, pairs: list[str]) -> LoginPolicy:
        changes: dict[str, Any] = {}
        for pair in pairs:
            k, sep, v = pair.partition("=")
            if not sep:
                raise fail(pair, N_("Login rules"), N_("write NAME=VALUE"))
            try:
                changes[k.strip()] = int(v)
            except ValueError:
                raise fail(k.strip(), N_("Login rules"), N_("must be a whole number")) from None
        return self.set_policy(actor, **changes)

    # -- log-in ------------------------------------------------------------------------------------------------
    def _check_password(self, s: Session, u: User | None, uname: str, password: str, now: dt.datetime,
                        policy: LoginPolicy, what: str) -> None:
        """The one place a password is checked (every path): counts failures, locks, audits a failure."""
        bad = AuthenticationFailed(_("Wrong user name or password."))
        if u is None or not u.active:
            _verify(_DUMMY_HASH(), password)  # the same work as for a real user: no timing oracle
            audit(s, internal_actor(self.window_code, uname), what, "users", None, success=False,
                  reason="unknown or inactive user")
            raise bad
        if u.locked_until and u.locked_until > now:
            audit(s, internal_actor(self.window_code, u.username), what, "users", u.id, success=False,
                  reason="locked")
            mins = int((u.locked_until - now).total_seconds() // 60) + 1
            raise AuthenticationFailed(
                _("Too many failed attempts; the account is locked for {n} more minutes.").format(n=mins))
        if not _verify(u.password_hash, password):
            u.failed_logins = (u.failed_logins or 0) + 1
            locked = u.failed_logins >= policy.max_failed
            if locked:
                u.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
                u.failed_logins = 0
            audit(s, internal_actor(self.window_code, u.username), what, "users", u.id, success=False,
                  reason="wrong password", locked=locked)
            raise bad
        u.failed_logins = 0
        u.locked_until = None
        if _hasher.check_needs_rehash(u.password_hash):
            u.password_hash = _hasher.hash(password)

    def _change_due(self, u: User, password: str, now: dt.datetime, policy: LoginPolicy) -> str | None:
        if u.role == AUTOMATION_ROLE:
            return None  # a random secret, rotated by `users automation`
        if u.must_change_password:
            return "first log-in or reset"
        changed = u.password_changed_at or u.created_at
        if changed is not None and now - changed > dt.timedelta(days=policy.max_age_days):
            return f"older than {policy.max_age_days} days"
        try:
            check_password_strength(password, u.username, policy)
        except Exception:  # noqa: BLE001
            return "does not meet the login rules"
        return None

    @writes
    def login(self, username: str, password: str, now: dt.datetime | None = None) -> Actor:
        """Verify, count failures, lock after 5 for 15 minutes; audit success and failure alike. Raises
        PasswordChangeRequired (the password was right) when it must be changed first: `change_password`."""
        now = now or utcnow()
        policy = self.policy()
        uname = (username or "").strip().lower()[:64]
        error: Exception | None = None
        actor: Actor | None = None
        with self.db.transaction() as s:  # failures are committed too: the count and the audit must stick
            u = s.scalar(select(User).where(User.username == uname))
            try:
                self._check_password(s, u, uname, password, now, policy, "auth.login")
            except AuthenticationFailed as e:
                error = e
            else:
                assert u is not None
                due = self._change_due(u, password, now, policy)
                if due:
                    audit(s, internal_actor(self.window_code, u.username), "auth.login", "users", u.id,
                          success=False, reason="password change required", why=due)
                    error = PasswordChangeRequired(u.role)
                else:
                    actor = _issue_session(u.id, u.username, u.display_name, u.role, self.window_code,
                                           policy.session_hours)
                    audit(s, actor, "auth.login", "users", u.id)
        if error is not None:
            raise error
        assert actor is not None
        return actor

    @writes
    def login_automation(self, secret: str, now: dt.datetime | None = None) -> Actor:
        """The window's automation credential (from the OS keyring): the same checks and lock-out."""
        return self.login(automation_username(self.window_code), secret, now=now)

    @writes
    def change_password(self, username: str, old_password: str, new_password: str,
                        now: dt.datetime | None = None) -> Actor:
        """The holder changes their own password (the old one proves it: failures count toward the lock);
        returns a session with the new password."""
        now = now or utcnow()
        policy = self.policy()
        uname = (username or "").strip().lower()[:64]
        check_password_strength(new_password, uname, policy)
        if new_password == old_password:
            raise fail("new_password", N_("New password"), N_("must differ from the old one"))
        new_hash = _hasher.hash(new_password)
        error: Exception | None = None
        actor: Actor | None = None
        with self.db.transaction() as s:
            u = s.scalar(select(User).where(User.username == uname))
            try:
                self._check_password(s, u, uname, old_password, now, policy, "user.password_change")
            except AuthenticationFailed as e:
                error = e
            else:
                assert u is not None
                if self._reused(s, u, new_password, policy):
                    error = fail("new_password", N_("New password"), N_("was used recently (one of the last {n})"),
                                 n=policy.history)
                    audit(s, internal_actor(self.window_code, u.username), "user.password_change", "users", u.id,
                          success=False, reason="reused")
                else:
                    self._store_password(s, u, new_hash, must_change=False, policy=policy, now=now)
                    actor = _issue_session(u.id, u.username, u.display_name, u.role, self.window_code,
                                           policy.session_hours)
                    audit(s, actor, "user.password_change", "users", u.id)
        if error is not None:
            raise error
        assert actor is not None
        return actor

    def _reused(self, s: Session, u: User, password: str, policy: LoginPolicy) -> bool:
        """One of the last `history` passwords (the current one included)?"""
        hashes = list(s.scalars(select(M.PasswordHistory.password_hash).where(M.PasswordHistory.user_id == u.id)
                                .order_by(M.PasswordHistory.changed_at.desc()).limit(policy.history)))
        if u.password_hash not in hashes:  # an account from before 0005_identity: no history yet
            hashes = [u.password_hash, *hashes[:policy.history - 1]]
        return any(_verify(h, password) for h in hashes)

    def _store_password(self, s: Session, u: User, pw_hash: str, *, must_change: bool, policy: LoginPolicy,
                        now: dt.datetime | None = None) -> None:
        now = now or utcnow()
        u.password_hash, u.must_change_password, u.password_changed_at = pw_hash, must_change, now
        s.add(M.PasswordHistory(user_id=u.id, password_hash=pw_hash, changed_at=now))
        s.flush()
        old = list(s.scalars(select(M.PasswordHistory).where(M.PasswordHistory.user_id == u.id)
                             .order_by(M.PasswordHistory.changed_at.desc()).offset(max(policy.history, 5))))
        for row in old:
            s.delete(row)

    # -- the session ---------------------------------------------------------------------------------------------
    @writes
    def logout(self, actor: Actor) -> None:
        """Log-out or switch user: the session ends (audited)."""
        check_session(actor)
        with self.db.transaction() as s:
            audit(s, actor, "auth.logout", "users", actor.user_id)
        end_session(actor)

    @writes
    def reauthenticate(self, actor: Actor, password: str, now: dt.datetime | None = None) -> Actor:
        """Unlocking the GUI: the same user re-enters the password (wrong ones count toward the lock-out; a
        locked or disabled account ends the session). Extends the session; returns the same actor."""
        check_session(actor)
        now = now or utcnow()
        policy = self.policy()
        error: Exception | None = None
        with self.db.transaction() as s:
            u = s.get(User, actor.user_id) if actor.user_id else None
            try:
                self._check_password(s, u, actor.username, password, now, policy, "auth.unlock")
            except AuthenticationFailed as e:
                error = e
            else:
                audit(s, actor, "auth.unlock", "users", actor.user_id)
        if error is not None:
            with self.db.session() as s:
                u = s.get(User, actor.user_id) if actor.user_id else None
                if u is None or not u.active or (u.locked_until and u.locked_until > now):
                    end_session(actor)
            raise error
        _extend_session(actor, policy.session_hours)
        return actor

    # -- command-line sessions ------------------------------------------------------------------------------------
    @writes
    def open_cli_session(self, actor: Actor, now: dt.datetime | None = None) -> CliSessionOpened:
        """After a log-in on the command line (`xinfang-desk --user NAME login`): a session that later commands
        resume without the password (`resume_cli_session`), like `sudo`'s: it ends at `logout`, after the
        GUI's idle limit without a command (`idle_lock_minutes`, ≤ 10), after `session_hours` (≤ 12) at most,
        and as soon as the account is disabled, locked, given another role or its password is changed or reset.
        Returns the token (only its SHA-256 is stored) with the session's limits; audited. Sessions that have run
        out are removed."""
        check_session(actor)
        if actor.user_id is None:
            raise SessionInvalid(N_("a session of the log-in is needed"))
        now = now or utcnow()
        policy = self.policy()
        token = secrets.token_urlsafe(32)
        end = now + dt.timedelta(hours=policy.session_hours)
        if actor.expires_at is not None:
            end = min(end, actor.expires_at)
        with self.db.transaction() as s:
            s.execute(delete(CliSession).where(CliSession.expires_at <= now))
            s.add(CliSession(id=_token_id(token), user_id=actor.user_id, window_code=self.window_code,
                             role=actor.role, created_at=now, last_used_at=now, expires_at=end,
                             idle_minutes=policy.idle_lock_minutes))
            audit(s, actor, "auth.cli_session", "users", actor.user_id, expires_at=end.isoformat(),
                  idle_minutes=policy.idle_lock_minutes)
        return CliSessionOpened(token, end, policy.idle_lock_minutes)

    @writes
    def resume_cli_session(self, token: str, now: dt.datetime | None = None) -> Actor:
        """The actor of a live command-line session (no password: the token proves it), its idle clock restarted.
        Raises SessionInvalid with the reason when the session has ended; an ended session is removed, and one
        that ended for a reason other than a log-out is audited (`auth.cli_session`, success false)."""
        now = now or utcnow()
        why: str | None = None
        actor: Actor | None = None
        with self.db.transaction() as s:
            row = s.get(CliSession, _token_id(token or ""))
            u = s.get(User, row.user_id) if row is not None else None
            if row is None:
                why = N_("the command-line session was ended (log-out) or does not exist")
            elif row.window_code != self.window_code:
                why = N_("the command-line session belongs to another window")
            elif now >= row.expires_at:
                why = N_("the command-line session reached its time limit")
            elif now - row.last_used_at > dt.timedelta(minutes=row.idle_minutes):
                why = N_("the command-line session ended after {n} minutes without a command")
            elif u is None or not u.active:
                why = N_("the account was disabled")
            elif u.locked_until and u.locked_until > now:
                why = N_("the account is locked")
            elif u.role != row.role:
                why = N_("the account was given another role")
            elif u.must_change_password or (u.password_changed_at and u.password_changed_at > row.created_at):
                why = N_("the password was changed or reset since the log-in")
            if why is None:
                assert row is not None and u is not None
                if now - row.last_used_at >= dt.timedelta(minutes=1):  # idle is counted to the minute, so a
                    row.last_used_at = now  # burst of commands writes (and syncs to disk) once a minute at most
                left = (row.expires_at - now).total_seconds() / 3600
                actor = _issue_session(u.id, u.username, u.display_name, u.role, self.window_code, left)
            elif row is not None:
                audit(s, internal_actor(self.window_code, u.username if u else "?"), "auth.cli_session", "users",
                      row.user_id, success=False, reason=why.format(n=row.idle_minutes))
                s.delete(row)
        if actor is None:
            assert why is not None
            raise CliSessionEnded(why, row.idle_minutes if row is not None else 0)
        return actor

    @writes
    def end_cli_session(self, token: str) -> bool:
        """`xinfang-desk logout`: the session ends at once (audited as a log-out). False when there was none."""
        with self.db.transaction() as s:
            row = s.get(CliSession, _token_id(token or ""))
            if row is None:
                return False
            u = s.get(User, row.user_id)
            audit(s, internal_actor(self.window_code, u.username if u else "?"), "auth.logout", "users",
                  row.user_id, cli_session=True)
            s.delete(row)
        return True


@dataclass(frozen=True)
class CliSessionOpened:
    token: str = dataclasses.field(repr=False)  # for the 0600 file of the OS user who logged in; never stored
    expires_at: dt.datetime  # UTC: the end whatever the use
    idle_minutes: int  # ends after this long without a command


class CliSessionEnded(SessionInvalid):
    """A command-line session that cannot be resumed; the message says why and how to log in again."""

    def __init__(self, why: str, minutes: int = 0) -> None:
        self.why = why
        self.action = N_("resume a command-line session")
        self.role = None
        Exception.__init__(self, _("Not logged in: {why}. Log in again: xinfang-desk --user NAME login").format(
            why=_(why).format(n=minutes)))


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _DUMMY_HASH() -> str:  # noqa: N802
    return _hasher.hash(secrets.token_urlsafe(16))
