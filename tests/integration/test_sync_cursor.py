"""The pull cursor never skips a change that committed late: two writers hold their transactions open for
random times while a reader pulls with `gseq > cursor` over and over; the reader ends with every change."""

from __future__ import annotations

import json
import random
import threading
import time

import pytest
from psycopg.rows import namedtuple_row

from xinfang_desk.domain.ids import new_id
from xinfang_desk.sync.central import connect
from xinfang_desk.sync.engine import SUBMIT_SQL

pytestmark = [pytest.mark.pg]


def _batch(code: str, seq0: int, n: int) -> tuple[list, ...]:
    ids = [new_id() for _ in range(n)]
    payloads = [json.dumps({"id": i, "window_code": code, "query_code": i}) for i in ids]
    return (ids, list(range(seq0, seq0 + n)), [None] * n, ["visits"] * n, ids, ["insert"] * n, [None] * n, payloads,
            ["2026-01-01T00:00:00+00:00"] * n)


def test_cursor_never_skips_a_late_commit(central):
    urls = {c: central.window_url(c) for c in ("BN01", "BN02")}
    sent: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def writer(code: str, seed: int) -> None:
        try:
            write(code, seed)
        except Exception as e:  # surfaced below, in the test thread
            errors.append(f"writer {code}: {e!r}")

    def write(code: str, seed: int) -> None:
        rng = random.Random(seed)
        with connect(urls[code]) as conn:
            for k in range(60):
                arrays = _batch(code, k * 5, 5)
                conn.execute(SUBMIT_SQL, arrays)
                time.sleep(rng.uniform(0, 0.01))  # the transaction holds its numbers, not yet committed
                conn.commit()
                with lock:
                    sent.update(arrays[0])

    seen: list[str] = []
    cursor = 0
    errors: list[str] = []  # a failed assert inside a thread is swallowed: collect, assert in the test thread

    def reader() -> None:
        try:
            read()
        except Exception as e:
            errors.append(f"reader: {e!r}")

    def read() -> None:
        nonlocal cursor
        with connect(urls["BN01"], autocommit=True) as conn:
            conn.row_factory = namedtuple_row  # type: ignore[assignment]
            while True:
                done = stop.is_set()
                rows = conn.execute("SELECT * FROM central.pull_changes(%s, 7)", (cursor,)).fetchall()
                for r in rows:
                    if r.gseq <= cursor:
                        errors.append(f"gseq {r.gseq} after cursor {cursor}")
                    seen.append(r.change_id)
                    cursor = r.gseq
                if done and not rows:
                    return

    ws = [threading.Thread(target=writer, args=(c, i)) for i, c in enumerate(urls)]
    rd = threading.Thread(target=reader)
    rd.start()
    for t in ws:
        t.start()
    for t in ws:
        t.join()
    stop.set()
    rd.join()
    assert errors == []
    assert len(seen) == len(set(seen)) == len(sent) == 600
    assert set(seen) == sent
