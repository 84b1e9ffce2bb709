"""Engine, SQLite pragmas, start-up backup and migration, the unit of work."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.fileperm import create_private
from xinfang_desk.i18n import _
from xinfang_desk.persistence import safety
from xinfang_desk.persistence.access import check_write, read_only_violation
from xinfang_desk.persistence.safety import StorageProblem

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    """The database holds ID numbers, phones and grievances: an existing file that is older than this rule (0644)
    is narrowed to 0600 with its companions (-wal and -shm take the database file's mode). A new file is created
    0600 by `Database` (`fileperm.create_private`), never here: a missing file or folder is not made in place."""
    from xinfang_desk.fileperm import make_private

    for extra in ("", "-wal", "-shm", "-journal"):
        make_private(db_file.with_name(db_file.name + extra))


_QUERY_ONLY = "xinfang_desk_query_only"  # in a pooled connection's info while `PRAGMA query_only` is on


def _read_only_begin(session: Session, _transaction: Any, connection: Any) -> None:
    """Every transaction of a read session is read-only in the database itself, so a raw SQL write fails too."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA query_only=ON")
        connection.info[_QUERY_ONLY] = True
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    """An ORM change on a read session fails before any SQL, naming the method that made it."""
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise read_only_violation("added, changed or deleted rows")


def _reset_query_only(dbapi_conn: Any, record: Any) -> None:
    """A connection goes back to the pool writable (the write transactions and Alembic share the pool)."""
    if dbapi_conn is not None and record is not None and record.info.pop(_QUERY_ONLY, False):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA query_only=OFF")
        cur.close()


def make_engine(url: str, **kw: Any) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:" and Path(u.database).exists():
            _private_sqlite_file(Path(u.database))  # never creates: a new file is made by Database (0600)
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


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL and `:memory:`)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def backup_sqlite(db_file: Path, when: dt.datetime | None = None) -> Path | None:
    """A verified online backup into `backups/` beside the file (0600, rotated 7 daily / 4 weekly / 12 monthly)."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    return safety.take_backup(db_file, when)


_REVISION_LINE = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN_LINE = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*(None|['"]([^'"]+)['"])\s*$""", re.MULTILINE)


def quick_head() -> str | None:
    """The single head revision read from the migration files with a regular expression (a millisecond, no Alembic
    import), or None when that cannot be said for sure (a merge, a tuple, a file it cannot read): then Alembic
    decides."""
    revisions: set[str] = set()
    downs: set[str] = set()
    try:
        files = sorted((MIGRATIONS / "versions").glob("*.py"))
        for f in files:
            text = f.read_text(encoding="utf-8")
            rev, down = _REVISION_LINE.findall(text), _DOWN_LINE.findall(text)
            if len(rev) != 1 or len(down) != 1:
                return None
            revisions.add(rev[0])
            if down[0][1]:
                downs.add(down[0][1])
    except OSError:
        return None
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and len(revisions) == len(files) else None


def _stamped_revision(engine: Engine) -> str | None:
    """The revision in `alembic_version` by plain SQL (None: no table, or not exactly one row)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DatabaseError:
            return None
    return rows[0] if len(rows) == 1 else None


def upgrade(engine: Engine, url: str, backup: bool = True) -> str:
    """Back up (SQLite file), refuse a newer schema, migrate to head. Returns the head revision.

    A database already at the head (every start but the first after an update) is recognised without importing
    Alembic (0.1 s): the head from the migration files' `revision`/`down_revision` lines, the current revision
    from `alembic_version`. Anything else (behind, ahead, unknown, no table) goes through Alembic as before."""
    head = quick_head()
    if head is not None and _stamped_revision(engine) == head:
        return head
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
    db_file = sqlite_file(url)
    if backup and db_file is not None:
        backup_sqlite(db_file)  # before every migration
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return head or ""


class Database:
    """The local database: one engine, a session factory, and the write lock for SQLite."""

    def __init__(self, url: str, *, migrate: bool = True, backup: bool = True, passphrase: str | None = None) -> None:
        """Open `url`. A SQLite file is checked first (`safety.inspect_file`: an empty, truncated, foreign or
        corrupt file is refused with StorageProblem, never replaced by a new database); a new file is marked as
        created by this application; then the migration (after a backup) and the day's first backup. A
        field-encrypted database needs its key (OS keyring) or `passphrase`."""
        self.url = url
        self.file = sqlite_file(url)
        self.created = False
        if self.file is not None:
            try:
                safety.finish_pending_restore(self.file)
            except OSError as e:
                raise (safety.translate(e, self.file) or StorageProblem("io_error", self.file, str(e))) from e
            self.created = not safety.inspect_file(self.file)
            if self.created:
                try:
                    create_private(self.file)  # 0600; SQLite gives its -wal and -shm the same mode
                except OSError as e:
                    raise (safety.translate(e, self.file) or StorageProblem("io_error", self.file, str(e))) from e
        self.engine = make_engine(url)
        try:
            if self.created:
                with self.engine.begin() as conn:
                    safety.mark_created(conn)
            if migrate:
                upgrade(self.engine, url, backup=backup and not self.created)
            if backup and migrate and self.file is not None and not self.created:
                safety.ensure_daily_backup(self.file)
        except BaseException as e:
            self.engine.dispose()
            problem = self._problem(e)
            if problem is not None:
                raise problem from e
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The read pool: the same connections, read-only while a read session holds them (persistence/access.py).
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._read_sessions, "after_begin", _read_only_begin)
        event.listen(self._read_sessions, "before_flush", _refuse_flush)
        event.listen(self.engine, "checkin", _reset_query_only)
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

    def _problem(self, exc: BaseException) -> StorageProblem | None:
        if isinstance(exc, StorageProblem):
            return None  # already says what happened
        problem = safety.translate(exc, self.file)
        if problem is not None and self.file is not None:
            problem.with_backup(self.file)
        return problem

    def created_by_app(self) -> bool:
        """The file carries this application's mark (set when it created the file); PostgreSQL: True."""
        return self.file is None or safety.created_by_app(self.file)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite":
            return u.database or ":memory:"
        return u.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """Read-only file, disk full, lock held beyond the timeout …: a StorageProblem instead of a raw error."""
        try:
            yield
        except (OperationalError, DatabaseError, OSError) as e:
            problem = self._problem(e) if self.file is not None else None
            if problem is None:
                raise
            raise problem from e

    def _refused_write(self, exc: DBAPIError) -> bool:
        """The database refused a write because the session is read-only (not because the file is)."""
        orig = exc.orig
        if isinstance(orig, sqlite3.Error):
            return (getattr(orig, "sqlite_errorname", "").startswith("SQLITE_READONLY") and self.file is not None
                    and os.access(self.file, os.W_OK) and os.access(self.file.parent, os.W_OK))
        return getattr(orig, "sqlstate", None) == "25006"  # PostgreSQL: read_only_sql_transaction

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (the read pool): it cannot write. An ORM change fails at flush and SQL that writes
        fails in the database, both with `access.WriteInReadMethod`."""
        from xinfang_desk.persistence.fieldcrypt import using

        with self._translated(), using(self.field_keys), self._read_sessions() as s:
            try:
                yield s
            except DBAPIError as e:
                if self._refused_write(e):
                    raise read_only_violation("wrote with SQL") from e
                raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: everything inside commits together (rows, outbox, audit) or not at all. A
        method declared to read may not open one (`access.WriteInReadMethod`)."""
        from xinfang_desk.persistence.fieldcrypt import using

        check_write("opened a write transaction")
        with self._translated(), using(self.field_keys), self._sessions() as s:
            if self.is_sqlite:
                s.connection().exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield s
                s.commit()
            except BaseException:
                with contextlib.suppress(Exception):  # a failed rollback must not hide why the write failed
                    s.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
