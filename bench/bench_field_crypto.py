"""Field encryption (persistence/fieldcrypt.py) against today's plain database, in the same run:

* registration through the service, on two files side by side (one plain, one encrypted), alternating one by one
  (target ≤ 1.5× the plain figure);
* exact-ID search (`SearchService.search_people`) on N visits, plain vs encrypted copies of the same database
  (target ≤ 2 ms median with encryption), the encrypted one searched through the blind index.

    .venv/bin/python bench/bench_field_crypto.py                   # 1,000,000 visits (built once, cached)
    .venv/bin/python bench/bench_field_crypto.py --visits 100000   # smaller, faster to build
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import bench_session, fake_id, fake_name, report, time_calls  # noqa: I001 - sets sys.path

from xinfang_desk.persistence import fieldcrypt
from xinfang_desk.persistence.db import Database, head_revision
from xinfang_desk.services.container import Services
from xinfang_desk.services.dbkey import DatabaseKeyService
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
from xinfang_desk.services.search import SearchService

PASSPHRASE = "bench passphrase 0123"


def bench_register(n: int, base: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="xfd-bench-crypt-", dir=base) as d:
        plain = Services.open(f"sqlite:///{Path(d) / 'plain.sqlite3'}", "BN03")
        enc = Services.open(f"sqlite:///{Path(d) / 'enc.sqlite3'}", "BN03")
        DatabaseKeyService(enc.db).encrypt(bench_session(enc.db, "BN03", "admin"), PASSPHRASE)
        clerks = {id(plain): bench_session(plain.db, "BN03", "clerk"), id(enc): bench_session(enc.db, "BN03", "clerk")}
        rng = random.Random(3)

        def register(sv: Services) -> object:
            return sv.registration.register(clerks[id(sv)], RegistrationInput(
                people=(PersonInput(name=fake_name(rng), id_number=fake_id(rng),
                                    phone=f"138{rng.randrange(10**8):08d}", address="青溪街道12号"),),
                matter=MatterInput(kind="labour.wage_arrears", summary="包工头拖欠三个月工资", demands="支付工资",
                                   respondent="某建筑劳务公司")))

        time_calls(lambda: register(plain), 5)
        time_calls(lambda: register(enc), 5)
        a: list[float] = []
        b: list[float] = []
        for _ in range(n):
            a += time_calls(lambda: register(plain), 1, warmup=0)
            b += time_calls(lambda: register(enc), 1, warmup=0)
        report("register, plain database (today)", a)
        report("register, encrypted fields", b)
        ratio = statistics.median(b) / statistics.median(a)
        print(f"  encrypted / plain median: {ratio:.2f}x   target ≤ 1.5x: {'met' if ratio <= 1.5 else 'NOT met'}")
        plain.close()
        enc.close()


def bench_search(visits: int, n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_search as bs  # the same generated database as bench_search.py

    plain_path = Path("/tmp") / f"xfd-bench-search-v{bs.BUILD_VERSION}-{head_revision()}-{visits}.sqlite3"
    if not plain_path.exists():
        bs.build(plain_path, visits)
    enc_path = plain_path.with_name(plain_path.stem + "-encrypted.sqlite3")
    if not enc_path.exists():
        t = time.perf_counter()
        tmp = enc_path.with_suffix(".building")
        shutil.copyfile(plain_path, tmp)
        db = Database(f"sqlite:///{tmp}", backup=False)
        setting, keys = fieldcrypt.new_setting("bench", PASSPHRASE)
        counts = fieldcrypt.reseal(db, keys, setting)
        db.dispose()
        tmp.rename(enc_path)
        print(f"  encrypted a copy ({counts}) in {time.perf_counter() - t:.0f} s")
    raw = sqlite3.connect(plain_path)
    sample = [r[0] for r in raw.execute("SELECT id_number FROM people ORDER BY random() LIMIT 500")]
    raw.close()
    plain = SearchService(Database(f"sqlite:///{plain_path}", backup=False))
    enc = SearchService(Database(f"sqlite:///{enc_path}", backup=False, passphrase=PASSPHRASE))
    clerk = bench_session(plain.db, "BN03", "clerk")  # a session is valid in the process (both databases)
    rng = random.Random(7)

    def one(svc: SearchService) -> object:
        hits = svc.search_people(clerk, rng.choice(sample))
        assert hits
        return hits

    time_calls(lambda: one(plain), 20)
    time_calls(lambda: one(enc), 20)
    a: list[float] = []
    b: list[float] = []
    for _ in range(n):
        a += time_calls(lambda: one(plain), 1, warmup=0)
        b += time_calls(lambda: one(enc), 1, warmup=0)
    report(f"exact-ID search, {visits:,} visits, plain (today)", a)
    report(f"exact-ID search, {visits:,} visits, encrypted", b, target=2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visits", type=int, default=1_000_000)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--skip-register", action="store_true")
    args = ap.parse_args()
    base = "/var/tmp" if Path("/var/tmp").is_dir() else None
    print(f"bench_field_crypto: SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {dt.date.today()}")
    if not args.skip_register:
        bench_register(args.n, base)
    bench_search(args.visits, args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
