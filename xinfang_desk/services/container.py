"""All services of one window over one database: what the GUI and the CLI are given."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the imports (SQLAlchemy, Alembic, pypinyin) happen in Services() on a worker thread
    from xinfang_desk.persistence.db import Database


class Services:
    def __init__(self, db: Database, window_code: str) -> None:
        from xinfang_desk.services.audit_log import AuditLogService
        from xinfang_desk.services.auth import AuthService
        from xinfang_desk.services.classification import ClassificationService
        from xinfang_desk.services.notices import NoticeService
        from xinfang_desk.services.reference import ReferenceService
        from xinfang_desk.services.registration import RegistrationService
        from xinfang_desk.services.search import SearchService

        self.db = db
        self.window_code = window_code
        self.auth = AuthService(db, window_code)
        self.registration = RegistrationService(db)
        self.search = SearchService(db)
        self.classification = ClassificationService(db)
        self.notices = NoticeService(db)
        self.reference = ReferenceService(db)
        self.audit_log = AuditLogService(db, window_code)
        self.reference.ensure_defaults()

    @classmethod
    def open(cls, url: str, window_code: str, *, migrate: bool = True, passphrase: str | None = None) -> Services:
        """`passphrase`: of a field-encrypted database whose key is not in the OS keyring (else
        $XINFANG_DESK_DB_PASSPHRASE)."""
        from xinfang_desk.persistence.db import Database

        return cls(Database(url, migrate=migrate, passphrase=passphrase), window_code)

    def close(self) -> None:
        self.db.dispose()
