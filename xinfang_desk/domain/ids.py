"""Time-ordered keys generated on the window (UUIDv7, RFC 9562)."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())
