"""A save the GUI confirmed survives kill -9 of the application right after it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_confirmed_saves_survive_kill_9(_template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "disk" / "xinfang.sqlite3"  # on disk, not tmpfs: the fsync of synchronous=FULL is real
    db.parent.mkdir()
    src, dst = sqlite3.connect(_template_db), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    rng = random.Random(20261127)
    confirmed: list[str] = []
    for _round in range(4):
        drafts = tmp_path / f"drafts-{_round}"
        drafts.mkdir()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("kill9_app.py")), str(db), str(drafts)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, text=True)
        assert proc.stdout is not None
        wanted = rng.randint(2, 6)
        got: list[str] = []
        deadline = time.monotonic() + 120
        while len(got) < wanted and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("CONFIRMED "):
                got.append(line.split()[1])
            assert not line.startswith("REFUSED"), line
        os.kill(proc.pid, signal.SIGKILL)  # right after the confirmation, mid-way through the next save
        proc.wait()
        assert got, "the page confirmed no save"
        confirmed += got
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored: set[Any] = {r[0] for r in con.execute("SELECT query_code FROM visits")}
    finally:
        con.close()
    missing = [c for c in confirmed if c not in stored]
    assert not missing, f"confirmed but lost after kill -9: {missing}"
    assert len(set(confirmed)) == len(confirmed)
