"""When the network is down for days: the window's pending changes to an encrypted, signed file, applied at the centre.

Format 2 (written since issue 11): the body is encrypted with AES-256-GCM and the file is signed with HMAC-SHA256,
with two keys derived from the window's export key by HKDF-SHA256 (info "xinfang-desk export/2 encryption" and
"… signature"); the window code and format are the GCM associated data, so they cannot be swapped either:

    {"format": "xinfang-desk-pending/2", "alg": "AES-256-GCM+HMAC-SHA256", "window_code": "BN03",
     "nonce": "<base64, 12 bytes>", "ciphertext": "<base64>", "signature": "<hex HMAC over format, alg, window,
     nonce and ciphertext, one per line>"}

The file is created 0600. Files of format 1 (below; signed, not encrypted) are still read for import.

Signature: HMAC-SHA256 with a per-window key (32 random bytes; `new_export_key()`), kept in the OS keyring of the
window PC and of the centre's import workstation (`export_key(window)` / `store_export_key(window, key)`), never in
a file. HMAC was chosen over Ed25519 because the centre must hold the key anyway to verify, there is no third
party to convince, and it needs nothing beyond the standard library. The file is JSON:

    {"format": "xinfang-desk-pending/1", "alg": "HMAC-SHA256", "window_code": "BN03",
     "body": "<canonical JSON text of the changes>", "signature": "<hex>"}

The import goes through the same idempotent central apply as the push (`central.import_changes`): importing
twice, or importing and later pushing the same changes, applies each change once. Exporting does not mark
anything as sent: when the network returns the push resends and the centre answers "duplicate".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.sync.central import connect
from xinfang_desk.sync.config import KEYRING_SERVICE
from xinfang_desk.sync.engine import IMPORT_SQL, OUTBOX_UNSENT, _arrays

FORMAT = "xinfang-desk-pending/1"
ALG = "HMAC-SHA256"
FORMAT2 = "xinfang-desk-pending/2"
ALG2 = "AES-256-GCM+HMAC-SHA256"


class SignatureInvalid(ValueError):
    pass


@dataclass(frozen=True)
class ImportReport:
    window_code: str
    changes: int
    applied: int
    duplicates: int
    quarantined: int
    conflicts: int


def new_export_key() -> bytes:
    return secrets.token_bytes(32)


def store_export_key(window_code: str, key: bytes) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, f"export-key:{window_code}", base64.b64encode(key).decode())


def export_key(window_code: str) -> bytes:
    import keyring

    v = keyring.get_password(KEYRING_SERVICE, f"export-key:{window_code}")
    if not v:
        raise LookupError(f"no export key for window {window_code} in the OS keyring")
    return base64.b64decode(v)


def _sign(key: bytes, body: str) -> str:
    if len(key) < 16:
        raise ValueError("the export key must have at least 16 bytes")
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def export_pending(db: Database, path: str | Path, key: bytes, *, window_code: str | None = None) -> int:
    """Write every unsent outbox change, in order, to a signed file. Returns the number of changes."""
    with db.session() as s:
        rows = s.execute(OUTBOX_UNSENT, {"n": 10**9}).all()
        windows = {w for (w,) in s.execute(text("SELECT DISTINCT window_code FROM outbox WHERE sent_at IS NULL"))}
    if window_code is None:
        if len(windows) > 1:
            raise ValueError(f"the outbox holds changes of several windows ({', '.join(sorted(windows))}); name one")
        window_code = next(iter(windows), "")
    changes = [
        {"seq": r.seq, "change_id": r.change_id, "operator_id": r.operator_id, "entity": r.entity,
         "entity_id": str(r.entity_id), "op": r.op, "base_version": r.base_version, "payload": r.payload,
         "created_at": r.created_at}
        for r in rows
    ]
    body = json.dumps({"format": FORMAT2, "window_code": window_code, "exported_at": utcnow().isoformat(),
                       "changes": changes}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    from xinfang_desk.fileperm import write_private_text

    write_private_text(path, json.dumps(seal(key, window_code, body), ensure_ascii=False))
    return len(changes)


def _subkeys(key: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if len(key) < 16:
        raise ValueError("the export key must have at least 16 bytes")

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)

    return derive(b"xinfang-desk export/2 encryption"), derive(b"xinfang-desk export/2 signature")


def _signed_text(doc: dict[str, Any]) -> bytes:
    return "\n".join(str(doc.get(k, "")) for k in ("format", "alg", "window_code", "nonce", "ciphertext")).encode()


def seal(key: bytes, window_code: str, body: str) -> dict[str, Any]:
    """Encrypt (AES-256-GCM, a random 96-bit nonce) and sign (HMAC-SHA256) a body: the format-2 document."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    enc_key, sig_key = _subkeys(key)
    nonce = os.urandom(12)
    aad = f"{FORMAT2}|{window_code}".encode()
    ct = AESGCM(enc_key).encrypt(nonce, body.encode("utf-8"), aad)
    doc = {"format": FORMAT2, "alg": ALG2, "window_code": window_code,
           "nonce": base64.b64encode(nonce).decode(), "ciphertext": base64.b64encode(ct).decode()}
    doc["signature"] = hmac.new(sig_key, _signed_text(doc), hashlib.sha256).hexdigest()
    return doc


def _open_sealed(doc: dict[str, Any], key: bytes) -> str:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    enc_key, sig_key = _subkeys(key)
    expected = hmac.new(sig_key, _signed_text(doc), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(doc.get("signature", ""))):
        raise SignatureInvalid("the signature does not match: the file was altered or the key is wrong")
    try:
        nonce = base64.b64decode(doc["nonce"], validate=True)
        ct = base64.b64decode(doc["ciphertext"], validate=True)
        aad = f"{FORMAT2}|{doc.get('window_code', '')}".encode()
        return AESGCM(enc_key).decrypt(nonce, ct, aad).decode("utf-8")
    except (InvalidTag, ValueError, KeyError) as e:
        raise SignatureInvalid("the file cannot be decrypted: it was altered or the key is wrong") from e


def read_signed(path: str | Path, key: bytes) -> dict[str, Any]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("format") == FORMAT2 and doc.get("alg") == ALG2:
        body_text = _open_sealed(doc, key)
    elif doc.get("format") == FORMAT and doc.get("alg") == ALG:  # format 1: signed, not encrypted
        if not hmac.compare_digest(_sign(key, doc.get("body", "")), str(doc.get("signature", ""))):
            raise SignatureInvalid("the signature does not match: the file was altered or the key is wrong")
        body_text = doc["body"]
    else:
        raise SignatureInvalid("not an xinfang-desk pending-changes file, or an unknown version")
    body: dict[str, Any] = json.loads(body_text)
    if body.get("window_code") != doc.get("window_code"):
        raise SignatureInvalid("the window code outside the signed body differs from the one inside")
    return body


def import_file(central_url: str, path: str | Path, key: bytes, *, password: str | None = None) -> ImportReport:
    """Verify the signature, then apply the changes at the centre with the push's idempotency (admin role)."""
    body = read_signed(path, key)
    window = body["window_code"]

    class Row:
        def __init__(self, d: dict[str, Any]) -> None:
            self.__dict__.update(d)

    rows = [Row(c) for c in sorted(body["changes"], key=lambda c: c["seq"])]
    outcomes: list[Any] = []
    with connect(central_url, password=password) as conn:
        for i in range(0, len(rows), 1000):
            outcomes += conn.execute(IMPORT_SQL, (window, *_arrays(rows[i:i + 1000]))).fetchall()
            conn.commit()
    kinds = [o[1] for o in outcomes]
    return ImportReport(window, len(rows), len(rows) - len(outcomes), kinds.count("duplicate"),
                        kinds.count("quarantined"), kinds.count("conflict"))
