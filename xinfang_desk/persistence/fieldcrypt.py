"""Field encryption of the window database (opt-in per database: `xinfang-desk db encrypt`).

Encrypted: ID numbers, phones and addresses of visitors, the grievance text of matters (summary, demands,
respondent), the content of printed notices, and the outbox payloads (which copy all of these until the sync).
Not encrypted: names (searched by prefix and pinyin), dates, codes, the audit trail.

Stored forms (text in the same columns, so no schema change):

    x1:<base64(nonce ‖ AES-256-GCM ciphertext ‖ tag)>            encrypted
    b1:<32 hex: HMAC-SHA256 blind index>:<base64(…)>              encrypted and searchable by exact value

The blind index (first 16 bytes of HMAC-SHA256 under its own key) makes `Person.id_number == x` a range scan on the
existing index (`'b1:<bi>:' <= col < 'b1:<bi>;'`), so exact ID and phone search stays an index look-up. Both keys
come from one 32-byte database key by HKDF-SHA256. The database key is held by the OS keyring (item "xinfang-desk" /
"db-key:<database id>"), or derived by scrypt from an administrator's passphrase where no keyring exists
(`XINFANG_DESK_DB_PASSPHRASE`); the `settings` row `field_encryption` records which, the salt, and a check value
(never the key). In a database without that row nothing is sealed and every value reads as itself; `reseal` turns
one into the other in one transaction.

The key travels with each `Database.session()`/`transaction()` in a context variable, so worker threads and two
databases in one process (tests) each use their own.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import hashlib
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text, and_, type_coerce
from sqlalchemy.types import TypeDecorator

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.i18n import _

ENC = "x1:"
BI = "b1:"
KEYRING_SERVICE = "xinfang-desk"
SETTING = "field_encryption"


class KeyUnavailable(DomainError):
    """The database is encrypted and its key is not available (no keyring item, no or a wrong passphrase)."""


@dataclass(frozen=True)
class FieldKeys:
    enc_key: bytes
    bi_key: bytes

    @classmethod
    def from_master(cls, master: bytes) -> FieldKeys:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        def derive(info: bytes) -> bytes:
            return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

        return cls(derive(b"xinfang-desk fields/1 encryption"), derive(b"xinfang-desk fields/1 blind index"))

    @property
    def _aead(self) -> Any:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(self.enc_key)

    def check_value(self) -> str:
        return hmac.new(self.bi_key, b"xinfang-desk key check", hashlib.sha256).hexdigest()[:32]

    def blind(self, value: str) -> str:
        return hmac.new(self.bi_key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def encrypt(self, value: str) -> str:
        nonce = os.urandom(12)
        return ENC + base64.b64encode(nonce + self._aead.encrypt(nonce, value.encode("utf-8"), None)).decode()

    def seal_searchable(self, value: str) -> str:
        return f"{BI}{self.blind(value)}:{self.encrypt(value)[len(ENC):]}"

    def decrypt(self, stored: str) -> str:
        """A sealed value's plain text; a value stored before the database was encrypted reads as itself."""
        if stored.startswith(BI):
            body = stored[len(BI) + 33:]
        elif stored.startswith(ENC):
            body = stored[len(ENC):]
        else:
            return stored
        raw = base64.b64decode(body)
        try:
            return self._aead.decrypt(raw[:12], raw[12:], None).decode("utf-8")
        except Exception as e:  # noqa: BLE001 - InvalidTag: wrong key or altered
            raise KeyUnavailable(_("a field cannot be decrypted: wrong database key, or the value was altered")) from e


_current: contextvars.ContextVar[FieldKeys | None] = contextvars.ContextVar("xinfang_field_keys", default=None)


@contextlib.contextmanager
def using(keys: FieldKeys | None) -> Iterator[None]:
    token = _current.set(keys)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> FieldKeys | None:
    return _current.get()


def is_sealed(v: str) -> bool:
    return v.startswith(ENC) or v.startswith(BI)


def _open(v: Any) -> Any:
    """A stored value as typed. Without a key (a plain database) every value is plain text, whatever it looks like
    (a visitor may well type "x1:…"); with a key every value was sealed when written or by `reseal`."""
    k = _current.get()
    if v is None or k is None or not isinstance(v, str):
        return v
    return k.decrypt(v)


class _BlindLow(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        k = _current.get()
        return f"{BI}{k.blind(value)}:" if k is not None and value is not None else value


class _BlindHigh(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        k = _current.get()
        if value is None:
            return None
        return f"{BI}{k.blind(value)};" if k is not None else value + "\x00"


class SealedString(TypeDecorator[str]):
    """Encrypted text (`searchable=True`: with a blind index; `== value` then matches exactly, through the index).
    The declared length is the plaintext's (SQLite does not enforce it)."""

    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None, *, searchable: bool = False) -> None:
        super().__init__(length)
        self.searchable = searchable

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        k = _current.get()
        if value is None or k is None or not isinstance(value, str):
            return value
        return k.seal_searchable(value) if self.searchable else k.encrypt(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return _open(value)

    class comparator_factory(TypeDecorator.Comparator[str]):  # noqa: N801 - SQLAlchemy's name
        def __eq__(self, other: Any) -> Any:
            if isinstance(other, str) and getattr(self.type, "searchable", False):
                return and_(self.expr >= type_coerce(other, _BlindLow()), self.expr < type_coerce(other, _BlindHigh()))
            return super().__eq__(other)

        def __hash__(self) -> int:
            return id(self)


class SealedText(SealedString):
    impl = Text
    cache_ok = True

    def __init__(self, *, searchable: bool = False) -> None:
        TypeDecorator.__init__(self)
        self.searchable = searchable


class SealedJSON(TypeDecorator[Any]):
    """JSON (as persistence.types.JSONText writes it), encrypted as one text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        from xinfang_desk.persistence.types import JSONText

        text = JSONText().process_bind_param(value, dialect)
        k = _current.get()
        return k.encrypt(text) if text is not None and k is not None else text

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        import json

        v = _open(value)
        return None if v is None else json.loads(v)


class SealedRawJSON(TypeDecorator[str]):
    """A sealed JSON column as its JSON text, exactly as it was written (digests stay equal): raw SQL reads, and
    re-encryption."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        k = _current.get()
        if value is None or k is None:
            return value
        return k.encrypt(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return _open(value)


# -- the database key -------------------------------------------------------------------------------------
def _keyring() -> Any | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover
        return None
    return None if isinstance(keyring.get_keyring(), fail.Keyring) else keyring


def scrypt_master(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=2**15, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)


def new_setting(database_id: str, passphrase: str | None) -> tuple[dict[str, Any], FieldKeys]:
    """A fresh key: in the OS keyring, or from `passphrase` (scrypt) when given or when no keyring exists."""
    kr = _keyring()
    if passphrase is None and kr is None:
        raise KeyUnavailable(_("no OS keyring is available: use a passphrase (dbkey encrypt --passphrase)"))
    if passphrase is not None:
        if len(passphrase) < 12:
            raise KeyUnavailable(_("the database passphrase needs at least 12 characters"))
        salt = os.urandom(16)
        keys = FieldKeys.from_master(scrypt_master(passphrase, salt))
        setting = {"version": 1, "kdf": "scrypt", "salt": base64.b64encode(salt).decode()}
    else:
        master = os.urandom(32)
        assert kr is not None
        kr.set_password(KEYRING_SERVICE, f"db-key:{database_id}", base64.b64encode(master).decode())
        keys = FieldKeys.from_master(master)
        setting = {"version": 1, "kdf": "keyring", "item": f"db-key:{database_id}"}
    setting["check"] = keys.check_value()
    return setting, keys


def keys_for(setting: dict[str, Any], passphrase: str | None = None) -> FieldKeys:
    """The keys of an encrypted database, from the keyring or the passphrase; checked against the stored check."""
    if setting.get("kdf") == "scrypt":
        pw = passphrase if passphrase is not None else os.environ.get("XINFANG_DESK_DB_PASSPHRASE")
        if not pw:
            raise KeyUnavailable(_("the database is encrypted with a passphrase: set XINFANG_DESK_DB_PASSPHRASE"))
        keys = FieldKeys.from_master(scrypt_master(pw, base64.b64decode(setting["salt"])))
    elif setting.get("kdf") == "keyring":
        kr = _keyring()
        v = kr.get_password(KEYRING_SERVICE, setting["item"]) if kr is not None else None
        if not v:
            raise KeyUnavailable(_("the database key is not in this computer's OS keyring"))
        keys = FieldKeys.from_master(base64.b64decode(v))
    else:
        raise KeyUnavailable(_("unknown field encryption settings; upgrade the application"))
    if not hmac.compare_digest(keys.check_value(), str(setting.get("check", ""))):
        raise KeyUnavailable(_("wrong database passphrase or key"))
    return keys


# -- encrypt, re-key, decrypt a whole database ----------------------------------------------------------------
SEALED_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {  # table -> (key column, sealed columns)
    "people": ("id", ("id_number", "phone", "address")),
    "matters": ("id", ("summary", "demands", "respondent")),
    "notices": ("id", ("content",)),
    "outbox": ("seq", ("payload",)),
}
RAW_JSON = {("notices", "content"), ("outbox", "payload")}
CHUNK = 2000


def reseal(db: Any, new_keys: FieldKeys | None, setting: dict[str, Any] | None,
           in_transaction: Any = None) -> dict[str, int]:
    """Rewrite every sealed value under `new_keys` (None: back to plain text) in ONE transaction, record `setting`
    (None: remove it), then VACUUM so that no page of the file keeps an old form. Returns rows per table."""
    import json

    from sqlalchemy import bindparam, select, text, update

    from xinfang_desk.persistence.models import Base

    old_keys = db.field_keys
    counts: dict[str, int] = {}
    with db.transaction() as s:
        for table_name, (pk, cols) in SEALED_COLUMNS.items():
            t = Base.metadata.tables[table_name]
            sel = [t.c[pk], *[type_coerce(t.c[c], SealedRawJSON()) if (table_name, c) in RAW_JSON else t.c[c]
                              for c in cols]]
            stmt = update(t).where(t.c[pk] == bindparam("_key")).values(
                {c: bindparam(f"_{c}", type_=SealedRawJSON() if (table_name, c) in RAW_JSON else t.c[c].type)
                 for c in cols})
            last: Any = None
            n = 0
            while True:
                q = select(*sel).order_by(t.c[pk]).limit(CHUNK)
                if last is not None:
                    q = q.where(t.c[pk] > last)
                with using(old_keys):
                    rows = s.execute(q).all()
                if not rows:
                    break
                with using(new_keys):  # one executemany per chunk; the bind types seal under the new keys
                    s.connection().execute(stmt, [{"_key": r[0], **{f"_{c}": r[i + 1] for i, c in enumerate(cols)}}
                                                  for r in rows])
                n += len(rows)
                last = rows[-1][0]
            counts[table_name] = n
        if in_transaction is not None:  # e.g. the audit record of the change, in the same transaction
            with using(new_keys):
                in_transaction(s)
        s.execute(text("DELETE FROM settings WHERE key = :k"), {"k": SETTING})
        if setting is not None:
            s.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                      {"k": SETTING, "v": json.dumps(setting, sort_keys=True)})
    db.field_keys = new_keys
    if db.is_sqlite:
        import sqlite3

        from sqlalchemy.engine import make_url

        db.engine.dispose()
        database = make_url(db.url).database
        assert database, "is_sqlite: a database file"
        con = sqlite3.connect(database, isolation_level=None)
        try:
            con.execute("PRAGMA secure_delete=ON")
            con.execute("VACUUM")  # rebuilds the file: freed pages with the old forms are gone
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    return counts
