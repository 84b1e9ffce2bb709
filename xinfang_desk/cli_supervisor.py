"""The supervisor's commands: `progress`, `state`, `visits search`, `daily-log`.

    xinfang-desk --user supervisor progress BN03-20261127-0001 [--json] [--slip OUT.pdf]
    xinfang-desk --user clerk state BN03-20261127-0001 --json step.json
    xinfang-desk --user supervisor visits search --json query.json [--csv OUT.csv]
    xinfang-desk --user supervisor daily-log --date 2026-11-27 [--to 2026-11-30] [--window BN03] --pdf log.pdf [--xlsx log.xlsx]

Files are written 0600 (personal data, even masked), through a temporary file renamed into place.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from xinfang_desk.cli import InputError, _actor, _check_keys, _date, _emit, _read_json, _services
from xinfang_desk.i18n import N_, _


def write_private(path: str, data: bytes) -> None:
    """Write `data` to `path` (or stdout for '-') as a 0600 file, atomically."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    tmp = f"{path}.part"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as e:
        raise InputError(path, N_("cannot write the file: {err}"), err=e.strerror or str(e)) from None


# -- progress -------------------------------------------------------------------------------------------
def view_json(v: Any) -> dict[str, Any]:
    from xinfang_desk.domain.progress import ACT_LABELS_ZH, STATE_LABELS_ZH

    duty = None
    if v.duty is not None:
        d = v.duty
        duty = {"duty": d.duty, "label": d.duty_label_zh, "instrument": d.instrument, "version": d.version,
                "article": d.article, "paragraph": d.paragraph, "period": d.period, "last_day": d.last_day.isoformat(),
                "calendar_certain": d.calendar_certain, "overdue": d.overdue, "days_left": d.days_left}
    return {
        "query_code": v.query_code, "received_on": v.received_on.isoformat(), "window": v.window_code,
        "kind": v.kind, "kind_label": v.kind_label, "people": [{"name": n, "id_number": i} for n, i in zip(v.names, v.ids_masked, strict=True)],
        "state": v.state, "state_label": STATE_LABELS_ZH.get(v.state, v.state), "since": v.since.isoformat(),
        "history": [
            {"state": s.state, "label": ACT_LABELS_ZH.get(s.state, s.state), "occurred_on": s.occurred_on.isoformat(),
             "organ": s.organ, "document": s.document, "note": s.note, "recorded_by": s.operator_name,
             "window": s.window_code, "out_of_order": s.out_of_order}
            for s in v.steps
        ],
        "office_duty": duty,
    }


def cmd_progress(args: argparse.Namespace) -> int:
    sv = _services(args)
    try:
        actor = _actor(args, sv)
        if args.query_code:
            views = sv.progress.lookup(actor, query_code=args.query_code)
        else:
            if not (args.id_number and args.name):
                raise InputError("query_code", N_("give the query code, or --id-number together with --name"))
            views = sv.progress.lookup(actor, id_number=args.id_number, name=args.name)
        if args.slip:
            from xinfang_desk.printing.progress_slip import render_slip

            write_private(args.slip, render_slip(views, office=sv.progress.office()))
    finally:
        sv.close()
    if args.as_json:
        _emit(view_json(views[0]) if args.query_code else [view_json(v) for v in views])
    else:
        from xinfang_desk.printing.progress_slip import slip_lines

        for v in views:
            print("\n".join(slip_lines(v)))
            print()
    return 0


STEP_KEYS = {"state", "occurred_on", "organ", "document", "note"}


def cmd_state(args: argparse.Namespace) -> int:
    from xinfang_desk.services.progress import StepInput

    doc = _check_keys(_read_json(args.json), "", STEP_KEYS)
    for k in ("state", "organ", "document", "note"):
        if doc.get(k) is not None and not isinstance(doc[k], str):
            raise InputError(k, N_("must be text"))
    if not doc.get("state"):
        raise InputError("state", N_("is needed (e.g. transferred, accepted, replied, closed)"))
    step = StepInput(state=doc["state"], occurred_on=_date(doc["occurred_on"], "occurred_on") if doc.get("occurred_on") else None,
                     organ=doc.get("organ") or "", document=doc.get("document") or "", note=doc.get("note") or "")
    sv = _services(args)
    try:
        view = sv.progress.record(_actor(args, sv), args.query_code, step)
    finally:
        sv.close()
    _emit(view_json(view))
    return 0


# -- visits search ---------------------------------------------------------------------------------------
QUERY_KEYS = {"date_from", "date_to", "windows", "kinds", "decisions", "states", "town", "repeat", "collective",
              "person", "sort", "descending", "page", "page_size", "count"}


def _str_list(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    v = doc.get(key)
    if v is None:
        return ()
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InputError(key, N_("must be a list of text values"))
    return tuple(v)


def _bool(doc: dict[str, Any], key: str) -> bool | None:
    v = doc.get(key)
    if v is not None and not isinstance(v, bool):
        raise InputError(key, N_("must be true, false or null"))
    return v


def _int(doc: dict[str, Any], key: str, default: int) -> int:
    v = doc.get(key, default)
    if not isinstance(v, int) or isinstance(v, bool):
        raise InputError(key, N_("must be a whole number"))
    return v


def parse_query(doc: Any) -> Any:
    from xinfang_desk.services.visit_search import VisitQuery

    doc = _check_keys(doc, "", QUERY_KEYS)
    for k in ("town", "person", "sort"):
        if doc.get(k) is not None and not isinstance(doc[k], str):
            raise InputError(k, N_("must be text"))
    return VisitQuery(
        date_from=_date(doc["date_from"], "date_from") if doc.get("date_from") else None,
        date_to=_date(doc["date_to"], "date_to") if doc.get("date_to") else None,
        windows=_str_list(doc, "windows"), kinds=_str_list(doc, "kinds"), decisions=_str_list(doc, "decisions"),
        states=_str_list(doc, "states"), town=doc.get("town") or "", repeat=_bool(doc, "repeat"),
        collective=_bool(doc, "collective"), person=doc.get("person") or "", sort=doc.get("sort") or "received_at",
        descending=_bool(doc, "descending") is not False, page=_int(doc, "page", 1), page_size=_int(doc, "page_size", 50),
        count=bool(_bool(doc, "count")),
    )


def cmd_visits_search(args: argparse.Namespace) -> int:
    from xinfang_desk.services.visit_search import hit_json, hits_to_csv

    q = parse_query(_read_json(args.json))
    sv = _services(args)
    try:
        actor = _actor(args, sv)
        page = sv.visit_search.search(actor, q)
        if args.csv:
            write_private(args.csv, hits_to_csv(sv.visit_search.all_rows(actor, q)))
    finally:
        sv.close()
    _emit({"page": page.page, "page_size": page.page_size, "has_more": page.has_more, "total": page.total,
           "total_capped": page.total_capped, "visits": [hit_json(r) for r in page.rows]})
    return 0


# -- daily log -------------------------------------------------------------------------------------------
def cmd_daily_log(args: argparse.Namespace) -> int:
    from xinfang_desk.printing.daily_log import render_pdf, render_xlsx

    day = _date(args.date, "--date")
    to = _date(args.to, "--to") if args.to else None
    if args.pdf is None and args.xlsx is None:
        raise InputError("--pdf", N_("give --pdf OUT and/or --xlsx OUT"))
    sv = _services(args)
    try:
        log = sv.daily_log.build(_actor(args, sv), day, to, window=args.log_window)
    finally:
        sv.close()
    if args.pdf:
        write_private(args.pdf, render_pdf(log))
    if args.xlsx:
        write_private(args.xlsx, render_xlsx(log))
    print(_("Daily log {start}–{end}: {n} visits.").format(start=log.date_from.isoformat(), end=log.date_to.isoformat(),
                                                           n=len(log.rows)), file=sys.stderr)
    return 0


def add_commands(sub: Any) -> None:
    s = sub.add_parser("progress", help="a matter's progress (查询办理进度) by query code, or ID number and name")
    s.add_argument("query_code", nargs="?", default="")
    s.add_argument("--id-number", default="")
    s.add_argument("--name", default="")
    s.add_argument("--json", dest="as_json", action="store_true")
    s.add_argument("--slip", metavar="OUT.pdf", help="also print the progress slip to PDF")
    s.set_defaults(func=cmd_progress)

    s = sub.add_parser("state", help="record a progress step of a matter (JSON: state, occurred_on, organ, document, note)")
    s.add_argument("query_code")
    s.add_argument("--json", required=True, metavar="FILE|-")
    s.set_defaults(func=cmd_state)

    visits = sub.choices.get("visits")
    if visits is not None:
        vsub = visits.add_subparsers(dest="visits_cmd", metavar="visits_command")
        vs = vsub.add_parser("search", help="search past visits (JSON filters) [--csv OUT]")
        vs.add_argument("--json", required=True, metavar="FILE|-")
        vs.add_argument("--csv", metavar="OUT")
        vs.set_defaults(func=cmd_visits_search)

    s = sub.add_parser("daily-log", help="the daily log (接待日志) of a day or range as PDF and/or Excel")
    s.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    s.add_argument("--to", metavar="YYYY-MM-DD")
    s.add_argument("--window", dest="log_window", metavar="CODE", help="only this window's visits")
    s.add_argument("--pdf", metavar="OUT")
    s.add_argument("--xlsx", metavar="OUT")
    s.set_defaults(func=cmd_daily_log)


