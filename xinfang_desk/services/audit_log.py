"""The audit trail for supervisors: verify the chain, list with filters, export to CSV, purge what is old enough.

Retention: 网络安全法 第二十一条 (三) requires network logs to be kept for no less than six months, so `purge` refuses
any date later than six months before today, and never removes a record of a broken chain.
"""

from __future__ import annotations

import builtins
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_
from xinfang_desk.persistence.audit_chain import PURGE_ACTION, ChainReport, verify_window
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import AuditEvent
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import LOCAL_TZ, Actor, local_today
from xinfang_desk.services.recording import audit, require

VIEW = N_("view the audit trail")
PURGE = N_("purge old audit records")
RETENTION_MONTHS = 6
MAX_ROWS = 20000


# how a break in the chain is told to a person (msgids; the CLI and the GUI fill them in)
FINDING_TEXT = {
    "edited": N_("position {position}: the record was altered"),
    "deleted": N_("positions {position}–{to_position}: records were deleted"),
    "deleted1": N_("position {position}: the record was deleted"),
    "inserted": N_("position {position}: a record was inserted"),
    "reordered": N_("position {position}: the record belongs at position {moved_from} (reordered)"),
    "truncated": N_("positions {position}–{to_position}: the end of the log was cut off (truncated)"),
    "head_missing": N_("position {position}: the chain head is missing"),
    "centre_mismatch": N_("position {position}: differs from what the centre was told at a sync (rewritten)"),
}


def finding_text(f: Any) -> str:
    from xinfang_desk.i18n import _

    kind = "deleted1" if f.kind == "deleted" and f.to_position == f.position else f.kind
    return _(FINDING_TEXT.get(kind, FINDING_TEXT["edited"])).format(
        position=f.position, to_position=f.to_position, moved_from=f.moved_from)


# what each audit action is called on screen and in exports (the stored codes never reach a screen)
ACTION_LABELS: dict[str, str] = {
    "auth.login": N_("Log-in"),
    "user.create": N_("User created"),
    "visit.register": N_("Visit registered"),
    "classification.create": N_("Channels proposed"),
    "classification.override": N_("Channels overridden"),
    "notice.print": N_("Notice printed"),
    "notice.reprint": N_("Notice reprinted"),
    "organ.update": N_("Organ directory changed"),
    "calendar.import": N_("Holiday calendar loaded"),
    "person.view_history": N_("Visitor's history viewed"),
    "permission.denied": N_("Refused: no permission"),
    "sync.issue_acknowledge": N_("Sync issue acknowledged"),
    "pii.reveal": N_("Full ID number or phone shown"),
    "audit.verify": N_("Audit chain checked"),
    "audit.list": N_("Audit trail viewed"),
    "audit.export": N_("Audit trail exported"),
    "audit.purge": N_("Old audit records purged"),
}


def action_label(action: str) -> str:
    from xinfang_desk.i18n import _

    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else _("Other action")


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: dt.datetime  # UTC
    window_code: str
    position: int | None
    username: str
    action: str
    entity: str
    entity_id: str | None
    success: bool
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditFilter:
    date_from: dt.date | None = None  # local (Asia/Shanghai) dates, inclusive
    date_to: dt.date | None = None
    username: str = ""  # exact user name
    action: str = ""  # exact action, or a prefix ending in "." ("auth.")
    window_code: str | None = None
    limit: int = MAX_ROWS


@dataclass(frozen=True)
class PurgeResult:
    window_code: str
    removed: int
    purged_through: int  # the last position removed (0: nothing)
    before: dt.date


def _local_midnight_utc(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def months_before(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    import calendar

    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def latest_purge_date(today: dt.date) -> dt.date:
    """The latest `--before` a purge accepts: records older than this day are at least six months old."""
    return months_before(today, RETENTION_MONTHS)


class AuditLogService:
    def __init__(self, db: Database, window_code: str) -> None:
        self.db = db
        self.window_code = window_code

    # -- verify -------------------------------------------------------------------------------------------
    @reads
    def check(self, window_code: str | None = None) -> ChainReport:
        """The chain of this window (or another one held here), without a permission check or an audit record:
        for start-up, where the result is shown only to a supervisor. Use `verify` for a user's request."""
        with self.db.session() as s:
            return verify_window(s, window_code or self.window_code)

    @writes
    def verify(self, actor: Actor, *, all_windows: bool = False,
               anchors: list[tuple[int, str]] | None = None) -> list[ChainReport]:
        """Check the chain of this window (and, with all_windows, every other window's records held here,
        without a head to compare with). `anchors`: the (position, hash) heads this window reported to the centre
        (`sync.audit_anchor.central_heads`), each of which must still be in the log. The check is itself audited,
        after it ran."""
        import dataclasses

        from xinfang_desk.persistence.audit_chain import compare_with_anchors

        require(self.db, actor, VIEW)
        with self.db.session() as s:
            if self.db.is_sqlite:  # one snapshot for the records and the head: a write in between is no "truncation"
                s.connection().exec_driver_sql("BEGIN")
            windows = [self.window_code]
            if all_windows:
                windows += sorted(w for (w,) in s.execute(select(AuditEvent.window_code).distinct())
                                  if w != self.window_code)
            reports = [verify_window(s, w, check_head=(w == self.window_code)) for w in windows]
            if anchors:
                extra = compare_with_anchors(s, self.window_code, anchors)
                have = {(f.kind, f.position) for f in reports[0].findings}
                extra = [f for f in extra if (f.kind, f.position) not in have]
                if extra:
                    reports[0] = dataclasses.replace(reports[0], findings=tuple(sorted(
                        (*reports[0].findings, *extra), key=lambda f: (f.position, f.kind))))
        with self.db.transaction() as s:
            audit(s, actor, "audit.verify", "audit_events", None,
                  windows=[r.window_code for r in reports], findings=sum(len(r.findings) for r in reports))
        return reports

    # -- list and export ------------------------------------------------------------------------------------
    def _query(self, f: AuditFilter) -> Any:
        q = select(AuditEvent)
        if f.date_from:
            q = q.where(AuditEvent.at >= _local_midnight_utc(f.date_from))
        if f.date_to:
            q = q.where(AuditEvent.at < _local_midnight_utc(f.date_to + dt.timedelta(days=1)))
        if f.username:
            q = q.where(AuditEvent.username == f.username.strip().lower())
        if f.action:
            a = f.action.strip()
            q = q.where(AuditEvent.action.startswith(a, autoescape=True) if a.endswith(".") else AuditEvent.action == a)
        if f.window_code:
            q = q.where(AuditEvent.window_code == f.window_code)
        return q.order_by(AuditEvent.at.desc(), AuditEvent.window_code, AuditEvent.chain_seq.desc()).limit(
            max(1, min(f.limit, MAX_ROWS)))

    @staticmethod
    def _check_filter(f: AuditFilter) -> None:
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise fail("date_to", N_("To"), N_("is before the start date"))

    @writes
    def list(self, actor: Actor, f: AuditFilter | None = None) -> list[AuditRow]:
        require(self.db, actor, VIEW)
        f = f or AuditFilter()
        self._check_filter(f)
        with self.db.transaction() as s:
            rows = [AuditRow(e.id, e.at, e.window_code, e.chain_seq, e.username, e.action, e.entity, e.entity_id,
                             bool(e.success), e.detail or {}) for e in s.scalars(self._query(f))]
            audit(s, actor, "audit.list", "audit_events", None, rows=len(rows), **_filter_detail(f))
        return rows

    @reads
    def actions(self, actor: Actor) -> builtins.list[str]:  # `list` is a method here
        require(self.db, actor, VIEW)
        with self.db.session() as s:
            return sorted(a for (a,) in s.execute(select(AuditEvent.action).distinct()))

    @reads
    def usernames(self, actor: Actor) -> builtins.list[str]:
        require(self.db, actor, VIEW)
        with self.db.session() as s:
            return sorted(u for (u,) in s.execute(select(AuditEvent.username).distinct()) if u)

    @writes
    def export_csv(self, actor: Actor, path: str | Path, f: AuditFilter | None = None) -> int:
        """Write the filtered records to a CSV file (UTF-8 with BOM for spreadsheet programs, created 0600).
        The export is audited in the same transaction that read the rows; the file is written after it."""
        from xinfang_desk.fileperm import write_private_bytes
        from xinfang_desk.services.context import to_local

        require(self.db, actor, VIEW)
        f = f or AuditFilter()
        self._check_filter(f)
        with self.db.transaction() as s:
            rows = list(s.scalars(self._query(f)))
            audit(s, actor, "audit.export", "audit_events", None, rows=len(rows), file=Path(path).name,
                  **_filter_detail(f))
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["time", "window", "position", "user", "action", "action_label", "entity", "entity_id",
                        "success", "detail", "hash"])
            for e in rows:
                w.writerow([to_local(e.at).isoformat(timespec="seconds"), e.window_code, e.chain_seq, e.username,
                            e.action, action_label(e.action), e.entity, e.entity_id or "", "1" if e.success else "0",
                            json.dumps(e.detail or {}, ensure_ascii=False, sort_keys=True), e.hash or ""])
        write_private_bytes(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))
        return len(rows)

    # -- purge ------------------------------------------------------------------------------------------------
    @writes
    def purge(self, actor: Actor, before: dt.date, *, today: dt.date | None = None) -> PurgeResult:
        """Remove this window's records older than `before` (a local date), from the start of the chain. Refused
        for a date later than six months before today, and while the chain is broken. Writes an `audit.purge`
        record into the chain naming the last removed position and its hash, so the chain still verifies."""
        require(self.db, actor, PURGE)
        today = today or local_today()
        latest = latest_purge_date(today)
        if before > latest:
            raise fail("before", N_("Purge before"),
                       N_("records younger than six months must be kept (Cybersecurity Law, Article 21); "
                          "the latest date allowed is {date}"), date=latest.isoformat())
        cutoff = _local_midnight_utc(before)
        with self.db.transaction() as s:
            report = verify_window(s, self.window_code)
            if not report.intact:
                raise fail("before", N_("Purge before"),
                           N_("the audit chain is broken at position {position}: nothing is purged until it has "
                              "been examined"), position=report.findings[0].position)
            rows = s.execute(select(AuditEvent.chain_seq, AuditEvent.at, AuditEvent.hash)
                             .where(AuditEvent.window_code == self.window_code, AuditEvent.chain_seq.is_not(None))
                             .order_by(AuditEvent.chain_seq)).all()
            through, last_hash = 0, ""
            for seq, at, h in rows:  # the prefix of the chain that is older than the cut-off
                if at >= cutoff:
                    break
                through, last_hash = int(seq or 0), str(h)  # chain_seq IS NOT NULL in the query
            removed = 0
            if through:
                done = cast(CursorResult[Any], s.execute(delete(AuditEvent).where(  # a DELETE's result is a cursor's
                    AuditEvent.window_code == self.window_code, AuditEvent.chain_seq <= through)))
                removed = done.rowcount or 0
            audit(s, actor, PURGE_ACTION, "audit_events", None, before=before.isoformat(), removed=removed,
                  purged_through=through, purged_last_hash=last_hash)
        return PurgeResult(self.window_code, removed, through, before)


def _filter_detail(f: AuditFilter) -> dict[str, Any]:
    return {k: v for k, v in (("date_from", f.date_from.isoformat() if f.date_from else None),
                              ("date_to", f.date_to.isoformat() if f.date_to else None),
                              ("username", f.username or None), ("action_filter", f.action or None),
                              ("window", f.window_code)) if v}
