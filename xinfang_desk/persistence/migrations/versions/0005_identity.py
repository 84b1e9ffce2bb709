"""identity: forced password change, password age and history, a user's home window

Revision ID: 0005_identity
Revises: 0003_channels_notices
Create Date: 2026-11-30

Existing users keep their passwords; their age counts from the migration (`password_changed_at` = now), and a
password that no longer meets the login rules is refused at the next log-in with a demand to change it.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005_identity"
down_revision = "0003_channels_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    with op.batch_alter_table("users", schema=None) as b:
        b.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column("password_changed_at", sa.String(length=32), nullable=True))
        b.add_column(sa.Column("home_window", sa.String(length=8), nullable=True))
    op.execute(sa.text("UPDATE users SET password_changed_at = :now").bindparams(now=now))
    op.create_table(
        "password_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_history_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")),
    )
    with op.batch_alter_table("password_history", schema=None) as b:
        b.create_index(b.f("ix_password_history_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("password_history", schema=None) as b:
        b.drop_index(b.f("ix_password_history_user_id"))
    op.drop_table("password_history")
    with op.batch_alter_table("users", schema=None) as b:
        b.drop_column("home_window")
        b.drop_column("password_changed_at")
        b.drop_column("must_change_password")
