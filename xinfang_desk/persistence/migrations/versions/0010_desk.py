"""people's pinyin keys of rare name characters (𠮷 reads ji): recomputed for the names that contain one

Revision ID: 0010_desk
Revises: 0003_channels_notices
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_desk'
down_revision = '0008_progress'
branch_labels = None
depends_on = None

# the characters of services.registration.NAME_READINGS at the time of this migration
RARE = ("𠮷",)


def upgrade() -> None:
    from xinfang_desk.services.registration import name_keys

    conn = op.get_bind()
    people = sa.table('people', sa.column('id', sa.String), sa.column('name', sa.String),
                      sa.column('name_pinyin', sa.String), sa.column('name_initials', sa.String))
    for ch in RARE:
        rows = conn.execute(sa.select(people.c.id, people.c.name).where(people.c.name.contains(ch))).all()
        for pid, name in rows:
            _key, full, initials = name_keys(name)
            conn.execute(people.update().where(people.c.id == pid).values(name_pinyin=full, name_initials=initials))


def downgrade() -> None:
    pass  # the keys are search aids; the older ones (without the rare characters' readings) still work
