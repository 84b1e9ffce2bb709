"""central: a window pulls only what a window needs

Revision ID: c0004_least_privilege
Revises: c0003_lean_push
Create Date: 2026-11-30

`central.pull_changes` (the only read a window role may run) now leaves out
* the audit events of other windows: a window receives only its own (`central._session_window()`); the
  centre's owner still reads every window's audit in `central.central_changes`;
* the secrets of user rows published by the centre: `password_hash`, `failed_logins` and `locked_until` are
  removed from the payload (windows since 0005_identity no longer push them either; rows pushed by older
  windows keep them at the centre, which is trusted, but no window gets them back).
People, visits, matters and the rest of the district's records flow as before; reference rows (users,
windows, settings) still flow only from the centre. Same signature, same grants.
"""
from __future__ import annotations

from alembic import op

revision = "c0004_least_privilege"
down_revision = "c0003_lean_push"
branch_labels = None
depends_on = None

_HEAD = """
CREATE OR REPLACE FUNCTION central.pull_changes(p_after bigint, p_limit integer)
RETURNS TABLE(gseq bigint, change_id text, window_code text, entity text, entity_id text, op text, version integer,
              payload text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
"""

NEW = _HEAD + """
  SELECT c.gseq, c.change_id, c.window_code, c.entity, c.entity_id, c.op, c.version,
         CASE WHEN c.entity = 'users' THEN (c.payload - 'password_hash' - 'failed_logins' - 'locked_until')::text
              ELSE c.payload::text END
  FROM central.central_changes c
  WHERE c.gseq > p_after AND c.status = 'applied'
    AND (c.entity NOT IN ('users', 'windows', 'settings', 'outbox', 'password_history') OR c.window_code = 'CENTRAL')
    AND c.entity <> 'password_history'
    AND (c.entity <> 'audit_events' OR c.window_code = central._session_window())
  ORDER BY c.gseq
  LIMIT least(greatest(coalesce(p_limit, 1000), 1), 20000)
$$;
"""

OLD = _HEAD + """
  SELECT c.gseq, c.change_id, c.window_code, c.entity, c.entity_id, c.op, c.version, c.payload::text
  FROM central.central_changes c
  WHERE c.gseq > p_after AND c.status = 'applied'
    AND (c.entity NOT IN ('users', 'windows', 'settings', 'outbox') OR c.window_code = 'CENTRAL')
  ORDER BY c.gseq
  LIMIT least(greatest(coalesce(p_limit, 1000), 1), 20000)
$$;
"""


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(NEW)


def downgrade() -> None:
    _run(OLD)
