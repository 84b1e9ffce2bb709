"""Field encryption of the window database (issue 11, item 5): after `dbkey encrypt` no ID number, phone, address
or grievance text can be read from the file (nor from the outbox or a printed notice's stored content); exact ID
and phone search still find the visitor through the keyed blind index; the database opens only with its key; a
re-key keeps the data and retires the old key; the sync still delivers the plain changes to the centre."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.naughty import VALID_ID
from tests.sessions import ADMIN_PASSWORD
from xinfang_desk import cli
from xinfang_desk.persistence.fieldcrypt import KeyUnavailable
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import local_today
from xinfang_desk.services.dbkey import DatabaseKeyService

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, WINDOW, person, reg  # noqa: E402

PHONE = "13800138000"
ADDRESS = "青溪区人民路88号"
SUMMARY = "包工头拖欠三个月工资未付"
PASS1 = "correct horse battery 1"
PASS2 = "another long passphrase 2"


def _plain_in_file(path: Path, *values: str) -> list[str]:
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    return [v for v in values if v.encode() in data]


def _register(sv, actors) -> object:
    r = reg(person("欧阳娜娜", id_number=VALID_ID, phone=PHONE, address=ADDRESS))
    r = type(r)(**{**r.__dict__, "matter": type(r.matter)(**{**r.matter.__dict__, "summary": SUMMARY})})
    return sv.registration.register(actors["clerk"], r)


def test_encrypted_fields_are_unreadable_in_the_file_and_still_searchable(db_path, actors, monkeypatch) -> None:
    url = f"sqlite:///{db_path}"
    sv = Services.open(url, WINDOW)
    res = _register(sv, actors)
    sv.notices.print_notice(actors["clerk"], res.query_code)
    assert _plain_in_file(db_path, VALID_ID, ADDRESS, SUMMARY)  # today: all of it readable with any tool
    counts = DatabaseKeyService(sv.db).encrypt(actors["admin"], PASS1)
    assert counts["people"] >= 1 and counts["outbox"] > 0
    sv.close()
    assert _plain_in_file(db_path, VALID_ID, PHONE, ADDRESS, SUMMARY, "+86" + PHONE) == []
    con = sqlite3.connect(db_path)
    stored = con.execute("SELECT id_number, phone, address FROM people").fetchone()
    con.close()
    assert stored[0].startswith("b1:") and stored[1].startswith("b1:") and stored[2].startswith("x1:")
    # without the passphrase the database does not open; with a wrong one neither
    monkeypatch.delenv("XINFANG_DESK_DB_PASSPHRASE", raising=False)
    with pytest.raises(KeyUnavailable):
        Services.open(url, WINDOW)
    monkeypatch.setenv("XINFANG_DESK_DB_PASSPHRASE", "not the passphrase")
    with pytest.raises(KeyUnavailable):
        Services.open(url, WINDOW)
    monkeypatch.setenv("XINFANG_DESK_DB_PASSPHRASE", PASS1)
    sv = Services.open(url, WINDOW)
    try:
        clerk, sup = actors["clerk"], actors["supervisor"]
        # exact ID and phone search through the blind index; name search as before
        assert [h.id for h in sv.search.search_people(clerk, VALID_ID)] == [res.person_ids[0]]
        assert [h.id for h in sv.search.search_people(clerk, PHONE)] == [res.person_ids[0]]
        assert [h.id for h in sv.search.search_people(clerk, "欧阳")] == [res.person_ids[0]]
        assert sv.search.search_people(clerk, "110105194912310037") == []  # another valid number: no hit
        full = sv.search.reveal_person(sup, res.person_ids[0], "核对")
        assert (full.id_number, full.phone, full.address) == (VALID_ID, PHONE, ADDRESS)
        assert [m.summary for m in sv.search.person_history(clerk, res.person_ids[0])] == [SUMMARY]
        # a new registration with the same ID number finds the same person (an exact match, through the index)
        again = _register(sv, actors)
        assert again.person_ids == res.person_ids and again.repeat_of is not None
        # the reprint renders from the sealed stored content
        assert sv.notices.print_notice(clerk, res.query_code).reprint
        assert sv.audit_log.verify(sup)[0].intact
        acts = [r.action for r in sv.audit_log.list(sup)]
        assert "db.encrypt" in acts
    finally:
        sv.close()
    assert _plain_in_file(db_path, VALID_ID, ADDRESS, SUMMARY) == []


def test_rekey_keeps_the_data_and_retires_the_old_key(db_path, actors, monkeypatch) -> None:
    url = f"sqlite:///{db_path}"
    sv = Services.open(url, WINDOW)
    res = _register(sv, actors)
    DatabaseKeyService(sv.db).encrypt(actors["admin"], PASS1)
    with pytest.raises(Exception):  # noqa: B017 - a clerk may not
        DatabaseKeyService(sv.db).rekey(actors["clerk"], PASS2)
    DatabaseKeyService(sv.db).rekey(actors["admin"], PASS2)
    sv.close()
    monkeypatch.setenv("XINFANG_DESK_DB_PASSPHRASE", PASS1)
    with pytest.raises(KeyUnavailable):
        Services.open(url, WINDOW)
    monkeypatch.setenv("XINFANG_DESK_DB_PASSPHRASE", PASS2)
    sv = Services.open(url, WINDOW)
    try:
        assert [h.id for h in sv.search.search_people(actors["clerk"], VALID_ID)] == [res.person_ids[0]]
        row = sv.search.visits_on(actors["supervisor"], local_today(), reveal_reason="核对")[0]
        assert row.people[0]["id_number"] == VALID_ID
    finally:
        sv.close()


def test_cli_encrypts_with_a_passphrase_from_the_environment(db_path, actors, monkeypatch, capsys) -> None:
    url = f"sqlite:///{db_path}"
    sv = Services.open(url, WINDOW)
    _register(sv, actors)
    sv.close()
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["admin"])
    monkeypatch.setenv("XINFANG_DESK_NEW_DB_PASSPHRASE", PASS1)
    assert cli.main(["--db", url, "--window", WINDOW, "--user", "admin", "dbkey", "encrypt", "--passphrase"]) == 0
    monkeypatch.setenv("XINFANG_DESK_DB_PASSPHRASE", PASS1)
    capsys.readouterr()
    assert cli.main(["--db", url, "--window", WINDOW, "--user", "admin", "dbkey", "status"]) == 0
    assert json.loads(capsys.readouterr().out) == {"encrypted": True, "held_by": "passphrase"}
    monkeypatch.delenv("XINFANG_DESK_DB_PASSPHRASE")
    assert cli.main(["--db", url, "--window", WINDOW, "--user", "admin", "dbkey", "status"]) == 1
    assert "XINFANG_DESK_DB_PASSPHRASE" in capsys.readouterr().err
    assert _plain_in_file(db_path, VALID_ID, ADDRESS) == []


def test_sync_from_and_into_encrypted_windows(central, window_factory) -> None:
    """The centre receives the plain changes (same digests: a resend is a duplicate); what a window pulls is
    sealed in its own file."""
    from sqlalchemy import text

    from xinfang_desk.sync.engine import sync_once

    a, b = window_factory("BN01"), window_factory("BN02")
    a.register(3)
    for w in (a, b):
        admin = w.services.auth.login("admin", ADMIN_PASSWORD)
        DatabaseKeyService(w.db).encrypt(admin, PASS1 + w.code)
    a.register(2)  # written after encryption
    r = sync_once(a.db, "BN01", a.url)
    assert r.ok and r.pushed > 0 and r.quarantined == 0, r.errors
    addresses = {x for (x,) in central.rows(
        "SELECT payload->>'address' FROM central.central_changes WHERE entity = 'people'")}
    assert {"BN01 路 1 号", "BN01 路 5 号"} <= addresses
    with a.db.transaction() as s:  # as if the marks were lost: everything is sent again
        s.execute(text("UPDATE outbox SET sent_at = NULL"))
    again = sync_once(a.db, "BN01", a.url)
    assert again.ok and again.duplicates == again.pushed == r.pushed and again.quarantined == 0
    rb = sync_once(b.db, "BN02", b.url)
    assert rb.ok and rb.pulled > 0, rb.errors
    assert b.visit_digest()[0] == 5
    path = Path(b.db.engine.url.database)
    con = sqlite3.connect(path)
    stored = [x for (x,) in con.execute("SELECT address FROM people")]
    con.close()
    assert stored and all(x.startswith("x1:") for x in stored)
    assert _plain_in_file(path, "BN01 路 1 号") == []


@pytest.mark.parametrize("encrypted", [False, True])
def test_values_that_look_sealed_are_stored_as_typed(encrypted, db_path, actors, monkeypatch) -> None:
    url = f"sqlite:///{db_path}"
    sv = Services.open(url, WINDOW)
    try:
        if encrypted:
            DatabaseKeyService(sv.db).encrypt(actors["admin"], PASS1)
        tricky = "x1:AAAA" if not encrypted else "b1:" + "0" * 32 + ":AAAA"
        res = sv.registration.register(actors["clerk"], reg(person("王芳", address=tricky)))
        assert sv.search.person(actors["clerk"], res.person_ids[0]).address == tricky
    finally:
        sv.close()


def test_key_held_by_the_os_keyring(db_path, actors, monkeypatch) -> None:
    """With a keyring (an in-memory backend here: the build machine has none) the key lives there, nothing to
    type; without the keyring item the database does not open."""
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    old = keyring.get_keyring()
    mem = Memory()
    keyring.set_keyring(mem)
    try:
        url = f"sqlite:///{db_path}"
        sv = Services.open(url, WINDOW)
        res = _register(sv, actors)
        DatabaseKeyService(sv.db).encrypt(actors["admin"], None)
        assert DatabaseKeyService(sv.db).status(actors["admin"]).held_by == "keyring"
        sv.close()
        assert len(mem.items) == 1 and _plain_in_file(db_path, VALID_ID, ADDRESS) == []
        sv = Services.open(url, WINDOW)
        assert [h.id for h in sv.search.search_people(actors["clerk"], VALID_ID)] == [res.person_ids[0]]
        sv.close()
        mem.items.clear()
        with pytest.raises(KeyUnavailable):
            Services.open(url, WINDOW)
    finally:
        keyring.set_keyring(old)
