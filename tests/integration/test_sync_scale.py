"""Three windows register 1,000 visits each while offline, then sync at the same time."""

from __future__ import annotations

import threading
import time

import pytest

from xinfang_desk.sync.engine import sync_once

pytestmark = [pytest.mark.pg, pytest.mark.slow]


def test_three_windows_1000_visits_each_converge(central, window_factory):
    windows = [window_factory(code) for code in ("BN01", "BN02", "BN03")]
    t0 = time.perf_counter()
    regs = [threading.Thread(target=w.register, args=(1000,)) for w in windows]
    for t in regs:
        t.start()
    for t in regs:
        t.join()
    t_reg = time.perf_counter() - t0
    errors: list[str] = []

    def run(w) -> None:
        for _ in range(20):
            r = sync_once(w.db, w.code, w.url)
            errors.extend(r.errors)
            if r.pending == 0 and w.visit_digest()[0] == 3000:
                return
            time.sleep(0.05)

    t1 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(w,)) for w in windows]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_sync = time.perf_counter() - t1
    print(f"registered 3x1000 in {t_reg:.1f}s, synced in {t_sync:.1f}s")
    assert errors == []
    n, digest = central.visit_digest()
    assert n == 3000
    assert central.scalar("SELECT count(*) FROM central.central_changes") == central.scalar(
        "SELECT count(DISTINCT change_id) FROM central.central_changes")
    for w in windows:
        assert w.visit_digest() == (3000, digest), w.code
    assert central.scalar("SELECT count(*) FROM central.quarantine") == 0
    assert central.scalar("SELECT count(*) FROM central.conflicts") == 0
