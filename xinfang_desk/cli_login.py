"""`xinfang-desk --user NAME login` and `xinfang-desk logout`: a command-line session, like `sudo`'s or `gh auth
login`'s, so that a clerk types the password once and the next commands start without the Argon2 check.

The session lives in the window database (`cli_sessions`, only the token's SHA-256) and its token in a file
that only the OS user who logged in can read (0600, in a 0700 folder of the user data folder), one per database
and window. It ends at `logout`, after the GUI's idle limit without a command (≤ 10 minutes, the login rules'
`idle_lock_minutes`), after `session_hours` (≤ 12) at most, and as soon as the account is disabled, locked,
given another role or its password is changed or reset (`services.auth.AuthService.resume_cli_session`).

Which identity a command runs as (`cli._actor`): `--user NAME` with `XINFANG_DESK_PASSWORD` set logs in with
the password (scripts, as before); else this session (for `--user NAME`, only if it is NAME's); else a password
prompt for `--user NAME` on a terminal; else the window's automation credential. A session file that cannot
be resumed is removed and the command is refused (exit 3) with the reason, never run as somebody else.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.i18n import N_, _


def session_file(args: argparse.Namespace) -> Path:
    """The token file of this database and window (for SQLite the file's absolute path, so that a relative URL
    finds the same session from any folder)."""
    from xinfang_desk.paths import data_dir

    target = str(args.db)
    if target.startswith("sqlite:"):
        from sqlalchemy.engine import make_url

        db = make_url(target).database
        if db and db != ":memory:":
            target = "sqlite:" + str(Path(db).resolve())
    key = hashlib.sha256(f"{target}\0{args.window}".encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return data_dir() / "cli-sessions" / f"{key}.token"


def read_token(args: argparse.Namespace) -> str | None:
    """The token of this database and window, or None. A file others could read is not trusted: it is removed
    and the command refused (`InsecureSessionFile`)."""
    path = session_file(args)
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if os.name == "posix" and (st.st_mode & 0o077 or st.st_uid != os.getuid()):
        path.unlink(missing_ok=True)
        raise InsecureSessionFile(path)
    token = path.read_text(encoding="ascii", errors="replace").strip()
    return token or None


def forget_token(args: argparse.Namespace) -> None:
    session_file(args).unlink(missing_ok=True)


class InsecureSessionFile(PermissionDenied):
    def __init__(self, path: Path) -> None:
        self.action, self.role = N_("resume a command-line session"), None
        Exception.__init__(self, _("the session file {path} could be read by other users of this computer: it was removed; "
                           "log in again").format(path=path))


def resumed_actor(args: argparse.Namespace, services: Any) -> Any | None:
    """The actor of this database and window's command-line session, or None when there is none (or it is
    another user's than `--user`). An ended session's file is removed; the refusal says why."""
    from xinfang_desk.services.auth import CliSessionEnded

    token = read_token(args)
    if token is None:
        return None
    try:
        actor = services.auth.resume_cli_session(token)
    except CliSessionEnded as e:
        forget_token(args)
        if args.user:  # the password (prompt) is the way on
            print(_("Note: {msg}").format(msg=str(e)), file=sys.stderr)
            return None
        raise
    if args.user and args.user.strip().lower() != actor.username:
        from xinfang_desk.services.context import end_session

        end_session(actor)  # this process only: the other user's session stays
        return None
    return actor


def cmd_login(args: argparse.Namespace) -> int:
    """Log in with the password once (a prompt on a terminal, else `XINFANG_DESK_PASSWORD`), then open the
    session and keep its token in a file only this OS user can read."""
    from xinfang_desk.cli import InputError, _emit, _password_login, _services
    from xinfang_desk.fileperm import private_dir, write_private_text
    from xinfang_desk.services.context import to_local

    if not args.user:
        raise InputError("--user", N_("is needed to log in (or set XINFANG_DESK_USER)"))
    sv = _services(args)
    try:
        actor = _password_login(args, sv)
        old = None
        try:
            old = read_token(args)
        except InsecureSessionFile:
            pass
        if old:
            sv.auth.end_cli_session(old)
        opened = sv.auth.open_cli_session(actor)
        path = session_file(args)
        private_dir(path.parent)
        write_private_text(path, opened.token + "\n", encoding="ascii")
    finally:
        sv.close()
    end = to_local(opened.expires_at)
    if args.as_json:
        _emit({"user": actor.username, "role": actor.role, "window": actor.window_code,
               "idle_minutes": opened.idle_minutes, "ends_at": end.isoformat(timespec="minutes")})
    print(_("Logged in as {name} at window {window}. The next commands need no password until `xinfang-desk "
            "logout`, {n} minutes without a command, or {end} at the latest.").format(
        name=actor.username, window=actor.window_code, n=opened.idle_minutes, end=end.strftime("%Y-%m-%d %H:%M")),
        file=sys.stderr)
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    from xinfang_desk.cli import _services

    try:
        token = read_token(args)
    except InsecureSessionFile:
        token = None
    if token is None:
        print(_("Not logged in on the command line."), file=sys.stderr)
        return 0
    sv = _services(args)
    try:
        sv.auth.end_cli_session(token)
    finally:
        sv.close()
        forget_token(args)
    print(_("Logged out."), file=sys.stderr)
    return 0


def add_commands(sub: Any) -> None:
    s = sub.add_parser("login", help="log in once (--user NAME; password prompt or XINFANG_DESK_PASSWORD): the next "
                                     "commands need no password until logout or 10 minutes without a command")
    s.add_argument("--json", dest="as_json", action="store_true", help="print the session's user, role and end")
    s.set_defaults(func=cmd_login)
    s = sub.add_parser("logout", help="end the command-line session now")
    s.set_defaults(func=cmd_logout)
