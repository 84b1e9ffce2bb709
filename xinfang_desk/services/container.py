"""All services of one window over one database: what the GUI and the CLI are given."""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the imports (SQLAlchemy, Alembic, pypinyin) happen in Services() on a worker thread
    from xinfang_desk.persistence.db import Database
    from xinfang_desk.services.advice import AdviceService
    from xinfang_desk.services.audit_log import AuditLogService
    from xinfang_desk.services.auth import AuthService
    from xinfang_desk.services.classification import ClassificationService
    from xinfang_desk.services.daily_log import DailyLogService
    from xinfang_desk.services.maintenance import MaintenanceService
    from xinfang_desk.services.notices import NoticeService
    from xinfang_desk.services.preferences import PreferenceService
    from xinfang_desk.services.progress import ProgressService
    from xinfang_desk.services.reference import ReferenceService
    from xinfang_desk.services.registration import RegistrationService
    from xinfang_desk.services.scheduling import SchedulingService
    from xinfang_desk.services.search import SearchService
    from xinfang_desk.services.sync import SyncService
    from xinfang_desk.services.visit_search import VisitSearchService


# attribute -> (module, class, what the constructor takes besides the database): built on first use, so that a
# command or the log-in imports only the services it calls (the scheduling, printing and progress modules cost
# 0.1-0.2 s that `visits` or a log-in never needs)
_LAZY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "auth": ("auth", "AuthService", ("window_code",)),
    "reference": ("reference", "ReferenceService", ()),
    "registration": ("registration", "RegistrationService", ()),
    "search": ("search", "SearchService", ()),
    "classification": ("classification", "ClassificationService", ()),
    "notices": ("notices", "NoticeService", ()),
    "progress": ("progress", "ProgressService", ()),
    "visit_search": ("visit_search", "VisitSearchService", ()),
    "daily_log": ("daily_log", "DailyLogService", ("progress",)),
    "scheduling": ("scheduling", "SchedulingService", ()),
    "advice": ("advice", "AdviceService", ()),
    "maintenance": ("maintenance", "MaintenanceService", ()),
    "audit_log": ("audit_log", "AuditLogService", ("window_code",)),
    "preferences": ("preferences", "PreferenceService", ()),
    "sync": ("sync", "SyncService", ("window_code",)),
}


class Services:
    """One attribute per service (`services.auth`, `services.search`, …), each made when first used (the same
    object thereafter), under a lock, from any thread."""

    auth: AuthService
    reference: ReferenceService
    registration: RegistrationService
    search: SearchService
    classification: ClassificationService
    notices: NoticeService
    progress: ProgressService
    visit_search: VisitSearchService
    daily_log: DailyLogService
    scheduling: SchedulingService
    advice: AdviceService
    maintenance: MaintenanceService
    audit_log: AuditLogService
    preferences: PreferenceService
    sync: SyncService

    def __init__(self, db: Database, window_code: str) -> None:
        self.db = db
        self._lock = threading.Lock()
        self.window_code = self._check_window(db, window_code)
        if not self._reference_seeded(db):  # one plain query; the reference service is made when it is used
            self.reference.ensure_defaults()

    @staticmethod
    def _reference_seeded(db: Database) -> bool:
        """Whether the organ directory and the holiday calendar hold rows (a new database gets them from
        resources/ at its first open)."""
        from sqlalchemy import text

        with db.engine.connect() as conn:
            return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM organs) AND EXISTS (SELECT 1 FROM "
                                          "calendar_years)")).scalar())

    def __getattr__(self, name: str) -> Any:
        spec = _LAZY.get(name)
        if spec is None or name.startswith("_"):
            raise AttributeError(name)
        module, cls, extra = spec
        args = [getattr(self, a) for a in extra]  # outside the lock: `daily_log` needs `progress` first
        with self.__dict__["_lock"]:
            if name not in self.__dict__:
                factory = getattr(importlib.import_module(f"xinfang_desk.services.{module}"), cls)
                self.__dict__[name] = factory(self.db, *args)
            return self.__dict__[name]

    def preload(self) -> None:
        """Make every service now, and the matter kinds' pinyin search keys (pypinyin and its phrase dictionary):
        the GUI calls this on a reader thread once the log-in can go ahead, so that the main window finds them
        ready. The CLI never does: each command makes only what it uses."""
        for name in _LAZY:
            getattr(self, name)
        from xinfang_desk.domain.matter_kinds import all_kinds

        for kind in all_kinds():
            _ = kind.search_keys

    @staticmethod
    def _check_window(db: Database, code: str) -> str:
        """`^[A-Z]{2}[0-9]{2}$`, or a code on the administrator's list of windows."""
        from xinfang_desk.domain.querycode import check_window_code, is_window_code

        if is_window_code(code):
            return code
        from sqlalchemy import select

        from xinfang_desk.persistence.models import Window

        with db.session() as s:
            listed = list(s.scalars(select(Window.code)))
        try:
            return check_window_code(code, listed)
        except BaseException:
            db.dispose()
            raise

    @classmethod
    def open(cls, url: str, window_code: str, *, migrate: bool = True, passphrase: str | None = None) -> Services:
        """`passphrase`: of a field-encrypted database whose key is not in the OS keyring (else
        $XINFANG_DESK_DB_PASSPHRASE)."""
        from xinfang_desk.persistence.db import Database

        return cls(Database(url, migrate=migrate, passphrase=passphrase), window_code)

    def close(self) -> None:
        self.db.dispose()
