"""The supervisor's search of past visits on 1,000,000 visits: the first page (50 rows, newest first) for a
date range + kind, through `VisitSearchService.search` (with rows, masking, decisions, sync state and the
audit event), beside the bare SQL of the page's ids on the same file (the floor), in the same run.
Target: median <= 50 ms.

    .venv/bin/python bench/bench_supervisor_search.py            # 1,000,000 visits over 7 years (built once, cached)
    .venv/bin/python bench/bench_supervisor_search.py --quick    # 50,000 visits

The database is built with bulk Core inserts (tests/supervisor_bulk.py) and cached under /tmp, keyed by the
schema revision and size, so reruns only measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
from typing import Any

from common import REPO, bench_session, cached_database, report, time_calls  # noqa: I001 - sets sys.path
from sqlalchemy import event

from xinfang_desk.persistence.db import Database
from xinfang_desk.services.visit_search import VisitQuery, VisitSearchService

BUILD_VERSION = 2  # 2: matter_progress.started
DAYS = 2500  # ~ 400 visits a day


def fill_visits(conn: Any, visits: int) -> None:
    sys.path.insert(0, str(REPO))
    from tests.supervisor_bulk import fill

    fill(conn, dt.date(2019, 11, 1), visits, days=DAYS, seed=11)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="50,000 visits instead of 1,000,000")
    ap.add_argument("--n", type=int, default=200, help="timed calls")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    visits = 50_000 if args.quick else 1_000_000
    path = cached_database("supervisor", BUILD_VERSION, visits, lambda conn: fill_visits(conn, visits), args.rebuild)
    sys.path.insert(0, str(REPO))
    from tests.supervisor_bulk import KINDS

    db = Database(f"sqlite:///{path}", backup=False)
    svc = VisitSearchService(db)
    sup = bench_session(db, "BN01", "supervisor")
    raw = sqlite3.connect(path)
    first, last = (dt.date.fromisoformat(x) for x in raw.execute("SELECT min(received_on), max(received_on) FROM visits").fetchone())
    rng = random.Random(3)
    kinds = [k for k, _d in KINDS]

    def query() -> VisitQuery:
        span = rng.choice((7, 31, 92, 365))
        start = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days - span)))
        return VisitQuery(date_from=start, date_to=start + dt.timedelta(days=span), kinds=(rng.choice(kinds),))

    sql = ("SELECT v.id FROM visits v JOIN matters m ON m.visit_id = v.id WHERE v.received_on >= ? AND v.received_on <= ? "
           "AND m.kind = ? ORDER BY v.received_on DESC, v.received_at DESC, v.id DESC LIMIT 51")

    def bare() -> object:
        q = query()
        return raw.execute(sql, (q.date_from.isoformat(), q.date_to.isoformat(), q.kinds[0])).fetchall()

    def service() -> object:
        page = svc.search(sup, query())
        assert 0 < len(page.rows) <= 50
        return page

    print(f"\nSQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}; ranges of 1 week to 1 year, one kind")
    report("baseline: bare SQL of the first page's ids", time_calls(bare, args.n))
    report("VisitSearchService.search, first page of 50", time_calls(service, args.n), target=50)

    print("\nEXPLAIN QUERY PLAN of the page query the service ran:")
    seen: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT VISITS.ID"):
            seen.append((statement, tuple(parameters)))

    event.listen(db.engine, "before_cursor_execute", capture)
    svc.search(sup, query())
    event.remove(db.engine, "before_cursor_execute", capture)
    for stmt, params in seen[:1]:
        print("  " + " ".join(stmt.split())[:160])
        for r in raw.execute("EXPLAIN QUERY PLAN " + stmt, params):
            print(f"      {r[-1]}")
    raw.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
