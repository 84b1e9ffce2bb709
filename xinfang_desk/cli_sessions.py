"""CLI for sessions (issue 9): `sessions plan|list`, and `book`, `unbook`, `attend`, `advice`, `slip`, `docket`
(also reachable as `sessions book …` etc.). Bad input exits 2 naming the field, a permission refusal exits 3,
and nothing is written on refusal (the services validate everything before their one transaction)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from xinfang_desk.cli import InputError, _actor, _check_keys, _date, _emit, _read_json, _services
from xinfang_desk.i18n import N_, _

PERSON_KEYS = {"key", "name", "role", "title", "firm", "organisation", "specialties", "phone", "conflicts", "unavailable"}
PLAN_KEYS = {"key", "type", "place", "town", "weekdays", "market_days", "skip_weekends", "start", "end", "capacity", "from",
             "to", "people", "rotate_lawyers", "except"}


def _text(obj: dict[str, Any], key: str, field: str, required: bool = False) -> str:
    v = obj.get(key)
    if v is None:
        if required:
            raise InputError(field, N_("is required"))
        return ""
    if not isinstance(v, str):
        raise InputError(field, N_("must be text"))
    if required and not v.strip():
        raise InputError(field, N_("is required"))
    return v.strip()


def _int(obj: dict[str, Any], key: str, field: str, default: int | None = None) -> int:
    v = obj.get(key, default)
    if v is None:
        raise InputError(field, N_("is required"))
    if not isinstance(v, int) or isinstance(v, bool):
        raise InputError(field, N_("must be a whole number"))
    return v


def _list(obj: dict[str, Any], key: str, field: str) -> list[Any]:
    v = obj.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise InputError(field, N_("must be a list"))
    return v


def parse_plan_document(doc: Any) -> tuple[list[Any], list[Any]]:
    """The plan file -> (PersonInput list, PlanInput list); raises InputError naming the JSON path."""
    from xinfang_desk.services.scheduling import PersonInput, PlanInput

    _check_keys(doc, "", {"people", "plans"})
    people = []
    for i, p in enumerate(_list(doc, "people", "people")):
        f = f"people[{i}]"
        _check_keys(p, f, PERSON_KEYS)
        conflicts = []
        for j, c in enumerate(_list(p, "conflicts", f"{f}.conflicts")):
            cf = f"{f}.conflicts[{j}]"
            _check_keys(c, cf, {"party", "id_number", "organisation"})
            conflicts.append((_text(c, "party", f"{cf}.party"), _text(c, "id_number", f"{cf}.id_number"),
                              _text(c, "organisation", f"{cf}.organisation")))
        unavailable = []
        for j, u in enumerate(_list(p, "unavailable", f"{f}.unavailable")):
            uf = f"{f}.unavailable[{j}]"
            _check_keys(u, uf, {"from", "to"})
            unavailable.append((_date(u.get("from"), f"{uf}.from"), _date(u.get("to"), f"{uf}.to")))
        specs = _list(p, "specialties", f"{f}.specialties")
        if not all(isinstance(x, str) for x in specs):
            raise InputError(f"{f}.specialties", N_("must be a list of matter kinds"))
        people.append(PersonInput(
            key=_text(p, "key", f"{f}.key", True), name=_text(p, "name", f"{f}.name", True), role=_text(p, "role", f"{f}.role", True),
            title=_text(p, "title", f"{f}.title"), organisation=_text(p, "firm", f"{f}.firm") or _text(p, "organisation", f"{f}.organisation"),
            specialties=tuple(specs), phone=_text(p, "phone", f"{f}.phone"), conflicts=tuple(conflicts), unavailable=tuple(unavailable)))
    plans = []
    for i, pl in enumerate(_list(doc, "plans", "plans")):
        f = f"plans[{i}]"
        _check_keys(pl, f, PLAN_KEYS)
        weekdays = _list(pl, "weekdays", f"{f}.weekdays")
        market = pl.get("market_days")
        cal, days = "", []
        if market is not None:
            _check_keys(market, f"{f}.market_days", {"calendar", "days"})
            cal = _text(market, "calendar", f"{f}.market_days.calendar") or "solar"
            days = _list(market, "days", f"{f}.market_days.days")
            if not days:
                raise InputError(f"{f}.market_days.days", N_("must be a non-empty list such as [1, 4, 7]"))
        for name, values in (("weekdays", weekdays), ("market_days.days", days)):
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in values):
                raise InputError(f"{f}.{name}", N_("must be a list of whole numbers"))
        skipped, moved = [], []
        for j, e in enumerate(_list(pl, "except", f"{f}.except")):
            ef = f"{f}.except[{j}]"
            if isinstance(e, dict):
                _check_keys(e, ef, {"date", "to"})
                moved.append((_date(e.get("date"), f"{ef}.date"), _date(e.get("to"), f"{ef}.to")))
            else:
                skipped.append(_date(e, ef))
        people_keys = _list(pl, "people", f"{f}.people")
        if not all(isinstance(k, str) for k in people_keys):
            raise InputError(f"{f}.people", N_("must be a list of people's keys"))
        skip = pl.get("skip_weekends", False)
        if not isinstance(skip, bool):
            raise InputError(f"{f}.skip_weekends", N_("must be true or false"))
        plans.append(PlanInput(
            key=_text(pl, "key", f"{f}.key", True), type=_text(pl, "type", f"{f}.type", True),
            start=_text(pl, "start", f"{f}.start", True), end=_text(pl, "end", f"{f}.end", True),
            capacity=_int(pl, "capacity", f"{f}.capacity"), from_day=_date(pl.get("from"), f"{f}.from"),
            to_day=_date(pl.get("to"), f"{f}.to"), people=tuple(people_keys), place=_text(pl, "place", f"{f}.place"),
            town=_text(pl, "town", f"{f}.town"), weekdays=tuple(weekdays), market_calendar=cal, market_days=tuple(days),
            skip_weekends=skip, rotate_lawyers=_int(pl, "rotate_lawyers", f"{f}.rotate_lawyers", 0),
            skipped=tuple(skipped), moved=tuple(moved)))
    return people, plans


def session_json(sd: Any) -> dict[str, Any]:
    return {
        "id": sd.id, "type": sd.type, "date": sd.day.isoformat(), "start": sd.start, "end": sd.end, "place": sd.place,
        "town": sd.town or None, "capacity": sd.capacity,
        "people": [{"name": p.name, "role": p.role, "key": p.key, **({"firm": p.organisation} if p.organisation else {}),
                    **({"title": p.title} if p.title else {})} for p in sd.people],
        "bookings": sd.bookings, "waiting": sd.waiting, "plan": sd.plan_key or None,
    }


def booking_json(b: Any) -> dict[str, Any]:
    return {"booking_id": b.id, "query_code": b.query_code, "session_id": b.session_id, "status": b.status,
            "position": b.position, "provisional": b.provisional, "refused_by_centre": b.refused_by_centre,
            "recused": [{"person": r.person, "party": r.party, "conflict": r.what} for r in b.recused],
            "promoted": b.promoted}


def _write_private(path: str, data: bytes) -> None:
    """Write `data` to `path` (or stdout for "-") as a 0600 file, atomically."""
    if path == "-":
        sys.stdout.buffer.write(data)
        return
    tmp = f"{path}.part"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as e:
        raise InputError("--pdf", N_("cannot write the file: {err}"), err=e.strerror or str(e)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


# -- commands -----------------------------------------------------------------------------------------
def cmd_plan(args: argparse.Namespace) -> int:
    people, plans = parse_plan_document(_read_json(args.json))
    sv = _services(args)
    try:
        res = sv.scheduling.apply_plan(_actor(args, sv), people, plans)
    finally:
        sv.close()
    _emit([session_json(s) for s in res.created])
    print(_("{created} sessions created, {existing} already there, {skipped} dates skipped (holidays, exceptions, weekends).").format(
        created=len(res.created), existing=res.existing, skipped=len(res.skipped)), file=sys.stderr)
    if res.uncertain_years:
        print(_("Warning: the holiday calendar does not cover {years}; statutory holidays there were not skipped "
                "(load the year with `calendar import`, then plan again).").format(
            years=", ".join(str(y) for y in res.uncertain_years)), file=sys.stderr)
    for qtr, firms in res.firm_counts.items():
        print(f"{qtr}: " + "，".join(f"{firm} {n}" for firm, n in firms.items()), file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    start = _date(args.from_day, "--from")
    end = _date(args.to_day, "--to")
    if end < start:
        raise InputError("--to", N_("must not be before --from"))
    sv = _services(args)
    try:
        rows = sv.scheduling.list_sessions(_actor(args, sv), start, end, args.type, args.town)
    finally:
        sv.close()
    if args.as_json:
        _emit([session_json(s) for s in rows])
    else:
        for s in rows:
            people = "、".join(p.name for p in s.people)
            print(f"{s.id}\t{s.day}\t{s.start}-{s.end}\t{s.type}\t{s.town or s.place}\t{s.bookings}/{s.capacity}+{s.waiting}\t{people}")
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        b = sv.scheduling.book(_actor(args, sv), args.query_code, args.session_id)
    finally:
        sv.close()
    _emit(booking_json(b))
    return 0


def cmd_unbook(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        b = sv.scheduling.unbook(_actor(args, sv), args.query_code, args.session_id)
    finally:
        sv.close()
    _emit(booking_json(b))
    return 0


def cmd_attend(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        b = sv.scheduling.mark(_actor(args, sv), args.query_code, args.session_id, attended=bool(args.attended))
    finally:
        sv.close()
    _emit(booking_json(b))
    return 0


def advice_json(a: Any) -> dict[str, Any]:
    return {"advice_id": a.id, "query_code": a.query_code, "session_id": a.session_id, "lawyer": a.lawyer,
            "person": a.person_key, "firm": a.organisation, "advice": a.advice, "channel": a.channel or None,
            "channel_label": a.channel_label or None, "legal_aid": a.legal_aid, "corrects": a.corrects_id,
            "created_at": a.created_at.isoformat()}


def cmd_advice(args: argparse.Namespace) -> int:
    from xinfang_desk.services.advice import AdviceInput

    doc = _check_keys(_read_json(args.json), "", {"advice", "channel", "legal_aid", "session_id", "person", "corrects"})
    legal_aid = doc.get("legal_aid", False)
    if not isinstance(legal_aid, bool):
        raise InputError("legal_aid", N_("must be true or false"))
    inp = AdviceInput(advice=_text(doc, "advice", "advice", True), channel=_text(doc, "channel", "channel"),
                      legal_aid=legal_aid, session_id=_text(doc, "session_id", "session_id") or None,
                      person_key=_text(doc, "person", "person") or None)
    sv = _services(args)
    try:
        actor = _actor(args, sv)
        a = sv.advice.record(actor, args.query_code, inp, corrects=_text(doc, "corrects", "corrects") or None)
        pdf = sv.advice.print_referral(actor, a.id) if args.referral else None
    finally:
        sv.close()
    if pdf is not None:
        _write_private(args.referral, pdf)
    _emit(advice_json(a))
    return 0


def cmd_slip(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        pdf = sv.scheduling.print_slip(_actor(args, sv), args.query_code)
    finally:
        sv.close()
    _write_private(args.pdf, pdf)
    if args.pdf != "-":
        print(_("Appointment slip for {code} written to {path}").format(code=args.query_code, path=args.pdf), file=sys.stderr)
    return 0


def cmd_docket(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        pdf = sv.scheduling.print_docket(_actor(args, sv), args.session_id)
    finally:
        sv.close()
    _write_private(args.pdf, pdf)
    if args.pdf != "-":
        print(_("Docket written to {path}").format(path=args.pdf), file=sys.stderr)
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        p = sv.scheduling.link_user(_actor(args, sv, None), args.person_key, args.username)
    finally:
        sv.close()
    _emit({"person": p.key, "name": p.name, "role": p.role, "username": args.username})
    return 0


def _add_booking_commands(sub: Any) -> None:
    s = sub.add_parser("book", help="book a registered visit (query code) into a session; full -> waiting list")
    s.add_argument("query_code")
    s.add_argument("session_id")
    s.set_defaults(func=cmd_book)
    s = sub.add_parser("unbook", help="cancel a visit's booking; the first waiting visit moves up")
    s.add_argument("query_code")
    s.add_argument("session_id")
    s.set_defaults(func=cmd_unbook)
    s = sub.add_parser("attend", help="mark a booked visit attended or no-show (on or after the session's day)")
    s.add_argument("query_code")
    s.add_argument("session_id")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--attended", action="store_true")
    g.add_argument("--no-show", dest="no_show", action="store_true")
    s.set_defaults(func=cmd_attend)
    s = sub.add_parser("advice", help="record (or, with \"corrects\", edit) the legal advice given to a visit")
    s.add_argument("query_code")
    s.add_argument("--json", required=True, metavar="FILE|-")
    s.add_argument("--referral", metavar="OUT", help="also print the legal-aid referral letter to this PDF")
    s.set_defaults(func=cmd_advice)
    s = sub.add_parser("slip", help="print the visitor's appointment slip (预约单) to PDF")
    s.add_argument("query_code")
    s.add_argument("--pdf", required=True, metavar="OUT")
    s.set_defaults(func=cmd_slip)
    s = sub.add_parser("docket", help="print a session's docket (接访安排表) to PDF")
    s.add_argument("session_id")
    s.add_argument("--pdf", required=True, metavar="OUT")
    s.set_defaults(func=cmd_docket)


def add_commands(sub: Any) -> None:
    s = sub.add_parser("sessions", help="leader receptions, duty lawyers and town outreach: plan, list, book")
    ssub = s.add_subparsers(dest="sessions_cmd", metavar="sessions_command", required=True)
    p = ssub.add_parser("plan", help="create people, plans and their sessions from JSON (re-running creates nothing twice)")
    p.add_argument("--json", required=True, metavar="FILE|-")
    p.set_defaults(func=cmd_plan)
    ls = ssub.add_parser("list", help="the sessions between two dates")
    ls.add_argument("--from", dest="from_day", required=True, metavar="YYYY-MM-DD")
    ls.add_argument("--to", dest="to_day", required=True, metavar="YYYY-MM-DD")
    ls.add_argument("--type", choices=["leader_reception", "lawyer_duty", "outreach"])
    ls.add_argument("--town", metavar="NAME")
    ls.add_argument("--json", dest="as_json", action="store_true")
    ls.set_defaults(func=cmd_list)
    lk = ssub.add_parser("link", help="link a user account (e.g. a duty lawyer's) to its person (administrator)")
    lk.add_argument("person_key")
    lk.add_argument("username")
    lk.set_defaults(func=cmd_link)
    _add_booking_commands(ssub)
    _add_booking_commands(sub)
