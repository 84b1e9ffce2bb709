"""central: change log, versions of editable rows, quarantine, conflicts, window roles, sync functions

Revision ID: c0001_central
Revises:
Create Date: 2026-11-28

Design (see xinfang_desk/sync/README-snippet.md):
* `central.central_changes` is the append-only log of every change a window (or the centre) made. Its global
  order `gseq` is handed out while holding one transaction-scoped advisory lock (key 72450), and every writer of the
  log takes that lock before it takes a number (a statement trigger enforces it even for hand-written INSERTs).
  So log writers are serialised: a transaction with a lower gseq has committed, and is visible, before a
  transaction with a higher gseq can even obtain its numbers. A reader that sees gseq N therefore sees every
  gseq < N, and the pull cursor "gseq > last" can never skip a change that committed late.
* Idempotency: `change_id` is UNIQUE. Same id + same digest = no-op ("duplicate"); same id + different digest =
  quarantined (never applied twice, never dropped).
* Invariants are CHECK constraints and a partial UNIQUE index; a change that violates one is quarantined with
  the database's own message; the rest of the batch is applied.
* Windows have no table privileges at all: they call SECURITY DEFINER functions that derive the window from
  `session_user` (table `central.window_roles`).
"""
from __future__ import annotations

from alembic import op

revision = "c0001_central"
down_revision = None
branch_labels = None
depends_on = None

LOCK_KEY = 72450

ARGS = ("p_change_ids text[], p_seqs bigint[], p_operators text[], p_entities text[], p_entity_ids text[], "
        "p_ops text[], p_base_versions integer[], p_payloads text[], p_created text[]")
ARG_TYPES = "text[], bigint[], text[], text[], text[], text[], integer[], text[], text[]"
PASS = "p_change_ids, p_seqs, p_operators, p_entities, p_entity_ids, p_ops, p_base_versions, p_payloads, p_created"
RESULT = "TABLE(o_change_id text, o_outcome text, o_gseq bigint, o_detail text)"

SQL = rf"""
CREATE SCHEMA IF NOT EXISTS central;
REVOKE ALL ON SCHEMA central FROM PUBLIC;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xinfang_window') THEN CREATE ROLE xinfang_window NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xinfang_supervisor') THEN CREATE ROLE xinfang_supervisor NOLOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA central TO xinfang_window, xinfang_supervisor;

CREATE TABLE central.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO central.meta VALUES ('instance_id', gen_random_uuid()::text);

CREATE TABLE central.window_roles (
  role_name name PRIMARY KEY,
  window_code text NOT NULL UNIQUE CHECK (window_code ~ '^[A-Z0-9]{{1,8}}$' AND window_code <> 'CENTRAL'),
  supervisor boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE SEQUENCE central.gseq_seq;
CREATE TABLE central.central_changes (
  gseq bigint PRIMARY KEY DEFAULT nextval('central.gseq_seq'),
  change_id text NOT NULL CHECK (change_id ~ '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$'),
  window_code text NOT NULL,
  window_seq bigint,
  operator_id text,
  entity text NOT NULL CHECK (entity ~ '^[a-z_][a-z0-9_]{{0,62}}$'),
  entity_id text NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 64),
  op text NOT NULL CHECK (op IN ('insert', 'update')),
  base_version integer,
  version integer,
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  digest bytea NOT NULL,
  client_created_at text,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  status text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'conflict')),
  CONSTRAINT uq_central_changes_change_id UNIQUE (change_id),
  CONSTRAINT ck_central_changes_payload_id CHECK (NOT (payload ? 'id') OR payload->>'id' = entity_id),
  CONSTRAINT ck_central_changes_payload_window CHECK (
    window_code = 'CENTRAL' OR op <> 'insert' OR NOT (payload ? 'window_code') OR payload->>'window_code' = window_code)
);
ALTER SEQUENCE central.gseq_seq OWNED BY central.central_changes.gseq;
CREATE UNIQUE INDEX uq_central_changes_insert ON central.central_changes (entity, entity_id)
  WHERE op = 'insert' AND status = 'applied';
-- deliberately no further indexes on the log: each one costs push throughput; the partial unique index above
-- serves the (entity, entity_id) look-ups, entity_versions the editable rows

CREATE TABLE central.entity_versions (
  entity text NOT NULL, entity_id text NOT NULL, version integer NOT NULL, gseq bigint NOT NULL,
  PRIMARY KEY (entity, entity_id)
);

CREATE TABLE central.quarantine (
  id bigserial PRIMARY KEY,
  change_id text NOT NULL, window_code text NOT NULL, window_seq bigint,
  entity text, entity_id text, op text, base_version integer,
  digest bytea NOT NULL, payload_text text NOT NULL, reason text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  resolved_at timestamptz, resolved_by text, resolution text,
  CONSTRAINT uq_quarantine_change_digest UNIQUE (change_id, digest)
);

CREATE TABLE central.conflicts (
  id bigserial PRIMARY KEY,
  gseq bigint NOT NULL UNIQUE REFERENCES central.central_changes (gseq),
  change_id text NOT NULL,
  entity text NOT NULL, entity_id text NOT NULL, window_code text NOT NULL,
  base_version integer, central_version integer NOT NULL, central_gseq bigint NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  choice text, resolved_by text, resolved_at timestamptz, resolution_gseq bigint,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ix_conflicts_open ON central.conflicts (status, id);

CREATE TABLE central.window_progress (
  window_code text PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0, changes bigint NOT NULL DEFAULT 0,
  last_push_at timestamptz
);

CREATE VIEW central.entities AS
  SELECT DISTINCT ON (entity, entity_id) entity, entity_id, version, payload, gseq, window_code, received_at
  FROM central.central_changes WHERE status = 'applied' ORDER BY entity, entity_id, gseq DESC;

-- the log is append-only, and every writer is serialised (see the module docstring)
CREATE FUNCTION central._serialise_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock({LOCK_KEY}); RETURN NULL; END $$;
CREATE TRIGGER tg_central_changes_serialise BEFORE INSERT ON central.central_changes
  FOR EACH STATEMENT EXECUTE FUNCTION central._serialise_log();
CREATE FUNCTION central._append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'central.central_changes is append-only' USING ERRCODE = '42501'; END $$;
CREATE TRIGGER tg_central_changes_append_only BEFORE UPDATE OR DELETE ON central.central_changes
  FOR EACH ROW EXECUTE FUNCTION central._append_only();
CREATE TRIGGER tg_central_changes_no_truncate BEFORE TRUNCATE ON central.central_changes
  FOR EACH STATEMENT EXECUTE FUNCTION central._append_only();

CREATE FUNCTION central.change_digest(p_entity text, p_entity_id text, p_op text, p_base integer, p_payload text)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(convert_to(coalesce(p_entity, '') || chr(31) || coalesce(p_entity_id, '') || chr(31) || coalesce(p_op, '')
         || chr(31) || coalesce(p_base::text, '') || chr(31) || coalesce(p_payload, ''), 'UTF8'))
$$;

CREATE FUNCTION central._quarantine(p_window text, p_cid text, p_seq bigint, p_ent text, p_eid text, p_op text,
                                    p_bv integer, p_digest bytea, p_payload text, p_reason text)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO central.quarantine (change_id, window_code, window_seq, entity, entity_id, op, base_version, digest,
                                  payload_text, reason)
  VALUES (coalesce(p_cid, ''), p_window, p_seq, p_ent, p_eid, p_op, p_bv, p_digest, coalesce(p_payload, ''), p_reason)
  ON CONFLICT (change_id, digest) DO NOTHING
$$;

CREATE FUNCTION central._insert_change(p_gseq bigint, p_window text, p_cid text, p_seq bigint, p_opr text, p_ent text,
                                       p_eid text, p_op text, p_bv integer, p_payload text, p_created text,
                                       p_digest bytea, p_status text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE v_json jsonb; v_ver integer;
BEGIN
  v_json := p_payload::jsonb;
  IF jsonb_typeof(v_json) = 'object' THEN
    v_ver := (v_json->>'version')::integer;
    IF v_ver IS NULL AND p_op = 'update' AND p_bv IS NOT NULL THEN v_ver := p_bv + 1; END IF;
  END IF;
  INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, entity, entity_id, op,
                                       base_version, version, payload, digest, client_created_at, status)
  VALUES (p_gseq, p_cid, p_window, p_seq, p_opr, p_ent, p_eid, p_op, p_bv, v_ver, v_json, p_digest, p_created, p_status);
  IF p_status = 'applied' AND v_ver IS NOT NULL THEN
    INSERT INTO central.entity_versions (entity, entity_id, version, gseq) VALUES (p_ent, p_eid, v_ver, p_gseq)
    ON CONFLICT (entity, entity_id) DO UPDATE SET version = EXCLUDED.version, gseq = EXCLUDED.gseq;
  END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- the common case in one statement: a batch of new inserts with no repeats and no problems
CREATE FUNCTION central._apply_fast(p_window text, p_base bigint, {ARGS}) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(p_ops) o WHERE o IS DISTINCT FROM 'insert') THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM central.central_changes c WHERE c.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM central.quarantine q WHERE q.change_id = ANY (p_change_ids)) THEN RETURN false; END IF;
  WITH ins AS (
    INSERT INTO central.central_changes (gseq, change_id, window_code, window_seq, operator_id, entity, entity_id, op,
                                         base_version, version, payload, digest, client_created_at)
    SELECT p_base + t.ord - 1, t.cid, p_window, t.seq, t.opr, t.ent, t.eid, t.op, t.bv, (t.js->>'version')::integer,
           t.js, central.change_digest(t.ent, t.eid, t.op, t.bv, t.pl), t.cr
    FROM (SELECT u.*, u.pl::jsonb AS js
          FROM unnest({PASS}) WITH ORDINALITY AS u(cid, seq, opr, ent, eid, op, bv, pl, cr, ord)) t
    RETURNING entity, entity_id, version, gseq)
  INSERT INTO central.entity_versions (entity, entity_id, version, gseq)
  SELECT entity, entity_id, version, gseq FROM ins WHERE version IS NOT NULL;
  RETURN true;
END $$;

CREATE FUNCTION central._apply_changes(p_window text, {ARGS}) RETURNS {RESULT} LANGUAGE plpgsql AS $$
DECLARE
  n integer := coalesce(cardinality(p_change_ids), 0);
  v_base bigint; v_fast boolean := false; i integer;
  v_cid text; v_ent text; v_eid text; v_op text; v_bv integer; v_pl text; v_digest bytea; v_gseq bigint;
  v_old_digest bytea; v_old_status text; v_old_gseq bigint; v_cur integer; v_cur_gseq bigint; v_err text;
BEGIN
  IF n = 0 THEN RETURN; END IF;
  IF coalesce(cardinality(p_seqs), 0) <> n OR coalesce(cardinality(p_operators), 0) <> n
     OR coalesce(cardinality(p_entities), 0) <> n OR coalesce(cardinality(p_entity_ids), 0) <> n
     OR coalesce(cardinality(p_ops), 0) <> n OR coalesce(cardinality(p_base_versions), 0) <> n
     OR coalesce(cardinality(p_payloads), 0) <> n OR coalesce(cardinality(p_created), 0) <> n THEN
    RAISE EXCEPTION 'submit_changes: the arrays differ in length' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  v_base := nextval('central.gseq_seq');
  IF n > 1 THEN PERFORM setval('central.gseq_seq', v_base + n - 1); END IF;
  BEGIN
    v_fast := central._apply_fast(p_window, v_base, {PASS});
  EXCEPTION WHEN others THEN
    v_fast := false;
  END;
  IF NOT v_fast THEN
    FOR i IN 1 .. n LOOP
      v_cid := p_change_ids[i]; v_ent := p_entities[i]; v_eid := p_entity_ids[i]; v_op := p_ops[i];
      v_bv := p_base_versions[i]; v_pl := p_payloads[i]; v_gseq := v_base + i - 1;
      v_digest := central.change_digest(v_ent, v_eid, v_op, v_bv, v_pl);
      o_change_id := v_cid; o_gseq := NULL; o_detail := NULL;
      SELECT c.digest, c.status, c.gseq INTO v_old_digest, v_old_status, v_old_gseq
        FROM central.central_changes c WHERE c.change_id = v_cid;
      IF FOUND THEN
        IF v_old_digest = v_digest THEN
          o_outcome := 'duplicate'; o_gseq := v_old_gseq; o_detail := v_old_status;
        ELSE
          o_outcome := 'quarantined';
          o_detail := 'change id reused with a different payload (first received as gseq ' || v_old_gseq || ')';
          PERFORM central._quarantine(p_window, v_cid, p_seqs[i], v_ent, v_eid, v_op, v_bv, v_digest, v_pl, o_detail);
        END IF;
        RETURN NEXT; CONTINUE;
      END IF;
      SELECT q.reason INTO o_detail FROM central.quarantine q WHERE q.change_id = v_cid AND q.digest = v_digest;
      IF FOUND THEN
        o_outcome := 'quarantined'; RETURN NEXT; CONTINUE;
      END IF;
      IF v_op = 'update' AND v_bv IS NOT NULL THEN
        SELECT ev.version, ev.gseq INTO v_cur, v_cur_gseq FROM central.entity_versions ev
          WHERE ev.entity = v_ent AND ev.entity_id = v_eid FOR UPDATE;
        IF NOT FOUND THEN
          o_outcome := 'quarantined'; o_detail := 'update of a row the centre does not have';
          PERFORM central._quarantine(p_window, v_cid, p_seqs[i], v_ent, v_eid, v_op, v_bv, v_digest, v_pl, o_detail);
          RETURN NEXT; CONTINUE;
        END IF;
        IF v_cur <> v_bv THEN
          v_err := central._insert_change(v_gseq, p_window, v_cid, p_seqs[i], p_operators[i], v_ent, v_eid, v_op, v_bv,
                                          v_pl, p_created[i], v_digest, 'conflict');
          IF v_err IS NULL THEN
            INSERT INTO central.conflicts (gseq, change_id, entity, entity_id, window_code, base_version,
                                           central_version, central_gseq)
            VALUES (v_gseq, v_cid, v_ent, v_eid, p_window, v_bv, v_cur, v_cur_gseq);
            o_outcome := 'conflict'; o_gseq := v_gseq;
            o_detail := 'edited version ' || v_bv || ' but the centre has version ' || v_cur;
          ELSE
            o_outcome := 'quarantined'; o_detail := v_err;
            PERFORM central._quarantine(p_window, v_cid, p_seqs[i], v_ent, v_eid, v_op, v_bv, v_digest, v_pl, v_err);
          END IF;
          RETURN NEXT; CONTINUE;
        END IF;
      END IF;
      v_err := central._insert_change(v_gseq, p_window, v_cid, p_seqs[i], p_operators[i], v_ent, v_eid, v_op, v_bv,
                                      v_pl, p_created[i], v_digest, 'applied');
      IF v_err IS NOT NULL THEN
        o_outcome := 'quarantined'; o_detail := v_err;
        PERFORM central._quarantine(p_window, v_cid, p_seqs[i], v_ent, v_eid, v_op, v_bv, v_digest, v_pl, v_err);
        RETURN NEXT;
      END IF;
    END LOOP;
  END IF;
  INSERT INTO central.window_progress AS wp (window_code, last_seq, changes, last_push_at)
  VALUES (p_window, coalesce((SELECT max(s) FROM unnest(p_seqs) s), 0), n, clock_timestamp())
  ON CONFLICT (window_code) DO UPDATE SET last_seq = greatest(wp.last_seq, EXCLUDED.last_seq),
    changes = wp.changes + EXCLUDED.changes, last_push_at = EXCLUDED.last_push_at;
END $$;

CREATE FUNCTION central._session_window() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT w.window_code FROM central.window_roles w WHERE w.role_name = session_user
$$;

CREATE FUNCTION central.submit_changes({ARGS}) RETURNS {RESULT}
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_window text := central._session_window();
BEGIN
  IF v_window IS NULL THEN
    RAISE EXCEPTION 'role % is not a window of this centre', session_user USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT * FROM central._apply_changes(v_window, {PASS});
END $$;

-- the centre applies a signed export file for a window (admin only: not granted to anyone)
CREATE FUNCTION central.import_changes(p_window text, {ARGS}) RETURNS {RESULT}
LANGUAGE sql AS $$ SELECT * FROM central._apply_changes(p_window, {PASS}) $$;

CREATE FUNCTION central.pull_changes(p_after bigint, p_limit integer)
RETURNS TABLE(gseq bigint, change_id text, window_code text, entity text, entity_id text, op text, version integer,
              payload text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT c.gseq, c.change_id, c.window_code, c.entity, c.entity_id, c.op, c.version, c.payload::text
  FROM central.central_changes c
  WHERE c.gseq > p_after AND c.status = 'applied'
    AND (c.entity NOT IN ('users', 'windows', 'settings', 'outbox') OR c.window_code = 'CENTRAL')
  ORDER BY c.gseq
  LIMIT least(greatest(coalesce(p_limit, 1000), 1), 20000)
$$;

CREATE FUNCTION central.central_info()
RETURNS TABLE(instance_id text, window_code text, max_gseq bigint, schema_revision text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT (SELECT value FROM central.meta WHERE key = 'instance_id'), central._session_window(),
         (SELECT coalesce(max(gseq), 0) FROM central.central_changes), 'c0001_central'
$$;

CREATE FUNCTION central.my_issues()
RETURNS TABLE(kind text, ref bigint, change_id text, entity text, entity_id text, reason text, status text,
              received_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT 'quarantined', q.id, q.change_id, q.entity, q.entity_id, q.reason,
         CASE WHEN q.resolved_at IS NULL THEN 'open' ELSE 'resolved' END, q.received_at
  FROM central.quarantine q WHERE q.window_code = central._session_window()
  UNION ALL
  SELECT 'conflict', k.id, k.change_id, k.entity, k.entity_id,
         'edited version ' || k.base_version || ' but the centre has version ' || k.central_version, k.status, k.created_at
  FROM central.conflicts k WHERE k.window_code = central._session_window()
  ORDER BY 8
$$;

CREATE FUNCTION central.list_conflicts(p_status text DEFAULT 'open')
RETURNS TABLE(id bigint, entity text, entity_id text, window_code text, base_version integer, central_version integer,
              proposed jsonb, central jsonb, status text, choice text, resolved_by text, created_at timestamptz,
              resolved_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT k.id, k.entity, k.entity_id, k.window_code, k.base_version, k.central_version, p.payload,
         (SELECT c.payload FROM central.central_changes c WHERE c.gseq = ev.gseq),
         k.status, k.choice, k.resolved_by, k.created_at, k.resolved_at
  FROM central.conflicts k
  JOIN central.central_changes p ON p.gseq = k.gseq
  LEFT JOIN central.entity_versions ev ON ev.entity = k.entity AND ev.entity_id = k.entity_id
  WHERE p_status IS NULL OR k.status = p_status
  ORDER BY k.id
$$;

CREATE FUNCTION central.list_quarantine(p_include_resolved boolean DEFAULT false)
RETURNS TABLE(id bigint, change_id text, window_code text, window_seq bigint, entity text, entity_id text, op text,
              reason text, payload_text text, received_at timestamptz, resolved_at timestamptz, resolved_by text,
              resolution text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT q.id, q.change_id, q.window_code, q.window_seq, q.entity, q.entity_id, q.op, q.reason, q.payload_text,
         q.received_at, q.resolved_at, q.resolved_by, q.resolution
  FROM central.quarantine q WHERE p_include_resolved OR q.resolved_at IS NULL ORDER BY q.id
$$;

CREATE FUNCTION central.acknowledge_quarantine(p_id bigint, p_by text, p_note text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE central.quarantine SET resolved_at = clock_timestamp(), resolved_by = p_by, resolution = p_note
  WHERE id = p_id AND resolved_at IS NULL;
  IF NOT FOUND THEN RAISE EXCEPTION 'no open quarantine entry %', p_id USING ERRCODE = 'P0002'; END IF;
END $$;

-- a supervisor's decision becomes a new version published by the centre (version = current + 1), so every
-- window, whichever edit it holds, converges on it; both edits stay in the log
CREATE FUNCTION central.resolve_conflict(p_id bigint, p_choice text, p_by text, p_payload text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE k central.conflicts; v_cur integer; v_cur_gseq bigint; v_new jsonb; v_gseq bigint; v_text text;
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  SELECT * INTO k FROM central.conflicts WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_id USING ERRCODE = 'P0002'; END IF;
  IF k.status <> 'open' THEN RAISE EXCEPTION 'conflict % is already resolved', p_id USING ERRCODE = '55000'; END IF;
  SELECT ev.version, ev.gseq INTO v_cur, v_cur_gseq FROM central.entity_versions ev
    WHERE ev.entity = k.entity AND ev.entity_id = k.entity_id FOR UPDATE;
  IF p_choice = 'central' THEN
    SELECT c.payload INTO v_new FROM central.central_changes c WHERE c.gseq = v_cur_gseq;
  ELSIF p_choice = 'window' THEN
    SELECT c.payload INTO v_new FROM central.central_changes c WHERE c.gseq = k.gseq;
  ELSIF p_choice = 'merged' THEN
    v_new := p_payload::jsonb;
    IF jsonb_typeof(v_new) <> 'object' OR (v_new ? 'id' AND v_new->>'id' <> k.entity_id) THEN
      RAISE EXCEPTION 'the merged row must be an object with the same id' USING ERRCODE = '22023';
    END IF;
  ELSE
    RAISE EXCEPTION 'choice must be central, window or merged' USING ERRCODE = '22023';
  END IF;
  v_new := v_new || jsonb_build_object('version', v_cur + 1,
             'updated_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'));
  v_text := v_new::text;
  INSERT INTO central.central_changes (change_id, window_code, operator_id, entity, entity_id, op, base_version, version,
                                       payload, digest)
  VALUES (gen_random_uuid()::text, 'CENTRAL', p_by, k.entity, k.entity_id, 'update', v_cur, v_cur + 1, v_new,
          central.change_digest(k.entity, k.entity_id, 'update', v_cur, v_text))
  RETURNING gseq INTO v_gseq;
  UPDATE central.entity_versions SET version = v_cur + 1, gseq = v_gseq WHERE entity = k.entity AND entity_id = k.entity_id;
  UPDATE central.conflicts SET status = 'resolved', choice = p_choice, resolved_by = p_by, resolved_at = clock_timestamp(),
         resolution_gseq = v_gseq WHERE id = p_id;
  RETURN v_gseq;
END $$;

-- reference data (users, windows, later organs/statutes/calendar) published by the centre (admin only)
CREATE FUNCTION central.publish_reference(p_entity text, p_entity_id text, p_payload text, p_by text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v_gseq bigint; v_op text := 'insert';
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  IF EXISTS (SELECT 1 FROM central.central_changes c WHERE c.entity = p_entity AND c.entity_id = p_entity_id
             AND c.op = 'insert' AND c.status = 'applied') THEN v_op := 'update'; END IF;
  INSERT INTO central.central_changes (change_id, window_code, operator_id, entity, entity_id, op, payload, digest)
  VALUES (gen_random_uuid()::text, 'CENTRAL', p_by, p_entity, p_entity_id, v_op, p_payload::jsonb,
          central.change_digest(p_entity, p_entity_id, v_op, NULL, p_payload))
  RETURNING gseq INTO v_gseq;
  RETURN v_gseq;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA central FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA central FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA central FROM PUBLIC;
GRANT EXECUTE ON FUNCTION central.submit_changes({ARG_TYPES}) TO xinfang_window;
GRANT EXECUTE ON FUNCTION central.pull_changes(bigint, integer) TO xinfang_window;
GRANT EXECUTE ON FUNCTION central.central_info() TO xinfang_window, xinfang_supervisor;
GRANT EXECUTE ON FUNCTION central.my_issues() TO xinfang_window;
GRANT EXECUTE ON FUNCTION central.list_conflicts(text) TO xinfang_supervisor;
GRANT EXECUTE ON FUNCTION central.list_quarantine(boolean) TO xinfang_supervisor;
GRANT EXECUTE ON FUNCTION central.acknowledge_quarantine(bigint, text, text) TO xinfang_supervisor;
GRANT EXECUTE ON FUNCTION central.resolve_conflict(bigint, text, text, text) TO xinfang_supervisor;
"""


def _run(sql: str) -> None:
    # the raw psycopg connection: no bind-parameter parsing of ':' or '%' in the function bodies
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(SQL)


def downgrade() -> None:
    _run("DROP SCHEMA central CASCADE")
