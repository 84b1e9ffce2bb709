"""`xinfang-desk audit verify|list|purge`: the tamper-evident audit trail from the command line.

Exit status of `audit verify`: 0 the chain is intact, 4 it is broken (each break on stdout with its position).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from xinfang_desk.i18n import N_, _

EXIT_BROKEN = 4

def _filter(args: argparse.Namespace) -> Any:
    from xinfang_desk.cli import InputError, _date
    from xinfang_desk.services.audit_log import AuditFilter

    if args.limit is not None and args.limit < 1:
        raise InputError("--limit", N_("must be a whole number of at least 1"))
    return AuditFilter(date_from=_date(args.date_from, "--from") if args.date_from else None,
                       date_to=_date(args.date_to, "--to") if args.date_to else None,
                       username=args.by or "", action=args.action or "", window_code=args.only_window,
                       **({"limit": args.limit} if args.limit else {}))


def cmd_audit(args: argparse.Namespace) -> int:
    from xinfang_desk.cli import _actor, _date, _emit, _services
    from xinfang_desk.services.audit_log import finding_text  # not at parser build: it imports SQLAlchemy

    sv = _services(args)
    try:
        if args.audit_cmd == "verify":
            anchors = None
            actor = _actor(args, sv)
            if args.central:
                from xinfang_desk.cli import _no_password_in_argv
                from xinfang_desk.sync.audit_anchor import central_heads
                from xinfang_desk.sync.central import connect

                _no_password_in_argv(args.central, "--central")
                with connect(args.central) as conn:
                    anchors = [(seq, h) for seq, h, _status in central_heads(conn)]
            reports = sv.audit_log.verify(actor, all_windows=args.all_windows, anchors=anchors)
            if args.as_json:
                _emit([r.as_dict() for r in reports])
            for r in reports:
                if not args.as_json:
                    state = _("intact") if r.intact else _("BROKEN")
                    print(_("Audit chain of window {window}: {state} ({n} records, positions {first}–{last}).").format(
                        window=r.window_code, state=state, n=r.records, first=r.first_position,
                        last=r.head_position))
                    for f in r.findings:
                        print("  " + finding_text(f))
            return 0 if all(r.intact for r in reports) else EXIT_BROKEN
        if args.audit_cmd == "list":
            f = _filter(args)
            actor = _actor(args, sv)
            if args.csv:
                n = sv.audit_log.export_csv(actor, args.csv, f)
                print(_("{n} audit records written to {path}.").format(n=n, path=args.csv), file=sys.stderr)
                return 0
            rows = sv.audit_log.list(actor, f)
            from xinfang_desk.services.context import to_local

            if args.as_json:
                _emit([{"at": to_local(r.at).isoformat(timespec="seconds"), "window": r.window_code,
                        "position": r.position, "user": r.username, "action": r.action, "entity": r.entity,
                        "entity_id": r.entity_id, "success": r.success, "detail": r.detail} for r in rows])
            else:
                for r in rows:
                    print(f"{to_local(r.at):%Y-%m-%d %H:%M:%S}\t{r.window_code}#{r.position}\t{r.username}\t"
                          f"{r.action}\t{'ok' if r.success else 'FAILED'}")
            return 0
        if args.audit_cmd == "purge":
            before = _date(args.before, "--before")
            res = sv.audit_log.purge(_actor(args, sv, None), before)
            print(_("{n} audit records older than {date} removed (through position {pos}).").format(
                n=res.removed, date=res.before.isoformat(), pos=res.purged_through), file=sys.stderr)
            return 0
    finally:
        sv.close()
    return 2


def add_commands(sub: Any) -> None:
    s = sub.add_parser("audit", help="the tamper-evident audit trail (verify, list, export, purge)")
    asub = s.add_subparsers(dest="audit_cmd", metavar="audit_command", required=True)
    v = asub.add_parser("verify", help="check the hash chain; exit 4 and the positions when it is broken")
    v.add_argument("--all-windows", action="store_true", help="also check other windows' records held here")
    v.add_argument("--central", metavar="URL", help="also compare with every head this window reported to the centre "
                   "(the window's central URL; password from XINFANG_DESK_CENTRAL_PASSWORD or the keyring)")
    v.add_argument("--json", dest="as_json", action="store_true")
    ls = asub.add_parser("list", help="audit records, newest first (supervisor or admin)")
    ls.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    ls.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    ls.add_argument("--by", metavar="USER", help="only this user's records")
    ls.add_argument("--action", help="an action (auth.login) or a prefix ending in a dot (auth.)")
    ls.add_argument("--only-window", metavar="CODE")
    ls.add_argument("--limit", type=int)
    ls.add_argument("--json", dest="as_json", action="store_true")
    ls.add_argument("--csv", metavar="FILE", help="write the records to a CSV file instead (created 0600)")
    pg = asub.add_parser("purge", help="remove this window's records older than a date at least 6 months ago (admin)")
    pg.add_argument("--before", required=True, metavar="YYYY-MM-DD")
    s.set_defaults(func=cmd_audit)
