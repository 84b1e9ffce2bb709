"""Sync throughput beside bare psycopg / sqlite3 writing the same rows into the same tables, in the same run.
Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_sync.py [--rows 21000] [--batch 1000] [--pull-batch 5000]

The changes are real: 20 registrations made through `RegistrationService` (new visitors, two collective visits,
returning visitors whose phone changed: a versioned `people` update) and a few progress steps, read from the
outbox, then cloned day by day with fresh ids, query codes and dates until there are `--rows` changes. Mixed
tables: people (insert and versioned update), visits, visit_people, matters, classifications (about 6 kB
each), progress_events, audit_events.

push:     the window's outbox through `push` (central.submit_changes: idempotency, digest, checks, log, versions)
baseline: psycopg `executemany` of the same rows as they end up at the centre (gseq, digest and version
          computed beforehand) into the same tables, `central.central_changes` and `central.entity_versions`,
          of a second, fresh central database; one transaction, no function. For reference also `COPY` of the
          same rows into a third one (the floor of any client).
pull:     a fresh window (BN03) pulls everything through `pull` (central.pull_changes, apply, cursor).
baseline: psycopg `COPY ... TO STDOUT` of the same rows (the filter `pull_changes` applies for BN03), then
          `json.loads` of each payload and sqlite3 `executemany` (an upsert) into the same local tables of a
          fresh window database (same schema, same PRAGMAs); one transaction. The bench checks that both
          databases then hold exactly the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from common import bench_session, fake_id, fake_name  # noqa: E402
from pgcluster import PgCluster  # noqa: E402
from psycopg.rows import namedtuple_row  # noqa: E402
from sqlalchemy import text  # noqa: E402

from xinfang_desk.domain.ids import new_id  # noqa: E402
from xinfang_desk.persistence.db import Database  # noqa: E402
from xinfang_desk.persistence.fieldcrypt import SealedJSON  # noqa: E402
from xinfang_desk.persistence.models import Base  # noqa: E402
from xinfang_desk.persistence.types import JSONText  # noqa: E402
from xinfang_desk.sync.central import connect, create_window_role, init_central  # noqa: E402
from xinfang_desk.sync.engine import SyncOptions, _Tally, pull, push  # noqa: E402

SYNCED = ("people", "visits", "visit_people", "matters", "classifications", "progress_events", "audit_events")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# what central.pull_changes sends a window (c0004_least_privilege), for the COPY baseline
PULL_FILTER = ("c.status = 'applied' AND (c.entity NOT IN ('users', 'windows', 'settings', 'outbox', 'password_history') "
               "OR c.window_code = 'CENTRAL') AND c.entity <> 'password_history' "
               "AND (c.entity <> 'audit_events' OR c.window_code = %s)")


def rate(n: int, secs: float) -> str:
    return f"{n / secs:>9,.0f} rows/s ({secs:6.2f} s)"


def template_changes(tmp: Path) -> tuple[list[dict[str, Any]], str]:
    """The outbox rows of 20 registrations and 5 progress steps made through the services (window BN01)."""
    from xinfang_desk.services.container import Services
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
    from xinfang_desk.services.progress import StepInput

    sv = Services.open(f"sqlite:///{tmp}/template.sqlite3", "BN01")
    clerk = bench_session(sv.db, "BN01")
    with sv.db.session() as s:
        n0 = s.execute(text("SELECT coalesce(max(seq), 0) FROM outbox")).scalar()
    rng = random.Random(7)
    kinds = ("labour.wage_arrears", "suggestion", "civil.dispute", "expropriation.compensation", "social_insurance",
             "request.district_dept", "village.affairs")
    returning: list[str] = []
    codes = []
    for i in range(20):
        kind = kinds[i % len(kinds)]
        matter = MatterInput(kind=kind, summary="包工头拖欠三个月工资，多次讨要未果" * (1 + i % 3), demands="支付工资",
                             respondent="某建筑劳务公司")
        if i % 10 == 9:  # a collective visit: three came, two representatives registered
            inp = RegistrationInput(people=tuple(PersonInput(name=fake_name(rng), id_number=fake_id(rng),
                                                             phone=f"139{rng.randrange(10**8):08d}", role="representative")
                                                 for _ in range(2)), matter=matter, group_size=3, group_name="某小区业主")
        elif i % 5 == 4 and returning:  # a returning visitor with a new phone: a versioned update of `people`
            inp = RegistrationInput(people=(PersonInput(name="x", id_number=returning.pop(0),
                                                        phone=f"137{rng.randrange(10**8):08d}"),), matter=matter)
        else:
            idn = fake_id(rng)
            returning.append(idn)
            inp = RegistrationInput(people=(PersonInput(name=fake_name(rng), id_number=idn,
                                                        phone=f"138{rng.randrange(10**8):08d}", address="青溪街道12号"),),
                                    matter=matter)
        codes.append(sv.registration.register(clerk, inp).query_code)
    for code in codes[:5]:
        sv.progress.record(clerk, code, StepInput("notified", note="已告知"))
    with sv.db.session() as s:
        rows = [dict(r._mapping) for r in s.execute(text(
            "SELECT operator_id, entity, entity_id, op, base_version, payload, created_at FROM outbox "
            "WHERE seq > :n ORDER BY seq"), {"n": n0})]
    sv.close()
    day = codes[0].split("-")[1]
    return [r for r in rows if r["entity"] in SYNCED], f"{day[:4]}-{day[4:6]}-{day[6:]}"


def clone(template: list[dict[str, Any]], day: str, n: int) -> list[dict[str, Any]]:
    """`n` changes: the template repeated day after day backwards, every id fresh, codes and dates moved."""
    ids = {r["entity_id"] for r in template}
    d0 = dt.date.fromisoformat(day)
    out: list[dict[str, Any]] = []
    k = 0
    while len(out) < n:
        d = (d0 - dt.timedelta(days=k)).isoformat()
        subst = {old: new_id() for old in ids}
        subst[day] = d
        subst[day.replace("-", "")] = d.replace("-", "")
        pat = re.compile(UUID.pattern + "|" + re.escape(day) + "|" + re.escape(day.replace("-", "")))

        def sub(s: Any, subst: dict[str, str] = subst, pat: re.Pattern[str] = pat) -> Any:
            return pat.sub(lambda m: subst.get(m.group(0), m.group(0)), s) if isinstance(s, str) else s

        for r in template[: n - len(out)]:
            out.append({**r, "change_id": new_id(), "entity_id": sub(r["entity_id"]), "payload": sub(r["payload"]),
                        "created_at": sub(r["created_at"])})
        k += 1
    return out


def fill_outbox(db: Database, changes: list[dict[str, Any]]) -> None:
    with db.transaction() as s:
        s.execute(text("INSERT INTO outbox (change_id, window_code, operator_id, entity, entity_id, op, base_version, "
                       "payload, created_at) VALUES (:change_id, 'BN01', :operator_id, :entity, :entity_id, :op, "
                       ":base_version, :payload, :created_at)"), changes)


def digest(c: dict[str, Any]) -> bytes:  # central.change_digest, for the baseline's rows
    bv = "" if c["base_version"] is None else str(c["base_version"])
    return hashlib.sha256("\x1f".join((c["entity"], c["entity_id"], c["op"], bv, c["payload"])).encode()).digest()


def push_baseline(url: str, changes: list[dict[str, Any]], *, copy: bool = False) -> float:
    """executemany (or, for reference, COPY) of the same rows into the same tables; untimed: the rows as the
    centre stores them (gseq, digest, version)."""
    rows, versions = [], []
    for i, c in enumerate(changes, 1):
        ver = json.loads(c["payload"]).get("version")
        if ver is None and c["op"] == "update" and c["base_version"] is not None:
            ver = c["base_version"] + 1
        rows.append((i, c["change_id"], "BN01", i, c["operator_id"], c["entity"], c["entity_id"], c["op"],
                     c["base_version"], ver, c["payload"], digest(c), c["created_at"]))
        if ver is not None:
            versions.append((c["entity"], c["entity_id"], ver, i))
    with connect(url) as conn:
        if copy:
            last = {(e, i): (e, i, v, g) for e, i, v, g in versions}  # COPY cannot upsert: each row's last version
            t = time.perf_counter()
            with conn.cursor() as cur:
                with cur.copy("COPY central.central_changes (gseq, change_id, window_code, window_seq, operator_id, "
                              "entity, entity_id, op, base_version, version, payload, digest, client_created_at) "
                              "FROM STDIN") as cp:
                    for r in rows:
                        cp.write_row(r)
                with cur.copy("COPY central.entity_versions (entity, entity_id, version, gseq) FROM STDIN") as cp:
                    for r in last.values():
                        cp.write_row(r)
            conn.commit()
            return time.perf_counter() - t
        t = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, "
                            "entity, entity_id, op, base_version, version, payload, digest, client_created_at) "
                            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)", rows)
            cur.executemany("INSERT INTO central.entity_versions (entity, entity_id, version, gseq) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (entity, entity_id) DO UPDATE SET version = EXCLUDED.version, gseq = EXCLUDED.gseq",
                            versions)
        conn.commit()
        return time.perf_counter() - t


def pull_baseline(admin: str, path: Path) -> tuple[float, float, int]:
    """COPY out, then json.loads + executemany (upsert) into the same tables of a fresh window database."""
    Database(f"sqlite:///{path}").dispose()  # the app's schema, empty
    lite = sqlite3.connect(str(path), isolation_level=None)
    for p in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        lite.execute(f"PRAGMA {p}")
    tables = {name: Base.metadata.tables[name] for name in SYNCED}
    cols = {n: [c.key for c in t.columns] for n, t in tables.items()}
    jcols = {n: {c.key for c in t.columns if isinstance(c.type, JSONText | SealedJSON)} for n, t in tables.items()}
    sql = {n: f"INSERT INTO {n} ({', '.join(cs)}) VALUES ({', '.join('?' * len(cs))}) ON CONFLICT (id) DO UPDATE SET "
              + ", ".join(f"{c} = excluded.{c}" for c in cs if c != "id") for n, cs in cols.items()}
    t0 = time.perf_counter()
    with connect(admin) as conn, conn.cursor() as cur, cur.copy(
            "COPY (SELECT c.entity, c.payload::text FROM central.central_changes c WHERE " + PULL_FILTER.replace("%s", "'BN03'")
            + " ORDER BY c.gseq) TO STDOUT") as cp:
        out = list(cp.rows())
    t_copy = time.perf_counter() - t0
    t0 = time.perf_counter()
    lite.execute("BEGIN")
    i = 0
    while i < len(out):  # runs of one table, in log order (parents before children)
        ent = out[i][0]
        j = i
        while j < len(out) and out[j][0] == ent:
            j += 1
        cs, js = cols[ent], jcols[ent]
        batch = []
        for _e, pl in out[i:j]:
            d = json.loads(pl)
            batch.append(tuple(json.dumps(d[c], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                               if c in js and d.get(c) is not None else d.get(c) for c in cs))
        lite.executemany(sql[ent], batch)
        i = j
    lite.execute("COMMIT")
    t_write = time.perf_counter() - t0
    lite.close()
    return t_copy, t_write, len(out)


def same_rows(a: Path, b: Path) -> list[str]:
    """Tables whose rows differ between the two window databases (empty: identical)."""
    la, lb = sqlite3.connect(str(a)), sqlite3.connect(str(b))
    bad = []
    for n in SYNCED:
        q = f"SELECT * FROM {n} ORDER BY id"
        if la.execute(q).fetchall() != lb.execute(q).fetchall():
            bad.append(n)
    la.close()
    lb.close()
    return bad


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=21_000)
    ap.add_argument("--batch", type=int, default=1000, help="push batch")
    ap.add_argument("--pull-batch", type=int, default=5000)
    ap.add_argument("--profile", choices=("push", "pull"), help="cProfile the app's push or pull (slower)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-", dir="/var/tmp" if Path("/var/tmp").is_dir() else None))
    try:
        run(a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(a: argparse.Namespace, tmp: Path) -> None:
    template, day = template_changes(tmp)
    changes = clone(template, day, a.rows)
    mix: dict[str, int] = {}
    for c in changes:
        key = c["entity"] + (" (update)" if c["op"] == "update" else "")
        mix[key] = mix.get(key, 0) + 1
    with PgCluster() as pg:
        central = pg.create_database("bench")
        fresh, fresh2 = pg.create_database("baseline"), pg.create_database("baseline_copy")
        for url in (central, fresh, fresh2):
            init_central(url)
        r1 = create_window_role(central, "BN01", "bench-window-1-secret")
        r3 = create_window_role(central, "BN03", "bench-window-3-secret")
        print(f"PostgreSQL via {pg.kind} ({pg.bindir}); SQLite {sqlite3.sqlite_version}; push batch {a.batch}, "
              f"pull batch {a.pull_batch}")
        print(f"{len(changes):,} changes from {len(template)} real ones: "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(mix.items(), key=lambda kv: -kv[1])))
        prof = None
        if a.profile:
            import cProfile

            prof = cProfile.Profile()

        # ---- push ------------------------------------------------------------------------------------
        db = Database(f"sqlite:///{tmp}/bn01.sqlite3")
        fill_outbox(db, changes)
        tally = _Tally()
        with connect(pg.url("bench", user=r1)) as conn:
            conn.row_factory = namedtuple_row  # type: ignore[assignment]
            if prof and a.profile == "push":
                prof.enable()
            t = time.perf_counter()
            push(db, conn, SyncOptions(push_batch=a.batch), tally)
            t_push = time.perf_counter() - t
            if prof and a.profile == "push":
                prof.disable()
        assert tally.pushed == len(changes) and tally.applied == len(changes), tally
        t_many = push_baseline(fresh, changes)
        t_copy_in = push_baseline(fresh2, changes, copy=True)
        print(f"\npush {len(changes):,} changes")
        print(f"  sync push (submit_changes)                  {rate(len(changes), t_push)}")
        print(f"  baseline: executemany, same rows and tables {rate(len(changes), t_many)}")
        print(f"  for reference: COPY, same rows and tables   {rate(len(changes), t_copy_in)}")
        print(f"  -> push at {100 * t_many / t_push:5.1f} % of the executemany baseline (target >= 70 %), "
              f"{100 * t_copy_in / t_push:5.1f} % of COPY")

        # ---- pull ------------------------------------------------------------------------------------
        db3 = Database(f"sqlite:///{tmp}/bn03.sqlite3")
        tally = _Tally()
        with connect(pg.url("bench", user=r3)) as conn:
            conn.row_factory = namedtuple_row  # type: ignore[assignment]
            info = conn.execute("SELECT * FROM central.central_info()").fetchone()
            conn.commit()
            if prof and a.profile == "pull":
                prof.enable()
            t = time.perf_counter()
            pull(db3, conn, info.instance_id, "BN03", SyncOptions(pull_batch=a.pull_batch), tally)
            t_pull = time.perf_counter() - t
            if prof and a.profile == "pull":
                prof.disable()
        t_copy, t_write, n = pull_baseline(central, tmp / "plain.sqlite3")
        assert tally.pulled == n and not tally.apply_failed, (tally, n)
        diff = same_rows(tmp / "bn03.sqlite3", tmp / "plain.sqlite3")
        print(f"\npull {n:,} changes into a fresh window (other windows' audit events are not sent)")
        print(f"  sync pull (pull_changes + apply + cursor)   {rate(n, t_pull)}")
        print(f"  baseline: COPY TO STDOUT                    {rate(n, t_copy)}")
        print(f"  baseline: json.loads + sqlite3 executemany  {rate(n, t_write)}")
        print(f"  baseline together                           {rate(n, t_copy + t_write)}")
        print(f"  -> pull at {100 * (t_copy + t_write) / t_pull:5.1f} % of the baseline (target >= 50 %); "
              f"both databases hold the same rows: {'yes' if not diff else 'NO, differ in ' + ', '.join(diff)}")
        db.dispose()
        db3.dispose()
    if prof:
        import pstats

        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
