"""Data at rest (issue 11, item 5, the parts done): the database with its -wal/-shm, notices, drafts and export files
are created 0600 whatever the umask, an old 0644 database is narrowed when opened; `sync export` files are
encrypted (AES-256-GCM) and signed, so no ID number, phone or name can be read from them, and a changed byte or a
wrong key is refused."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path

import pytest

from xinfang_desk import cli
from xinfang_desk.services.container import Services
from xinfang_desk.sync.transfer import SignatureInvalid, export_pending, new_export_key, read_signed

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, WINDOW, person, reg  # noqa: E402

RID = "11010519491231002X"
PHONE = "13800138000"


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual desktop umask: new files would be 0644
    yield
    os.umask(old)


def _mode(p: Path) -> int:
    return p.stat().st_mode & 0o777


def test_new_database_and_its_wal_and_shm_are_private(tmp_path, open_umask) -> None:
    db = tmp_path / "new" / "x.sqlite3"
    db.parent.mkdir()  # a missing folder is refused, not created (issue 12)
    sv = Services.open(f"sqlite:///{db}", WINDOW)
    try:
        sv.auth.setup_first_admin("admin", "王敏", PASSWORDS["admin"])
        for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert f.exists() and _mode(f) == 0o600, (f, oct(_mode(f)))
    finally:
        sv.close()


def test_an_old_world_readable_database_is_narrowed(db_path, open_umask) -> None:
    os.chmod(db_path, 0o644)
    sv = Services.open(f"sqlite:///{db_path}", WINDOW)
    sv.close()
    assert _mode(db_path) == 0o600


def test_notice_and_export_files_are_private_and_the_export_is_encrypted(sv, actors, db_path, tmp_path, capsys,
                                                                          monkeypatch, open_umask) -> None:
    res = sv.registration.register(actors["clerk"], reg(person("欧阳娜娜", id_number=RID, phone=PHONE,
                                                               address="青溪区人民路88号")))
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["clerk"])
    pdf = tmp_path / "notice.pdf"
    assert cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "clerk", "notice", res.query_code,
                     "--pdf", str(pdf)]) == 0
    assert _mode(pdf) == 0o600
    key = new_export_key()
    monkeypatch.setenv("XINFANG_DESK_EXPORT_KEY", base64.b64encode(key).decode())
    out = tmp_path / "pending.xfsync"
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["supervisor"])  # exporting is a supervisor's (issue 11)
    assert cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "supervisor", "sync", "export",
                     "--out", str(out)]) == 0
    assert _mode(out) == 0o600
    raw = out.read_bytes()
    for plain in (RID, PHONE, "欧阳娜娜", "青溪区人民路88号", res.query_code):
        assert plain.encode() not in raw and plain.encode("unicode_escape") not in raw, plain
    body = read_signed(out, key)  # the centre's import reads it back with the key
    people = [json.loads(c["payload"]) for c in body["changes"] if c["entity"] == "people"]
    assert any(p["id_number"] == RID for p in people)
    # a flipped bit, a swapped window code, or the wrong key: refused
    doc = json.loads(raw)
    for change in ("ciphertext", "window_code"):
        bad = dict(doc)
        if change == "ciphertext":
            ct = bytearray(base64.b64decode(doc["ciphertext"]))
            ct[5] ^= 0x40
            bad["ciphertext"] = base64.b64encode(bytes(ct)).decode()
        else:
            bad["window_code"] = "BN01"
        p = tmp_path / f"bad-{change}.xfsync"
        p.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(SignatureInvalid):
            read_signed(p, key)
    with pytest.raises(SignatureInvalid):
        read_signed(out, new_export_key())


def test_export_written_by_the_service_is_private_even_over_an_old_file(sv, actors, tmp_path, open_umask) -> None:
    sv.registration.register(actors["clerk"], reg(person("王芳", id_number=RID)))
    out = tmp_path / "old.xfsync"
    out.write_text("{}")
    os.chmod(out, 0o644)
    assert export_pending(sv.db, out, new_export_key(), window_code=WINDOW) > 0
    assert _mode(out) == 0o600


def test_registration_draft_is_private(tmp_path, open_umask) -> None:
    from xinfang_desk.gui.draft import DraftStore

    d = DraftStore(tmp_path / "drafts" / "registration-BN03-clerk.json")
    d.save({"people": [{"name": "王芳", "id_number": RID}]})
    assert _mode(d.path) == 0o600


def test_sqlite_cannot_read_an_export_as_a_database(sv, actors, tmp_path) -> None:
    """(sanity) the export is not a copy of the database: only the outbox, sealed."""
    sv.registration.register(actors["clerk"], reg(person("王芳")))
    out = tmp_path / "x.xfsync"
    export_pending(sv.db, out, new_export_key(), window_code=WINDOW)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(out).execute("SELECT * FROM people").fetchall()
