"""Backups and restore as the GUI sees them (the GUI never imports persistence).

    MaintenanceService(db).last_backup(actor) -> BackupStatus   supervisors and administrators
    restore_backup(db_url, backup)                             before the services exist (a refused file)
    backup_time(path) -> datetime                              when a backup file was taken (local time)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xinfang_desk.i18n import N_
from xinfang_desk.persistence import safety
from xinfang_desk.persistence.db import Database, sqlite_file
from xinfang_desk.services.access import reads
from xinfang_desk.services.context import Actor
from xinfang_desk.services.recording import require

SEE_BACKUPS = N_("see the backup status")


@dataclass(frozen=True)
class BackupStatus:
    path: str | None  # the newest finished (verified when written) backup, None when there is none
    taken_at: dt.datetime | None  # local time
    age_s: float | None
    count: int


class MaintenanceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @reads
    def last_backup(self, actor: Actor, now: dt.datetime | None = None) -> BackupStatus:
        require(self.db, actor, SEE_BACKUPS)  # a refusal is audited like every other
        if self.db.file is None:
            return BackupStatus(None, None, None, 0)
        backups = safety.list_backups(self.db.file)
        if not backups:
            return BackupStatus(None, None, None, 0)
        taken = safety.backup_time(backups[0])
        age = ((now or dt.datetime.now()) - taken).total_seconds()
        return BackupStatus(str(backups[0]), taken, max(age, 0.0), len(backups))


def backup_time(path: str | Path) -> dt.datetime:
    return safety.backup_time(Path(path))


def restore_backup(db_url: str, backup: str | Path) -> None:
    """Replace the SQLite file of `db_url` by `backup` (checked in full first; the current file kept aside)."""
    path = sqlite_file(db_url)
    if path is None:
        raise ValueError("restore is for a SQLite file")
    safety.restore(path, Path(backup))
