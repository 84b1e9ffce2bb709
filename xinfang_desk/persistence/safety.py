"""What keeps a window's SQLite file safe: the start checks, verified backups with rotation, restore, and the
translation of I/O failures into one clear sentence.

    inspect_file(path) -> bool             refuses an empty, truncated, foreign or corrupt file (StorageProblem);
                                           True when the file exists, False when it is to be created
    take_backup(path) -> Path              online copy (sqlite3 backup API) into backups/, 0600, verified, rotated
    ensure_daily_backup(path) -> Path|None the first start of a (local) day: a backup, which is also the day's full
                                           integrity check (the copy is checked with `PRAGMA integrity_check`)
    newest_good_backup(path) -> Path|None  the newest backup that passes quick_check
    restore(path, source) -> Path          refuses a bad source; keeps the current file aside; crash-safe
    finish_pending_restore(path)           completes a restore that a kill -9 interrupted (called at every start)
    translate(exc, path) -> StorageProblem|None   read-only, disk full, locked, missing folder, corrupt …

A restore is a roll-forward: the verified copy is written beside the database as `NAME.restoring`, then a marker
`NAME.restore-pending` is written; from then on every start finishes the swap (drop the old WAL, rename) before
opening anything. Before the marker nothing of the current file has changed; a stray `.restoring` is removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.fileperm import create_private, open_private
from xinfang_desk.i18n import N_, _

APP_ID = 0x58464453  # "XFDS" in the header's application_id: this application created the file
HEADER = b"SQLite format 3\x00"
BACKUP_DIR = "backups"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
FULL_CHECK_BYTES = 8 << 20  # up to this size every start runs the full integrity_check (about 0.4 s at 8 MB)
_STAMP = re.compile(r"-(\d{8})-(\d{6})-(\d{6})\.sqlite3$")

MESSAGES = {
    "empty": N_("The database file {path} is empty (0 bytes). It was left untouched and no new database was made in its place."),
    "truncated": N_("The database file {path} is truncated (shorter than its own header says): part of it is missing."),
    "foreign": N_("The file {path} is not a database of this application."),
    "corrupt": N_("The database file {path} is damaged (integrity check: {detail})."),
    "missing_dir": N_("The folder {path} does not exist. Check the database path or create the folder, then start again."),
    "readonly": N_("{path} cannot be written (read-only file, folder or file system); nothing was saved. Give this user write access or move the database to a writable folder, then try again."),
    "disk_full": N_("The disk that holds {path} is full; nothing was saved. Free some space, then try again."),
    "locked": N_("The database {path} stayed locked by another program for more than 5 seconds; nothing was saved. Close the other program (or the other copy of this application) and try again."),
    "cannot_open": N_("The database {path} cannot be opened ({detail}). Check the path and the permissions."),
    "io_error": N_("Reading or writing {path} failed (disk error: {detail}); nothing was saved. Check the disk, then restore a backup if the problem stays."),
    "not_ours": N_("The database {path} has no users and was not created by this application: the first administrator cannot be set up on it."),
    "bad_backup": N_("The backup {path} cannot be used: {detail}"),
}
# codes about the file itself: a backup is offered
FILE_PROBLEMS = frozenset({"empty", "truncated", "foreign", "corrupt", "not_ours"})


def _join(a: str, b: str) -> str:
    """Two sentences: a space between them in English, none in Chinese."""
    return _("{first} {second}").format(first=a, second=b)


class StorageProblem(DomainError):
    """A database file, folder or disk the application cannot use. `code` (see MESSAGES), `path`, `detail`, and
    `backup`: the newest good backup to offer (or None)."""

    def __init__(self, code: str, path: Path | str, detail: str = "", backup: Path | None = None) -> None:
        self.code, self.path, self.detail, self.backup = code, str(path), detail, backup
        super().__init__(self.message())

    def message(self) -> str:
        text = _(MESSAGES[self.code]).format(path=self.path, detail=self.detail)
        if self.backup is not None:
            text = _join(text, _("The newest good backup is {file} ({when}); restore it with: xinfang-desk db restore {file}").format(
                file=self.backup, when=backup_time(self.backup).strftime("%Y-%m-%d %H:%M")))
        elif self.code in FILE_PROBLEMS:
            text = _join(text, _("No good backup was found; ask the administrator."))
        return text

    def screen_message(self) -> str:
        """For the GUI: no SQLite or OS wording (English) and no command line; the backup by its time."""
        short = getattr(self.detail, "short", "") or _("details in the log")
        text = _(MESSAGES[self.code]).format(path=self.path, detail=short)
        if self.backup is not None:
            text = _join(text, _("The newest good backup was taken at {when}.").format(
                when=backup_time(self.backup).strftime("%Y-%m-%d %H:%M")))
        elif self.code in FILE_PROBLEMS:
            text = _join(text, _("No good backup was found; ask the administrator."))
        return text

    def with_backup(self, db_file: Path) -> StorageProblem:
        if self.code in FILE_PROBLEMS and self.backup is None:
            self.backup = newest_good_backup(db_file)
            self.args = (self.message(),)
        return self


# -- start checks -------------------------------------------------------------------------------------------
def _header_problem(path: Path, head: bytes, size: int) -> str | None:
    if len(head) < 100:
        return "truncated" if head and HEADER.startswith(head[:16]) else "foreign"
    if not head.startswith(HEADER):
        return "foreign"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "corrupt"
    if size % page_size:
        return "truncated"
    pages = int.from_bytes(head[28:32], "big")
    if pages and head[24:28] == head[92:96] and size < pages * page_size:
        return "truncated"
    return None


class Detail(str):
    """A problem's detail for the log and the CLI (SQLite's own words), with `short`: the part fit for a Chinese
    screen (e.g. only how many problems the check found)."""

    short = ""


def _problems(rows: list[str]) -> str:
    """integrity_check's answer on one line: how many problems (at most 20 are asked for) and the first."""
    lines = [ln.strip() for r in rows for ln in str(r).splitlines() if ln.strip() and not ln.startswith("***")]
    n = f"{len(lines)}+" if len(rows) >= 20 else str(len(lines))
    d = Detail(_("{n} problems, first: {first}").format(n=n, first=lines[0] if lines else "?"))
    d.short = _("{n} problems").format(n=n)
    return d


def _connect(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    con.text_factory = lambda b: b.decode("utf-8", "replace")  # a damaged file's messages may quote its bytes
    return con


def check_sqlite(path: Path, *, full: bool = False) -> tuple[str, str] | None:
    """(code, detail) of what is wrong with a SQLite file of ours, or None when it is good."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty", ""
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as e:
        p = translate(e, path)
        return (p.code, p.detail) if p else ("cannot_open", e.strerror or str(e))
    code = _header_problem(path, head, size)
    if code:
        return code, ""
    try:
        con = _connect(path)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(20)" if full else "PRAGMA quick_check(20)")]
            if rows != ["ok"]:
                return "corrupt", _problems(rows)
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
        finally:
            con.close()
    except UnicodeDecodeError:  # SQLite's own message quoted damaged bytes
        d = Detail(_("unreadable data"))
        d.short = str(d)
        return "corrupt", d
    except sqlite3.DatabaseError as e:
        name = getattr(e, "sqlite_errorname", "")
        if name.startswith("SQLITE_NOTADB"):
            return "corrupt", str(e)
        if name.startswith("SQLITE_CORRUPT"):
            return "corrupt", str(e)
        p = translate(e, path)
        return (p.code, p.detail) if p else ("corrupt", str(e))
    if app_id != APP_ID and "alembic_version" not in tables:
        return "foreign", ""
    return None


def inspect_file(path: Path) -> bool:
    """Before the engine touches `path`: refuse what must not be opened. True when the file exists already.
    `PRAGMA quick_check` on every start; the full `integrity_check` when the file is small enough to make that
    cheap (FULL_CHECK_BYTES), otherwise once a day through the verified daily backup, and by `db verify`."""
    if not path.parent.is_dir():
        raise StorageProblem("missing_dir", path.parent)
    if not path.exists():
        return False
    if path.is_dir():
        raise StorageProblem("foreign", path)
    problem = check_sqlite(path, full=path.stat().st_size <= FULL_CHECK_BYTES)
    if problem:
        code, detail = problem
        raise StorageProblem(code, path, detail).with_backup(path)
    return True


def mark_created(con: Any) -> None:
    """Record in the header that this application created the file (DB-API or SQLAlchemy connection)."""
    sql = f"PRAGMA application_id = {APP_ID}"
    if hasattr(con, "exec_driver_sql"):
        con.exec_driver_sql(sql)
    else:
        con.execute(sql)


def created_by_app(path: Path) -> bool:
    con = _connect(path)
    try:
        return bool(con.execute("PRAGMA application_id").fetchone()[0] == APP_ID)
    finally:
        con.close()


# -- backups ------------------------------------------------------------------------------------------------
def backup_dir(db_file: Path) -> Path:
    return db_file.parent / BACKUP_DIR


def backup_time(path: Path) -> dt.datetime:
    m = _STAMP.search(path.name)
    if not m:
        return dt.datetime.fromtimestamp(path.stat().st_mtime)
    return dt.datetime.strptime("".join(m.groups()), "%Y%m%d%H%M%S%f")


def list_backups(db_file: Path) -> list[Path]:
    """The finished backups of `db_file`, newest first (a half-written one is a hidden `.part` and not listed)."""
    d = backup_dir(db_file)
    if not d.is_dir():
        return []
    found = [p for p in d.glob(f"{db_file.stem}-*.sqlite3") if _STAMP.search(p.name) and p.is_file()]
    return sorted(found, key=lambda p: backup_time(p), reverse=True)


def newest_good_backup(db_file: Path) -> Path | None:
    for b in list_backups(db_file):
        if check_sqlite(b) is None:
            return b
    return None


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform/file system lets a folder be fsynced
        _fsync_file(path)


def _copy_into(source: Path, target: Path) -> None:
    """Consistent online copy of `source` into the new (0600) file `target`, made self-contained (no WAL), then
    checked in full; raises StorageProblem('corrupt') when the copy is not sound."""
    src = _connect(source)
    try:
        dst = _connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            rows = [r[0] for r in dst.execute("PRAGMA integrity_check(20)")]
            if rows != ["ok"]:
                raise StorageProblem("corrupt", source, _problems(rows))
        finally:
            dst.close()
    finally:
        src.close()
    _fsync_file(target)


def _clean_parts(d: Path, max_age_s: float = 600.0) -> None:
    now = dt.datetime.now().timestamp()
    for part in d.glob(".*.part"):
        with contextlib.suppress(OSError):
            if now - part.stat().st_mtime > max_age_s:
                part.unlink()


def take_backup(db_file: Path, when: dt.datetime | None = None) -> Path:
    """A verified online backup of `db_file` in `backups/` (0600); then the rotation. Raises StorageProblem."""
    when = when or dt.datetime.now()
    d = backup_dir(db_file)
    try:
        d.mkdir(mode=0o700, exist_ok=True)
        _clean_parts(d)
        name = f"{db_file.stem}-{when:%Y%m%d-%H%M%S-%f}.sqlite3"
        target, part = d / name, d / f".{name}.part"
        create_private(part)
        try:
            _copy_into(db_file, part)
            os.replace(part, target)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise
        _fsync_dir(d)
        rotate(db_file)
    except StorageProblem:
        raise
    except (OSError, sqlite3.Error) as e:
        raise (translate(e, d) or StorageProblem("io_error", d, str(e))) from e
    return target


def keep_set(stamps: list[dt.datetime]) -> set[dt.datetime]:
    """Which backup times rotation keeps: the newest of each of the last 7 days, 4 ISO weeks and 12 months that
    have a backup, and every backup of the newest backup's day (e.g. the one before today's migration)."""
    ordered = sorted(stamps, reverse=True)
    keep: set[dt.datetime] = set()
    if not ordered:
        return keep
    newest_day = ordered[0].date()
    keep.update(t for t in ordered if t.date() == newest_day)
    for key, limit in ((lambda t: t.date(), KEEP_DAILY), (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
                       (lambda t: (t.year, t.month), KEEP_MONTHLY)):
        seen: list[Any] = []
        for t in ordered:
            k = key(t)
            if k not in seen:
                if len(seen) >= limit:
                    break
                seen.append(k)
                keep.add(t)
    return keep


def rotate(db_file: Path) -> list[Path]:
    """Delete the backups rotation does not keep; returns what was deleted."""
    backups = list_backups(db_file)
    keep = keep_set([backup_time(b) for b in backups])
    gone = []
    for b in backups:
        if backup_time(b) not in keep:
            b.unlink(missing_ok=True)
            gone.append(b)
    return gone


def ensure_daily_backup(db_file: Path, now: dt.datetime | None = None) -> Path | None:
    """At the first start of a (local) day: a verified backup (its integrity_check is the day's full check)."""
    now = now or dt.datetime.now()
    backups = list_backups(db_file)
    if backups and backup_time(backups[0]).date() == now.date():
        return None
    try:
        return take_backup(db_file, now)
    except StorageProblem as e:
        if e.code == "corrupt":  # the copy failed the full check: so does the file
            raise StorageProblem("corrupt", db_file, e.detail).with_backup(db_file) from e
        raise


# -- restore ------------------------------------------------------------------------------------------------
def _side(db_file: Path, suffix: str) -> Path:
    return db_file.with_name(db_file.name + suffix)


def finish_pending_restore(db_file: Path) -> bool:
    """Complete a restore interrupted after its marker was written; remove a stray unfinished copy. True when a
    restore was completed."""
    marker, part = _side(db_file, ".restore-pending"), _side(db_file, ".restoring")
    if not marker.exists():
        if part.exists():
            part.unlink()
        return False
    if part.exists():
        for extra in ("-wal", "-shm"):  # they belong to the file being replaced (kept aside already)
            _side(db_file, extra).unlink(missing_ok=True)
        os.replace(part, db_file)
        _fsync_dir(db_file.parent)
    else:  # the rename happened; nothing has opened the file since (every start comes here first)
        for extra in ("-wal", "-shm"):
            _side(db_file, extra).unlink(missing_ok=True)
    marker.unlink()
    _fsync_dir(db_file.parent)
    return True


def restore(db_file: Path, source: Path, when: dt.datetime | None = None) -> Path | None:
    """Replace `db_file` by a verified copy of `source`. The current file (with its WAL) is kept aside in
    `backups/replaced-<time>/`; returns that folder (None when there was no current file)."""
    when = when or dt.datetime.now()
    source = Path(source)
    if not source.is_file():
        raise StorageProblem("bad_backup", source, _("no such file"))
    problem = check_sqlite(source, full=True)
    if problem:
        raise StorageProblem("bad_backup", source, _(MESSAGES[problem[0]]).format(path=source, detail=problem[1]))
    if not db_file.parent.is_dir():
        raise StorageProblem("missing_dir", db_file.parent)
    try:
        finish_pending_restore(db_file)
        aside = None
        if db_file.exists():
            aside = backup_dir(db_file) / f"replaced-{when:%Y%m%d-%H%M%S-%f}"
            aside.mkdir(mode=0o700, parents=True)
            for extra in ("", "-wal"):
                f = _side(db_file, extra)
                if f.exists():
                    with open(f, "rb") as src, open_private(aside / f.name, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                        dst.flush()
                        os.fsync(dst.fileno())
            _fsync_dir(aside)
        part = _side(db_file, ".restoring")
        part.unlink(missing_ok=True)
        create_private(part)
        try:
            _copy_into(source, part)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        marker = _side(db_file, ".restore-pending")
        tmp = _side(db_file, ".restore-pending.tmp")
        with open_private(tmp, "w", encoding="utf-8") as fh:
            json.dump({"source": str(source), "aside": str(aside) if aside else None}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, marker)
        _fsync_dir(db_file.parent)
        finish_pending_restore(db_file)
    except StorageProblem:
        raise
    except (OSError, sqlite3.Error) as e:
        raise (translate(e, db_file) or StorageProblem("io_error", db_file, str(e))) from e
    return aside


# -- I/O failures -------------------------------------------------------------------------------------------
_SQLITE_CODES = (
    ("SQLITE_FULL", "disk_full"), ("SQLITE_READONLY", "readonly"), ("SQLITE_BUSY", "locked"),
    ("SQLITE_LOCKED", "locked"), ("SQLITE_CANTOPEN", "cannot_open"), ("SQLITE_NOTADB", "foreign"),
    ("SQLITE_CORRUPT", "corrupt"), ("SQLITE_IOERR", "io_error"), ("SQLITE_PERM", "readonly"),
)
_ERRNO_CODES = {
    errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "readonly", errno.EACCES: "readonly",
    errno.EPERM: "readonly", errno.ENOENT: "missing_dir", errno.EIO: "io_error", errno.EFBIG: "disk_full",
}


def _writable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK) and (path.is_dir() or os.access(path.parent, os.W_OK))


def translate(exc: BaseException, path: Path | str | None) -> StorageProblem | None:
    """The StorageProblem an exception from SQLite, SQLAlchemy or the OS stands for; None when it is none of those."""
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the DB-API error
    where = Path(path) if path is not None else None
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        text = str(orig)
        code = next((c for prefix, c in _SQLITE_CODES if name.startswith(prefix)), None)
        if code is None:  # older sqlite3 modules: only the text
            low = text.lower()
            code = ("disk_full" if "full" in low else "readonly" if "readonly" in low or "read-only" in low
                    else "locked" if "locked" in low else "cannot_open" if "unable to open" in low
                    else "corrupt" if "malformed" in low else "foreign" if "not a database" in low else None)
        if code is None:
            return None
        if code in ("cannot_open", "io_error") and where is not None:
            if not where.parent.is_dir():
                code = "missing_dir"
                where = where.parent
            elif not _writable(where):
                code = "readonly"
            elif shutil.disk_usage(where.parent).free == 0:
                code = "disk_full"
        return StorageProblem(code, where or "", text)
    if isinstance(orig, OSError) and orig.errno in _ERRNO_CODES:
        code = _ERRNO_CODES[orig.errno]
        target = Path(orig.filename) if orig.filename else where
        if code == "missing_dir" and target is not None:
            if target.parent.is_dir():
                code = "cannot_open"
            else:
                target = target.parent
        return StorageProblem(code, target or "", orig.strerror or str(orig))
    return None
