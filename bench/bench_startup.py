#!/usr/bin/env python3
"""Start-up time to the log-in window, compared with a bare PySide6 window in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 10]

Each run is a fresh process, offscreen: `python -m xinfang_desk --db <temp sqlite> --window BN01` with
XINFANG_DESK_QUIT_ON_LOGIN=1 (the app exits once the log-in window has been painted), versus a script that
shows an empty QWidget and exits the same way. Prints the median of each, and the ratio (target <= 2x).
The database is created (migrated, one user) before timing, so the runs measure an ordinary start.

The log-in window appears before the database is open (that happens on a worker thread while the clerk types),
so the figure above does not include it. To keep it honest the bench also prints the time until the log-in
button is usable (XINFANG_DESK_QUIT_ON_LOGIN=ready: the database is open and migrated, the services exist).
The warm-up run also writes the parsed-catalog cache in the data folder, as the first start on a PC does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
w = QWidget(); w.setWindowTitle("bare"); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xinfang-bench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XINFANG_DESK_QUIT_ON_LOGIN="1",
                   XINFANG_DESK_DATA=tmp, PYTHONPATH=str(ROOT))
        db = f"sqlite:///{tmp}/bench.sqlite3"
        prep = (f"from xinfang_desk.services.container import Services; s = Services.open({db!r}, 'BN01'); "
                "s.auth.setup_first_admin('admin', 'Bench', 'bench-12345') if s.auth.needs_first_run() else None; s.close()")
        subprocess.run([sys.executable, "-c", prep], env=env, cwd=ROOT, check=True)
        app_cmd = [sys.executable, "-m", "xinfang_desk", "--db", db, "--window", "BN01"]
        bare_cmd = [sys.executable, "-c", BARE]
        timed(app_cmd, env)  # warm the OS file cache and fontconfig once
        timed(bare_cmd, env)
        ready_env = dict(env, XINFANG_DESK_QUIT_ON_LOGIN="ready")
        app_t, bare_t, ready_t = [], [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            bare_t.append(timed(bare_cmd, env))
            app_t.append(timed(app_cmd, env))
            ready_t.append(timed(app_cmd, ready_env))
    a, b, r = statistics.median(app_t), statistics.median(bare_t), statistics.median(ready_t)
    print(f"runs: {args.runs} each, offscreen, Python {sys.version.split()[0]}")
    print(f"bare PySide6 window : median {b * 1000:7.0f} ms  (min {min(bare_t) * 1000:.0f}, max {max(bare_t) * 1000:.0f})")
    print(f"xinfang-desk login  : median {a * 1000:7.0f} ms  (min {min(app_t) * 1000:.0f}, max {max(app_t) * 1000:.0f})")
    print(f"ratio               : {a / b:.2f}x  (target <= 2x)")
    print(f"log-in button usable: median {r * 1000:7.0f} ms  (min {min(ready_t) * 1000:.0f}, max {max(ready_t) * 1000:.0f})"
          "  (database open on the worker thread meanwhile; not part of the ratio)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
