"""Local (window-side) sync bookkeeping: the models live in `persistence.models` (so that the migrations'
metadata needs no import of sync); re-exported here. Migration: persistence/migrations/versions/0002_sync_state.py."""

from __future__ import annotations

from xinfang_desk.persistence.models import SyncCursor, SyncIssue

__all__ = ["SyncCursor", "SyncIssue"]
