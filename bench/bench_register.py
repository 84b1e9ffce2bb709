"""Register and commit through `RegistrationService.register` (target ≤ 30 ms median) beside the floor:
a raw single-row INSERT + COMMIT with synchronous=FULL on the same file.

    .venv/bin/python bench/bench_register.py           # 300 registrations
    .venv/bin/python bench/bench_register.py --quick   # 50

The database is on disk (a temp dir under the current directory's file system, or --dir), never tmpfs:
the fsync is what a confirmed save costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from common import bench_session, fake_id, fake_name, report, time_calls  # noqa: I001 - sets sys.path

from xinfang_desk.services.container import Services
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int)
    ap.add_argument("--dir", default=None, help="where to put the database (default: a temp dir under /var/tmp)")
    args = ap.parse_args()
    n = args.n or (50 if args.quick else 300)
    base = args.dir or ("/var/tmp" if Path("/var/tmp").is_dir() else None)
    with tempfile.TemporaryDirectory(prefix="xfd-bench-reg-", dir=base) as d:
        path = Path(d) / "reg.sqlite3"
        sv = Services.open(f"sqlite:///{path}", "BN03")
        clerk = bench_session(sv.db)
        rng = random.Random(3)
        kinds = ["suggestion", "civil.dispute", "labour.wage_arrears"]

        def register() -> object:
            return sv.registration.register(clerk, RegistrationInput(
                people=(PersonInput(name=fake_name(rng), id_number=fake_id(rng),
                                    phone=f"138{rng.randrange(10**8):08d}", address="青溪街道12号"),),
                matter=MatterInput(kind=rng.choice(kinds), summary="包工头拖欠三个月工资", demands="支付工资",
                                   respondent="某建筑劳务公司")))

        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v TEXT)")
        counter = iter(range(10**9))

        def floor() -> object:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO bench_floor (v) VALUES (?)", (f"row {next(counter)}",))
            return raw.execute("COMMIT")

        print(f"bench_register: {n} registrations, database {path}")
        print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {dt.date.today()}")
        report("baseline: raw INSERT + COMMIT, synchronous=FULL", time_calls(floor, n))
        report("RegistrationService.register (new person)", time_calls(register, n), target=30)
        report("baseline again (same file, after the run)", time_calls(floor, n))
        raw.close()
        sv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
