"""The window database's field encryption (persistence/fieldcrypt.py): encrypt in place, re-key, status. Admin only;
each change is audited in the transaction that rewrites the data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_
from xinfang_desk.persistence import fieldcrypt
from xinfang_desk.persistence.db import Database
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor
from xinfang_desk.services.recording import audit, require

MANAGE = N_("manage windows, organs and settings")


@dataclass(frozen=True)
class KeyStatus:
    encrypted: bool
    held_by: str  # "keyring" | "passphrase" | ""


class DatabaseKeyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @reads
    def status(self, actor: Actor) -> KeyStatus:
        require(self.db, actor, MANAGE)
        setting = self.db.field_encryption_setting()
        if not setting:
            return KeyStatus(False, "")
        return KeyStatus(True, "passphrase" if setting.get("kdf") == "scrypt" else "keyring")

    def _new(self, passphrase: str | None) -> tuple[dict, fieldcrypt.FieldKeys]:
        if passphrase is not None and len(passphrase) < 12:
            raise fail("passphrase", N_("Passphrase"), N_("must have at least {n} characters"), n=12)
        return fieldcrypt.new_setting(str(uuid.uuid4()), passphrase)

    @writes
    def encrypt(self, actor: Actor, passphrase: str | None = None) -> dict[str, int]:
        """Encrypt every sealed field in place under a new key (OS keyring, or the passphrase)."""
        require(self.db, actor, MANAGE)
        if self.db.field_encryption_setting():
            raise fail("database", N_("Database"), N_("is already encrypted; use rekey to change its key"))
        setting, keys = self._new(passphrase)
        return fieldcrypt.reseal(self.db, keys, setting, lambda s: audit(
            s, actor, "db.encrypt", "settings", fieldcrypt.SETTING, held_by=setting["kdf"]))

    @writes
    def rekey(self, actor: Actor, passphrase: str | None = None) -> dict[str, int]:
        """Re-encrypt everything under a new key (the old one must be available: the database is open)."""
        require(self.db, actor, MANAGE)
        if not self.db.field_encryption_setting():
            raise fail("database", N_("Database"), N_("is not encrypted; use encrypt first"))
        setting, keys = self._new(passphrase)
        return fieldcrypt.reseal(self.db, keys, setting, lambda s: audit(
            s, actor, "db.rekey", "settings", fieldcrypt.SETTING, held_by=setting["kdf"]))
