"""Whether the matters' progress positions lag behind their events (issue 10), asked without the progress
service: every listing asks, and importing that service (its models, the holiday calendar, the deadline rules)
costs more than a command-line listing takes; only a listing that finds them behind replays them
(`services.progress.refresh_positions`, which reads the same two marks here)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

WATERMARK_KEY = "progress.replayed_rowid"  # settings: the last progress_events rowid replayed into the positions


def replay_marks(s: Any) -> tuple[int, int]:
    """(the newest progress event's rowid, the rowid the positions were last replayed to), by plain SQL."""
    top, mark = s.execute(text("SELECT (SELECT coalesce(max(rowid), 0) FROM progress_events), "
                               "(SELECT value FROM settings WHERE key = :k)"), {"k": WATERMARK_KEY}).one()
    return int(top), (int(json.loads(mark)) if mark is not None else 0)


def positions_stale(s: Any) -> bool:
    """True when events arrived (recorded here or pulled) that the positions do not reflect yet."""
    top, seen = replay_marks(s)
    return top > seen
