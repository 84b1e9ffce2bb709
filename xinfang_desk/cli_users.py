"""`xinfang-desk users …`: accounts from the command line (automation, tests, an administrator's scripts).

Passwords never appear as arguments: the acting user's from `XINFANG_DESK_PASSWORD` (or a prompt on a
terminal), a new one from `XINFANG_DESK_NEW_PASSWORD` (or a prompt). Every command but `setup-admin` (only on a
database with no user) and `passwd` of one's own password needs `--user` of an administrator; each change is
audited by the service, and a refusal exits 3 and changes nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
from typing import Any

from xinfang_desk.i18n import N_, _


def _new_password() -> str:
    from xinfang_desk.cli import InputError

    v = os.environ.get("XINFANG_DESK_NEW_PASSWORD")
    if v:
        return v
    if not sys.stdin.isatty():
        raise InputError("XINFANG_DESK_NEW_PASSWORD", N_("is not set, and there is no terminal to ask for it"))
    a = getpass.getpass(_("New password: "))
    if a != getpass.getpass(_("New password again: ")):
        raise InputError("XINFANG_DESK_NEW_PASSWORD", N_("the two entries differ"))
    return a


def _user_json(u: Any) -> dict[str, Any]:
    return dataclasses.asdict(u)


def cmd_users(args: argparse.Namespace) -> int:
    from xinfang_desk.cli import InputError, _actor, _emit, _secret, _services

    c = args.users_cmd
    sv = _services(args)
    try:
        auth = sv.auth
        if c == "setup-admin":
            u = auth.setup_first_admin(args.name, args.display_name or args.name, _new_password())
            _emit(_user_json(u))
            return 0
        if c == "passwd" and (not args.name or (args.user and args.name.lower() == args.user.lower())):
            if not args.user:
                raise InputError("--user", N_("name the user whose password changes (--user NAME)"))
            old = _secret("XINFANG_DESK_PASSWORD", _("Current password: "))
            auth.change_password(args.user, old, _new_password())
            print(_("Password of {name} changed.").format(name=args.user.lower()), file=sys.stderr)
            return 0
        actor = _actor(args, sv)
        if c == "add":
            u = auth.create_user(actor, args.name, args.display_name or args.name, args.role, _new_password(),
                                 home_window=args.target_window)
            _emit(_user_json(u))
        elif c == "passwd":
            u = auth.reset_password(actor, args.name, _new_password())
            print(_("Password of {name} reset; it must be changed at the next log-in.").format(name=u.username),
                  file=sys.stderr)
        elif c == "disable":
            _emit(_user_json(auth.disable_user(actor, args.name)))
        elif c == "enable":
            _emit(_user_json(auth.enable_user(actor, args.name)))
        elif c == "unlock":
            _emit(_user_json(auth.unlock_user(actor, args.name)))
        elif c == "update":
            _emit(_user_json(auth.update_user(actor, args.name, role=args.role, display_name=args.display_name,
                                              home_window=args.target_window)))
        elif c == "list":
            _emit([_user_json(u) for u in auth.list_users(actor)])
        elif c == "automation":
            from xinfang_desk.services.keyring_store import keyring_usable, store_automation_secret

            why = keyring_usable()
            if why:
                raise InputError("keyring", N_("the OS keyring cannot store the credential ({err})"), err=why)
            name, secret = auth.create_automation(actor, args.target_window)
            try:
                store_automation_secret(args.target_window, secret)
            except Exception as e:  # noqa: BLE001 - no keyring: the secret is discarded, never written anywhere
                raise InputError("keyring", N_("the OS keyring cannot store the credential ({err})"), err=str(e)) from None
            print(_("Automation account {name} ready; its secret is in this PC's OS keyring.").format(name=name),
                  file=sys.stderr)
        elif c == "policy":
            if args.set:
                pol = auth.set_policy_from_cli(actor, args.set)
            else:
                from xinfang_desk.services.recording import require

                require(sv.db, actor, N_("manage users"))
                pol = auth.policy()
            _emit(pol.as_dict())
        return 0
    finally:
        sv.close()


def add_commands(sub: Any) -> None:
    from xinfang_desk.services.context import ROLES

    s = sub.add_parser("users", help="accounts: set up the first admin, add, change passwords, disable, unlock")
    us = s.add_subparsers(dest="users_cmd", metavar="users_command", required=True)
    p = us.add_parser("setup-admin", help="create the first administrator (only on a database with no user); "
                                          "password: env XINFANG_DESK_NEW_PASSWORD or prompt")
    p.add_argument("name")
    p.add_argument("--display-name")
    p = us.add_parser("add", help="add a user (admin); initial password: env XINFANG_DESK_NEW_PASSWORD or prompt; "
                                  "it must be changed at the first log-in")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--window", dest="target_window", metavar="CODE", help="the user's home window")
    p.add_argument("--display-name")
    p = us.add_parser("passwd", help="change your own password (--user), or reset NAME's as an admin; "
                                     "new password: env XINFANG_DESK_NEW_PASSWORD or prompt")
    p.add_argument("name", nargs="?")
    for name, text in (("disable", "disable a user (admin); their sessions end"), ("enable", "enable a user again (admin)"),
                       ("unlock", "lift a lock-out after failed log-ins (admin)")):
        p = us.add_parser(name, help=text)
        p.add_argument("name")
    p = us.add_parser("update", help="change a user's role, display name or home window (admin)")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--display-name")
    p.add_argument("--window", dest="target_window", metavar="CODE")
    us.add_parser("list", help="the accounts as JSON (admin; no password hashes)")
    p = us.add_parser("automation", help="(re)create a window's automation credential in this PC's OS keyring (admin)")
    p.add_argument("--window", dest="target_window", required=True, metavar="CODE")
    p = us.add_parser("policy", help="show the login rules; --set NAME=VALUE makes them stricter (admin)")
    p.add_argument("--set", nargs="+", metavar="NAME=VALUE")
    s.set_defaults(func=cmd_users)
