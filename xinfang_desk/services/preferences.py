"""A user's own preferences at this window, kept in the local settings table (not synced: NEVER_PULLED).

Today one: print without preview (Ctrl+P sends the visitor copy and the stub straight to the default printer).
It is on by default for clerks, who print for a queue; off for the other roles, who print rarely."""

from __future__ import annotations

from typing import Any

from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor

# (no SQLAlchemy at import: the GUI imports this module for role_default before any database work)

PRINT_WITHOUT_PREVIEW = "print_without_preview"
_DEFAULTS_ON_FOR = {PRINT_WITHOUT_PREVIEW: frozenset({"clerk"})}


def role_default(actor: Actor, name: str) -> bool:
    """The preference before the user chose (no database read: the GUI shows it at once)."""
    return actor.role in _DEFAULTS_ON_FOR.get(name, frozenset())


def _key(name: str, actor: Actor) -> str:
    return f"pref.{name}.{actor.username}"[:64]


class PreferenceService:
    def __init__(self, db: Any) -> None:
        self.db = db

    @reads
    def get(self, actor: Actor, name: str) -> bool:
        """read: the user's choice, else the role's default."""
        from xinfang_desk.persistence.models import Setting

        with self.db.session() as s:
            row = s.get(Setting, _key(name, actor))
            if row is not None and isinstance(row.value, bool):
                return row.value
        return role_default(actor, name)

    @writes
    def set(self, actor: Actor, name: str, value: bool) -> bool:
        """write: every user may set their own preferences; the change is audited."""
        from xinfang_desk.persistence.models import Setting
        from xinfang_desk.services.recording import audit

        if name not in _DEFAULTS_ON_FOR:
            raise KeyError(name)
        with self.db.transaction() as s:
            row = s.get(Setting, _key(name, actor))
            if row is None:
                s.add(Setting(key=_key(name, actor), value=bool(value)))
            else:
                row.value = bool(value)
            audit(s, actor, "preference.set", "settings", _key(name, actor), value=bool(value))
        return bool(value)
