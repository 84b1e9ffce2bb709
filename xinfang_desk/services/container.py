"""All services of one window over one database: what the GUI and the CLI are given."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the imports (SQLAlchemy, Alembic, pypinyin) happen in Services() on a worker thread
    from xinfang_desk.persistence.db import Database


class Services:
    def __init__(self, db: Database, window_code: str) -> None:
        from xinfang_desk.services.advice import AdviceService
        from xinfang_desk.services.audit_log import AuditLogService
        from xinfang_desk.services.auth import AuthService
        from xinfang_desk.services.classification import ClassificationService
        from xinfang_desk.services.maintenance import MaintenanceService
        from xinfang_desk.services.notices import NoticeService
        from xinfang_desk.services.preferences import PreferenceService
        from xinfang_desk.services.progress import ProgressService
        from xinfang_desk.services.reference import ReferenceService
        from xinfang_desk.services.registration import RegistrationService
        from xinfang_desk.services.scheduling import SchedulingService
        from xinfang_desk.services.search import SearchService
        from xinfang_desk.services.visit_search import VisitSearchService

        self.db = db
        self.window_code = self._check_window(db, window_code)
        self.auth = AuthService(db, window_code)
        self.registration = RegistrationService(db)
        self.search = SearchService(db)
        self.classification = ClassificationService(db)
        self.notices = NoticeService(db)
        self.progress = ProgressService(db)
        self.visit_search = VisitSearchService(db)
        from xinfang_desk.services.daily_log import DailyLogService

        self.daily_log = DailyLogService(db, self.progress)
        self.reference = ReferenceService(db)
        self.scheduling = SchedulingService(db)
        self.advice = AdviceService(db)
        self.maintenance = MaintenanceService(db)
        self.audit_log = AuditLogService(db, window_code)
        self.preferences = PreferenceService(db)
        from xinfang_desk.services.sync import SyncService

        self.sync = SyncService(db, self.window_code)
        self.reference.ensure_defaults()

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
