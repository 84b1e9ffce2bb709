"""central: the batch fast path also takes edits (updates) that edit the version the centre holds

Revision ID: c0007_syncperf
Revises: c0006_sessions
Create Date: 2026-11-30

Until now `central._apply_fast` refused any batch containing an update, so a window's real push (registrations
whose returning visitors' phones changed write a versioned `people` update every few visits) went through the
row-by-row loop for every batch of 1,000: per change a digest call, two look-ups and `_insert_change` with its own
exception block (a subtransaction each). Measured with `bench/bench_sync.py` (mixed tables, 1.3 % updates): the
push ran at 61–64 % of bare `executemany` of the same rows into the same tables.

The fast path now takes a batch of inserts and updates when every update with a base version edits exactly the
version the centre holds at that point of the batch: the version of the latest earlier change of the same row
in the batch (an insert, or an update, with a version), else `central.entity_versions`. That is the condition
under which the row-by-row loop applies every change as 'applied'; a batch with a conflict, an update of a row the
centre does not have, a change id already in the log or in quarantine, or any error still returns false (or is
rolled back) and goes row by row, exactly as before. The log rows are the same (version from the payload, else
base + 1 for an update, as `_insert_change` writes it) and `entity_versions` ends as the loop leaves it: the
last version and gseq of each row of the batch. Only payloads of rows that some update in the batch edits are
parsed for the check (a batch without updates pays nothing for it). Same digest, same advisory lock, same
outcomes.
"""
from __future__ import annotations

from alembic import op

revision = "c0007_syncperf"
down_revision = "c0006_sessions"
branch_labels = None
depends_on = None

ARGS = ("p_change_ids text[], p_seqs bigint[], p_operators text[], p_entities text[], p_entity_ids text[], "
        "p_ops text[], p_base_versions integer[], p_payloads text[], p_created text[]")
PASS = "p_change_ids, p_seqs, p_operators, p_entities, p_entity_ids, p_ops, p_base_versions, p_payloads, p_created"
# exactly central.change_digest(t.ent, t.eid, t.op, t.bv, t.pl), as in c0002_fast_digest / c0003_lean_push
INLINE_DIGEST = ("sha256(convert_to(coalesce(t.ent, '') || chr(31) || coalesce(t.eid, '') || chr(31) "
                 "|| coalesce(t.op, '') || chr(31) || coalesce(t.bv::text, '') || chr(31) || coalesce(t.pl, ''), 'UTF8'))")
# the version `_insert_change` records: the payload's, else base + 1 for an update with a base version
VERSION = "coalesce(({js}->>'version')::integer, CASE WHEN {op} = 'update' AND {bv} IS NOT NULL THEN {bv} + 1 END)"

FAST = rf"""
CREATE OR REPLACE FUNCTION central._apply_fast(p_window text, p_base bigint, {ARGS}) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(p_ops) o WHERE o IS DISTINCT FROM 'insert' AND o IS DISTINCT FROM 'update') THEN
    RETURN false;
  END IF;
  -- a change id already in the log: the UNIQUE constraint fails the INSERT below, the caller falls back
  IF EXISTS (SELECT 1 FROM central.quarantine q WHERE q.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  -- an edit must edit the version held at its point of the batch; else (a conflict, a row the centre does not
  -- have) the row-by-row loop decides
  IF EXISTS (SELECT 1 FROM unnest(p_ops, p_base_versions) u(op, bv) WHERE u.op = 'update' AND u.bv IS NOT NULL) THEN
    IF EXISTS (
      WITH b AS (SELECT u.ent, u.eid, u.op, u.bv, u.ord, u.pl
                 FROM unnest(p_entities, p_entity_ids, p_ops, p_base_versions, p_payloads) WITH ORDINALITY
                      AS u(ent, eid, op, bv, pl, ord)),
           k AS (SELECT DISTINCT ent, eid FROM b WHERE b.op = 'update' AND b.bv IS NOT NULL),
           r AS (SELECT b.ent, b.eid, b.op, b.bv, b.ord, {VERSION.format(js="b.pl::jsonb", op="b.op", bv="b.bv")} AS ver
                 FROM b JOIN k USING (ent, eid))
      SELECT 1 FROM r
      WHERE r.op = 'update' AND r.bv IS NOT NULL AND r.bv IS DISTINCT FROM coalesce(
        (SELECT p.ver FROM r p WHERE p.ent = r.ent AND p.eid = r.eid AND p.ord < r.ord AND p.ver IS NOT NULL
         ORDER BY p.ord DESC LIMIT 1),
        (SELECT ev.version FROM central.entity_versions ev WHERE ev.entity = r.ent AND ev.entity_id = r.eid))
    ) THEN
      RETURN false;
    END IF;
  END IF;
  WITH ins AS (
    INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, entity, entity_id, op,
                                         base_version, version, payload, digest, client_created_at)
    SELECT p_base + t.ord - 1, t.cid, p_window, t.seq, t.opr, t.ent, t.eid, t.op, t.bv,
           {VERSION.format(js="t.js", op="t.op", bv="t.bv")}, t.js, {INLINE_DIGEST}, t.cr
    FROM (SELECT u.*, u.pl::jsonb AS js
          FROM unnest({PASS}) WITH ORDINALITY AS u(cid, seq, opr, ent, eid, op, bv, pl, cr, ord)
          OFFSET 0) t
    RETURNING entity, entity_id, version, gseq)
  INSERT INTO central.entity_versions AS ev (entity, entity_id, version, gseq)
  SELECT DISTINCT ON (entity, entity_id) entity, entity_id, version, gseq FROM ins WHERE version IS NOT NULL
  ORDER BY entity, entity_id, gseq DESC
  ON CONFLICT (entity, entity_id) DO UPDATE SET version = EXCLUDED.version, gseq = EXCLUDED.gseq;
  RETURN true;
END $$;
"""


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(FAST)


def downgrade() -> None:
    # the fast path as c0003_lean_push defined it (alembic loads revision files by path, without a package)
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("c0003_lean_push", Path(__file__).with_name("c0003_lean_push.py"))
    assert spec is not None and spec.loader is not None
    c0003 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(c0003)
    _run(c0003.FAST_NEW)
