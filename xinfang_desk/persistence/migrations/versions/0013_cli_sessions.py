"""command-line sessions: `login` once, then commands resume the session without the password (only the token's
SHA-256 is stored; local only, never synced)

Revision ID: 0013_cli_sessions
Revises: 0012_staff
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013_cli_sessions'
down_revision = '0012_staff'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cli_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('window_code', sa.String(length=8), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('last_used_at', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.String(length=32), nullable=False),
    sa.Column('idle_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cli_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cli_sessions'))
    )
    with op.batch_alter_table('cli_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cli_sessions_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cli_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cli_sessions_user_id'))
    op.drop_table('cli_sessions')
