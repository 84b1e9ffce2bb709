"""leave periods and declared conflicts can be withdrawn by an admin (接访人员 tab): an `active` flag and a
version on each row, so a removal is a versioned update that syncs (the sync knows no deletes)

Revision ID: 0012_staff
Revises: 0010_desk
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_staff'
down_revision = '0010_desk'
branch_labels = None
depends_on = None

TABLES = ('staff_unavailability', 'staff_conflicts')


def upgrade() -> None:
    for t in TABLES:
        with op.batch_alter_table(t) as b:
            b.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
            b.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    for t in TABLES:
        with op.batch_alter_table(t) as b:
            b.drop_column('version')
            b.drop_column('active')
