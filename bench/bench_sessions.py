"""Sessions: plan a year for the hall and the 23 towns, list a month, book 1,000 visits, each beside a baseline
measured in the same run on the same file.

    .venv/bin/python bench/bench_sessions.py            # a year, 1,000 bookings
    .venv/bin/python bench/bench_sessions.py --quick    # a quarter, 200 bookings

* plan: `SchedulingService.apply_plan` (validation, recurrence with lunar market days and holidays, staffing
  rules, rotation, every row with its outbox entry, one transaction) beside raw `executemany` INSERTs of the same
  session and staff rows with an outbox row each, in one transaction;
* list a month: `list_sessions` (sessions with their people and booking counts, as DTOs) beside one raw SQL
  join returning the same rows;
* book: `book` per visit (its own transaction, synchronous=FULL, audit and outbox) beside a raw single-row
  INSERT + COMMIT per booking on the same file.
Figures only, no asserts. The database is on disk (not tmpfs): the fsync is what a confirmed booking costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from common import bench_session, fake_name, report, time_calls  # noqa: I001 - sets sys.path

from xinfang_desk.domain.places import towns
from xinfang_desk.services.container import Services
from xinfang_desk.services.dto import MatterInput, RegistrationInput
from xinfang_desk.services.dto import PersonInput as VisitorInput
from xinfang_desk.services.scheduling import PersonInput, PlanInput

D = dt.date
DAY_SETS = ((1, 4, 7), (2, 5, 8), (3, 6, 9), (3, 6, 10))


def people() -> list[PersonInput]:
    out = [PersonInput("lead-1", "王建国", "leader", title="副区长"), PersonInput("lead-2", "李秀英", "leader", title="副区长")]
    firms = ("青溪正和律师事务所", "锦江明理律师事务所", "东岳天平律师事务所")
    names = ("刘明", "陈静", "周涛", "黄丽", "何志强", "郭峰")
    out += [PersonInput(f"law-{i}", n, "lawyer", organisation=firms[i % 3], specialties=("labour.dispute",))
            for i, n in enumerate(names)]
    out += [PersonInput(f"staff-{i}", "赵磊孙丽吴芳郑燕马超朱琳胡斌郭勇何洁高翔林峰罗敏"[i % 12 * 2:i % 12 * 2 + 2], "staff")
            for i in range(len(towns()))]
    return out


def plans(start: D, end: D) -> list[PlanInput]:
    lawyers = tuple(f"law-{i}" for i in range(6))
    out = [PlanInput("hall-leader", "leader_reception", "09:00", "11:30", 6, start, end, ("lead-1", *lawyers), weekdays=(3,),
                     rotate_lawyers=1),
           PlanInput("hall-duty", "lawyer_duty", "13:30", "17:00", 10, start, end, lawyers, weekdays=(1, 2, 3, 4, 5),
                     rotate_lawyers=2)]
    for i, t in enumerate(towns()):
        out.append(PlanInput(f"out-{i}", "outreach", "08:30", "11:30", 10, start, end, (f"staff-{i}",), town=t.name,
                             market_calendar="lunar" if i % 2 else "solar", market_days=DAY_SETS[i % 4]))
    return out


def raw_plan_baseline(path: Path, sessions: int, staff: int) -> float:
    """Raw executemany of the same number of session and staff rows, with one outbox row each, one transaction."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE IF NOT EXISTS b_sessions (id TEXT PRIMARY KEY, day TEXT, start_time TEXT, end_time TEXT, "
                "place TEXT, town TEXT, capacity INTEGER)")
    con.execute("CREATE TABLE IF NOT EXISTS b_staff (id TEXT PRIMARY KEY, session_id TEXT, person_id TEXT)")
    con.execute("CREATE TABLE IF NOT EXISTS b_outbox (seq INTEGER PRIMARY KEY, change_id TEXT, entity TEXT, payload TEXT)")
    t = time.perf_counter()
    ids = [str(uuid.uuid4()) for _ in range(sessions)]
    srows = [(i, "2027-01-06", "09:00", "11:30", "信访接待大厅", "", 6) for i in ids]
    trows = [(str(uuid.uuid4()), ids[k % sessions], "p") for k in range(staff)]
    con.execute("BEGIN")
    con.executemany("INSERT INTO b_sessions VALUES (?,?,?,?,?,?,?)", srows)
    con.executemany("INSERT INTO b_staff VALUES (?,?,?)", trows)
    con.executemany("INSERT INTO b_outbox (change_id, entity, payload) VALUES (?,?,?)",
                    [(str(uuid.uuid4()), "x", json.dumps(r, ensure_ascii=False)) for r in srows + trows])
    con.execute("COMMIT")
    ms = (time.perf_counter() - t) * 1000
    con.close()
    return ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    start = D(2027, 1, 1)
    end = D(2027, 3, 31) if args.quick else D(2027, 12, 31)
    n_book = 200 if args.quick else 1000
    base = args.dir or ("/var/tmp" if Path("/var/tmp").is_dir() else None)
    with tempfile.TemporaryDirectory(prefix="xfd-bench-sessions-", dir=base) as d:
        path = Path(d) / "sessions.sqlite3"
        sv = Services.open(f"sqlite:///{path}", "BN03")
        admin = bench_session(sv.db, "BN03", "admin")
        clerk = bench_session(sv.db, "BN03", "clerk")
        print(f"plan {start} .. {end}: the hall (weekly leader reception, daily duty) and {len(towns())} towns on market days")
        t = time.perf_counter()
        res = sv.scheduling.apply_plan(admin, people(), plans(start, end))
        plan_ms = (time.perf_counter() - t) * 1000
        n_sessions = len(res.created)
        n_staff = sum(len(s.people) for s in res.created)
        base_ms = raw_plan_baseline(Path(d) / "baseline.sqlite3", n_sessions, n_staff)
        print(f"  apply_plan: {n_sessions} sessions, {n_staff} seats            {plan_ms:9.1f} ms "
              f"({plan_ms / n_sessions:.2f} ms per session)")
        print(f"  baseline raw executemany of the same rows       {base_ms:9.1f} ms   ratio {plan_ms / base_ms:.1f}x")
        for q, firms in res.firm_counts.items():
            print(f"    {q} seats per firm: " + ", ".join(f"{f} {n}" for f, n in firms.items()))

        # list a month
        month = (D(2027, 3, 1), D(2027, 3, 31))
        rows = sv.scheduling.list_sessions(clerk, *month)
        ms = time_calls(lambda: sv.scheduling.list_sessions(clerk, *month), 20, warmup=3)
        report(f"list_sessions, one month ({len(rows)} sessions)", ms)
        raw = sqlite3.connect(path)
        q = ("SELECT r.id, r.type, r.day, r.start_time, r.end_time, r.place, r.town, r.capacity, p.name, p.role, "
             "(SELECT count(*) FROM session_bookings b WHERE b.session_id = r.id) FROM reception_sessions r "
             "LEFT JOIN session_staff st ON st.session_id = r.id LEFT JOIN staff_people p ON p.id = st.person_id "
             "WHERE r.day BETWEEN ? AND ? ORDER BY r.day, r.start_time")
        report("baseline: one raw SQL join, same rows", time_calls(lambda: raw.execute(q, (month[0].isoformat(), month[1].isoformat())).fetchall(), 20, warmup=3))
        raw.close()

        # book visits
        rng = random.Random(9)
        print(f"registering {n_book} visits (setup, not timed) …")
        codes = [sv.registration.register(clerk, RegistrationInput(
            people=(VisitorInput(fake_name(rng), address=rng.choice(towns()).name),),
            matter=MatterInput("labour.dispute", "拖欠工资", "支付工资", "某公司"))).query_code for _ in range(n_book)]
        targets = [s for s in sv.scheduling.list_sessions(clerk, D(2027, 1, 4), end) if s.type != "leader_reception"]
        ms_book = []
        for i, code in enumerate(codes):
            sid = targets[i % len(targets)].id
            t = time.perf_counter()
            sv.scheduling.book(clerk, code, sid, today=start)
            ms_book.append((time.perf_counter() - t) * 1000)
        report(f"book (service, one transaction each), {n_book}", ms_book)
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE b_bookings (id TEXT PRIMARY KEY, session_id TEXT, visit_id TEXT, status TEXT)")
        ms_raw = []
        for i in range(n_book):
            t = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO b_bookings VALUES (?,?,?,?)", (str(uuid.uuid4()), targets[i % len(targets)].id, "v", "booked"))
            raw.execute("COMMIT")
            ms_raw.append((time.perf_counter() - t) * 1000)
        raw.close()
        report("baseline: raw INSERT + COMMIT per booking", ms_raw)
        print(f"  total: book {sum(ms_book) / 1000:.1f} s for {n_book}, raw {sum(ms_raw) / 1000:.1f} s; "
              f"median ratio {statistics.median(ms_book) / statistics.median(ms_raw):.1f}x")
        sv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
