"""Sync as a service: what the GUI (and any other caller) needs of the sync, as frozen DTOs.

The GUI never imports `xinfang_desk.sync`, SQLAlchemy or psycopg: it calls `SyncService` (one per window, on
`Services.sync`) from a worker thread and shows what comes back. Errors of the centre come back as codes
(`CENTRAL_*`, `RESOLVE_*`) with the driver's text as a parameter; the page chooses the words.

- `runner(...)` makes the window's background sync: THE loop of `sync.service.SyncLoop` (the same one
  `xinfang-desk sync --watch` runs), observed through callbacks with `SyncView` and `SyncRound` DTOs; the GUI
  turns those callbacks into queued signals.
- `counts(actor)`: pending changes, last sync time, open issues of this window.
- `open_issues(actor)`, `acknowledge_issue(s)(actor, …)`: this window's sync issues.
- `page(actor, central_url)`: the sync page's data (local issues, the centre's conflicts and rejected changes,
  the local names of the records they concern).
- `resolve_conflict(actor, central_url, id, choice, merged)` → `ResolveResult`.

Permissions: reading needs "run the sync" (every role), resolving and acknowledging "resolve sync conflicts";
checked here with `recording.require` (a refusal is audited), and again by the centre (the window's role).
Nothing heavy is imported with this module: the engine (psycopg) only when a centre is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xinfang_desk.domain.sync_records import ConflictDTO, QuarantineDTO
from xinfang_desk.i18n import N_
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor

if TYPE_CHECKING:
    from xinfang_desk.persistence.db import Database
    from xinfang_desk.sync.engine import SyncReport
    from xinfang_desk.sync.service import SyncLoop, SyncStatus

log = logging.getLogger(__name__)

RUN = N_("run the sync")
RESOLVE = N_("resolve sync conflicts")

# why the centre's lists are missing from the page (SyncPageData.central_error)
CENTRAL_NOT_CONFIGURED = "not_configured"
CENTRAL_NOT_PERMITTED = "not_permitted"  # the window's central role is not a supervisor's
CENTRAL_UNREACHABLE = "unreachable"  # central_error_detail: the driver's message
# how a resolution ended (ResolveResult.outcome)
RESOLVED = "resolved"
RESOLVE_REFUSED = "refused"  # the centre refused: the window's role may not resolve
RESOLVE_UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class SyncView:
    """What the status bar and the sync page show of the background sync (made on the sync thread)."""

    configured: bool | None  # None: not known yet (the keyring is being asked)
    online: bool | None = None  # None: not tried yet
    pending: int = 0  # changes waiting in the outbox
    last_sync: dt.datetime | None = None  # UTC
    last_error: str | None = None
    open_issues: int = 0  # quarantined, conflicts, local apply failures not yet resolved
    running: bool = False
    next_attempt: dt.datetime | None = None
    config_error: str | None = None


@dataclass(frozen=True)
class SyncRound:
    """The outcome of one sync round (from `sync.engine.SyncReport`)."""

    pushed: int
    duplicates: int
    pulled: int
    quarantined: int
    conflicts: int
    apply_failed: int
    pending: int
    online: bool
    last_sync: dt.datetime | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_supervisor(self) -> bool:
        return bool(self.quarantined or self.conflicts or self.apply_failed)

    @classmethod
    def of(cls, r: SyncReport) -> SyncRound:
        return cls(r.pushed, r.duplicates, r.pulled, r.quarantined, r.conflicts, r.apply_failed, r.pending, r.online,
                   r.last_sync, tuple(r.errors), tuple(r.warnings))


@dataclass(frozen=True)
class SyncCounts:
    pending: int  # changes waiting in the outbox
    last_sync: dt.datetime | None  # UTC; None: never
    open_issues: int


@dataclass(frozen=True)
class SyncIssueDTO:
    """One of this window's sync issues: kind quarantined | conflict | apply_failed; `reason` as stored (a JSON
    msgid with parameters, or old plain text: `gui.formatting.sync_reason_label` turns it into words)."""

    id: str
    kind: str
    direction: str  # push | pull
    entity: str
    entity_id: str
    reason: str
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None = None


@dataclass(frozen=True)
class SyncPageData:
    conflicts: tuple[ConflictDTO, ...]  # `differences()`: field -> (centre's value, window's value)
    quarantine: tuple[QuarantineDTO, ...]  # `reason` as a stored reason (like SyncIssueDTO.reason)
    issues: tuple[SyncIssueDTO, ...]
    central_error: str | None  # CENTRAL_*: why the centre's lists are missing
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, id) -> name as stored locally
    central_error_detail: str = ""


@dataclass(frozen=True)
class ResolveResult:
    conflict_id: int
    outcome: str  # RESOLVED | RESOLVE_REFUSED | RESOLVE_UNREACHABLE
    gseq: int | None = None  # the new version's place in the central log
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == RESOLVED


def require(db: Database, actor: Actor, action: str) -> None:
    """`services.recording.require`, imported when first used (the GUI imports this module at start-up)."""
    from xinfang_desk.services.recording import require as check

    check(db, actor, action)


def _issue(i: Any) -> SyncIssueDTO:
    return SyncIssueDTO(i.id, i.kind, i.direction, i.entity, i.entity_id, i.reason, i.created_at, i.resolved_at)


# what names a record in the lists: a visitor's or user's name (never an ID number or phone), a visit's query code
_NAME_COLUMNS = {"people": "name", "users": "display_name", "visits": "query_code"}

_keyring_lock = threading.Lock()
_keyring_answer: list[str | None] = []  # the keyring is asked once per process (≈0.1 s of CPU, maybe D-Bus)


def configured_central_url() -> str:
    """`sync.config.central_url()`, with the keyring's answer kept for the life of the process (the environment
    is read every time). Raises CentralConfigError when nothing is configured. May be slow: not on a GUI thread."""
    from xinfang_desk.sync import config

    env = os.environ.get(config.ENV_URL)
    if env:
        return env
    with _keyring_lock:
        if not _keyring_answer:
            _keyring_answer.append(config._keyring_get(config.KEYRING_URL_ITEM))  # noqa: SLF001
        stored = _keyring_answer[0]
    if stored:
        return stored
    raise config.CentralConfigError(f"no central database configured: set {config.ENV_URL} or store it in the OS "
                                    "keyring (xinfang-desk sync login)")


class SyncRunner:
    """The window's background sync: `run()` (blocking, on a thread the caller owns) first resolves the central
    URL — without one it reports `SyncView(configured=False)` and returns — then runs `sync.service.SyncLoop`.
    `on_view(SyncView)` and `on_report(SyncRound)` are called on that thread. `sync_now`, `refresh_status` and
    `stop` may be called from any thread."""

    def __init__(self, db: Database, window_code: str, *, central_url: str | None = None,
                 resolve_url: Callable[[], str] | None = None, interval: float = 30.0, max_backoff: float = 900.0,
                 status_interval: float = 5.0, on_view: Callable[[SyncView], None] | None = None,
                 on_report: Callable[[SyncRound], None] | None = None) -> None:
        self.db, self.window_code = db, window_code
        self._explicit_url = central_url
        self._resolve_url = resolve_url or configured_central_url
        self.interval, self.max_backoff, self.status_interval = interval, max_backoff, status_interval
        self.on_view, self.on_report = on_view, on_report
        self.url: str | None = None
        self._lock = threading.Lock()
        self._loop: SyncLoop | None = None
        self._stopped = False

    @property
    def rounds(self) -> int:
        loop = self._loop
        return loop.rounds if loop is not None else 0

    def sync_now(self) -> None:
        if self._loop is not None:
            self._loop.sync_now()

    def refresh_status(self) -> None:
        if self._loop is not None:
            self._loop.refresh_status()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            loop = self._loop
        if loop is not None:
            loop.stop()

    def _view(self, view: SyncView) -> None:
        if self.on_view is not None:
            self.on_view(view)

    def _status(self, st: SyncStatus) -> None:
        self._view(SyncView(True, st.online, st.pending, st.last_sync, st.last_error, st.open_issues, st.running,
                            st.next_attempt))

    def _report(self, report: SyncReport) -> None:
        if self.on_report is not None:
            self.on_report(SyncRound.of(report))

    def run(self) -> None:
        from xinfang_desk.sync.config import CentralConfigError

        try:
            url = self._explicit_url or self._resolve_url()
        except CentralConfigError as e:
            self._view(SyncView(configured=False, config_error=str(e)))
            return
        except Exception as e:  # noqa: BLE001 - a broken keyring must not take the window down
            log.warning("cannot read the central database settings: %s", e)
            self._view(SyncView(configured=False, config_error=str(e)))
            return
        # psycopg and the engine only when a centre is configured
        from xinfang_desk.sync.service import SyncLoop

        with self._lock:
            if self._stopped:
                return
            self.url = url
            self._loop = SyncLoop(self.db, self.window_code, central_url=url, interval=self.interval,
                                  max_backoff=self.max_backoff, status_interval=self.status_interval,
                                  on_status=self._status, on_report=self._report)
        self._loop.run()


class SyncService:
    def __init__(self, db: Database, window_code: str) -> None:
        self.db = db
        self.window_code = window_code

    @reads
    def runner(self, **kwargs: Any) -> SyncRunner:
        """The background sync of this window (see `SyncRunner` for the arguments)."""
        return SyncRunner(self.db, self.window_code, **kwargs)

    @reads
    def counts(self, actor: Actor) -> SyncCounts:
        from xinfang_desk.sync.service import SyncMonitor

        require(self.db, actor, RUN)
        st = SyncMonitor().status(self.db)
        return SyncCounts(st.pending, st.last_sync, st.open_issues)

    @reads
    def open_issues(self, actor: Actor) -> tuple[SyncIssueDTO, ...]:
        """This window's sync issues not yet resolved, oldest first."""
        from xinfang_desk.sync.engine import open_issues

        require(self.db, actor, RUN)
        return tuple(_issue(i) for i in open_issues(self.db))

    def _local_names(self, refs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The names of the referenced records this window holds (others are left out). Private: it reads
        personal data, so only `page`, after its permission check, calls it."""
        from sqlalchemy import select

        from xinfang_desk.persistence.models import Base

        out: dict[tuple[str, str], str] = {}
        wanted: dict[str, set[str]] = {}
        for entity, eid in refs:
            if entity in _NAME_COLUMNS and eid:
                wanted.setdefault(entity, set()).add(eid)
        if not wanted:
            return out
        with self.db.session() as s:
            for entity, ids in wanted.items():
                table = Base.metadata.tables[entity]
                col = table.c[_NAME_COLUMNS[entity]]
                ordered = sorted(ids)
                for i in range(0, len(ordered), 500):
                    for eid, name in s.execute(select(table.c.id, col).where(table.c.id.in_(ordered[i:i + 500]))):
                        if name:
                            out[(entity, str(eid))] = str(name)
        return out

    @reads
    def page(self, actor: Actor, central_url: str | None) -> SyncPageData:
        """This window's open issues (local) and, when the centre allows it, its conflicts and rejected changes."""
        issues = self.open_issues(actor)
        conflicts: tuple[ConflictDTO, ...] = ()
        quarantine: tuple[QuarantineDTO, ...] = ()
        error: str | None = None
        detail = ""
        if not central_url:
            error = CENTRAL_NOT_CONFIGURED
        else:
            import psycopg

            from xinfang_desk.sync.central import ConflictService
            from xinfang_desk.sync.engine import central_reason

            svc = ConflictService(central_url)
            try:
                conflicts = tuple(svc.list_conflicts())
                quarantine = tuple(dataclasses.replace(q, reason=central_reason(q.reason))
                                   for q in svc.list_quarantine())
            except psycopg.errors.InsufficientPrivilege:
                error = CENTRAL_NOT_PERMITTED
            except (psycopg.OperationalError, OSError) as e:
                error, detail = CENTRAL_UNREACHABLE, str(e).strip()[:200]
        refs = ([(i.entity, i.entity_id) for i in issues] + [(c.entity, c.entity_id) for c in conflicts]
                + [(q.entity or "", q.entity_id or "") for q in quarantine])
        return SyncPageData(conflicts, quarantine, issues, error, self._local_names(refs), detail)

    @writes
    def resolve_conflict(self, actor: Actor, central_url: str, conflict_id: int, choice: str,
                         merged: dict[str, Any] | None = None) -> ResolveResult:
        """choice: 'central' (keep the centre's version), 'window' (take the window's edit) or 'merged' (the
        supervisor's row in `merged`). The centre publishes the decision to every window. A refusal of the
        permission here raises PermissionDenied (audited); the centre's refusal or absence is the result's
        outcome; a bad choice raises ValueError."""
        import psycopg

        from xinfang_desk.sync.central import ConflictService

        require(self.db, actor, RESOLVE)
        try:
            gseq = ConflictService(central_url).resolve_conflict(actor, conflict_id, choice, merged)
        except psycopg.errors.InsufficientPrivilege as e:
            return ResolveResult(conflict_id, RESOLVE_REFUSED, detail=str(e).strip()[:200])
        except (psycopg.OperationalError, OSError) as e:
            return ResolveResult(conflict_id, RESOLVE_UNREACHABLE, detail=str(e).strip()[:200])
        return ResolveResult(conflict_id, RESOLVED, gseq)

    @writes
    def acknowledge_issue(self, actor: Actor, issue_id: str, note: str) -> SyncIssueDTO:
        """A supervisor marks one open sync issue as dealt with (a required note; audited). Raises NotFound when it
        is unknown or already resolved, ValueError without a note."""
        from xinfang_desk.sync.engine import acknowledge_issue

        return _issue(acknowledge_issue(self.db, actor, issue_id, note))

    @writes
    def acknowledge_issues(self, actor: Actor, issue_ids: list[str], note: str) -> int:
        """Several at once with one note, in one transaction; those resolved meanwhile are skipped. Returns how
        many were acknowledged."""
        from xinfang_desk.sync.engine import acknowledge_issues

        return acknowledge_issues(self.db, actor, issue_ids, note)
