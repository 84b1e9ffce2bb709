"""Push the outbox, pull the central log, apply it locally. Qt-free; the GUI runs it on a worker thread.

Push: the unsent outbox rows in local `seq` order, in batches, through `central.submit_changes` (one central
transaction per batch). The rows are marked sent only after the central commit; if anything dies in between
(kill -9, a lost reply, the server restarting) the batch is sent again and the centre answers "duplicate"
for each change it already has (idempotent by change id; the same id with a different payload is quarantined).

Pull: `central.pull_changes(after=cursor)` in batches; each batch and the new cursor are written in ONE local
transaction, so a crash either keeps both or neither. The central log order is safe for a "gseq > cursor" scan
because log writers are serialised by an advisory lock (see central_migrations/versions/c0001_central.py).
Changes this window made itself (their change id is in the local outbox) are recognised and skipped.

Nothing here orders by wall-clock time: local order is `outbox.seq`, central order is `gseq`. The `clock` only
stamps `sent_at` and "last sync" for display.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import psycopg
from sqlalchemy import Date, Table, func, select, text, update
from sqlalchemy.orm import Session

from xinfang_desk.domain.identity import Actor
from xinfang_desk.i18n import N_, gettext
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.fieldcrypt import SealedRawJSON
from xinfang_desk.persistence.models import Base, OutboxEntry, SyncCursor, SyncIssue
from xinfang_desk.persistence.recording import LOCAL_ONLY_COLUMNS
from xinfang_desk.persistence.types import UTCDateTime, utcnow
from xinfang_desk.sync.central import (
    REASON_CENTRAL_DB_ERROR,
    REASON_CONFLICT,
    REASON_ID_REUSED,
    REASON_NO_CENTRAL_ROW,
    connect,
)

log = logging.getLogger(__name__)

REFERENCE_ENTITIES = frozenset({"users", "windows", "settings"})  # flow from the centre only
# local only: bookkeeping, secrets, and what each window derives for itself (the audit chain's head, progress positions)
NEVER_PULLED = frozenset({"outbox", "sync_cursor", "sync_issues", "settings", "alembic_version", "password_history",
                          "audit_chain_heads", "matter_progress", "cli_sessions"})
# %b: binary parameters (no array-literal quoting of the JSON payloads)
SUBMIT_SQL = ("SELECT * FROM central.submit_changes(%b::text[], %b::bigint[], %b::text[], %b::text[], %b::text[], "
              "%b::text[], %b::integer[], %b::text[], %b::text[])")
IMPORT_SQL = ("SELECT * FROM central.import_changes(%s, %b::text[], %b::bigint[], %b::text[], %b::text[], %b::text[], "
              "%b::text[], %b::integer[], %b::text[], %b::text[])")
# payload: the JSON text exactly as written (decrypted when the database is field-encrypted)
OUTBOX_UNSENT = text(
    "SELECT seq, change_id, operator_id, entity, entity_id, op, base_version, payload, created_at "
    "FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT :n").columns(payload=SealedRawJSON)
OUTBOX_UNSENT_AFTER = text(
    "SELECT seq, change_id, operator_id, entity, entity_id, op, base_version, payload, created_at "
    "FROM outbox WHERE sent_at IS NULL AND seq > :after ORDER BY seq LIMIT :n").columns(payload=SealedRawJSON)
CLOCK_SKEW_WARN = dt.timedelta(minutes=5)


def _pg_array(col: str, *, numeric: bool = False) -> str:
    """SQLite expression aggregating `col` into a PostgreSQL array literal: text elements double-quoted with
    backslash and double quote escaped (array_in's rules), NULL as unquoted NULL, integers as digits."""
    if numeric:
        elem = f"CASE WHEN {col} IS NULL THEN 'NULL' ELSE CAST({col} AS TEXT) END"
    else:
        elem = (f"CASE WHEN {col} IS NULL THEN 'NULL' ELSE "
                f"'\"' || replace(replace(CAST({col} AS TEXT), '\\', '\\\\'), '\"', '\\\"') || '\"' END")
    return f"'{{' || coalesce(group_concat({elem}, ','), '') || '}}'"


# One push batch read as the nine array literals central.submit_changes takes, built by SQLite (C code, the GIL
# released) instead of Python objects encoded by psycopg: the pipelined push runs on two cores next to the
# centre, and this takes the client's per-batch CPU work off them. The values are the raw stored texts, exactly
# what OUTBOX_UNSENT_AFTER returns, so the centre computes the same digests.
OUTBOX_BATCH_LITERALS = text(
    "SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi, "
    + ", ".join([_pg_array("change_id"), _pg_array("seq", numeric=True), _pg_array("operator_id"),
                 _pg_array("entity"), _pg_array("entity_id"), _pg_array("op"),
                 _pg_array("base_version", numeric=True), _pg_array("payload"), _pg_array("created_at")])
    + " FROM (SELECT seq, change_id, operator_id, entity, entity_id, op, base_version, payload, created_at "
      "FROM outbox WHERE sent_at IS NULL AND seq > :after ORDER BY seq LIMIT :n)")
SUBMIT_LITERALS_SQL = ("SELECT * FROM central.submit_changes(%s::text[], %s::bigint[], %s::text[], %s::text[], "
                       "%s::text[], %s::text[], %s::integer[], %s::text[], %s::text[])")


REASON_APPLY_FAILED = N_("Could not apply the centre's change here: {error}")
REASON_SESSION_FULL = N_("The centre refused the booking: the session was already full (another window booked its last seat first)")
REASON_VISIT_BOOKED_ELSEWHERE = N_("The centre refused the booking: the visit is already booked into a session from another window")
REASON_PERSON_OVERLAP = N_("The centre refused the assignment: the person already serves in an overlapping session")
# What the centre's submit_changes answers (plain English from PL/pgSQL), mapped to msgids with parameters.
_CENTRAL_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^edited version (?P<base>\d+) but the centre has version (?P<central>\d+)$"), REASON_CONFLICT),
    (re.compile(r"^update of a row the centre does not have$"), REASON_NO_CENTRAL_ROW),
    (re.compile(r"^change id reused with a different payload \(first received as gseq (?P<gseq>\d+)\)$"),
     REASON_ID_REUSED),
    # the session constraints of c0006_sessions, in words a supervisor understands
    (re.compile(r"^23(?:514|505): .*(?:ck_bookings_mirror_within_capacity|uq_bookings_mirror_seat)", re.S), REASON_SESSION_FULL),
    (re.compile(r"^23505: .*uq_bookings_mirror_one_active_per_visit", re.S), REASON_VISIT_BOOKED_ELSEWHERE),
    (re.compile(r"^23P01: .*ex_session_staff_no_overlap", re.S), REASON_PERSON_OVERLAP),
    (re.compile(r"^(?P<error>[0-9A-Z]{5}: .*)$", re.S), REASON_CENTRAL_DB_ERROR),  # SQLSTATE: SQLERRM
)


def reason_json(msgid: str, **params: Any) -> str:
    """A translatable reason as stored in `sync_issues.reason`: the English msgid and its parameters as JSON."""
    return json.dumps({"msgid": msgid, "params": params}, ensure_ascii=False, sort_keys=True)


def central_reason(detail: str | None) -> str:
    """The centre's detail for a refused or conflicting change as a stored reason: a known message becomes
    `reason_json` (a database error message from PostgreSQL stays as it is, a parameter of a translated
    phrase); anything else is kept as plain text."""
    detail = (detail or "").strip()
    for pattern, msgid in _CENTRAL_DETAILS:
        m = pattern.match(detail)
        if m:
            return reason_json(msgid, **m.groupdict())
    return detail


def reason_text(stored: str | None, translate: Callable[[str], str] = gettext) -> str:
    """A stored reason for display: JSON reasons translated and filled in; old plain-text reasons as they are."""
    stored = stored or ""
    if stored.startswith("{"):
        try:
            doc = json.loads(stored)
        except ValueError:
            return stored
        if isinstance(doc, dict) and isinstance(doc.get("msgid"), str):
            given = doc.get("params")
            params = given if isinstance(given, dict) else {}
            for msgid in (translate(doc["msgid"]), doc["msgid"]):
                try:
                    return msgid.format(**params)
                except (KeyError, IndexError, ValueError):
                    continue
            return doc["msgid"]
    return stored


class SchemaSkew(RuntimeError):
    """The centre sent a table or column this version of the app does not know: upgrade the app."""


@dataclass
class SyncOptions:
    push_batch: int = 1000
    pull_batch: int = 5000
    clock: Callable[[], dt.datetime] = utcnow
    password: str | None = None
    # test seams (fault injection): called with the batch number (before_submit also with the batch: its outbox
    # seq range .lo/.hi and len())
    before_submit: Callable[[int, Any], None] | None = None
    after_central_commit: Callable[[int], None] | None = None


@dataclass(frozen=True)
class SyncReport:
    pushed: int = 0  # outbox changes the centre now holds (applied now or already earlier)
    applied: int = 0  # of those, applied in this run
    duplicates: int = 0  # already at the centre (a resend after a crash or a lost reply)
    pulled: int = 0  # central changes applied locally
    skipped_own: int = 0  # our own changes coming back
    skipped_stale: int = 0  # an editable row we already hold in the same or a newer version
    quarantined: int = 0
    conflicts: int = 0
    apply_failed: int = 0
    errors: tuple[str, ...] = ()
    online: bool = False
    last_sync: dt.datetime | None = None
    pending: int = 0  # outbox rows still waiting after the run
    # this PC's clock minus the centre's (seconds; None when the centre was not reached). Information only:
    # nothing in the sync depends on it (order is gseq and outbox seq).
    clock_skew_s: float | None = None
    warnings: tuple[str, ...] = ()  # for the GUI to show; not errors: `ok` does not look at them

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["errors"] = list(self.errors)
        d["warnings"] = list(self.warnings)
        d["last_sync"] = self.last_sync.isoformat() if self.last_sync else None
        return d


@dataclass
class _Tally:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    pulled: int = 0
    skipped_own: int = 0
    skipped_stale: int = 0
    quarantined: int = 0
    conflicts: int = 0
    apply_failed: int = 0
    errors: list[str] = field(default_factory=list)


# -- push -----------------------------------------------------------------------------------------------
def _arrays(rows: Sequence[Any]) -> tuple[list[Any], ...]:
    """The nine parallel arrays `central.submit_changes` takes, in the order of SUBMIT_SQL's parameters."""
    if not rows:
        return ([],) * 9
    if isinstance(rows[0], tuple):  # SQLAlchemy rows: one C-level transpose (outbox columns are text/int already)
        cols = list(zip(*[(r.change_id, r.seq, r.operator_id, r.entity, r.entity_id, r.op, r.base_version, r.payload,
                           r.created_at) for r in rows], strict=True))
        seqs = [int(x) for x in cols[1]]
        eids = [str(x) for x in cols[4]]
        return (list(cols[0]), seqs, list(cols[2]), list(cols[3]), eids, list(cols[5]), list(cols[6]), list(cols[7]),
                list(cols[8]))
    return (
        [r.change_id for r in rows], [int(r.seq) for r in rows], [r.operator_id for r in rows],
        [r.entity for r in rows], [str(r.entity_id) for r in rows], [r.op for r in rows],
        [r.base_version for r in rows], [r.payload for r in rows], [r.created_at for r in rows],
    )


def _record_outcomes(s: Session, outcomes: Iterable[Any], by_id: dict[str, Any], tally: _Tally, now: dt.datetime) -> None:
    for change_id, outcome, gseq, detail in outcomes:
        if outcome == "duplicate":
            tally.duplicates += 1
            continue
        r = by_id.get(change_id)
        kind = "conflict" if outcome == "conflict" else "quarantined"
        if kind == "conflict":
            tally.conflicts += 1
        else:
            tally.quarantined += 1
        exists = s.scalar(select(SyncIssue.id).where(SyncIssue.change_id == change_id, SyncIssue.direction == "push",
                                                     SyncIssue.kind == kind))
        if not exists:
            s.add(SyncIssue(change_id=change_id, direction="push", kind=kind, entity=r.entity if r else "",
                            entity_id=str(r.entity_id) if r else "", gseq=gseq, reason=central_reason(detail),
                            created_at=now))


@dataclass
class _Batch:
    """One push batch: its outbox seq range and the parameters of the submit call."""
    lo: int
    hi: int
    n: int
    sql: str
    params: tuple[Any, ...]
    rows: list[Any] | None = None  # the outbox rows, when read as rows (else fetched only if the centre refused some)

    def __len__(self) -> int:
        return self.n


def _read_batch(db: Database, after: int, limit: int) -> _Batch | None:
    if db.field_keys is not None:  # encrypted payloads: SQLite cannot build the literals, read rows
        with db.session() as s:
            rows = list(s.execute(OUTBOX_UNSENT_AFTER, {"after": after, "n": limit}).all())
        if not rows:
            return None
        return _Batch(int(rows[0].seq), int(rows[-1].seq), len(rows), SUBMIT_SQL, _arrays(rows), rows)
    with db.session() as s:
        r = s.execute(OUTBOX_BATCH_LITERALS, {"after": after, "n": limit}).one()
        if not r.n:
            return None
        seqs_lit = r[4]
        seqs = [int(x) for x in seqs_lit[1:-1].split(",")]
        # group_concat's order is the subquery's (seq) order in SQLite; checked, never assumed
        if len(seqs) == r.n and seqs[0] == r.lo and seqs[-1] == r.hi and all(
                a < b for a, b in zip(seqs, seqs[1:], strict=False)):
            return _Batch(int(r.lo), int(r.hi), int(r.n), SUBMIT_LITERALS_SQL, tuple(r[3:12]))
        rows = list(s.execute(OUTBOX_UNSENT_AFTER, {"after": after, "n": limit}).all())
    if not rows:
        return None
    return _Batch(int(rows[0].seq), int(rows[-1].seq), len(rows), SUBMIT_SQL, _arrays(rows), rows)


def _mark_sent(db: Database, batch: _Batch, outcomes: Sequence[Any], opts: SyncOptions, tally: _Tally) -> None:
    """After the centre committed a batch: mark its rows sent and record what was refused (one local transaction)."""
    now = opts.clock()
    with db.transaction() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.seq.between(batch.lo, batch.hi),
                                            OutboxEntry.sent_at.is_(None)).values(sent_at=now))
        if outcomes:
            rows = batch.rows
            if rows is None:
                ids = [o[0] for o in outcomes]
                rows = list(s.execute(select(OutboxEntry.change_id, OutboxEntry.entity, OutboxEntry.entity_id).where(
                    OutboxEntry.seq.between(batch.lo, batch.hi), OutboxEntry.change_id.in_(ids))).all())
            _record_outcomes(s, outcomes, {r.change_id: r for r in rows}, tally, now)
    tally.pushed += batch.n
    tally.applied += batch.n - len(outcomes)


def push(db: Database, conn: psycopg.Connection[Any], opts: SyncOptions, tally: _Tally) -> None:
    """Pipelined, one helper thread: while the centre works on batch N (the network wait releases the GIL), the
    helper marks batch N-1 as sent in SQLite and reads batch N+1. What each batch goes through is unchanged: its
    rows are marked sent only after the central commit of that batch. A crash at any moment leaves unmarked at
    most the batches the centre already committed whose local marking had not committed yet; the next run
    resends them and the centre answers "duplicate"."""
    from concurrent.futures import Future, ThreadPoolExecutor

    batch_no = 0
    marking: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xinfang-sync-push") as helper:
        try:
            batch = _read_batch(db, 0, opts.push_batch)
            while batch is not None:
                batch_no += 1
                # the helper runs its jobs in order: the marking of N-1 (already queued), then this read
                upcoming = helper.submit(_read_batch, db, batch.hi, opts.push_batch)
                if opts.before_submit:
                    opts.before_submit(batch_no, batch)
                outcomes = conn.execute(batch.sql, batch.params).fetchall()
                conn.commit()  # the centre holds the batch from here on
                if opts.after_central_commit:
                    opts.after_central_commit(batch_no)
                if marking is not None:
                    marking.result()  # raises the local error of batch N-1, if any
                marking = helper.submit(_mark_sent, db, batch, outcomes, opts, tally)
                batch = upcoming.result()
        except BaseException:
            if marking is not None and marking.exception() is not None:  # waits for it; the first error wins
                log.warning("marking a pushed batch as sent failed: %s", marking.exception())
            raise
        if marking is not None:
            marking.result()


# -- pull -----------------------------------------------------------------------------------------------
class _TableInfo:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns = {c.key: c for c in table.columns}
        self.keys = frozenset(self.columns)
        self.pk = [c.key for c in table.primary_key.columns]
        self.versioned = "version" in self.columns
        self.conv: dict[str, Callable[[Any], Any]] = {}
        for c in table.columns:
            if isinstance(c.type, UTCDateTime):
                self.conv[c.key] = _parse_dt
            elif isinstance(c.type, Date):
                self.conv[c.key] = _parse_date
        self._raw: dict[str, _RawTable] = {}

    def check(self, payload: dict[str, Any]) -> None:
        unknown = payload.keys() - self.keys
        if unknown:
            raise SchemaSkew(f"table {self.table.name} has no column(s) {', '.join(sorted(unknown))}: "
                             "this window runs an older version of xinfang-desk; upgrade it")

    def row(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.check(payload)
        out: dict[str, Any] = {}
        for k in self.columns:
            v = payload.get(k)
            conv = self.conv.get(k)
            out[k] = conv(v) if conv and v is not None else v
        return out

    def raw(self, dialect: Any) -> _RawTable:
        r = self._raw.get(dialect.name)
        if r is None:
            r = self._raw[dialect.name] = _RawTable(self, dialect)
        return r


class _RawTable:
    """One table's statements as driver SQL (qmark, SQLite) and each column's value conversion done the way
    SQLAlchemy does it (the column type's own bind processor, so sealed columns are encrypted, JSON columns
    written canonically, timestamps as UTC ISO text): a pulled batch is written with one `executemany` per table
    instead of a compiled statement per row."""

    def __init__(self, info: _TableInfo, dialect: Any) -> None:
        q = dialect.identifier_preparer.quote
        cols = list(info.table.columns)
        self.procs: list[tuple[str, Callable[[Any], Any] | None]] = []
        for c in cols:
            bind = c.type.dialect_impl(dialect).bind_processor(dialect)  # public API; made once per table
            conv = info.conv.get(c.key)
            if conv is not None and bind is not None:
                self.procs.append((c.key, _compose(conv, bind)))
            else:
                self.procs.append((c.key, conv or bind))
        names = ", ".join(q(c.name) for c in cols)
        marks = ", ".join("?" * len(cols))
        table = q(info.table.name)
        self.insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        self.insert_ignore = self.insert + " ON CONFLICT DO NOTHING"
        pk = info.pk[0] if len(info.pk) == 1 else None
        self.update = (f"UPDATE {table} SET {', '.join(q(c.name) + ' = ?' for c in cols)} "
                       f"WHERE {q(info.columns[pk].name)} = ?") if pk else ""
        self.select_versions = (f"SELECT {q(info.columns[pk].name)}, {q(info.columns['version'].name)} "
                                f"FROM {table} WHERE {q(info.columns[pk].name)} IN ") if pk and info.versioned else ""

    def values(self, payload: dict[str, Any]) -> tuple[Any, ...]:
        return tuple([v if (v := payload.get(k)) is None or f is None else f(v) for k, f in self.procs])


def _compose(conv: Callable[[Any], Any], bind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: bind(conv(v))


def _parse_dt(v: Any) -> dt.datetime:
    return v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)


def _parse_date(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(v)


_TABLES: dict[str, _TableInfo] = {}
_ORDER: dict[str, int] = {}  # table name -> position in foreign-key order (parents first)


def _table(entity: str) -> _TableInfo:
    info = _TABLES.get(entity)
    if info is None:
        table = Base.metadata.tables.get(entity)
        if table is None or entity in NEVER_PULLED:
            raise SchemaSkew(f"the centre sent changes of {entity!r}, which this version of xinfang-desk does not know; "
                             "upgrade the application")
        info = _TABLES[entity] = _TableInfo(table)
    return info


def _fk_order(name: str) -> int:
    if not _ORDER:
        _ORDER.update({t.name: i for i, t in enumerate(Base.metadata.sorted_tables)})
    return _ORDER.get(name, len(_ORDER))


def _insert_ignore(s: Session, table: Table) -> Any:
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _pk_where(info: _TableInfo, row: dict[str, Any]) -> Any:
    return [info.columns[k] == row[k] for k in info.pk]


def _apply_one(s: Session, info: _TableInfo, ch: Any, row: dict[str, Any], tally: _Tally) -> None:
    t = info.table
    if info.versioned:
        cur = s.execute(select(info.columns["version"]).where(*_pk_where(info, row))).first()
        if cur is None:
            s.execute(t.insert().values(**row))
        elif (row.get("version") or 0) > (cur[0] or 0):
            s.execute(t.update().where(*_pk_where(info, row)).values(**row))
        else:
            tally.skipped_stale += 1
            return
    elif ch.op == "insert" and ch.window_code != "CENTRAL":
        s.execute(_insert_ignore(s, t), [row])
    else:  # reference data from the centre, or a server-ordered update of a derived field
        exists = s.execute(select(*[info.columns[k] for k in info.pk]).where(*_pk_where(info, row))).first()
        local_only = LOCAL_ONLY_COLUMNS.get(t.name, frozenset())
        if local_only:  # a user's password and lock state stay this window's (the centre sends none)
            row = {k: v for k, v in row.items()
                   if k not in local_only and (v is not None or info.columns[k].nullable)}
        if exists:
            s.execute(t.update().where(*_pk_where(info, row)).values(**row))
        elif t.name == "users":  # a user made at the centre logs in here after an administrator sets a password
            s.execute(t.insert().values(**{**row, "password_hash": "", "failed_logins": 0, "locked_until": None,
                                           "must_change_password": True}))
        else:
            s.execute(t.insert().values(**row))
    tally.pulled += 1


def _apply_single_guarded(s: Session, info: _TableInfo, ch: Any, row: dict[str, Any], tally: _Tally,
                          now: dt.datetime) -> None:
    try:
        with s.begin_nested():
            _apply_one(s, info, ch, row, tally)
    except Exception as e:  # noqa: BLE001 - any local refusal is recorded, visible, and does not stop the pull
        tally.apply_failed += 1
        if not s.scalar(select(SyncIssue.id).where(SyncIssue.change_id == ch.change_id, SyncIssue.direction == "pull",
                                                   SyncIssue.kind == "apply_failed")):
            s.add(SyncIssue(change_id=ch.change_id, direction="pull", kind="apply_failed", entity=ch.entity,
                            entity_id=ch.entity_id, gseq=ch.gseq, reason=reason_json(REASON_APPLY_FAILED,
                                                                     error=f"{type(e).__name__}: {e}"[:2000]),
                            created_at=now))


_ABSENT = object()


def _apply_grouped(s: Session, seg: Sequence[tuple[Any, _TableInfo, dict[str, Any]]]) -> tuple[int, int]:
    """A run of event inserts and versioned rows written with one statement per table and kind, tables in
    foreign-key order; the result is what `_apply_one` gives change by change in log order (an event insert is
    ignored if the row exists; a versioned row is inserted if absent and replaced only by a higher version; a
    row inserted and updated in the same run is written once, in its last version). Returns (applied, stale).
    Raises on the first refusal; the caller then narrows the run down to find and record it."""
    conn = s.connection()
    dialect = conn.dialect
    raw = dialect.name == "sqlite"  # driver SQL is written with qmarks; other databases go through Core
    ignore: dict[_TableInfo, list[dict[str, Any]]] = {}
    fresh: dict[_TableInfo, dict[Any, dict[str, Any]]] = {}  # versioned rows absent here: pk -> last payload
    newer: dict[_TableInfo, dict[Any, dict[str, Any]]] = {}  # versioned rows to replace: pk -> last payload
    versions: dict[_TableInfo, dict[Any, Any]] = {}  # versioned: pk -> the version held (or _ABSENT)
    for info in {info for _c, info, _p in seg if info.versioned}:
        pk = info.pk[0]
        ids = list({p[pk] for _c, i, p in seg if i is info})
        held: dict[Any, Any] = dict.fromkeys(ids, _ABSENT)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            if raw:
                found = conn.exec_driver_sql(info.raw(dialect).select_versions
                                             + f"({', '.join('?' * len(chunk))})", tuple(chunk)).all()
            else:
                found = conn.execute(select(info.columns[pk], info.columns["version"])
                                     .where(info.columns[pk].in_(chunk))).all()
            held.update({k: v for k, v in found})
        versions[info] = held
    applied = stale = 0
    for _ch, info, payload in seg:
        if not info.versioned:
            ignore.setdefault(info, []).append(payload)
        else:
            key = payload[info.pk[0]]
            held = versions[info]
            cur = held[key]
            if cur is _ABSENT:
                fresh.setdefault(info, {})[key] = payload
            elif (payload.get("version") or 0) > (cur or 0):
                target = fresh if key in fresh.get(info, {}) else newer
                target.setdefault(info, {})[key] = payload
            else:
                stale += 1
                continue
            held[key] = payload.get("version")
        applied += 1
    for info in sorted({*ignore, *fresh, *newer}, key=lambda i: _fk_order(i.table.name)):
        t = info.table
        if raw:
            rt = info.raw(dialect)
            if info in fresh:
                conn.exec_driver_sql(rt.insert, [rt.values(p) for p in fresh[info].values()])
            if info in newer:
                conn.exec_driver_sql(rt.update, [(*rt.values(p), k) for k, p in newer[info].items()])
            if info in ignore:
                conn.exec_driver_sql(rt.insert_ignore, [rt.values(p) for p in ignore[info]])
            continue
        if info in fresh:
            conn.execute(t.insert(), [info.row(p) for p in fresh[info].values()])
        for p in newer.get(info, {}).values():
            row = info.row(p)
            conn.execute(t.update().where(*_pk_where(info, row)).values(**row))
        if info in ignore:
            conn.execute(_insert_ignore(s, t), [info.row(p) for p in ignore[info]])
    return applied, stale


def _apply_run(s: Session, seg: list[tuple[Any, _TableInfo, dict[str, Any]]], tally: _Tally,
               now: dt.datetime) -> None:
    if not seg:
        return
    try:
        with s.begin_nested():
            applied, stale = _apply_grouped(s, seg)
    except Exception:  # noqa: BLE001 - narrow it down to find and record the refused change(s)
        if len(seg) > 4:  # halves in order: a single refusal costs a few more grouped attempts, not a batch of singles
            mid = len(seg) // 2
            _apply_run(s, seg[:mid], tally, now)
            _apply_run(s, seg[mid:], tally, now)
            return
        for ch, info, payload in seg:
            _apply_single_guarded(s, info, ch, info.row(payload), tally, now)
        return
    tally.pulled += applied
    tally.skipped_stale += stale


def apply_pulled(s: Session, changes: Sequence[Any], window_code: str, tally: _Tally, now: dt.datetime) -> None:
    """Apply central changes (in gseq order) inside the caller's transaction: runs of event inserts and
    versioned rows together (`_apply_grouped`), anything else (the centre's reference rows, updates of
    unversioned rows) change by change in its place in the log."""
    own: set[str] = set()
    mine = [c.change_id for c in changes if c.window_code == window_code]
    for i in range(0, len(mine), 500):
        own.update(s.scalars(select(OutboxEntry.change_id).where(OutboxEntry.change_id.in_(mine[i:i + 500]))))
    run: list[tuple[Any, _TableInfo, dict[str, Any]]] = []
    loads = json.loads
    for ch in changes:
        if ch.change_id in own:
            tally.skipped_own += 1
            continue
        if ch.entity in REFERENCE_ENTITIES and ch.window_code != "CENTRAL":
            continue  # reference rows made on another window are not fanned out (the centre filters them too)
        info = _table(ch.entity)
        payload = loads(ch.payload)
        info.check(payload)
        if (info.versioned and len(info.pk) == 1 and payload.get(info.pk[0]) is not None) or (
                not info.versioned and ch.op == "insert" and ch.window_code != "CENTRAL"):
            run.append((ch, info, payload))
            continue
        _apply_run(s, run, tally, now)
        run = []
        _apply_single_guarded(s, info, ch, info.row(payload), tally, now)
    _apply_run(s, run, tally, now)


def _cursor(s: Session, central_id: str) -> SyncCursor:
    cur = s.get(SyncCursor, central_id)
    if cur is None:
        cur = SyncCursor(central_id=central_id, last_gseq=0)
        s.add(cur)
        s.flush()
    return cur


def pull(db: Database, conn: psycopg.Connection[Any], central_id: str, window_code: str, opts: SyncOptions,
         tally: _Tally) -> None:
    with db.session() as s:
        c = s.get(SyncCursor, central_id)
        after = c.last_gseq if c else 0
    while True:
        changes = conn.execute("SELECT * FROM central.pull_changes(%s, %s)", (after, opts.pull_batch)).fetchall()
        conn.commit()
        if not changes:
            return
        now = opts.clock()
        with db.transaction() as s:
            cur = _cursor(s, central_id)
            if cur.last_gseq != after:  # another sync of this database ran meanwhile: start over from its cursor
                after = cur.last_gseq
                continue
            apply_pulled(s, changes, window_code, tally, now)
            cur.last_gseq = after = int(changes[-1].gseq)
            cur.last_pull_at = now


# -- one round --------------------------------------------------------------------------------------------
def pending_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))) or 0)


def sync_once(db: Database, window_code: str, central_url: str, *, options: SyncOptions | None = None,
              password: str | None = None) -> SyncReport:
    """Push everything waiting, then pull everything new. Never raises for network or central trouble:
    the report says what happened (`errors`, `online`)."""
    opts = options or SyncOptions()
    if password is not None:
        opts = replace(opts, password=password)
    tally = _Tally()
    online = False
    last_sync: dt.datetime | None = None
    central_id: str | None = None
    skew: dt.timedelta | None = None
    audit_warnings: list[str] = []
    from psycopg.rows import namedtuple_row

    from xinfang_desk.sync.audit_anchor import report_head

    try:
        with connect(central_url, password=opts.password) as conn:
            conn.row_factory = namedtuple_row
            online = True
            info = conn.execute("SELECT * FROM central.central_info()").fetchone()
            conn.commit()
            assert info is not None
            central_id = str(info.instance_id)
            if info.window_code != window_code:
                raise PermissionError(f"this database belongs to window {window_code}, but the central role is "
                                      f"registered for {info.window_code or 'no window'}")
            skew = measure_clock_skew(conn, opts.clock)
            push(db, conn, opts, tally)
            audit_warnings = report_head(db, conn, window_code)  # the audit chain head, with every sync
            pull(db, conn, central_id, window_code, opts, tally)
            last_sync = opts.clock()
    except (psycopg.OperationalError, OSError) as e:
        online = False
        tally.errors.append(f"offline: {_short(e)}")
    except (psycopg.Error, SchemaSkew, PermissionError) as e:
        tally.errors.append(f"{type(e).__name__}: {_short(e)}")
    if central_id is not None:
        try:
            with db.transaction() as s:
                cur = _cursor(s, central_id)
                cur.last_error = "; ".join(tally.errors) or None
                if last_sync is not None:
                    cur.last_sync_at = last_sync
                    if tally.pushed:
                        cur.last_push_at = last_sync
                else:
                    last_sync = cur.last_sync_at
        except Exception as e:  # noqa: BLE001 - bookkeeping must not hide the outcome
            log.warning("could not record the sync outcome: %s", e)
    else:
        last_sync = last_sync_time(db)
    warnings: list[str] = list(audit_warnings)
    if skew is not None and abs(skew) > CLOCK_SKEW_WARN:
        warnings.append(clock_skew_warning(skew))
        log.warning("%s", warnings[-1])
    return SyncReport(
        clock_skew_s=skew.total_seconds() if skew is not None else None, warnings=tuple(warnings),
        pushed=tally.pushed, applied=tally.applied, duplicates=tally.duplicates, pulled=tally.pulled,
        skipped_own=tally.skipped_own, skipped_stale=tally.skipped_stale, quarantined=tally.quarantined,
        conflicts=tally.conflicts, apply_failed=tally.apply_failed, errors=tuple(tally.errors),
        online=online and not tally.errors, last_sync=last_sync, pending=pending_count(db),
    )


def measure_clock_skew(conn: psycopg.Connection[Any], clock: Callable[[], dt.datetime]) -> dt.timedelta:
    """This PC's clock minus the centre's, from one round trip (the centre's time compared with the middle of
    the local send and receive times; the error is at most half the round trip)."""
    t0 = clock()
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    t1 = clock()
    conn.commit()
    assert row is not None
    return (t0 + (t1 - t0) / 2) - row[0]


def clock_skew_warning(skew: dt.timedelta) -> str:
    secs = skew.total_seconds()
    mins = abs(secs) / 60
    amount = f"{mins / 60:.1f} h" if mins >= 90 else f"{mins:.0f} min"
    direction = "ahead of" if secs > 0 else "behind"
    return (f"clock skew: this computer's clock is {amount} {direction} the central server's; the sync is not "
            "affected (it orders by the centre's sequence), but times shown and printed here may be wrong: "
            "correct the system clock")


def _short(e: BaseException) -> str:
    msg = str(e).strip().splitlines()
    return (msg[0] if msg else type(e).__name__)[:500]


def last_sync_time(db: Database) -> dt.datetime | None:
    with db.session() as s:
        return s.scalar(select(func.max(SyncCursor.last_sync_at)))


def open_issues(db: Database) -> list[SyncIssue]:
    """This window's sync issues not yet resolved (rejected changes, conflicts, local apply failures)."""
    with db.session() as s:
        return list(s.scalars(select(SyncIssue).where(SyncIssue.resolved_at.is_(None)).order_by(SyncIssue.created_at)))


def acknowledge_issues(db: Database, actor: Actor, issue_ids: list[str], note: str) -> int:
    """Several open sync issues acknowledged with one note, in one transaction (an audit event each). Issues
    already resolved meanwhile are skipped; returns how many were acknowledged."""
    from xinfang_desk.i18n import N_
    from xinfang_desk.persistence.recording import audit, require

    require(db, actor, N_("resolve sync conflicts"))
    note = (note or "").strip()
    if not note:
        raise ValueError("say what was done about the sync issues")
    done = 0
    with db.transaction() as s:
        for issue_id in dict.fromkeys(issue_ids):
            issue = s.get(SyncIssue, issue_id)
            if issue is None or issue.resolved_at is not None:
                continue
            issue.resolved_at = utcnow()
            audit(s, actor, "sync.issue_acknowledge", "sync_issues", issue.id, kind=issue.kind,
                  direction=issue.direction, change_id=issue.change_id, issue_entity=issue.entity,
                  issue_entity_id=issue.entity_id, note=note[:2000], bulk=len(issue_ids))
            done += 1
    return done


def acknowledge_issue(db: Database, actor: Actor, issue_id: str, note: str) -> SyncIssue:
    """A supervisor marks one of this window's open sync issues as dealt with (e.g. after resolving the
    conflict or the quarantine entry at the centre), so it leaves the open list. Needs the permission
    "resolve sync conflicts"; a refusal is audited. The issue and its audit event (who, when, what was done)
    are written in one transaction. Returns the updated issue."""
    from xinfang_desk.domain.errors import NotFound
    from xinfang_desk.i18n import N_
    from xinfang_desk.persistence.recording import audit, require

    require(db, actor, N_("resolve sync conflicts"))
    note = (note or "").strip()
    if not note:
        raise ValueError("say what was done about the sync issue")
    with db.transaction() as s:
        issue = s.get(SyncIssue, issue_id)
        if issue is None:
            raise NotFound(f"no sync issue {issue_id}")
        if issue.resolved_at is not None:
            raise NotFound(f"sync issue {issue_id} is already resolved")
        issue.resolved_at = utcnow()
        audit(s, actor, "sync.issue_acknowledge", "sync_issues", issue.id, kind=issue.kind,
              direction=issue.direction, change_id=issue.change_id, issue_entity=issue.entity,
              issue_entity_id=issue.entity_id,
              note=note[:2000])
        s.flush()
        s.expunge(issue)
    return issue
