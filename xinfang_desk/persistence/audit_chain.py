"""The tamper-evident audit log: every audit record carries the hash of the one before it (one chain per window).

Canonical serialisation (format 1; never change it, add a format 2 instead)
------------------------------------------------------------------------------
A record's hash is the lower-case hex SHA-256 of the UTF-8 bytes of this JSON text:

    {"action":…,"at":…,"chain_seq":…,"detail":…,"entity":…,"entity_id":…,"format":1,"id":…,
     "operator_id":…,"prev_hash":…,"success":…,"username":…,"window_code":…}

* keys sorted by code point, separators `,` and `:` with no white space, non-ASCII characters written as
  themselves (`ensure_ascii=False`), strings exactly as stored (no Unicode normalisation);
* `at` is the UTC time as stored: ISO 8601 with microseconds and `+00:00` (`2026-11-30T01:02:03.000004+00:00`);
* `chain_seq` is the record's position in its window's chain (1, 2, 3 … without gaps); `success` a JSON boolean;
  `entity_id` and `operator_id` a string or null; `detail` the JSON object as stored (its keys sorted too);
* `prev_hash` is the hash of the record at `chain_seq - 1`, or 64 zeros for position 1.

Verification is the same computation: it runs over one window's records in position order (the hash of each
record recomputed, its `prev_hash` compared with the hash of the record before it) and needs no key, so an
assessor can repeat it with any SHA-256 tool.

Because the position and the previous hash are inside the hashed text, an edited field, a deleted, inserted or
reordered record, or a renumbering shows as a hash or a link that does not match. A truncated tail shows against
the chain head: `audit_chain_heads` holds the position and hash of each window's last record, written in the same
transaction as the record, and the head goes to the centre with each sync (`central.report_audit_head`), where a
rewrite before the reported head can no longer be hidden by rewriting the local copy. A record written after
the end of the log was cut off carries `"chain_truncated": [first missing, last missing]` in its detail.

A purge of old records (`services.audit_log.purge`, never younger than 6 months) writes an `audit.purge` record into
the chain that names the last purged position and its hash: the chain may then start after that position.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, event, func, select
from sqlalchemy.orm import Session

from xinfang_desk.persistence.models import AuditChainHead, AuditEvent
from xinfang_desk.persistence.types import utcnow

FORMAT = 1
GENESIS = "0" * 64
PURGE_ACTION = "audit.purge"
TRUNCATION_MARK = "chain_truncated"  # in the detail of the first record written after the end of the log was cut off


def _at_text(ev: AuditEvent) -> str:
    import datetime as dt

    return ev.at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(ev: AuditEvent, *, chain_seq: int | None = None, prev_hash: str | None = None) -> bytes:
    """The bytes that are hashed (see the module docstring)."""
    doc = {
        "action": ev.action, "at": _at_text(ev), "chain_seq": ev.chain_seq if chain_seq is None else chain_seq,
        "detail": ev.detail if ev.detail is not None else {}, "entity": ev.entity or "", "entity_id": ev.entity_id,
        "format": FORMAT, "id": ev.id, "operator_id": ev.operator_id,
        "prev_hash": ev.prev_hash if prev_hash is None else prev_hash, "success": bool(ev.success),
        "username": ev.username or "", "window_code": ev.window_code,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def record_hash(ev: AuditEvent, **override: Any) -> str:
    return hashlib.sha256(canonical(ev, **override)).hexdigest()


def chain(s: Session, ev: AuditEvent) -> None:
    """Give `ev` its position and hashes inside the caller's write transaction (SQLite: BEGIN IMMEDIATE, so two
    writers never take the same position). The head is read once per transaction, in the same statement as the
    last record's position (a cut-off end is marked in the next record's detail); it is kept in the session and
    written back once, just before the commit (`_write_heads`)."""
    if ev.id is None:
        from xinfang_desk.domain.ids import new_id

        ev.id = new_id()
    if ev.at is None:
        ev.at = utcnow()
    # the detail as it will read back from the database (tuples become lists, and so on)
    ev.detail = json.loads(json.dumps(ev.detail if ev.detail is not None else {}, ensure_ascii=False, sort_keys=True))
    heads: dict[str, list[Any]] = s.info.setdefault(_HEADS, {})
    state = heads.get(ev.window_code)
    if state is None:
        t, a = AuditChainHead.__table__, AuditEvent.__table__
        last = (select(func.max(a.c.chain_seq)).where(a.c.window_code == t.c.window_code, a.c.chain_seq <= t.c.seq)
                .scalar_subquery())
        with s.no_autoflush:
            row = s.execute(select(t.c.seq, t.c.hash, last).where(t.c.window_code == ev.window_code)).first()
        # [position, hash, the head row exists, changed in this transaction]
        state = [int(row[0]), row[1], True, False] if row is not None else [0, GENESIS, False, False]
        if row is not None and state[0] > 0 and row[2] != state[0]:  # the head record is gone: the end was cut off
            ev.detail = {**ev.detail, TRUNCATION_MARK: [int(row[2] or 0) + 1, state[0]]}
        heads[ev.window_code] = state
    ev.chain_seq = state[0] + 1
    ev.prev_hash = state[1]
    ev.hash = record_hash(ev)
    state[0], state[1], state[3] = ev.chain_seq, ev.hash, True


_HEADS = "audit_chain_heads"


@event.listens_for(Session, "before_commit")
def _write_heads(s: Session) -> None:
    """The heads moved in this transaction, written in it (every Session commits through here)."""
    heads = s.info.get(_HEADS)
    if not heads:
        return
    t = cast(Table, AuditChainHead.__table__)  # declared FromClause; a mapped class's table is a Table
    now = utcnow()
    with s.no_autoflush:
        for window, state in heads.items():
            if not state[3]:
                continue
            values = {"seq": state[0], "hash": state[1], "updated_at": now}
            if state[2]:
                s.execute(t.update().where(t.c.window_code == window).values(**values))
            else:
                s.execute(t.insert().values(window_code=window, **values))
            state[2], state[3] = True, False


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_heads(s: Session) -> None:
    """A later transaction of the same session reads the head again (another writer may have moved it)."""
    s.info.pop(_HEADS, None)


# -- verification ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One break in the chain. `kind`: edited | deleted | inserted | reordered | truncated | head_missing;
    `position` the chain position (1-based) where it shows; `to_position` the end of a range (deleted, truncated);
    `moved_from` the position a reordered record belongs at."""

    kind: str
    position: int
    record_id: str | None = None
    to_position: int | None = None
    moved_from: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "position": self.position, "to_position": self.to_position,
                "record_id": self.record_id, "moved_from": self.moved_from}


def compare_with_anchors(s: Session, window_code: str, anchors: list[tuple[int, str]]) -> list[Finding]:
    """Each (position, hash) the centre was told at a sync must still be in the local log with that hash, unless a
    purge removed it (kind `centre_mismatch` when the hash differs, `truncated` when the record is gone)."""
    t = AuditEvent.__table__
    first = s.scalar(select(func.min(t.c.chain_seq)).where(t.c.window_code == window_code)) or 0
    out: list[Finding] = []
    for seq, h in anchors:
        if seq <= 0 or seq < first:
            continue
        local = s.execute(select(t.c.id, t.c.hash).where(t.c.window_code == window_code, t.c.chain_seq == seq)).first()
        if local is None:
            out.append(Finding("truncated", seq, None, seq))
        elif local.hash != h:
            out.append(Finding("centre_mismatch", seq, local.id))
    return out


@dataclass(frozen=True)
class ChainReport:
    window_code: str
    records: int
    first_position: int
    head_position: int
    head_hash: str
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {"window": self.window_code, "intact": self.intact, "records": self.records,
                "first_position": self.first_position, "head_position": self.head_position,
                "head_hash": self.head_hash, "findings": [f.as_dict() for f in self.findings]}


def verify_window(s: Session, window_code: str, *, check_head: bool = True) -> ChainReport:
    """Check one window's chain. Every break is reported with its position; nothing is changed."""
    from types import SimpleNamespace

    t = AuditEvent.__table__
    rows: list[Any] = [SimpleNamespace(**r) for r in s.execute(select(t).where(t.c.window_code == window_code)).mappings()]
    for r in rows:
        r.detail = r.detail if r.detail is not None else {}
    head = s.get(AuditChainHead, window_code) if check_head else None
    findings: list[Finding] = []
    unchained = [r for r in rows if r.chain_seq is None or not r.hash or not r.prev_hash]
    by_seq: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        if r.chain_seq is not None and r.hash and r.prev_hash:
            by_seq[int(r.chain_seq)].append(r)
    positions = sorted(by_seq)

    ok_cache: dict[int, bool] = {}

    def self_ok(r: Any) -> bool:
        k = id(r)
        if k not in ok_cache:
            ok_cache[k] = record_hash(r) == r.hash
        return ok_cache[k]

    # where the chain may start: 1, or just after the last purged position named by a purge record
    start = 1
    purge_marks = {int(r.detail.get("purged_through", 0)): str(r.detail.get("purged_last_hash", ""))
                   for rs in by_seq.values() for r in rs
                   if r.action == PURGE_ACTION and r.success and isinstance(r.detail, dict) and self_ok(r)}
    if positions and positions[0] > 1 and positions[0] - 1 in purge_marks:
        start = positions[0]
    last_pos = max(positions) if positions else 0
    head_pos = head.seq if head is not None else last_pos

    prev: Any = None  # the record kept at the previous position (None after a gap or a break)
    pos = start
    kept: dict[int, Any] = {}
    searches = 0
    for seq in positions:
        if seq < start:
            continue
        candidates = by_seq[seq]
        if seq > pos:  # a gap: records removed (from the end, if the next record written found the log cut off)
            cut = any(isinstance(r.detail, dict) and r.detail.get(TRUNCATION_MARK) == [pos, seq - 1] and self_ok(r)
                      for r in candidates)
            findings.append(Finding("truncated" if cut else "deleted", pos, None, seq - 1))
            prev = None
        if seq == start and start > 1:
            link: str | None = purge_marks[start - 1]
        elif seq == 1:
            link = GENESIS
        else:
            link = prev.hash if prev is not None else None
        genuine = [r for r in candidates if self_ok(r) and (link is None or r.prev_hash == link)]
        keep = genuine[0] if genuine else candidates[0]
        for r in candidates:  # a second record at the same position was put there
            if r is not keep:
                findings.append(Finding("inserted", seq, r.id))
        broken = False
        if not self_ok(keep):
            broken = True
            moved = None
            if searches < 200:  # a record that belongs elsewhere: its hash holds at another position
                searches += 1
                for j in sorted(range(max(1, seq - 1000), seq + 1001), key=lambda j: abs(j - seq)):
                    if j != seq and record_hash(keep, chain_seq=j) == keep.hash:
                        moved = j
                        break
            if moved is not None:
                findings.append(Finding("reordered", seq, keep.id, moved_from=moved))
            else:
                findings.append(Finding("edited", seq, keep.id))
        elif link is not None and keep.prev_hash != link:
            broken = True
            if prev is not None and seq > start:  # the record before was rewritten with a fresh hash
                findings.append(Finding("edited", seq - 1, prev.id))
            else:
                findings.append(Finding("edited", seq, keep.id))
        kept[seq] = keep
        prev = None if broken and not self_ok(keep) else keep
        pos = seq + 1
    if head is not None and head.seq > last_pos:
        findings.append(Finding("truncated", max(last_pos, start - 1) + 1, None, head.seq))
    elif head is not None and last_pos > head.seq:
        for seq in positions:
            if seq > head.seq:
                findings.extend(Finding("inserted", seq, r.id) for r in by_seq[seq])
    elif head is not None and last_pos in kept and kept[last_pos].hash != head.hash and not any(
            f.position == last_pos for f in findings):
        findings.append(Finding("edited", last_pos, kept[last_pos].id))
    if head is None and check_head and rows:
        findings.append(Finding("head_missing", last_pos))
    for r in sorted(unchained, key=lambda r: (r.at, r.id)):
        before = [seq for seq, rs in by_seq.items() if rs[0].at <= r.at]
        findings.append(Finding("inserted", (max(before) if before else 0) + 1, r.id))
    findings.sort(key=lambda f: (f.position, f.kind))
    chained_count = sum(len(v) for v in by_seq.values())
    return ChainReport(window_code, chained_count + len(unchained), positions[0] if positions else 0, head_pos,
                       head.hash if head is not None else (by_seq[last_pos][0].hash if positions else GENESIS),
                       tuple(findings))
