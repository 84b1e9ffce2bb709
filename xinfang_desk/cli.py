"""The automation interface: `xinfang-desk [global options] [command]`. No command opens the GUI.

Every command that reads input takes `--json FILE` (or `-` for stdin); with JSON output it prints one JSON
document on stdout. Bad input exits 2 with a message on stderr that names the field and the problem, and
writes nothing. Every command that touches personal data or administers runs as an authenticated user:
`--user NAME` (password from `XINFANG_DESK_PASSWORD`, or a prompt on a terminal), else this window's automation
credential from the OS keyring (`users automation`, role `automation`); otherwise it exits 3 and writes nothing
but the audit of the refusal. A refusal (no log-in, wrong password, locked account, no permission) exits 3.
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

from xinfang_desk.domain.errors import (
    AuthenticationFailed,
    DomainError,
    FieldProblem,
    PermissionDenied,
    ValidationFailed,
)
from xinfang_desk.i18n import N_, _, set_language

EXIT_INPUT = 2
EXIT_PERMISSION = 3
EXIT_ERROR = 1


class InputError(Exception):
    def __init__(self, field: str, problem: str, **params: Any) -> None:
        self.problem = FieldProblem(field, field, problem, params)
        super().__init__(self.problem.message())


# -- helpers ------------------------------------------------------------------------------------------
MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 15
_JSON_TOKEN = __import__("re").compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


class _TooLarge(str):
    """A JSON number with more digits than any field takes (kept as text so its field can be named)."""


def _parse_int(text: str) -> Any:
    return _TooLarge(text) if len(text.lstrip("-")) > MAX_INT_DIGITS else int(text)


def _parse_float(text: str) -> Any:
    value = float(text)
    return _TooLarge(text) if value in (float("inf"), float("-inf")) else value


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _json_path(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            key = p.encode("utf-8", "backslashreplace").decode("utf-8")
            out += f".{key}" if out else key
    return out or "(document)"


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH before the parser recurses, naming where it happens."""
    if text.count("{") + text.count("[") <= MAX_JSON_DEPTH:
        return
    stack: list[list[Any]] = []  # [is_object, current key or index]
    last: str | None = None
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in "{[":
            stack.append([tok == "{", None if tok == "{" else 0])
            if len(stack) > MAX_JSON_DEPTH:
                parts = [c[1] for c in stack[:-1] if c[1] is not None]
                where = _json_path(parts[:4]) + ("…" if len(parts) > 4 else "")
                raise InputError(where, N_("is nested more than {n} levels deep"), n=MAX_JSON_DEPTH)
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok == ":":
            if stack and last is not None:
                stack[-1][1] = last
        elif tok == ",":
            if stack and not stack[-1][0]:
                stack[-1][1] += 1
        else:
            try:
                last = json.loads(tok)
            except ValueError:
                last = tok[1:-1]


def _bad_text(value: str) -> str | None:
    """The first code point that is not a character (an unpaired surrogate), as U+XXXX, or None."""
    try:
        value.encode("utf-8")
        return None
    except UnicodeEncodeError as e:
        return f"U+{ord(value[e.start]):04X}"


# texts the services check themselves (refused there with the field's label, and the refusal audited)
_SERVICE_CHECKED = frozenset({"name", "address", "summary", "demands", "respondent", "group_name", "kind"})


def _check_values(doc: Any) -> None:
    """Every key and text is real Unicode; every number fits a field."""
    todo: list[tuple[Any, list[Any]]] = [(doc, [])]
    while todo:
        value, path = todo.pop()
        if isinstance(value, _TooLarge):
            raise InputError(_json_path(path), N_("is a number too large for any field"))
        if isinstance(value, str) and not (path and path[-1] in _SERVICE_CHECKED):
            bad = _bad_text(value)
            if bad:
                raise InputError(_json_path(path), N_("contains {cp}, which is not a character (an unpaired surrogate)"), cp=bad)
        elif isinstance(value, dict):
            for k, v in value.items():
                bad = _bad_text(k)
                if bad:
                    raise InputError(_json_path([*path, k]), N_("the field name contains {cp}, which is not a character (an unpaired surrogate)"), cp=bad)
                todo.append((v, [*path, k]))
        elif isinstance(value, list):
            todo.extend((v, [*path, i]) for i, v in enumerate(value))


def _read_json(source: str) -> Any:
    """Bytes → strict UTF-8 (a BOM is accepted) → JSON (depth, number size, real characters checked)."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as fh:
                raw = fh.read()
    except OSError as e:
        raise InputError("--json", N_("cannot read the file: {err}"), err=e.strerror or str(e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError("--json", N_("is not UTF-8 text: byte 0x{byte} at line {line}, column {col}"),
                         byte=f"{raw[e.start]:02X}", line=line, col=col) from None
    _check_depth(text)
    try:
        doc = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise InputError("--json", N_("is not valid JSON (line {line}, column {col})"), line=e.lineno, col=e.colno) from None
    except ValueError as e:  # NaN / Infinity
        raise InputError("--json", N_("is not valid JSON ({token} is not a number)"), token=str(e)) from None
    except RecursionError:
        raise InputError("--json", N_("is nested more than {n} levels deep"), n=MAX_JSON_DEPTH) from None
    _check_values(doc)
    return doc


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


class NotLoggedIn(PermissionDenied):
    def __init__(self) -> None:
        self.action, self.role = N_("log in"), None
        Exception.__init__(self, _("log in first: xinfang-desk --user NAME login (or --user NAME with the password in "
                                   "XINFANG_DESK_PASSWORD), or create this window's automation credential (users "
                                   "automation --window CODE)"))


class MustChangePassword(PermissionDenied):
    def __init__(self, user: str) -> None:
        self.action, self.role = N_("work before changing the password"), None
        Exception.__init__(self, _("the password of {name} must be changed first: users passwd, with the new password "
                                   "in XINFANG_DESK_NEW_PASSWORD").format(name=user))


def _actor(args: argparse.Namespace, services: Any, default_role: str | None = None) -> Any:
    """The acting user, always authenticated (issue 11), in this order: `--user NAME` with the password in
    `XINFANG_DESK_PASSWORD`; else the command-line session of `login` (see `cli_login`; for `--user NAME` only
    NAME's); else `--user NAME` with a password prompt on a terminal; else this window's automation credential
    from the OS keyring. There is no anonymous or `system` path. (`default_role` is ignored; kept so that callers
    written before mandatory log-in still work.)"""
    from xinfang_desk.cli_login import resumed_actor

    if args.user and os.environ.get("XINFANG_DESK_PASSWORD"):
        return _password_login(args, services)
    actor = resumed_actor(args, services)
    if actor is not None:
        return actor
    if args.user:
        return _password_login(args, services)
    from xinfang_desk.services.keyring_store import automation_secret

    secret = automation_secret(args.window)
    if not secret:
        raise NotLoggedIn()
    return services.auth.login_automation(secret)


def _password_login(args: argparse.Namespace, services: Any) -> Any:
    """`--user NAME` with the password (environment or prompt); a password that must be changed is changed with
    `XINFANG_DESK_NEW_PASSWORD` (or a prompt) first."""
    from xinfang_desk.services.context import PasswordChangeRequired

    password = _secret("XINFANG_DESK_PASSWORD", _("Password: "))
    try:
        return services.auth.login(args.user, password)
    except PasswordChangeRequired:
        new = os.environ.get("XINFANG_DESK_NEW_PASSWORD") or (
            getpass.getpass(_("The password must be changed. New password: ")) if sys.stdin.isatty() else "")
        if not new:
            raise MustChangePassword(args.user) from None
        return services.auth.change_password(args.user, password, new)


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

        rows = sv.search.visits_on(_actor(args, sv), day or local_today(), window_code=args.only_window,
                                   reveal_reason=args.reveal_reason or "")
    finally:
        sv.close()
    if args.as_json:
        _emit([visit_row_json(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.query_code}\t{visit_row_json(r)['received_at']}\t{'、'.join(r.names)}\t{r.kind_label}")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    """The same proposal as the registration page (the office's holiday calendar and organ directory, through the
    classification service); messages in the chosen language (--lang); writes nothing."""
    doc = _read_json(args.json)
    _check_keys(doc, "", {"received_on", "group_size", "matter"})
    if isinstance(doc.get("matter"), dict):
        _check_keys(doc["matter"], "matter", {"kind", "facts", "summary", "demands", "respondent"})
    if args.today:
        today = _date(args.today, "--today")
    else:
        from xinfang_desk.services.context import local_today

        today = local_today()
    sv = _services(args)
    try:
        _emit(sv.classification.propose_document(_actor(args, sv), doc, today))
    finally:
        sv.close()
    return 0


def _prepare_output(out: str, field: str = "--pdf") -> Any:
    """Before anything is numbered or recorded: the folder exists, the target is not a folder, and a private
    temporary file can be created beside it. Returns that file's path (the caller writes it and renames it)."""
    from pathlib import Path

    from xinfang_desk.fileperm import create_private

    target = Path(out)
    if not target.name or target.is_dir():
        raise InputError(field, N_("{path} is a folder; give a file name, e.g. {path}/notice.pdf"), path=str(target))  # Path drops a trailing slash: no "dir//notice.pdf"
    folder = target.parent
    if not folder.is_dir():
        raise InputError(field, N_("the folder {path} does not exist"), path=str(folder))
    tmp = folder / f".{target.name}.{os.getpid()}.part"
    try:
        create_private(tmp)
    except FileExistsError:
        tmp.unlink()
        create_private(tmp)
    except OSError as e:
        raise InputError(field, N_("cannot write to the folder {path}: {err}"), path=str(folder), err=e.strerror or str(e)) from None
    return tmp


def _query_code_arg(ref: str) -> str:
    """A query code (one parser for all of them) or a visit's id; anything else is refused before the database."""
    import re

    from xinfang_desk.domain.querycode import parse_query_code

    code = parse_query_code(ref)
    if code is not None:
        return str(code)
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ref.strip()):
        return ref.strip()
    raise InputError("query_code", N_("is not a query code (window-YYYYMMDD-sequence, e.g. BN03-20261127-0001)"))


def cmd_notice(args: argparse.Namespace) -> int:
    ref = _query_code_arg(args.query_code)
    out = args.pdf
    tmp = None if out == "-" else _prepare_output(out)
    try:
        sv = _services(args)
        try:
            printed = sv.notices.print_notice(_actor(args, sv), ref, copy=args.copy)
        finally:
            sv.close()
        if tmp is None:
            sys.stdout.buffer.write(printed.pdf)
            return 0
        with open(tmp, "wb") as fh:
            fh.write(printed.pdf)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        tmp = None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
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
    """A secret from the environment, else a prompt on a terminal; never read from a piped stdin (it may hold
    the command's JSON)."""
    v = os.environ.get(env)
    if v:
        return v
    if not sys.stdin.isatty():
        raise InputError(env, N_("is not set, and there is no terminal to ask for it"))
    return getpass.getpass(prompt)


def _authorised(args: argparse.Namespace, action: str) -> tuple[Any, Any]:
    """Open the services, log in and check `action` (a refusal is audited): (services, actor). The caller
    closes the services."""
    from xinfang_desk.services.recording import require

    sv = _services(args)
    try:
        actor = _actor(args, sv)
        require(sv.db, actor, action)
    except BaseException:
        sv.close()
        raise
    return sv, actor


def _audit(sv: Any, actor: Any, action: str, success: bool = True, **detail: Any) -> None:
    from xinfang_desk.services.recording import audit

    with sv.db.transaction() as s:
        audit(s, actor, action, success=success, **detail)


def _no_password_in_argv(url: str | None, field: str) -> None:
    from xinfang_desk.sync.config import password_in_url

    if password_in_url(url):
        raise InputError(field, N_("must not contain a password (every user of this computer can read the command "
                                   "line): use XINFANG_DESK_CENTRAL_PASSWORD or the OS keyring"))


def cmd_sync(args: argparse.Namespace) -> int:
    from xinfang_desk.sync import config, transfer
    from xinfang_desk.sync.worker import run_sync

    _no_password_in_argv(getattr(args, "central", None), "--central")

    if args.sync_cmd == "login":
        sv, actor = _authorised(args, N_("manage the central database"))
        try:
            config.store_credentials(args.central, _secret("XINFANG_DESK_CENTRAL_PASSWORD", _("Central database password: ")))
            _audit(sv, actor, "sync.login")
        finally:
            sv.close()
        print(_("Stored the central URL and password in the OS keyring."), file=sys.stderr)
        return 0
    if args.sync_cmd == "export":
        sv, actor = _authorised(args, N_("export pending changes to a file"))
        try:
            key = _export_key(args.window)
            _audit(sv, actor, "sync.export", file=os.path.basename(args.out))  # travels in the file it audits
            n = transfer.export_pending(sv.db, args.out, key, window_code=args.window)
        finally:
            sv.close()
        print(_("{n} pending changes written to {path} (encrypted and signed).").format(n=n, path=args.out), file=sys.stderr)
        return 0
    sv, _actor_ = _authorised(args, N_("run the sync"))
    sv.close()
    return run_sync(args, args.db, args.window)


def cmd_central(args: argparse.Namespace) -> int:
    """Administrative: an administrator of this (the centre's workstation's) database logs in; each step is
    checked ("manage the central database") and audited, a failure too."""
    from xinfang_desk.sync import central, transfer
    from xinfang_desk.sync.config import conninfo_params

    _no_password_in_argv(args.url, "--url")
    sv, actor = _authorised(args, N_("manage the central database"))
    try:
        target = {k: v for k, v in conninfo_params(args.url, use_secrets=False).items() if k in ("host", "port", "dbname")}
        try:
            if args.central_cmd == "init":
                rev = central.init_central(args.url)
                _audit(sv, actor, "central.init", central=target, revision=rev)
                print(_("Central schema at revision {rev}.").format(rev=rev))
            elif args.central_cmd == "add-window":
                role = central.create_window_role(args.url, args.target_window,
                                                  _secret("XINFANG_DESK_WINDOW_PASSWORD", _("New password for the window's role: ")),
                                                  supervisor=args.supervisor)
                _audit(sv, actor, "central.add_window", central=target, window=args.target_window,
                       supervisor=bool(args.supervisor))
                print(_("Created the login role {role}.").format(role=role))
            elif args.central_cmd == "import":
                rep = transfer.import_file(args.url, args.file, _export_key(args.target_window))
                _audit(sv, actor, "central.import", central=target, window=args.target_window, changes=rep.changes,
                       applied=rep.applied)
                print(json.dumps(dataclasses.asdict(rep), ensure_ascii=False, default=str))
        except (InputError, DomainError, PermissionDenied):
            raise
        except Exception as e:
            _audit(sv, actor, f"central.{args.central_cmd.replace('-', '_')}", success=False, central=target,
                   error=type(e).__name__)
            raise
    finally:
        sv.close()
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


def _db_file(args: argparse.Namespace) -> Any:
    from xinfang_desk.persistence.db import sqlite_file

    path = sqlite_file(args.db)
    if path is None:
        raise InputError("--db", N_("backups, checks and restores are for this window's SQLite file"))
    return path


def cmd_db_backup(args: argparse.Namespace) -> int:
    """An online backup now (the database stays usable), verified and rotated."""
    from xinfang_desk.persistence import safety

    path = _db_file(args)
    safety.inspect_file(path)
    if not path.exists():
        raise safety.StorageProblem("cannot_open", path, _("no such file"))
    target = safety.take_backup(path)
    if args.as_json:
        _emit({"backup": str(target)})
    print(_("Backup written and verified: {path}").format(path=target), file=sys.stderr)
    return 0


def cmd_db_verify(args: argparse.Namespace) -> int:
    """Full integrity check of the file (and of the newest backup); exit 1 when the file is not sound."""
    from xinfang_desk.persistence import safety

    path = _db_file(args)
    if not path.exists():
        raise safety.StorageProblem("cannot_open", path, _("no such file"))
    problem = safety.check_sqlite(path, full=True)
    backups = safety.list_backups(path)
    if args.as_json:
        _emit({"file": str(path), "ok": problem is None, "problem": problem and problem[0],
               "detail": problem and problem[1], "newest_backup": str(backups[0]) if backups else None})
    if problem:
        raise safety.StorageProblem(problem[0], path, problem[1]).with_backup(path)
    print(_("{path}: integrity check passed.").format(path=path), file=sys.stderr)
    return 0


def cmd_db_restore(args: argparse.Namespace) -> int:
    """Replace the database by a backup (checked in full first); the current file is kept aside."""
    from pathlib import Path

    from xinfang_desk.persistence import safety

    path = _db_file(args)
    aside = safety.restore(path, Path(args.file))
    print(_("Restored {path} from {file}.").format(path=path, file=args.file), file=sys.stderr)
    if aside is not None:
        print(_("The file it replaced is kept in {aside}.").format(aside=aside), file=sys.stderr)
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


class _Ignored:
    """Stands in for the parser of a command that is not being run: absorbs what is added to it."""

    def __getattr__(self, name: str) -> Any:
        return self._absorb

    def _absorb(self, *args: Any, **kw: Any) -> _Ignored:
        return self


class _OnlyCommand:
    """The `sub` of build_parser when argv names the command: only that command's parser is built (argparse
    takes ~20 ms to build all of them, a tenth of a listing's start; bench/bench_cli_startup.py)."""

    def __init__(self, sub: Any, command: str) -> None:
        self.sub, self.command = sub, command

    @property
    def choices(self) -> dict[str, Any]:
        return self.sub.choices

    def add_parser(self, name: str, **kw: Any) -> Any:
        return self.sub.add_parser(name, **kw) if name == self.command else _Ignored()


# every command of the parser (tests/unit/test_cli_startup_paths.py checks that this is the parser's list)
COMMANDS = frozenset({"advice", "attend", "audit", "book", "calendar", "central", "classify", "daily-log", "db", "dbkey",
                      "demo", "docket", "login", "logout", "notice", "organs", "progress", "register", "sessions", "slip",
                      "state", "sync", "unbook", "users", "visits"})
_GLOBAL_WITH_VALUE = frozenset({"--db", "--window", "--lang", "--user"})
_GLOBAL_FLAGS = frozenset({"--self-test"})


def command_of(argv: list[str]) -> str | None:
    """The command `argv` names, when that is certain (only the global options, spelt out, come before it);
    else None (then the whole parser is built: help, errors and abbreviations behave as always)."""
    it = iter(argv)
    for tok in it:
        if tok in _GLOBAL_WITH_VALUE:
            next(it, None)
        elif tok.split("=", 1)[0] in _GLOBAL_WITH_VALUE and "=" in tok or tok in _GLOBAL_FLAGS:
            continue
        elif tok.startswith("-"):
            return None
        else:
            return tok if tok in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with `command` only that command's (see `command_of`)."""
    from xinfang_desk.paths import default_db_url

    p = argparse.ArgumentParser(prog="xinfang-desk", description="信访接待 — reception desk of a district petition office")
    p.add_argument("--version", action=_VersionAction, help="show the version and those of the rule set, statute catalogue and calendar")
    p.add_argument("--db", default=os.environ.get("XINFANG_DESK_DB") or None,
                   help="database URL (env XINFANG_DESK_DB; default: SQLite file in the user data dir)")
    p.add_argument("--window", default=os.environ.get("XINFANG_DESK_WINDOW", "BN03"), help="window code (env XINFANG_DESK_WINDOW)")
    p.add_argument("--lang", default=os.environ.get("XINFANG_DESK_LANG", "zh_CN"), choices=["zh_CN", "en"])
    p.add_argument("--user", default=os.environ.get("XINFANG_DESK_USER"), help="act as this user (password: env XINFANG_DESK_PASSWORD, a prompt, or the session of `login`)")
    p.add_argument("--self-test", action="store_true", help="open the main window offscreen on a temporary database and exit 0")
    p.set_defaults(func=None, _default_db=default_db_url)
    sub: Any = p.add_subparsers(dest="command", metavar="command")
    if command is not None:
        sub = _OnlyCommand(sub, command)

    s = sub.add_parser("demo", help="fill the database with a fictional demo week and open the GUI")
    s.add_argument("--no-gui", action="store_true")
    s.add_argument("--seed", type=int, default=20261127)
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("db", help="database maintenance")
    dbsub = s.add_subparsers(dest="db_command", metavar="db_command", required=True)
    u = dbsub.add_parser("upgrade", help="back up and migrate the database to this version's schema")
    u.set_defaults(func=cmd_db_upgrade)
    u = dbsub.add_parser("backup", help="take a verified online backup now (kept in backups/ beside the file)")
    u.add_argument("--json", dest="as_json", action="store_true")
    u.set_defaults(func=cmd_db_backup)
    u = dbsub.add_parser("verify", help="full integrity check of the database file")
    u.add_argument("--json", dest="as_json", action="store_true")
    u.set_defaults(func=cmd_db_verify)
    u = dbsub.add_parser("restore", help="replace the database by a backup (checked first; the current file is kept aside)")
    u.add_argument("file", metavar="FILE")
    u.set_defaults(func=cmd_db_restore)

    s = sub.add_parser("register", help="register a visit from JSON")
    s.add_argument("--json", required=True, metavar="FILE|-")
    s.set_defaults(func=cmd_register)

    s = sub.add_parser("visits", help="list the visits of a day")
    s.add_argument("--date", metavar="YYYY-MM-DD")
    s.add_argument("--json", dest="as_json", action="store_true")
    s.add_argument("--only-window", metavar="CODE")
    s.add_argument("--reveal-reason", metavar="TEXT",
                   help="show full ID numbers and phones (supervisors only); the reason is audited")
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

    from xinfang_desk.cli_supervisor import add_commands as add_supervisor_commands  # issue 10

    add_supervisor_commands(sub)

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

    # the command groups of the later issues, each in its own module (plain imports: the bundle's analysis sees them)
    from xinfang_desk import cli_audit, cli_dbkey, cli_login, cli_sessions, cli_users

    for group in (cli_login, cli_sessions, cli_users, cli_audit, cli_dbkey):
        group.add_commands(sub)
    return p


# One-shot commands run with Python's cyclic garbage collector off: during the imports it walks every object they
# create again and again (~10 % of a command's start, bench/bench_cli_startup.py), and these commands build little
# cyclic garbage and end within a second. The GUI, the sync, the demo and the bulk commands (exports, logs, backups)
# keep it on.
ONE_SHOT = frozenset({"visits", "classify", "organs", "calendar", "login", "logout", "progress", "state", "register",
                      "users", "dbkey", "sessions", "book", "unbook", "attend", "audit"})


def main(argv: list[str] | None = None) -> int:
    import gc

    gc.disable()
    parser = build_parser(command_of(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.command not in ONE_SHOT or getattr(args, "csv", None) or args.self_test:
        gc.enable()
    try:
        set_language(args.lang)
        if args.db is None:
            args.db = args._default_db()
        _check_windows(args)
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
    except (PermissionDenied, AuthenticationFailed) as e:
        print(_("Error: {msg}").format(msg=str(e)), file=sys.stderr)
        return EXIT_PERMISSION
    except DomainError as e:
        print(_("Error: {msg}").format(msg=str(e)), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `xinfang-desk visits | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - one clear line, never a traceback (XINFANG_DESK_DEBUG=1 shows it)
        return _unexpected(e, args)


def _check_windows(args: argparse.Namespace) -> None:
    """Every window code on the command line has the shape of one (the administrator's list is checked when the
    database is open); nothing else reaches the database or a file name."""
    from xinfang_desk.domain.querycode import LISTED_WINDOW_PATTERN

    for field, value in (("--window", args.window), ("--only-window", getattr(args, "only_window", None)),
                         ("--window", getattr(args, "target_window", None))):
        if value is not None and not LISTED_WINDOW_PATTERN.fullmatch(value):
            raise InputError(field, N_("must be two capital letters and two digits (e.g. BN03) or a window the administrator has set up"))


def _unexpected(e: Exception, args: argparse.Namespace) -> int:
    from xinfang_desk.persistence.safety import translate

    path = None
    try:
        from xinfang_desk.persistence.db import sqlite_file

        path = sqlite_file(args.db) if isinstance(args.db, str) else None
    except Exception:  # noqa: BLE001, S110 - only for the message
        pass
    problem = translate(e, path)
    if os.environ.get("XINFANG_DESK_DEBUG"):
        import traceback

        traceback.print_exc()
    if problem is not None:
        print(_("Error: {msg}").format(msg=problem.message()), file=sys.stderr)
    else:
        print(_("Error: {msg}").format(msg=_("unexpected {kind}: {detail} (run again with XINFANG_DESK_DEBUG=1 for the details)")
                                       .format(kind=type(e).__name__, detail=str(e)[:300])), file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
