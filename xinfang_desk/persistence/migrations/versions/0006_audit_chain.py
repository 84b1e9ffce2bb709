"""audit chain: position and hashes on every audit record, the chain head per window; existing records chained

Revision ID: 0006_audit_chain
Revises: 0003_channels_notices
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_chain"
down_revision = "0005_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as b:
        b.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
        b.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        b.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_events_window_chain", "audit_events", ["window_code", "chain_seq"])
    op.create_table(
        "audit_chain_heads",
        sa.Column("window_code", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("window_code", name=op.f("pk_audit_chain_heads")),
    )
    # chain what exists, per window in time order, with the canonical form that chains new records (a table
    # written here, not the ORM model: later migrations may add columns this revision does not have yet)
    import datetime as dt
    import json
    from types import SimpleNamespace

    from xinfang_desk.persistence.audit_chain import GENESIS, record_hash

    conn = op.get_bind()
    ev = sa.table("audit_events", *[sa.column(c) for c in (
        "id", "at", "window_code", "operator_id", "username", "action", "entity", "entity_id", "success", "detail",
        "chain_seq", "prev_hash", "hash")])
    heads: dict[str, tuple[int, str]] = {}
    rows = conn.execute(sa.select(ev).order_by(ev.c.at, ev.c.id)).mappings().all()
    for r in rows:
        seq, prev = heads.get(r["window_code"], (0, GENESIS))
        detail = json.loads(r["detail"]) if r["detail"] else {}
        rec = SimpleNamespace(**{**r, "at": dt.datetime.fromisoformat(r["at"]), "detail": detail,
                                 "success": bool(r["success"]), "chain_seq": seq + 1, "prev_hash": prev})
        h = record_hash(rec)  # type: ignore[arg-type]
        conn.execute(ev.update().where(ev.c.id == r["id"]).values(chain_seq=seq + 1, prev_hash=prev, hash=h))
        heads[r["window_code"]] = (seq + 1, h)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    heads_t = sa.table("audit_chain_heads", sa.column("window_code"), sa.column("seq"), sa.column("hash"),
                       sa.column("updated_at"))
    for w, (seq, h) in heads.items():
        conn.execute(heads_t.insert().values(window_code=w, seq=seq, hash=h, updated_at=now))


def downgrade() -> None:
    op.drop_table("audit_chain_heads")
    op.drop_index("ix_audit_events_window_chain", table_name="audit_events")
    with op.batch_alter_table("audit_events") as b:
        b.drop_column("hash")
        b.drop_column("prev_hash")
        b.drop_column("chain_seq")
