"""`xinfang-desk dbkey status|encrypt|rekey`: field encryption of the window database (administrators).

The key is kept in the OS keyring; with `--passphrase` (or where no keyring exists) it is derived from a passphrase
read from `XINFANG_DESK_NEW_DB_PASSPHRASE` or a prompt — never from the command line. An encrypted database opened
later needs its key: the keyring item, or the passphrase in `XINFANG_DESK_DB_PASSPHRASE`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from xinfang_desk.i18n import _


def _new_passphrase(args: argparse.Namespace) -> str | None:
    from xinfang_desk.persistence.fieldcrypt import _keyring

    if not args.passphrase and _keyring() is not None:
        return None
    return os.environ.get("XINFANG_DESK_NEW_DB_PASSPHRASE") or getpass.getpass(_("New database passphrase: "))


def cmd_dbkey(args: argparse.Namespace) -> int:
    from xinfang_desk.cli import _actor, _emit, _services
    from xinfang_desk.services.dbkey import DatabaseKeyService

    sv = _services(args)
    try:
        svc = DatabaseKeyService(sv.db)
        actor = _actor(args, sv, None)
        if args.dbkey_cmd == "status":
            st = svc.status(actor)
            _emit({"encrypted": st.encrypted, "held_by": st.held_by})
            return 0
        fn = svc.encrypt if args.dbkey_cmd == "encrypt" else svc.rekey
        counts = fn(actor, _new_passphrase(args))
        print(_("Database fields encrypted: {counts}.").format(
            counts=", ".join(f"{k} {v}" for k, v in counts.items())), file=sys.stderr)
        return 0
    finally:
        sv.close()


def add_commands(sub: Any) -> None:
    s = sub.add_parser("dbkey", help="field encryption of this window's database (admin): status, encrypt, rekey")
    ksub = s.add_subparsers(dest="dbkey_cmd", metavar="dbkey_command", required=True)
    ksub.add_parser("status", help="whether the database is encrypted and where its key is held")
    for name, text in (("encrypt", "encrypt ID numbers, phones, addresses, grievance text, notices and the outbox "
                                   "in place"), ("rekey", "re-encrypt everything under a new key")):
        p = ksub.add_parser(name, help=text)
        p.add_argument("--passphrase", action="store_true",
                       help="derive the key from a passphrase (XINFANG_DESK_NEW_DB_PASSPHRASE or a prompt) instead "
                            "of keeping it in the OS keyring")
    s.set_defaults(func=cmd_dbkey)
