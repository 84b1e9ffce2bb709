"""sync state: pull cursor per centre, sync issues (quarantined, conflicts, local apply failures)

Revision ID: 0002_sync_state
Revises: 0001_foundation
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sync_state"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_cursor",
        sa.Column("central_id", sa.String(length=64), nullable=False),
        sa.Column("last_gseq", sa.Integer(), nullable=False),
        sa.Column("last_pull_at", sa.String(length=32), nullable=True),
        sa.Column("last_push_at", sa.String(length=32), nullable=True),
        sa.Column("last_sync_at", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("central_id", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "sync_issues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("change_id", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("gseq", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("resolved_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_issues")),
        sa.UniqueConstraint("change_id", "direction", "kind", name="uq_sync_issues_change_dir_kind"),
    )


def downgrade() -> None:
    op.drop_table("sync_issues")
    op.drop_table("sync_cursor")
