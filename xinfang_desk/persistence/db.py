"""Engine, SQLite pragmas, start-up backup and migration, the unit of work."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.i18n import _

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 10


class SchemaTooNew(DomainError):
    pass


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a save the UI confirmed survives a power cut
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _private_sqlite_file(db_file: Path) -> None:
    """The database holds ID numbers, phones and grievances: the file is 0600 before SQLite first opens it (its
    -wal and -shm files take the database file's mode), and an older 0644 file and its companions are narrowed."""
    from xinfang_desk.fileperm import make_private, private_dir, touch_private

    if not db_file.parent.exists():
        private_dir(db_file.parent)
    touch_private(db_file)
    for extra in ("-wal", "-shm", "-journal"):
        make_private(db_file.with_name(db_file.name + extra))


def make_engine(url: str, **kw: Any) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            _private_sqlite_file(Path(u.database))
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy run BEGIN IMMEDIATE for writes so two writers never deadlock on upgrade.
        return engine
    return create_engine(url, pool_pre_ping=True, **kw)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(db_file: Path, when: dt.datetime | None = None) -> Path | None:
    """Online-consistent copy (sqlite3 backup API) into `backups/` beside the file; keeps the last 10."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    when = when or dt.datetime.now()
    target_dir = db_file.parent / "backups"
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{db_file.stem}-{when:%Y%m%d-%H%M%S-%f}.sqlite3"
    src = sqlite3.connect(str(db_file))
    try:
        dst = sqlite3.connect(str(target))
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    old = sorted(target_dir.glob(f"{db_file.stem}-*.sqlite3"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    return target


def upgrade(engine: Engine, url: str, backup: bool = True) -> str:
    """Back up (SQLite file), refuse a newer schema, migrate to head. Returns the head revision."""
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = current_revision(engine)
    if current is not None and current != head:
        known = {r.revision for r in script.walk_revisions()}
        if current not in known:
            raise SchemaTooNew(
                _("The database was written by a newer version of xinfang-desk (schema {rev}); please upgrade the application.").format(rev=current)
            )
    if current == head:
        return head or ""
    u = make_url(url)
    if backup and u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        backup_sqlite(Path(u.database))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return head or ""


class Database:
    """The local database: one engine, a session factory, and the write lock for SQLite."""

    def __init__(self, url: str, *, migrate: bool = True, backup: bool = True, passphrase: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine, url, backup=backup)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.field_keys: Any = None  # persistence.fieldcrypt.FieldKeys of an encrypted database
        setting = self.field_encryption_setting()
        if setting:
            from xinfang_desk.persistence.fieldcrypt import keys_for

            try:
                self.field_keys = keys_for(setting, passphrase)
            except Exception:
                self.engine.dispose()
                raise

    def field_encryption_setting(self) -> dict[str, Any] | None:
        """The `settings` row that says the database is field-encrypted (and how its key is held), or None."""
        import json

        from sqlalchemy import text

        with self.engine.connect() as conn:
            try:
                v = conn.execute(text("SELECT value FROM settings WHERE key = 'field_encryption'")).scalar()
            except Exception:  # noqa: BLE001 - no settings table yet
                return None
        return json.loads(v) if v else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite":
            return u.database or ":memory:"
        return u.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session."""
        from xinfang_desk.persistence.fieldcrypt import using

        with using(self.field_keys), self._sessions() as s:
            yield s

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: everything inside commits together (rows, outbox, audit) or not at all."""
        from xinfang_desk.persistence.fieldcrypt import using

        with using(self.field_keys), self._sessions() as s:
            if self.is_sqlite:
                s.connection().exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
