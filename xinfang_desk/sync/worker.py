"""`python -m xinfang_desk.sync.worker` — the sync as a process (what `xinfang-desk sync` runs).

The lead wires the same arguments into cli.py with `add_sync_arguments(parser)` and `run_sync(args)`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def add_sync_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--central", metavar="URL", default=None,
                   help="central PostgreSQL URL (default: $XINFANG_DESK_CENTRAL_URL, then the OS keyring); "
                        "put no password here: use $XINFANG_DESK_CENTRAL_PASSWORD or the keyring")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one round: push, pull, exit (the default)")
    mode.add_argument("--watch", action="store_true", help="keep syncing, backing off while the centre is unreachable")
    p.add_argument("--interval", type=float, default=30.0, help="seconds between rounds with --watch (default 30)")
    p.add_argument("--max-backoff", type=float, default=900.0, help="longest wait after failures (default 900 s)")
    p.add_argument("--push-batch", type=int, default=1000, help=argparse.SUPPRESS)
    p.add_argument("--pull-batch", type=int, default=5000, help=argparse.SUPPRESS)
    p.add_argument("--json", dest="json_out", action="store_true", help="print one JSON document per round")


def run_sync(args: Any, db_url: str, window_code: str) -> int:
    """Exit status: 0 all done, 1 errors (offline or refused), 3 done but issues need a supervisor."""
    from xinfang_desk.persistence.db import Database
    from xinfang_desk.sync.config import central_url
    from xinfang_desk.sync.engine import SyncOptions, SyncReport, sync_once
    from xinfang_desk.sync.service import watch

    url = central_url(args.central)
    db = Database(db_url)
    opts = SyncOptions(push_batch=args.push_batch, pull_batch=args.pull_batch)

    def show(r: SyncReport) -> None:
        if getattr(args, "json_out", False):
            print(json.dumps(r.as_dict(), ensure_ascii=False), flush=True)
        else:
            state = "ok" if r.ok else "; ".join(r.errors)
            print(f"pushed {r.pushed} (dup {r.duplicates}) pulled {r.pulled} quarantined {r.quarantined} "
                  f"conflicts {r.conflicts} pending {r.pending}: {state}", flush=True)

    try:
        if args.watch:
            last = watch(db, window_code, url, interval=args.interval, max_backoff=args.max_backoff, options=opts,
                         on_report=show)
        else:
            last = sync_once(db, window_code, url, options=opts)
            show(last)
    finally:
        db.dispose()
    if last is None or last.errors:
        return 1
    return 3 if (last.quarantined or last.conflicts or last.apply_failed) else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m xinfang_desk.sync.worker")
    p.add_argument("--db", default=os.environ.get("XINFANG_DESK_DB"), required=os.environ.get("XINFANG_DESK_DB") is None)
    p.add_argument("--window", default=os.environ.get("XINFANG_DESK_WINDOW"),
                   required=os.environ.get("XINFANG_DESK_WINDOW") is None)
    add_sync_arguments(p)
    args = p.parse_args(argv)
    return run_sync(args, args.db, args.window)


if __name__ == "__main__":
    sys.exit(main())
