"""A user's own preferences at this window, kept in the local settings table (not synced: NEVER_PULLED).

Today one: print without preview (Ctrl+P sends the visitor copy and the stub straight to the default printer).
It is on by default for clerks, who print for a queue; off for the other roles, who print rarely."""

from __future__ import annotations

from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import Setting
from xinfang_desk.services.context import Actor
from xinfang_desk.services.recording import audit

PRINT_WITHOUT_PREVIEW = "print_without_preview"
_DEFAULTS_ON_FOR = {PRINT_WITHOUT_PREVIEW: frozenset({"clerk"})}


def _key(name: str, actor: Actor) -> str:
    return f"pref.{name}.{actor.username}"[:64]


class PreferenceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, actor: Actor, name: str) -> bool:
        """read: the user's choice, else the role's default."""
        with self.db.session() as s:
            row = s.get(Setting, _key(name, actor))
            if row is not None and isinstance(row.value, bool):
                return row.value
        return actor.role in _DEFAULTS_ON_FOR.get(name, frozenset())

    def set(self, actor: Actor, name: str, value: bool) -> bool:
        """write: every user may set their own preferences; the change is audited."""
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
