"""kill -9 in the middle of a backup and of a restore: the database stays sound, every backup that is listed
passes the full integrity check, and a restore is either not begun or completed at the next start — never a
half-replaced file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xinfang_desk.persistence import safety
from xinfang_desk.services.container import Services

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import REPO, WINDOW, cli_env  # noqa: E402

BACKUP_LOOP = r"""
import sys
from pathlib import Path
from xinfang_desk.persistence import safety
print("ready", flush=True)
while True:
    print(safety.take_backup(Path(sys.argv[1])), flush=True)
"""

RESTORE_LOOP = r"""
import sys
from pathlib import Path
from xinfang_desk.persistence import safety
print("ready", flush=True)
i = 0
while True:
    safety.restore(Path(sys.argv[1]), Path(sys.argv[2 + i % 2]))
    print("restored", sys.argv[2 + i % 2][-12:], flush=True)
    i += 1
"""


def _filled(path: Path, marker: str, mb: int = 6) -> None:
    """A database of ours with `mb` MB of rows (so a copy takes long enough to be interrupted) and a marker."""
    Services.open(f"sqlite:///{path}", WINDOW).close()
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE IF NOT EXISTS filler (k INTEGER PRIMARY KEY, v BLOB)")
        con.execute("CREATE TABLE IF NOT EXISTS marker (v TEXT)")
        con.execute("DELETE FROM marker")
        con.execute("INSERT INTO marker VALUES (?)", (marker,))
        rng = random.Random(marker)
        con.executemany("INSERT INTO filler (v) VALUES (?)", [(rng.randbytes(4000),) for _ in range(mb * 256)])
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _kill_rounds(script: str, args: list[str], rounds: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines: list[str] = []
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=REPO, env=cli_env())
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == b"ready\n", proc.stderr.read() if proc.stderr else first
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, err.decode()[-500:]
        lines += [ln for ln in out.decode().split("\n")[:-1] if ln]
    return lines


@pytest.mark.slow
def test_kill_9_during_backups(tmp_path: Path) -> None:
    path = tmp_path / "xinfang.sqlite3"  # on disk: this is about what reaches the files
    _filled(path, "live")
    done = _kill_rounds(BACKUP_LOOP, [str(path)], rounds=8, seed=20261130)
    assert done, "no backup finished in any round"
    assert safety.check_sqlite(path, full=True) is None
    listed = safety.list_backups(path)
    assert listed
    for b in listed:  # whatever is listed as a backup is a whole, sound copy
        assert safety.check_sqlite(b, full=True) is None, b
        con = sqlite3.connect(b)
        assert con.execute("SELECT v FROM marker").fetchall() == [("live",)]
        con.close()
    # an interrupted copy is a hidden .part, never listed; the next backup works and cleans old leftovers
    for part in (path.parent / "backups").glob(".*.part"):
        os.utime(part, (time.time() - 3600, time.time() - 3600))
    safety.take_backup(path)
    assert not list((path.parent / "backups").glob(".*.part"))


@pytest.mark.slow
def test_kill_9_during_restores(tmp_path: Path) -> None:
    path = tmp_path / "xinfang.sqlite3"
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    _filled(a, "A", mb=3)
    _filled(b, "B", mb=3)
    for src in (a, b):  # backups are self-contained files (no WAL)
        con = sqlite3.connect(src)
        con.execute("PRAGMA journal_mode=DELETE")
        con.close()
    _filled(path, "live", mb=1)
    seen: set[str] = set()
    for rnd in range(8):
        _kill_rounds(RESTORE_LOOP, [str(path), str(a), str(b)], rounds=1, seed=rnd)
        sv = Services.open(f"sqlite:///{path}", WINDOW)  # the start completes an interrupted restore first
        sv.close()
        assert not path.with_name(path.name + ".restore-pending").exists()
        assert not path.with_name(path.name + ".restoring").exists()
        assert safety.check_sqlite(path, full=True) is None
        con = sqlite3.connect(path)
        (marker,) = con.execute("SELECT v FROM marker").fetchone()
        filler = con.execute("SELECT count(*) FROM filler").fetchone()[0]
        con.close()
        assert (marker, filler) in {("live", 256), ("A", 3 * 256), ("B", 3 * 256)}  # one whole database
        seen.add(marker)
    assert seen & {"A", "B"}, "no restore got through in any round"
    assert list((tmp_path / "backups").glob("replaced-*/xinfang.sqlite3"))  # what was replaced is kept aside


def test_a_restore_cut_off_after_its_marker_is_completed_by_the_next_start(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The window kill -9 has to hit by luck above, made certain: the process dies right after the marker."""
    path, src = tmp_path / "xinfang.sqlite3", tmp_path / "src.sqlite3"
    _filled(src, "SRC", mb=1)
    _filled(path, "live", mb=1)
    con = sqlite3.connect(path)  # the current file has committed rows in its WAL: they must not leak into the result
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    with con:
        con.execute("UPDATE marker SET v = 'live-in-wal'")
    real = safety.finish_pending_restore
    calls = []

    def dies_on_the_second_call(p: Path) -> bool:
        calls.append(p)
        if len(calls) == 2:  # restore(): the first call clears leftovers, the second would complete the swap
            raise KeyboardInterrupt("kill -9")
        return real(p)

    monkeypatch.setattr(safety, "finish_pending_restore", dies_on_the_second_call)
    with pytest.raises(KeyboardInterrupt):
        safety.restore(path, src)
    con.close()
    monkeypatch.setattr(safety, "finish_pending_restore", real)
    assert path.with_name(path.name + ".restore-pending").exists()
    Services.open(f"sqlite:///{path}", WINDOW).close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT v FROM marker").fetchall() == [("SRC",)]
    con.close()
    aside = list((tmp_path / "backups").glob("replaced-*"))
    assert len(aside) == 1
    con = sqlite3.connect(aside[0] / path.name)  # the file it replaced, with its WAL, is kept whole
    assert con.execute("SELECT v FROM marker").fetchall() == [("live-in-wal",)]
    con.close()
