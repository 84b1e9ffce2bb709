"""central: cheaper equivalents of the two regex CHECKs of the log; the batch fast path parses each payload once

Revision ID: c0003_lean_push
Revises: c0002_fast_digest
Create Date: 2026-11-28

Measured on a 1,000-change batch (EXPLAIN ANALYZE and timing of variants inside a rolled-back transaction):
* The regex CHECKs of `central.central_changes` cost about a fifth of the central time: PostgreSQL's regex engine
  builds its DFA states anew for every row, and the bounded repetitions (`{8}`, `{0,62}`) make that expensive.
  They are replaced by checks that accept exactly the same strings, under the same constraint names (so a
  violation is quarantined with the same message):
    change_id  `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`
           ==  five non-empty hex groups separated by exactly four '-' (a regex without bounded repetition),
               36 characters, and the dashes at positions 9, 14, 19 and 24 (four dashes at four places: all of
               them; every other character is hex; so 8-4-4-4-12)
    entity     `^[a-z_][a-z0-9_]{0,62}$`
           ==  `^[a-z_][a-z0-9_]*$` and at most 63 characters
* `central._apply_fast` parsed each payload to jsonb twice (the sub-select was flattened into two uses); an
  `OFFSET 0` keeps it one parse. Its pre-check "no change id of the batch is in the log yet" is dropped: the
  UNIQUE constraint on `change_id` refuses such a batch anyway, the exception rolls the attempt back and the
  row-by-row path answers "duplicate"/"quarantined" exactly as before (only a resend pays for the failed attempt).
  The quarantine pre-check stays (a quarantined change must stay quarantined even if it would now insert).
Nothing else changes: same digest, same advisory lock, same outcomes.
"""
from __future__ import annotations

from alembic import op

revision = "c0003_lean_push"
down_revision = "c0002_fast_digest"
branch_labels = None
depends_on = None

ARGS = ("p_change_ids text[], p_seqs bigint[], p_operators text[], p_entities text[], p_entity_ids text[], "
        "p_ops text[], p_base_versions integer[], p_payloads text[], p_created text[]")
PASS = "p_change_ids, p_seqs, p_operators, p_entities, p_entity_ids, p_ops, p_base_versions, p_payloads, p_created"
# exactly central.change_digest(t.ent, t.eid, t.op, t.bv, t.pl), as in c0002_fast_digest
INLINE_DIGEST = ("sha256(convert_to(coalesce(t.ent, '') || chr(31) || coalesce(t.eid, '') || chr(31) "
                 "|| coalesce(t.op, '') || chr(31) || coalesce(t.bv::text, '') || chr(31) || coalesce(t.pl, ''), 'UTF8'))")

CID_OLD = r"change_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
CID_NEW = (r"change_id ~ '^[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$' AND length(change_id) = 36 "
           r"AND strpos(change_id, '-') = 9 AND substr(change_id, 14, 1) = '-' AND substr(change_id, 19, 1) = '-' "
           r"AND substr(change_id, 24, 1) = '-'")
ENT_OLD = r"entity ~ '^[a-z_][a-z0-9_]{0,62}$'"
ENT_NEW = r"entity ~ '^[a-z_][a-z0-9_]*$' AND length(entity) <= 63"


def _checks(cid: str, ent: str) -> str:
    return f"""
ALTER TABLE central.central_changes
  DROP CONSTRAINT central_changes_change_id_check,
  DROP CONSTRAINT central_changes_entity_check,
  ADD CONSTRAINT central_changes_change_id_check CHECK ({cid}),
  ADD CONSTRAINT central_changes_entity_check CHECK ({ent});
"""


FAST_NEW = rf"""
CREATE OR REPLACE FUNCTION central._apply_fast(p_window text, p_base bigint, {ARGS}) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(p_ops) o WHERE o IS DISTINCT FROM 'insert') THEN RETURN false; END IF;
  -- a change id already in the log: the UNIQUE constraint fails the INSERT below, the caller falls back
  IF EXISTS (SELECT 1 FROM central.quarantine q WHERE q.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  WITH ins AS (
    INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, entity, entity_id, op,
                                         base_version, version, payload, digest, client_created_at)
    SELECT p_base + t.ord - 1, t.cid, p_window, t.seq, t.opr, t.ent, t.eid, t.op, t.bv, (t.js->>'version')::integer,
           t.js, {INLINE_DIGEST}, t.cr
    FROM (SELECT u.*, u.pl::jsonb AS js
          FROM unnest({PASS}) WITH ORDINALITY AS u(cid, seq, opr, ent, eid, op, bv, pl, cr, ord)
          OFFSET 0) t
    RETURNING entity, entity_id, version, gseq)
  INSERT INTO central.entity_versions (entity, entity_id, version, gseq)
  SELECT entity, entity_id, version, gseq FROM ins WHERE version IS NOT NULL;
  RETURN true;
END $$;
"""


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(_checks(CID_NEW, ENT_NEW))
    _run(FAST_NEW)


def downgrade() -> None:
    # the fast path as c0002_fast_digest defined it (alembic loads revision files by path, without a package)
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("c0002_fast_digest", Path(__file__).with_name("c0002_fast_digest.py"))
    assert spec is not None and spec.loader is not None
    c0002 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(c0002)
    _run(c0002._fast(c0002.INLINE_DIGEST))
    _run(_checks(CID_OLD, ENT_OLD))
