"""central: sessions, their staff and bookings mirrored from the log, with constraints on capacity and double booking

Revision ID: c0006_sessions
Revises: c0003_lean_push
Create Date: 2026-11-30

Windows book offline; the centre is where two windows' bookings meet. Every applied change of
`reception_sessions`, `session_staff` and `session_bookings` is mirrored (by a trigger on the log, inside the same
transaction) into three tables whose constraints say what may never happen:

* capacity: a booking that holds a seat (booked, attended, no-show) takes a numbered seat 1..capacity;
  UNIQUE (session_id, seat) and CHECK (seat BETWEEN 1 AND capacity) make a seat beyond the capacity, or a seat
  taken twice, impossible. The trigger gives the lowest free seat, or capacity + 1 when none is free, which the
  CHECK refuses;
* a visit holds at most one active booking (booked or waiting): a partial UNIQUE index;
* a person serves in no two overlapping sessions: an EXCLUDE constraint (btree_gist) on (person, time range).

A change that violates one raises inside `central._insert_change`, which turns the error into a quarantine entry
with the database's own message (the log keeps nothing of it); the window sees it among its sync issues (a
supervisor's list), and its booking stays provisional. Log writers are serialised by the advisory lock (c0001),
and the constraints hold even without it.
"""
from __future__ import annotations

from alembic import op

revision = "c0006_sessions"
down_revision = "c0005_audit_chain"
branch_labels = None
depends_on = None

SQL = r"""
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE central.sessions_mirror (
  id text PRIMARY KEY,
  day date NOT NULL,
  start_time time NOT NULL,
  end_time time NOT NULL,
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  status text NOT NULL,
  CONSTRAINT ck_sessions_mirror_times CHECK (start_time < end_time)
);

CREATE TABLE central.session_staff_mirror (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES central.sessions_mirror (id),
  person_id text NOT NULL,
  active boolean NOT NULL,
  during tsrange NOT NULL,
  CONSTRAINT ex_session_staff_no_overlap EXCLUDE USING gist (person_id WITH =, during WITH &&) WHERE (active)
);

CREATE TABLE central.bookings_mirror (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES central.sessions_mirror (id),
  visit_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('booked', 'waiting', 'cancelled', 'attended', 'no_show')),
  seat integer,
  capacity integer NOT NULL,
  CONSTRAINT ck_bookings_mirror_within_capacity CHECK (seat IS NULL OR seat BETWEEN 1 AND capacity),
  CONSTRAINT ck_bookings_mirror_seat_iff_held CHECK ((seat IS NOT NULL) = (status IN ('booked', 'attended', 'no_show'))),
  CONSTRAINT uq_bookings_mirror_seat UNIQUE (session_id, seat)
);
CREATE UNIQUE INDEX uq_bookings_mirror_one_active_per_visit ON central.bookings_mirror (visit_id)
  WHERE status IN ('booked', 'waiting');

CREATE FUNCTION central._mirror_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p jsonb := NEW.payload; s central.sessions_mirror; v_seat integer; v_old central.bookings_mirror;
BEGIN
  IF NEW.entity = 'reception_sessions' THEN
    INSERT INTO central.sessions_mirror (id, day, start_time, end_time, capacity, status)
    VALUES (p->>'id', (p->>'day')::date, (p->>'start_time')::time, (p->>'end_time')::time, (p->>'capacity')::integer,
            coalesce(p->>'status', 'scheduled'))
    ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
      capacity = EXCLUDED.capacity, status = EXCLUDED.status;
  ELSIF NEW.entity = 'session_staff' THEN
    SELECT * INTO s FROM central.sessions_mirror WHERE id = p->>'session_id';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'staff of a session the centre does not have (%)', p->>'session_id' USING ERRCODE = '23503';
    END IF;
    INSERT INTO central.session_staff_mirror (id, session_id, person_id, active, during)
    VALUES (p->>'id', s.id, p->>'person_id', coalesce((p->>'active')::boolean, true),
            tsrange(s.day + s.start_time, s.day + s.end_time, '[)'))
    ON CONFLICT (id) DO UPDATE SET active = EXCLUDED.active;
  ELSIF NEW.entity = 'session_bookings' THEN
    SELECT * INTO s FROM central.sessions_mirror WHERE id = p->>'session_id' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'booking of a session the centre does not have (%)', p->>'session_id' USING ERRCODE = '23503';
    END IF;
    SELECT * INTO v_old FROM central.bookings_mirror WHERE id = p->>'id';
    IF p->>'status' IN ('booked', 'attended', 'no_show') THEN
      IF FOUND AND v_old.seat IS NOT NULL AND v_old.session_id = s.id THEN
        v_seat := v_old.seat;
      ELSE
        SELECT min(g) INTO v_seat FROM generate_series(1, s.capacity) g
          WHERE NOT EXISTS (SELECT 1 FROM central.bookings_mirror b WHERE b.session_id = s.id AND b.seat = g);
        v_seat := coalesce(v_seat, s.capacity + 1);  -- no free seat: the capacity CHECK refuses it
      END IF;
    ELSE
      v_seat := NULL;
    END IF;
    INSERT INTO central.bookings_mirror (id, session_id, visit_id, status, seat, capacity)
    VALUES (p->>'id', s.id, p->>'visit_id', p->>'status', v_seat, s.capacity)
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, seat = EXCLUDED.seat, capacity = EXCLUDED.capacity;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tg_central_changes_sessions AFTER INSERT ON central.central_changes
  FOR EACH ROW WHEN (NEW.status = 'applied'
                     AND NEW.entity IN ('reception_sessions', 'session_staff', 'session_bookings'))
  EXECUTE FUNCTION central._mirror_sessions();

REVOKE ALL ON central.sessions_mirror, central.session_staff_mirror, central.bookings_mirror FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION central._mirror_sessions() FROM PUBLIC;
"""

DOWN = r"""
DROP TRIGGER IF EXISTS tg_central_changes_sessions ON central.central_changes;
DROP FUNCTION IF EXISTS central._mirror_sessions();
DROP TABLE IF EXISTS central.bookings_mirror, central.session_staff_mirror, central.sessions_mirror;
"""


def _run(sql: str) -> None:
    dbapi = op.get_bind().connection.driver_connection
    assert dbapi is not None  # a live psycopg connection
    dbapi.execute(sql)


def upgrade() -> None:
    _run(SQL)


def downgrade() -> None:
    _run(DOWN)
