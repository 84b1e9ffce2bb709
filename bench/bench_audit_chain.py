"""What the tamper-evident audit chain costs: registration through the service with the chain (every audit record
hashed and linked, the head moved) beside the same registration with the chain switched off, interleaved in the
same run on the same file; and `audit verify` over a log of N records.

    .venv/bin/python bench/bench_audit_chain.py            # 200 registrations each way, verify 50,000 records
    .venv/bin/python bench/bench_audit_chain.py --quick    # 40, 10,000

The database is on disk (synchronous=FULL), as in bench_register.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import bench_session, fake_id, fake_name, report, time_calls  # noqa: I001 - sets sys.path

from xinfang_desk.persistence import audit_chain
from xinfang_desk.services import recording
from xinfang_desk.services.container import Services
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int)
    ap.add_argument("--records", type=int)
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    n = args.n or (40 if args.quick else 200)
    records = args.records or (10_000 if args.quick else 50_000)
    base = args.dir or ("/var/tmp" if Path("/var/tmp").is_dir() else None)
    with tempfile.TemporaryDirectory(prefix="xfd-bench-chain-", dir=base) as d:
        path = Path(d) / "chain.sqlite3"
        sv = Services.open(f"sqlite:///{path}", "BN03")
        clerk = bench_session(sv.db, "BN03", "clerk")
        rng = random.Random(5)

        def register() -> object:
            return sv.registration.register(clerk, RegistrationInput(
                people=(PersonInput(name=fake_name(rng), id_number=fake_id(rng),
                                    phone=f"138{rng.randrange(10**8):08d}", address="青溪街道12号"),),
                matter=MatterInput(kind="labour.wage_arrears", summary="包工头拖欠三个月工资", demands="支付工资",
                                   respondent="某建筑劳务公司")))

        def unchained(s: object, ev: object) -> None:  # today's audit write: no position, no hashes
            return None

        print(f"bench_audit_chain: {n} registrations each way (alternating one by one), database {path}")
        print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {dt.date.today()}")
        with_chain: list[float] = []
        without: list[float] = []
        time_calls(register, 5)
        for _ in range(n):  # alternate, so that the machine's noise falls on both alike
            recording.chain = unchained  # type: ignore[assignment]
            without += time_calls(register, 1, warmup=0)
            recording.chain = audit_chain.chain
            with_chain += time_calls(register, 1, warmup=0)
        report("register, audit WITHOUT chain (baseline)", without)
        report("register, audit chained", with_chain)
        ratio = sorted(with_chain)[len(with_chain) // 2] / sorted(without)[len(without) // 2]
        print(f"  chained / baseline median: {ratio:.2f}x")
        sv.close()

        # a log of `records` chained records for one window, then verify it
        vpath = Path(d) / "verify.sqlite3"
        sv = Services.open(f"sqlite:///{vpath}", "BN03")
        t = time.perf_counter()
        with sv.db.transaction() as s:
            for i in range(records):
                recording.audit(s, clerk, "visit.register", "visits", None, query_code=f"BN03-20261130-{i:05d}")
                if i % 5000 == 4999:
                    s.flush()
                    s.expunge_all()
        build = time.perf_counter() - t
        print(f"  writing {records:,} chained audit records in one transaction: {build:.1f} s")
        t = time.perf_counter()
        rep = sv.audit_log.check()
        took = time.perf_counter() - t
        print(f"  audit verify of {rep.records:,} records: {took:.2f} s ({took / max(rep.records, 1) * 1e6:.1f} µs per "
              f"record), intact={rep.intact}")
        sv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
