"""central: the head of each window's audit chain, reported with every sync

Revision ID: c0005_audit_chain
Revises: c0003_lean_push
Create Date: 2026-11-30

Each sync the window reports the position and hash of the last record of its audit chain
(xinfang_desk/persistence/audit_chain.py). The centre keeps every distinct head it was told, so a window can
later prove that its local log still contains exactly what it had at each report (`audit verify --central`),
and the centre itself marks a report that goes backwards (`regressed`: the log was cut below a position already
reported) or names another hash for a position already reported (`rewritten`). Windows may only report their own
head (the window comes from `session_user`) and read their own heads; supervisors read every window's.
"""
from __future__ import annotations

from alembic import op

revision = "c0005_audit_chain"
down_revision = "c0004_least_privilege"
branch_labels = None
depends_on = None

SQL = r"""
CREATE TABLE central.audit_heads (
  id bigserial PRIMARY KEY,
  window_code text NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]+$' AND length(hash) = 64),
  status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'regressed', 'rewritten')),
  reported_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ix_audit_heads_window ON central.audit_heads (window_code, id);

CREATE FUNCTION central.report_audit_head(p_seq bigint, p_hash text)
RETURNS TABLE(prev_seq bigint, prev_hash text, status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_window text := central._session_window();
  v_prev central.audit_heads%ROWTYPE;
  v_same text;
  v_status text := 'ok';
BEGIN
  IF v_window IS NULL THEN
    RAISE EXCEPTION 'role % is not a window of this centre', session_user USING ERRCODE = '42501';
  END IF;
  SELECT * INTO v_prev FROM central.audit_heads h WHERE h.window_code = v_window ORDER BY h.seq DESC, h.id DESC LIMIT 1;
  SELECT h.hash INTO v_same FROM central.audit_heads h WHERE h.window_code = v_window AND h.seq = p_seq
    ORDER BY h.id LIMIT 1;
  IF v_same IS NOT NULL AND v_same <> p_hash THEN
    v_status := 'rewritten';
  ELSIF v_prev.id IS NOT NULL AND p_seq < v_prev.seq THEN
    v_status := 'regressed';
  END IF;
  IF v_prev.id IS NULL OR v_prev.seq <> p_seq OR v_prev.hash <> p_hash OR v_status <> 'ok' THEN
    INSERT INTO central.audit_heads (window_code, seq, hash, status) VALUES (v_window, p_seq, p_hash, v_status);
  END IF;
  RETURN QUERY SELECT v_prev.seq, v_prev.hash, v_status;
END $$;

CREATE FUNCTION central.my_audit_heads()
RETURNS TABLE(seq bigint, hash text, status text, reported_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT h.seq, h.hash, h.status, h.reported_at FROM central.audit_heads h
  WHERE h.window_code = central._session_window() ORDER BY h.id
$$;

CREATE FUNCTION central.list_audit_heads()
RETURNS TABLE(window_code text, seq bigint, hash text, status text, reported_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT h.window_code, h.seq, h.hash, h.status, h.reported_at FROM central.audit_heads h ORDER BY h.window_code, h.id
$$;

REVOKE ALL ON FUNCTION central.report_audit_head(bigint, text), central.my_audit_heads(),
  central.list_audit_heads() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION central.report_audit_head(bigint, text) TO xinfang_window;
GRANT EXECUTE ON FUNCTION central.my_audit_heads() TO xinfang_window;
GRANT EXECUTE ON FUNCTION central.list_audit_heads() TO xinfang_supervisor;
"""


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(SQL)


def downgrade() -> None:
    _run("DROP FUNCTION central.list_audit_heads(); DROP FUNCTION central.my_audit_heads(); "
         "DROP FUNCTION central.report_audit_head(bigint, text); DROP TABLE central.audit_heads;")
