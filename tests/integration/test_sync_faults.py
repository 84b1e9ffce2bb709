"""Faults: kill -9 of the sync process, PostgreSQL crash in the middle of a batch, rejected changes,
skewed window clocks."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.models import OutboxEntry
from xinfang_desk.sync.central import ConflictService
from xinfang_desk.sync.engine import SyncOptions, sync_once
from xinfang_desk.sync.local_models import SyncIssue

pytestmark = [pytest.mark.pg, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def _outbox_ids(w) -> set[str]:
    with w.db.session() as s:
        return set(s.scalars(select(OutboxEntry.change_id)))


def _assert_exactly_once(central, *windows) -> None:
    rows = central.rows("SELECT change_id, window_code FROM central.central_changes")
    assert len(rows) == len({r[0] for r in rows}), "a change is at the centre twice"
    for w in windows:
        at_centre = {r[0] for r in rows if r[1] == w.code}
        assert at_centre == _outbox_ids(w), f"{w.code}: lost or foreign changes"


def test_kill_9_at_50_random_moments(central, window_factory, tmp_path):
    rng = random.Random(20261128)
    a, b = window_factory("BN01"), window_factory("BN02")
    b.register(150)
    assert sync_once(b.db, "BN02", b.url).ok
    a.register(150)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    db_url = str(a.db.url)
    kills = 0
    for i in range(50):
        proc = subprocess.Popen(
            [sys.executable, "-m", "xinfang_desk.sync.worker", "--db", db_url, "--window", "BN01", "--central", a.url,
             "--watch", "--interval", "0.05", "--push-batch", "20", "--pull-batch", "40"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        a.register(3)  # the clerk keeps working while the sync runs
        if i % 5 == 0:
            b.register(10)
            sync_once(b.db, "BN02", b.url)
        time.sleep(rng.uniform(0.0, 1.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 45
    for _ in range(3):
        ra = sync_once(a.db, "BN01", a.url)
        rb = sync_once(b.db, "BN02", b.url)
        assert ra.ok and rb.ok, (ra.errors, rb.errors)
    assert ra.pending == 0 and rb.pending == 0
    _assert_exactly_once(central, a, b)
    n, digest = central.visit_digest()
    assert n == a.n + b.n
    assert a.visit_digest() == b.visit_digest() == (n, digest)
    con = sqlite3.connect(a.db.url.removeprefix("sqlite:///"))
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert ConflictService(central.admin_url).list_quarantine() == []


def test_postgres_stopped_immediately_mid_batch(central, window_factory):
    w = window_factory("BN01")
    w.register(400)  # ~2,000 changes
    stopped = threading.Event()

    def crash_soon(batch_no: int, rows) -> None:
        if batch_no == 2 and not stopped.is_set():
            stopped.set()
            threading.Timer(0.005, lambda: central.pg.stop("immediate")).start()

    try:
        r1 = sync_once(w.db, "BN01", w.url, options=SyncOptions(push_batch=500, before_submit=crash_soon))
        assert stopped.is_set()
        time.sleep(0.3)
        assert not r1.ok and not r1.online
        r_down = sync_once(w.db, "BN01", w.url)
        assert not r_down.online and r_down.pending > 0
    finally:
        central.pg.start()
    r2 = sync_once(w.db, "BN01", w.url)
    assert r2.ok and r2.pending == 0, r2.errors
    _assert_exactly_once(central, w)
    assert central.visit_digest() == w.visit_digest()
    assert central.visit_digest()[0] == 400


def _bad_change(w, payload: dict, entity: str = "visits", entity_id: str | None = None) -> str:
    cid = new_id()
    with w.db.transaction() as s:
        s.add(OutboxEntry(change_id=cid, window_code=w.code, operator_id=w.clerk.user_id, entity=entity,
                          entity_id=entity_id or payload.get("id", "x"), op="insert", payload=payload))
    return cid


def test_rejected_change_is_quarantined_and_the_rest_flows(central, window_factory):
    w = window_factory("BN01")
    w.register(5)
    vid = new_id()
    nul = _bad_change(w, {"id": vid, "query_code": "X", "window_code": "BN01", "note": "a\u0000b"})
    foreign = _bad_change(w, {"id": new_id(), "window_code": "BN09", "query_code": "Y"})
    w.register(5)
    r = sync_once(w.db, "BN01", w.url, options=SyncOptions(push_batch=7))
    assert r.ok and r.pending == 0 and r.quarantined == 2, r
    assert central.visit_digest()[0] == 10
    q = ConflictService(central.admin_url).list_quarantine()
    assert {x.change_id for x in q} == {nul, foreign}
    assert all(x.reason for x in q)
    with w.db.session() as s:
        issues = {i.change_id: i.reason for i in s.scalars(select(SyncIssue))}
    assert set(issues) == {nul, foreign}
    # everything again (a crash that lost all the acks): duplicates and the same quarantine, nothing new
    with w.db.transaction() as s:
        s.execute(update(OutboxEntry).values(sent_at=None))
    r2 = sync_once(w.db, "BN01", w.url)
    assert r2.ok and r2.quarantined == 2 and r2.duplicates == r2.pushed - 2
    assert len(ConflictService(central.admin_url).list_quarantine()) == 2
    # the same change id with a different payload: quarantined, never applied over the first
    with w.db.transaction() as s:
        first = s.scalar(select(OutboxEntry).where(OutboxEntry.entity == "visits").order_by(OutboxEntry.seq).limit(1))
        first.payload = {**first.payload, "group_name": "tampered"}
        first.sent_at = None
    r3 = sync_once(w.db, "BN01", w.url)
    assert r3.quarantined == 1
    assert central.scalar("SELECT count(*) FROM central.central_changes WHERE payload->>'group_name' = 'tampered'") == 0
    assert len(ConflictService(central.admin_url).list_quarantine()) == 3
    _assert_exactly_once_except(central, w, {nul, foreign})


def _assert_exactly_once_except(central, w, rejected: set[str]) -> None:
    rows = central.rows("SELECT change_id FROM central.central_changes")
    assert len(rows) == len({r[0] for r in rows})
    assert {r[0] for r in rows} == _outbox_ids(w) - rejected


def test_skewed_window_clocks_give_the_same_outcome(central, window_factory):
    real = dt.datetime.now(dt.UTC)
    skews = {"BN01": dt.timedelta(hours=3), "BN02": dt.timedelta(hours=-3), "BN03": dt.timedelta(0)}
    windows = {c: window_factory(c, now=real + d) for c, d in skews.items()}
    for _round in range(3):
        for c, w in windows.items():
            w.register(10, now=dt.datetime.now(dt.UTC) + skews[c])
    for _ in range(2):
        for c, w in windows.items():
            clock = (lambda d: (lambda: dt.datetime.now(dt.UTC) + d))(skews[c])
            r = sync_once(w.db, c, w.url, options=SyncOptions(clock=clock, push_batch=17))
            assert r.ok and r.quarantined == 0 and r.conflicts == 0, r
    n, digest = central.visit_digest()
    assert n == 90
    for w in windows.values():
        assert w.visit_digest() == (n, digest)
    # the centre's order of each window's changes is the window's own outbox order, whatever its clock said
    for c in windows:
        seqs = [r[0] for r in central.rows(
            "SELECT window_seq FROM central.central_changes WHERE window_code = %s ORDER BY gseq", c)]
        assert seqs == sorted(seqs)
    with windows["BN01"].db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncIssue)) == 0
