"""central: the batch fast path computes the change digest inline (no per-row SQL function call)

Revision ID: c0002_fast_digest
Revises: c0001_central
Create Date: 2026-11-28

`central.change_digest()` is declared IMMUTABLE but calls `convert_to()` (STABLE), so PostgreSQL cannot inline it
and runs it as a separate SQL function for every row of a batch: about a fifth of the central time of a
1,000-change batch. The fast path of `central._apply_fast` now writes the same expression inline. The digest is
byte-for-byte the one `change_digest()` computes (the function stays for the row-by-row path, the conflict
resolution and reference publishing), so changes received before this revision are still recognised as duplicates
when a window resends them. Nothing else changes: same checks, same indexes, same advisory lock.
"""
from __future__ import annotations

from alembic import op

revision = "c0002_fast_digest"
down_revision = "c0001_central"
branch_labels = None
depends_on = None

ARGS = ("p_change_ids text[], p_seqs bigint[], p_operators text[], p_entities text[], p_entity_ids text[], "
        "p_ops text[], p_base_versions integer[], p_payloads text[], p_created text[]")
PASS = "p_change_ids, p_seqs, p_operators, p_entities, p_entity_ids, p_ops, p_base_versions, p_payloads, p_created"


def _fast(digest: str) -> str:
    return rf"""
CREATE OR REPLACE FUNCTION central._apply_fast(p_window text, p_base bigint, {ARGS}) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(p_ops) o WHERE o IS DISTINCT FROM 'insert') THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM central.central_changes c WHERE c.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM central.quarantine q WHERE q.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  WITH ins AS (
    INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, entity, entity_id, op,
                                         base_version, version, payload, digest, client_created_at)
    SELECT p_base + t.ord - 1, t.cid, p_window, t.seq, t.opr, t.ent, t.eid, t.op, t.bv, (t.js->>'version')::integer,
           t.js, {digest}, t.cr
    FROM (SELECT u.*, u.pl::jsonb AS js
          FROM unnest({PASS}) WITH ORDINALITY AS u(cid, seq, opr, ent, eid, op, bv, pl, cr, ord)) t
    RETURNING entity, entity_id, version, gseq)
  INSERT INTO central.entity_versions (entity, entity_id, version, gseq)
  SELECT entity, entity_id, version, gseq FROM ins WHERE version IS NOT NULL;
  RETURN true;
END $$;
"""


# exactly central.change_digest(t.ent, t.eid, t.op, t.bv, t.pl), written out so that it is evaluated in-line
INLINE_DIGEST = ("sha256(convert_to(coalesce(t.ent, '') || chr(31) || coalesce(t.eid, '') || chr(31) "
                 "|| coalesce(t.op, '') || chr(31) || coalesce(t.bv::text, '') || chr(31) || coalesce(t.pl, ''), 'UTF8'))")
CALL_DIGEST = "central.change_digest(t.ent, t.eid, t.op, t.bv, t.pl)"


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(_fast(INLINE_DIGEST))


def downgrade() -> None:
    _run(_fast(CALL_DIGEST))
