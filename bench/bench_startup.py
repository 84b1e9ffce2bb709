#!/usr/bin/env python3
"""Start-up time to the log-in window and to a usable log-in button, beside a bare PySide6 window in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 10] [--platform offscreen|xcb]
    xvfb-run -a .venv/bin/python bench/bench_startup.py --platform xcb     # a real X server

Each run is a fresh process: `python -m xinfang_desk --db <temp sqlite> --window BN01` with
XINFANG_DESK_QUIT_ON_LOGIN set, versus a script that shows an empty QWidget and exits the same way:

- `=1`      the log-in window has been painted;
- `=usable` the same moment, but the app exits 1 unless the log-in button is enabled then — "usable": a click
            proceeds to authenticate (if the database is still opening on the worker thread, the click waits for
            it visibly: the button disabled and reading 正在打开数据库…, the fields read-only, and the log-in goes
            ahead by itself when the database is open);
- `=ready`  the database is open (schema checked, migrated if due) and the first-run check done: when an early
            click would go ahead.

Prints the median of each (interleaved runs) and the ratios to the bare window (targets: painted <= 2x, usable
<= 3x). The database is created (migrated, one user) before timing, so the runs measure an ordinary start; the
warm-up run also writes the parsed-catalog cache, as the first start on a PC does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import run_timed as timed  # noqa: E402  (bench/ is on sys.path when run as a script)

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--platform", default="offscreen", help="Qt platform plugin (xcb under xvfb-run)")
    args = ap.parse_args()
    modes = {"painted": "1", "usable": "usable", "ready": "ready"}
    with tempfile.TemporaryDirectory(prefix="xinfang-bench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=args.platform, XINFANG_DESK_DATA=tmp, PYTHONPATH=str(ROOT))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files: measure like one
        db = f"sqlite:///{tmp}/bench.sqlite3"
        prep = (f"from xinfang_desk.services.container import Services; s = Services.open({db!r}, 'BN01'); "
                "s.auth.setup_first_admin('admin', 'Bench', 'bench-12345') if s.auth.needs_first_run() else None; s.close()")
        subprocess.run([sys.executable, "-c", prep], env=env, cwd=ROOT, check=True)
        app_cmd = [sys.executable, "-m", "xinfang_desk", "--db", db, "--window", "BN01"]
        bare_cmd = [sys.executable, "-c", BARE]
        timed(app_cmd, dict(env, XINFANG_DESK_QUIT_ON_LOGIN="ready"))  # warm the file cache, fontconfig, catalog
        timed(bare_cmd, env)
        bare_t: list[float] = []
        app_t: dict[str, list[float]] = {m: [] for m in modes}
        for _ in range(args.runs):  # interleaved, so machine noise hits all alike
            bare_t.append(timed(bare_cmd, env))
            for name, mode in modes.items():
                app_t[name].append(timed(app_cmd, dict(env, XINFANG_DESK_QUIT_ON_LOGIN=mode)))
    b = statistics.median(bare_t)
    print(f"runs: {args.runs} each, {args.platform}, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"bare PySide6 window      : median {b * 1000:6.0f} ms  (min {min(bare_t) * 1000:.0f}, max {max(bare_t) * 1000:.0f})")
    labels = {"painted": ("log-in window painted", 2.0), "usable": ("log-in button usable", 3.0),
              "ready": ("database open", None)}
    for name, ts in app_t.items():
        m = statistics.median(ts)
        label, target = labels[name]
        goal = f"(target <= {target:g}x: {'met' if m / b <= target else 'NOT met'})" if target else \
            "(an early click goes ahead here)"
        print(f"{label:<25}: median {m * 1000:6.0f} ms  = {m / b:4.2f}x  {goal}  (min {min(ts) * 1000:.0f}, "
              f"max {max(ts) * 1000:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
