"""The central PostgreSQL schema as declared tables: what the migrations in `central_migrations/` must produce.

The centre's migrations are hand-written SQL (functions, triggers, grants, CHECK constraints, a view), so this
module is not used to create anything. It is the declared model that `alembic check` compares the migrated
database with (`tools/alembic_check.py`, run by CI and by tests/integration/test_alembic_check.py): a migration
that adds, drops or retypes a column, a unique constraint or an index without updating this file fails there,
and so does an edit here that no migration carries out. Alembic does not compare CHECK constraints, functions,
triggers or grants; those are covered by the sync tests that exercise them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSRANGE

SCHEMA = "central"
metadata = MetaData(schema=SCHEMA)
NOW = text("clock_timestamp()")

meta = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text, nullable=False))

window_roles = Table(
    "window_roles", metadata,
    Column("role_name", String, primary_key=True),  # type `name`; reflected as a string
    Column("window_code", Text, nullable=False, unique=True),
    Column("supervisor", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    UniqueConstraint("window_code", name="window_roles_window_code_key"),
)

# the append-only change log; gseq is handed out under one advisory lock (see c0001_central)
central_changes = Table(
    "central_changes", metadata,
    Column("gseq", BigInteger, Sequence("gseq_seq", schema=SCHEMA), primary_key=True),
    Column("change_id", Text, nullable=False),
    Column("window_code", Text, nullable=False),
    Column("window_seq", BigInteger),
    Column("operator_id", Text),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("op", Text, nullable=False),
    Column("base_version", Integer),
    Column("version", Integer),
    Column("payload", JSONB, nullable=False),
    Column("digest", LargeBinary, nullable=False),
    Column("client_created_at", Text),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("status", Text, nullable=False, server_default=text("'applied'")),
    UniqueConstraint("change_id", name="uq_central_changes_change_id"),
    Index("uq_central_changes_insert", "entity", "entity_id", unique=True,
          postgresql_where=text("op = 'insert' AND status = 'applied'")),
)

entity_versions = Table(
    "entity_versions", metadata,
    Column("entity", Text, primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("gseq", BigInteger, nullable=False),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", BigInteger, primary_key=True),
    Column("change_id", Text, nullable=False),
    Column("window_code", Text, nullable=False),
    Column("window_seq", BigInteger),
    Column("entity", Text),
    Column("entity_id", Text),
    Column("op", Text),
    Column("base_version", Integer),
    Column("digest", LargeBinary, nullable=False),
    Column("payload_text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", Text),
    Column("resolution", Text),
    UniqueConstraint("change_id", "digest", name="uq_quarantine_change_digest"),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", BigInteger, primary_key=True),
    Column("gseq", BigInteger, ForeignKey("central_changes.gseq", name="conflicts_gseq_fkey"), nullable=False),
    Column("change_id", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("window_code", Text, nullable=False),
    Column("base_version", Integer),
    Column("central_version", Integer, nullable=False),
    Column("central_gseq", BigInteger, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'open'")),
    Column("choice", Text),
    Column("resolved_by", Text),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution_gseq", BigInteger),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    UniqueConstraint("gseq", name="conflicts_gseq_key"),
    Index("ix_conflicts_open", "status", "id"),
)

window_progress = Table(
    "window_progress", metadata,
    Column("window_code", Text, primary_key=True),
    Column("last_seq", BigInteger, nullable=False, server_default=text("0")),
    Column("changes", BigInteger, nullable=False, server_default=text("0")),
    Column("last_push_at", DateTime(timezone=True)),
)

# the audit-chain heads each window reports (c0005_audit_chain)
audit_heads = Table(
    "audit_heads", metadata,
    Column("id", BigInteger, primary_key=True),
    Column("window_code", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'ok'")),
    Column("reported_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Index("ix_audit_heads_window", "window_code", "id"),
)

# reception sessions mirrored so the centre itself refuses double booking and over-capacity (c0006_sessions)
sessions_mirror = Table(
    "sessions_mirror", metadata,
    Column("id", Text, primary_key=True),
    Column("day", Date, nullable=False),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("status", Text, nullable=False),
)

session_staff_mirror = Table(
    "session_staff_mirror", metadata,
    Column("id", Text, primary_key=True),
    Column("session_id", Text, ForeignKey("sessions_mirror.id", name="session_staff_mirror_session_id_fkey"),
           nullable=False),
    Column("person_id", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("during", TSRANGE, nullable=False),
)

bookings_mirror = Table(
    "bookings_mirror", metadata,
    Column("id", Text, primary_key=True),
    Column("session_id", Text, ForeignKey("sessions_mirror.id", name="bookings_mirror_session_id_fkey"),
           nullable=False),
    Column("visit_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("seat", Integer),
    Column("capacity", Integer, nullable=False),
    UniqueConstraint("session_id", "seat", name="uq_bookings_mirror_seat"),
    Index("uq_bookings_mirror_one_active_per_visit", "visit_id", unique=True,
          postgresql_where=text("status IN ('booked', 'waiting')")),
)
