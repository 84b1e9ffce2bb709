"""All services of one window over one database: what the GUI and the CLI are given."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the imports (SQLAlchemy, Alembic, pypinyin) happen in Services() on a worker thread
    from xinfang_desk.persistence.db import Database


class Services:
    def __init__(self, db: Database, window_code: str) -> None:
        from xinfang_desk.services.auth import AuthService
        from xinfang_desk.services.classification import ClassificationService
        from xinfang_desk.services.notices import NoticeService
        from xinfang_desk.services.preferences import PreferenceService
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
        self.preferences = PreferenceService(db)
        self.reference.ensure_defaults()

    @classmethod
    def open(cls, url: str, window_code: str, *, migrate: bool = True) -> Services:
        from xinfang_desk.persistence.db import Database

        return cls(Database(url, migrate=migrate), window_code)

    def close(self) -> None:
        self.db.dispose()
