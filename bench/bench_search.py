"""Search on a large local database: `SearchService.search_people` by exact ID number and by name prefix,
beside a raw sqlite3 primary-key lookup on the same file (the floor).

    .venv/bin/python bench/bench_search.py            # 1,000,000 visits, ~600,000 people (built once, cached)
    .venv/bin/python bench/bench_search.py --quick    # 50,000 visits

The database is built with bulk Core inserts (not the service) and cached under /tmp, keyed by the schema
revision and size, so reruns only measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
import uuid
from typing import Any

from common import GIVEN, SURNAMES, bench_session, cached_database, fake_id, fake_name, report, time_calls  # noqa: I001 - sets sys.path
from pypinyin import Style, lazy_pinyin
from sqlalchemy import event, insert

from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import Matter, Person, Visit, VisitPerson
from xinfang_desk.services.search import SearchService

BUILD_VERSION = 1
CHUNK = 20_000


def pinyin_tables() -> tuple[dict[str, str], dict[str, str]]:
    chars = set(SURNAMES + GIVEN)
    full = {c: "".join(lazy_pinyin(c, errors="ignore")) for c in chars}
    initials = {c: "".join(lazy_pinyin(c, style=Style.FIRST_LETTER, errors="ignore")) for c in chars}
    return full, initials


def fill(conn: Any, visits: int, seed: int = 1) -> None:
    """People (60 % of the visit count) and visits over 2,500 days, in chunks of bulk Core inserts."""
    rng = random.Random(seed)
    n_people = visits * 6 // 10
    full, initials = pinyin_tables()
    now = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    people_ids: list[str] = []
    t0 = time.perf_counter()
    rows = []
    for _ in range(n_people):
        name = fake_name(rng)
        pid = str(uuid.UUID(int=rng.getrandbits(128)))
        people_ids.append(pid)
        rows.append({"id": pid, "name": name, "name_key": name, "name_pinyin": "".join(full[c] for c in name),
                     "name_initials": "".join(initials[c] for c in name), "id_number": fake_id(rng),
                     "gender": rng.choice("MF"), "birth_date": None, "phone": f"+86138{rng.randrange(10**8):08d}",
                     "address": f"青溪街道{rng.randrange(1000)}号", "version": 1, "updated_at": now,
                     "window_code": "BN03", "operator_id": None, "created_at": now})
        if len(rows) == CHUNK:
            conn.execute(insert(Person.__table__), rows)
            rows = []
    if rows:
        conn.execute(insert(Person.__table__), rows)
    print(f"  built {n_people:,} people in {time.perf_counter() - t0:.1f} s", flush=True)
    vrows, vprows, mrows = [], [], []
    day0 = dt.date(2020, 1, 1)
    for i in range(visits):
        vid = str(uuid.UUID(int=rng.getrandbits(128)))
        day = day0 + dt.timedelta(days=i * 2500 // visits)
        window = ("BN01", "BN02", "BN03")[i % 3]
        vrows.append({"id": vid, "query_code": f"{window}-{day:%Y%m%d}-{i:07d}",
                      "received_at": dt.datetime.combine(day, dt.time(1), dt.UTC), "received_on": day,
                      "channel": "visit", "group_size": 1, "group_name": "", "corrects_id": None,
                      "window_code": window, "operator_id": None, "created_at": now})
        pid = people_ids[i] if i < n_people else rng.choice(people_ids)
        vprows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "visit_id": vid, "person_id": pid,
                       "role": "visitor", "position": 0})
        mrows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "visit_id": vid, "kind": "suggestion",
                      "facts": {}, "summary": "建议增设公交站点", "demands": "", "respondent": "区交通运输局",
                      "repeat_key": f"{rng.getrandbits(128):032x}", "repeat_of_visit_id": None,
                      "status": "registered", "window_code": window, "operator_id": None, "created_at": now})
        if len(vrows) == CHUNK:
            conn.execute(insert(Visit.__table__), vrows)
            conn.execute(insert(VisitPerson.__table__), vprows)
            conn.execute(insert(Matter.__table__), mrows)
            vrows, vprows, mrows = [], [], []
    if vrows:
        conn.execute(insert(Visit.__table__), vrows)
        conn.execute(insert(VisitPerson.__table__), vprows)
        conn.execute(insert(Matter.__table__), mrows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="50,000 visits instead of 1,000,000")
    ap.add_argument("--visits", type=int)
    ap.add_argument("--n", type=int, default=300, help="timed calls per query kind")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    visits = args.visits or (50_000 if args.quick else 1_000_000)
    path = cached_database("search", BUILD_VERSION, visits, lambda conn: fill(conn, visits), args.rebuild)

    db = Database(f"sqlite:///{path}", backup=False)
    search = SearchService(db)
    clerk = bench_session(db)
    rng = random.Random(7)
    raw = sqlite3.connect(path)
    sample = raw.execute("SELECT id, id_number, name FROM people ORDER BY random() LIMIT 500").fetchall()
    ids = [r[1] for r in sample]
    prefixes = [r[2][:2] for r in sample]
    inner = [r[2][1:] + "𠮷" for r in sample if len(r[2]) >= 3]  # worst case: no prefix and no substring hit
    pks = [r[0] for r in sample]

    def by_id() -> object:
        hits = search.search_people(clerk, rng.choice(ids))
        assert hits
        return hits

    def by_prefix() -> object:
        return search.search_people(clerk, rng.choice(prefixes))

    def by_pinyin() -> object:
        return search.search_people(clerk, "zhangw")

    def by_substring() -> object:
        return search.search_people(clerk, rng.choice(inner))

    def by_rare() -> object:
        return search.search_people(clerk, "jzq")

    def baseline() -> object:
        return raw.execute("SELECT * FROM people WHERE id = ?", (rng.choice(pks),)).fetchone()

    print(f"\nSQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    report("baseline: raw sqlite3 primary-key lookup", time_calls(baseline, args.n))
    report("search_people by exact ID number", time_calls(by_id, args.n), target=5)
    report("search_people by name prefix (2 hanzi)", time_calls(by_prefix, args.n), target=20)
    report("search_people by pinyin prefix 'zhangw'", time_calls(by_pinyin, args.n // 3), target=20)
    report("search_people, no prefix hit: scans the name index (substring)", time_calls(by_substring, args.n // 3),
           target=100)
    report("search_people by initials 'jzq'", time_calls(by_rare, args.n // 3), target=100)

    print("\nEXPLAIN QUERY PLAN of the statements the service ran:")
    seen: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, tuple(parameters)))

    event.listen(db.engine, "before_cursor_execute", capture)
    search.search_people(clerk, ids[0])
    search.search_people(clerk, prefixes[0])
    event.remove(db.engine, "before_cursor_execute", capture)
    for stmt, params in seen:
        print("  " + " ".join(stmt.split())[:150])
        for r in raw.execute("EXPLAIN QUERY PLAN " + stmt, params):
            print(f"      {r[-1]}")
    raw.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
