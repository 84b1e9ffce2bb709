"""The automation interface: `xinfang-desk [global options] [command]`. No command opens the GUI.

Every command that reads input takes `--json FILE` (or `-` for stdin); with JSON output it prints one JSON
document on stdout. Bad input exits 2 with a message on stderr that names the field and the problem, and
writes nothing. Without `--user`, commands act as this window's automation account `system` (audited as
such) with the clerk's permissions; `--user NAME` (password from `XINFANG_DESK_PASSWORD` or a prompt) acts
as that user with their role.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import json
import os
import sys
from typing import Any

from xinfang_desk.domain.errors import DomainError, FieldProblem, PermissionDenied, ValidationFailed
from xinfang_desk.i18n import N_, _, set_language

EXIT_INPUT = 2
EXIT_PERMISSION = 3
EXIT_ERROR = 1


class InputError(Exception):
    def __init__(self, field: str, problem: str, **params: Any) -> None:
        self.problem = FieldProblem(field, field, problem, params)
        super().__init__(self.problem.message())


# -- helpers ------------------------------------------------------------------------------------------
def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    except OSError as e:
        raise InputError("--json", N_("cannot read the file: {err}"), err=e.strerror or str(e)) from None
    except UnicodeDecodeError:
        raise InputError("--json", N_("is not UTF-8 text")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError("--json", N_("is not valid JSON (line {line}, column {col})"), line=e.lineno, col=e.colno) from None


def _date(value: Any, field: str) -> dt.date:
    if not isinstance(value, str):
        raise InputError(field, N_("must be a date written YYYY-MM-DD"))
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(field, N_("must be a date written YYYY-MM-DD")) from None


def _check_keys(obj: Any, field: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(field or "(document)", N_("must be a JSON object"))
    extra = sorted(set(obj) - allowed)
    if extra:
        name = f"{field}.{extra[0]}" if field else extra[0]
        raise InputError(name, N_("is not a known field"))
    return obj


def _str(obj: dict[str, Any], key: str, field: str) -> str:
    v = obj.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, str):
        raise InputError(field, N_("must be text"))
    return v


def _emit(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")


def _services(args: argparse.Namespace) -> Any:
    from xinfang_desk.services.container import Services

    return Services.open(args.db, args.window)


def _actor(args: argparse.Namespace, services: Any, default_role: str | None = "clerk") -> Any:
    """The acting user: `--user` (logged in), else the window's automation account with a clerk's rights.
    Administrative commands pass `default_role=None`: they need a real administrator's log-in."""
    from xinfang_desk.services.context import system_actor

    if not args.user and default_role is None:
        raise InputError("--user", N_("this command needs an administrator to log in (--user NAME)"))
    if args.user:
        password = os.environ.get("XINFANG_DESK_PASSWORD") or getpass.getpass(_("Password: "))
        return services.auth.login(args.user, password)
    return system_actor(args.window, default_role or "clerk")


# -- commands -----------------------------------------------------------------------------------------
def cmd_register(args: argparse.Namespace) -> int:
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    doc = _check_keys(_read_json(args.json), "", {"received_on", "received_at", "channel", "group_size", "group_name", "people", "matter"})
    received_on = _date(doc["received_on"], "received_on") if doc.get("received_on") is not None else None
    received_at = None
    if doc.get("received_at") is not None:
        try:
            received_at = dt.datetime.fromisoformat(str(doc["received_at"]))
        except ValueError:
            raise InputError("received_at", N_("must be a date and time with an offset, e.g. 2026-11-27T09:30:00+08:00")) from None
        if received_at.tzinfo is None:
            raise InputError("received_at", N_("must be a date and time with an offset, e.g. 2026-11-27T09:30:00+08:00"))
    group_size = doc.get("group_size", 1)
    if not isinstance(group_size, int) or isinstance(group_size, bool):
        raise InputError("group_size", N_("must be a whole number"))
    people_in = doc.get("people")
    if not isinstance(people_in, list) or not people_in:
        raise InputError("people", N_("must be a non-empty list of people"))
    people = []
    for i, p in enumerate(people_in):
        f = f"people[{i}]"
        _check_keys(p, f, {"name", "id_number", "phone", "address", "role", "person_id"})
        people.append(PersonInput(
            name=_str(p, "name", f"{f}.name"), id_number=_str(p, "id_number", f"{f}.id_number"),
            phone=_str(p, "phone", f"{f}.phone"), address=_str(p, "address", f"{f}.address"),
            role=_str(p, "role", f"{f}.role") or "visitor", person_id=p.get("person_id") or None,
        ))
    m = _check_keys(doc.get("matter"), "matter", {"kind", "summary", "demands", "respondent", "facts"})
    facts = m.get("facts") or {}
    if not isinstance(facts, dict):
        raise InputError("matter.facts", N_("must be a JSON object"))
    inp = RegistrationInput(
        people=tuple(people),
        matter=MatterInput(
            kind=_str(m, "kind", "matter.kind"), summary=_str(m, "summary", "matter.summary"),
            demands=_str(m, "demands", "matter.demands"), respondent=_str(m, "respondent", "matter.respondent"),
            facts=facts,
        ),
        channel=_str(doc, "channel", "channel") or "visit", group_size=group_size,
        group_name=_str(doc, "group_name", "group_name"), received_on=received_on, received_at=received_at,
    )
    sv = _services(args)
    try:
        res = sv.registration.register(_actor(args, sv), inp)
    finally:
        sv.close()
    _emit({
        "visit_id": res.visit_id,
        "query_code": res.query_code,
        "person_ids": list(res.person_ids),
        "matter_id": res.matter_id,
        "repeat_of": None if res.repeat_of is None else {
            "visit_id": res.repeat_of.visit_id, "query_code": res.repeat_of.query_code,
            "received_on": res.repeat_of.received_on.isoformat(), "window": res.repeat_of.window_code,
            "status": res.repeat_of.status,
        },
        "warnings": list(res.warnings),
    })
    return 0


def visit_row_json(r: Any) -> dict[str, Any]:
    from xinfang_desk.services.context import to_local

    return {
        "visit_id": r.visit_id,
        "query_code": r.query_code,
        "received_at": to_local(r.received_at).isoformat(timespec="seconds"),
        "received_on": r.received_on.isoformat(),
        "window": r.window_code,
        "channel": r.channel,
        "group_size": r.group_size,
        "people": [dict(p) for p in r.people],
        "matter": {"kind": r.kind, "label": r.kind_label, "status": r.status},
        "repeat": r.is_repeat,
        "clerk": r.clerk,
    }


def cmd_visits(args: argparse.Namespace) -> int:
    day = _date(args.date, "--date") if args.date else None
    sv = _services(args)
    try:
        from xinfang_desk.services.context import local_today

        rows = sv.search.visits_on(_actor(args, sv), day or local_today(), window_code=args.only_window)
    finally:
        sv.close()
    if args.as_json:
        _emit([visit_row_json(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.query_code}\t{visit_row_json(r)['received_at']}\t{'、'.join(r.names)}\t{r.kind_label}")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    """Pure: classifies the document against the shipped rules, catalogue and calendar; writes nothing."""
    from xinfang_desk.statutes.engine import classify_document

    doc = _read_json(args.json)
    _check_keys(doc, "", {"received_on", "group_size", "matter"})
    if isinstance(doc.get("matter"), dict):
        _check_keys(doc["matter"], "matter", {"kind", "facts", "summary", "demands", "respondent"})
    if args.today:
        today = _date(args.today, "--today")
    else:
        from xinfang_desk.services.context import local_today

        today = local_today()
    _emit(classify_document(doc, today=today))
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        printed = sv.notices.print_notice(_actor(args, sv), args.query_code, copy=args.copy)
    finally:
        sv.close()
    out = args.pdf
    if out == "-":
        sys.stdout.buffer.write(printed.pdf)
    else:
        tmp = f"{out}.part"
        with open(tmp, "wb") as fh:
            fh.write(printed.pdf)
        os.replace(tmp, out)
        print(_("{kind} {doc} for {code} written to {path}").format(
            kind=_("Reprint (补打)") if printed.reprint else _("Notice"), doc=printed.document_number,
            code=printed.query_code, path=out), file=sys.stderr)
    return 0


def _export_key(window: str) -> bytes:
    """The window's export signing key: $XINFANG_DESK_EXPORT_KEY (base64) or the OS keyring."""
    import base64

    from xinfang_desk.sync import transfer

    env = os.environ.get("XINFANG_DESK_EXPORT_KEY")
    if env:
        return base64.b64decode(env)
    try:
        return transfer.export_key(window)
    except Exception as e:  # noqa: BLE001 — no keyring backend, or no key stored
        raise InputError("XINFANG_DESK_EXPORT_KEY", N_("no export key: set it (base64) or store one in the OS keyring ({err})"),
                         err=str(e)) from None


def _secret(env: str, prompt: str) -> str:
    return os.environ.get(env) or getpass.getpass(prompt)


def cmd_sync(args: argparse.Namespace) -> int:
    from xinfang_desk.sync import config, transfer
    from xinfang_desk.sync.worker import run_sync

    if args.sync_cmd == "login":
        config.store_credentials(args.central, _secret("XINFANG_DESK_CENTRAL_PASSWORD", _("Central database password: ")))
        print(_("Stored the central URL and password in the OS keyring."), file=sys.stderr)
        return 0
    if args.sync_cmd == "export":
        from xinfang_desk.persistence.db import Database

        db = Database(args.db)
        try:
            n = transfer.export_pending(db, args.out, _export_key(args.window), window_code=args.window)
        finally:
            db.dispose()
        print(_("{n} pending changes written to {path} (signed).").format(n=n, path=args.out), file=sys.stderr)
        return 0
    return run_sync(args, args.db, args.window)


def cmd_central(args: argparse.Namespace) -> int:
    from xinfang_desk.sync import central, transfer

    if args.central_cmd == "init":
        print(_("Central schema at revision {rev}.").format(rev=central.init_central(args.url)))
    elif args.central_cmd == "add-window":
        role = central.create_window_role(args.url, args.target_window,
                                          _secret("XINFANG_DESK_WINDOW_PASSWORD", _("New password for the window's role: ")),
                                          supervisor=args.supervisor)
        print(_("Created the login role {role}.").format(role=role))
    elif args.central_cmd == "import":
        rep = transfer.import_file(args.url, args.file, _export_key(args.target_window))
        print(json.dumps(dataclasses.asdict(rep), ensure_ascii=False, default=str))
    return 0


def cmd_organs(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        if args.organs_cmd == "update":
            fields = {k: v for k, v in (("name", args.name), ("address", args.address), ("phone", args.phone),
                                        ("hours", args.hours)) if v is not None}
            confirmed = True if args.confirmed else (False if args.unconfirmed else None)
            sv.reference.update_organ(_actor(args, sv, None), args.key, confirmed=confirmed, **fields)
        rows = sv.reference.organs()
    finally:
        sv.close()
    _emit([{"key": o.key, "name": o.name, "address": o.address, "phone": o.phone, "hours": o.hours,
            "confirmed": o.confirmed, "version": o.version} for o in rows])
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        if args.calendar_cmd == "import":
            doc = _read_json(args.json)
            if not isinstance(doc, dict):
                raise InputError("--json", N_("must be a JSON object"))
            year = sv.reference.import_calendar_year(_actor(args, sv, None), doc)
            print(_("Holiday calendar {year} loaded.").format(year=year), file=sys.stderr)
        _emit({"years": sv.reference.calendar_years()})
    finally:
        sv.close()
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from xinfang_desk.persistence.db import Database, current_revision

    db = Database(args.db)
    print(_("Database {db} is at schema {rev}.").format(db=db.describe(), rev=current_revision(db.engine)))
    db.dispose()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from xinfang_desk.services.demo import fill_demo

    sv = _services(args)
    try:
        summary = fill_demo(sv, seed=args.seed)
    finally:
        sv.close()
    print(_("Demo data: {visits} visits at windows {windows}; log in as {users} (passwords in the README).").format(
        visits=summary["visits"], windows=", ".join(summary["windows"]), users=", ".join(summary["users"])), file=sys.stderr)
    if args.no_gui:
        return 0
    return _gui(args)


def _gui(args: argparse.Namespace, self_test: bool = False) -> int:
    from xinfang_desk.app import run_gui

    return run_gui(args.db, args.window, lang=args.lang, self_test=self_test)


# -- parser -------------------------------------------------------------------------------------------
class _VersionAction(argparse.Action):
    """`--version`: loads the shipped data only when asked (it takes a moment)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(self, parser: argparse.ArgumentParser, *a: Any) -> None:
        from xinfang_desk.launch import version_text

        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from xinfang_desk.paths import default_db_url

    p = argparse.ArgumentParser(prog="xinfang-desk", description="信访接待 — reception desk of a district petition office")
    p.add_argument("--version", action=_VersionAction, help="show the version and those of the rule set, statute catalogue and calendar")
    p.add_argument("--db", default=os.environ.get("XINFANG_DESK_DB") or None,
                   help="database URL (env XINFANG_DESK_DB; default: SQLite file in the user data dir)")
    p.add_argument("--window", default=os.environ.get("XINFANG_DESK_WINDOW", "BN03"), help="window code (env XINFANG_DESK_WINDOW)")
    p.add_argument("--lang", default=os.environ.get("XINFANG_DESK_LANG", "zh_CN"), choices=["zh_CN", "en"])
    p.add_argument("--user", default=os.environ.get("XINFANG_DESK_USER"), help="act as this user (password: env XINFANG_DESK_PASSWORD)")
    p.add_argument("--self-test", action="store_true", help="open the main window offscreen on a temporary database and exit 0")
    p.set_defaults(func=None, _default_db=default_db_url)
    sub = p.add_subparsers(dest="command", metavar="command")

    s = sub.add_parser("demo", help="fill the database with a fictional demo week and open the GUI")
    s.add_argument("--no-gui", action="store_true")
    s.add_argument("--seed", type=int, default=20261127)
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("db", help="database maintenance")
    dbsub = s.add_subparsers(dest="db_command", metavar="db_command", required=True)
    u = dbsub.add_parser("upgrade", help="back up and migrate the database to this version's schema")
    u.set_defaults(func=cmd_db_upgrade)

    s = sub.add_parser("register", help="register a visit from JSON")
    s.add_argument("--json", required=True, metavar="FILE|-")
    s.set_defaults(func=cmd_register)

    s = sub.add_parser("visits", help="list the visits of a day")
    s.add_argument("--date", metavar="YYYY-MM-DD")
    s.add_argument("--json", dest="as_json", action="store_true")
    s.add_argument("--only-window", metavar="CODE")
    s.set_defaults(func=cmd_visits)

    s = sub.add_parser("classify", help="propose the statutory channel(s) for a matter (JSON in, JSON out)")
    s.add_argument("--json", required=True, metavar="FILE|-")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="compute deadlines as of this day (default: today)")
    s.set_defaults(func=cmd_classify)

    s = sub.add_parser("notice", help="print the guidance notice (告知书) of a visit to PDF; again = 补打")
    s.add_argument("query_code")
    s.add_argument("--pdf", required=True, metavar="OUT", help="output file, or - for stdout")
    s.add_argument("--copy", choices=["visitor", "stub", "both"], default="both")
    s.set_defaults(func=cmd_notice)

    s = sub.add_parser("organs", help="the organ directory printed on notices (list; update as admin)")
    osub = s.add_subparsers(dest="organs_cmd", metavar="organs_command")
    osub.add_parser("list", help="print the directory as JSON")
    ou = osub.add_parser("update", help="change an organ's name, address, phone or hours (needs --user of an admin)")
    ou.add_argument("key")
    for name in ("name", "address", "phone", "hours"):
        ou.add_argument(f"--{name}")
    conf = ou.add_mutually_exclusive_group()
    conf.add_argument("--confirmed", action="store_true", help="the office has checked these details")
    conf.add_argument("--unconfirmed", action="store_true")
    s.set_defaults(func=cmd_organs, organs_cmd="list")

    s = sub.add_parser("calendar", help="the holiday calendar used for deadlines (list; import a year as admin)")
    calsub = s.add_subparsers(dest="calendar_cmd", metavar="calendar_command")
    calsub.add_parser("list", help="the years the calendar covers")
    ci = calsub.add_parser("import", help="load one year's State Council schedule (same JSON as resources/calendar)")
    ci.add_argument("--json", required=True, metavar="FILE|-")
    s.set_defaults(func=cmd_calendar, calendar_cmd="list")

    from xinfang_desk.sync.worker import add_sync_arguments

    s = sub.add_parser("sync", help="push this window's changes to the central PostgreSQL and pull the others'")
    add_sync_arguments(s)
    ssub = s.add_subparsers(dest="sync_cmd", metavar="sync_command")
    lg = ssub.add_parser("login", help="store the central URL and password in the OS keyring")
    lg.add_argument("--central", required=True, metavar="URL")
    ex = ssub.add_parser("export", help="write the pending changes to a signed file (network down for days)")
    ex.add_argument("--out", required=True, metavar="FILE")
    s.set_defaults(func=cmd_sync, sync_cmd=None)

    s = sub.add_parser("central", help="the district's central PostgreSQL (run by its owner)")
    csub = s.add_subparsers(dest="central_cmd", metavar="central_command", required=True)
    ci = csub.add_parser("init", help="create or upgrade the central schema")
    ci.add_argument("--url", required=True)
    aw = csub.add_parser("add-window", help="create a window's login role (password: env XINFANG_DESK_WINDOW_PASSWORD or prompt)")
    aw.add_argument("--url", required=True)
    aw.add_argument("--window", dest="target_window", required=True, metavar="CODE")
    aw.add_argument("--supervisor", action="store_true", help="may also list and resolve conflicts")
    im = csub.add_parser("import", help="apply a window's signed export file at the centre")
    im.add_argument("--url", required=True)
    im.add_argument("--window", dest="target_window", required=True, metavar="CODE")
    im.add_argument("file")
    s.set_defaults(func=cmd_central)

    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        set_language(args.lang)
        if args.db is None:
            args.db = args._default_db()
        if args.self_test:
            return _gui(args, self_test=True)
        if args.func is None:
            return _gui(args)
        return int(args.func(args) or 0)
    except InputError as e:
        print(_("Error: {msg}").format(msg=e.problem.message()), file=sys.stderr)
        return EXIT_INPUT
    except ValidationFailed as e:
        for prob in e.problems:  # the JSON path first, for scripts; then the message in the user's language
            where = f"{prob.field}: " if prob.field else ""
            print(_("Error: {msg}").format(msg=where + prob.message()), file=sys.stderr)
        return EXIT_INPUT
    except PermissionDenied as e:
        print(_("Error: {msg}").format(msg=str(e)), file=sys.stderr)
        return EXIT_PERMISSION
    except DomainError as e:
        print(_("Error: {msg}").format(msg=str(e)), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `xinfang-desk visits | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
