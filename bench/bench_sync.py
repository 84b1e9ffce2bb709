"""Sync throughput next to plain psycopg in the same run. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_sync.py [--push 10000] [--pull 100000]

push:  10,000 outbox changes from a window's SQLite through central.submit_changes (idempotency check, digest,
       constraints, log) vs. plain psycopg COPY and executemany of the same rows into a bare table.
pull:  100,000 central changes into a fresh window SQLite (pull_changes + local apply + cursor, one local
       transaction per batch) vs. plain COPY TO STDOUT and executemany of the same rows into a bare SQLite table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pgcluster import PgCluster  # noqa: E402

from xinfang_desk.domain.ids import new_id  # noqa: E402
from xinfang_desk.persistence.db import Database  # noqa: E402
from xinfang_desk.persistence.models import OutboxEntry  # noqa: E402
from xinfang_desk.sync.central import connect, create_window_role, init_central  # noqa: E402
from xinfang_desk.sync.engine import SUBMIT_SQL, SyncOptions, _Tally, pull, push  # noqa: E402


def visit_payload(code: str, n: int) -> dict:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    vid = new_id()
    return {"id": vid, "query_code": f"{code}-20261128-{n:07d}", "received_at": now, "received_on": "2026-11-28",
            "channel": "visit", "group_size": 1, "group_name": "", "corrects_id": None, "window_code": code,
            "operator_id": None, "created_at": now}


def rate(n: int, secs: float) -> str:
    return f"{n / secs:>10,.0f} rows/s  ({secs:6.2f} s)"


def fill_outbox(db: Database, code: str, n: int) -> list[tuple]:
    rows = []
    with db.transaction() as s:
        objs = []
        for i in range(n):
            p = visit_payload(code, i)
            objs.append(OutboxEntry(change_id=new_id(), window_code=code, entity="visits", entity_id=p["id"], op="insert",
                                    payload=p))
        s.add_all(objs)
    with db.session() as s:
        for o in s.query(OutboxEntry).order_by(OutboxEntry.seq):
            rows.append((o.change_id, code, o.seq, o.entity, o.entity_id, o.op,
                         json.dumps(o.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--push", type=int, default=10_000)
    ap.add_argument("--pull", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    with PgCluster() as pg:
        admin = pg.create_database("bench")
        init_central(admin)
        r1 = create_window_role(admin, "BN01", "bench-window-1-secret")
        r2 = create_window_role(admin, "BN02", "bench-window-2-secret")
        u1, u2 = pg.url("bench", user=r1), pg.url("bench", user=r2)
        print(f"PostgreSQL via {pg.kind} ({pg.bindir}); batch {a.batch}")

        # ---- push ------------------------------------------------------------------------------------
        db = Database(f"sqlite:///{tmp}/bn01.sqlite3")
        rows = fill_outbox(db, "BN01", a.push)
        tally = _Tally()
        with connect(u1) as conn:
            from psycopg.rows import namedtuple_row

            conn.row_factory = namedtuple_row  # type: ignore[assignment]
            t = time.perf_counter()
            push(db, conn, SyncOptions(push_batch=a.batch), tally)
            t_push = time.perf_counter() - t
        assert tally.pushed == a.push
        with connect(admin) as conn:
            conn.execute("CREATE TABLE bench_plain (change_id text, window_code text, window_seq bigint, entity text, "
                         "entity_id text, op text, payload jsonb)")
            conn.commit()
            t = time.perf_counter()
            with conn.cursor() as cur, cur.copy("COPY bench_plain FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
            conn.commit()
            t_copy = time.perf_counter() - t
            conn.execute("TRUNCATE bench_plain")
            conn.commit()
            t = time.perf_counter()
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO bench_plain VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
            conn.commit()
            t_many = time.perf_counter() - t
        print(f"\npush {a.push:,} changes")
        print(f"  sync push (submit_changes)   {rate(a.push, t_push)}  = {100 * t_many / t_push:5.1f} % of executemany")
        print(f"  psycopg COPY                 {rate(a.push, t_copy)}")
        print(f"  psycopg executemany          {rate(a.push, t_many)}")

        # ---- pull ------------------------------------------------------------------------------------
        todo = a.pull - a.push
        with connect(u2) as conn:
            k = 0
            while k < todo:
                n = min(5000, todo - k)
                ps = [visit_payload("BN02", k + i) for i in range(n)]
                ids = [new_id() for _ in range(n)]
                conn.execute(SUBMIT_SQL, (ids, list(range(k + 1, k + n + 1)), [None] * n, ["visits"] * n,
                                          [p["id"] for p in ps], ["insert"] * n, [None] * n,
                                          [json.dumps(p, sort_keys=True) for p in ps], [None] * n))
                conn.commit()
                k += n
        db3 = Database(f"sqlite:///{tmp}/bn03.sqlite3")
        r3 = create_window_role(admin, "BN03", "bench-window-3-secret")
        tally = _Tally()
        with connect(pg.url("bench", user=r3)) as conn:
            conn.row_factory = namedtuple_row  # type: ignore[assignment]
            info = conn.execute("SELECT * FROM central.central_info()").fetchone()
            conn.commit()
            t = time.perf_counter()
            pull(db3, conn, info.instance_id, "BN03", SyncOptions(pull_batch=5000), tally)
            t_pull = time.perf_counter() - t
        assert tally.pulled == a.pull, tally
        with connect(admin) as conn:
            t = time.perf_counter()
            out = []
            with conn.cursor() as cur, cur.copy("COPY (SELECT gseq, change_id, window_code, entity, entity_id, op, "
                                                "version, payload::text FROM central.central_changes ORDER BY gseq) "
                                                "TO STDOUT") as cp:
                for row in cp.rows():
                    out.append(row)
            t_copy_out = time.perf_counter() - t
        lite = sqlite3.connect(str(tmp / "plain.sqlite3"))
        lite.execute("PRAGMA journal_mode=WAL")
        lite.execute("PRAGMA synchronous=FULL")
        lite.execute("CREATE TABLE plain (gseq, change_id, window_code, entity, entity_id, op, version, payload)")
        t = time.perf_counter()
        with lite:
            lite.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?, ?, ?)", out)
        t_lite = time.perf_counter() - t
        lite.close()
        print(f"\npull {a.pull:,} changes (into a fresh window, visits table + cursor)")
        print(f"  sync pull (pull_changes + local apply)  {rate(a.pull, t_pull)}")
        print(f"  psycopg COPY TO STDOUT (read only)      {rate(a.pull, t_copy_out)}")
        print(f"  sqlite3 executemany (write only)        {rate(a.pull, t_lite)}")
        print(f"  COPY + executemany together             {rate(a.pull, t_copy_out + t_lite)}  -> sync pull at "
              f"{100 * (t_copy_out + t_lite) / t_pull:5.1f} %")
        db.dispose()
        db3.dispose()


if __name__ == "__main__":
    main()
