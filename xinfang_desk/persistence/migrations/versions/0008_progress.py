"""matter progress: progress events (synced, append-only) and the local derived position of each matter;
indexes for the supervisor's search of past visits

Revision ID: 0008_progress
Revises: 0003_channels_notices
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_progress"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("matter_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("organ", sa.String(length=200), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("operator_name", sa.String(length=50), nullable=False),
        sa.Column("corrects_id", sa.String(length=36), nullable=True),
        sa.Column("window_code", sa.String(length=8), nullable=False),
        sa.Column("operator_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["corrects_id"], ["progress_events.id"],
                                name=op.f("fk_progress_events_corrects_id_progress_events")),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name=op.f("fk_progress_events_matter_id_matters")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_progress_events_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_events")),
    )
    op.create_index(op.f("ix_progress_events_matter_id"), "progress_events", ["matter_id"])
    op.create_index(op.f("ix_progress_events_visit_id"), "progress_events", ["visit_id"])
    op.create_table(
        "matter_progress",
        sa.Column("matter_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("started", sa.Date(), nullable=True),
        sa.Column("duty", sa.String(length=16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("out_of_order", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["matter_id"], ["matters.id"], name=op.f("fk_matter_progress_matter_id_matters")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_matter_progress_visit_id_visits")),
        sa.PrimaryKeyConstraint("matter_id", name=op.f("pk_matter_progress")),
    )
    op.create_index(op.f("ix_matter_progress_visit_id"), "matter_progress", ["visit_id"])
    op.create_index(op.f("ix_matter_progress_state"), "matter_progress", ["state"])
    op.create_index(op.f("ix_matter_progress_due_on"), "matter_progress", ["due_on"])
    op.create_index("ix_visits_received_on_at", "visits", ["received_on", "received_at"])
    op.create_index("ix_matters_status", "matters", ["status"])
    op.create_index("ix_classifications_corrects_id", "classifications", ["corrects_id"])


def downgrade() -> None:
    op.drop_index("ix_classifications_corrects_id", table_name="classifications")
    op.drop_index("ix_matters_status", table_name="matters")
    op.drop_index("ix_visits_received_on_at", table_name="visits")
    op.drop_table("matter_progress")
    op.drop_table("progress_events")
