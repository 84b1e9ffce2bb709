"""The local database: pragmas on every connection, backup before a migration, refusal of a newer schema,
`db upgrade` on an old file, and kill -9 in the middle of registrations."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from xinfang_desk.persistence.db import (
    Database,
    SchemaTooNew,
    alembic_config,
    current_revision,
    head_revision,
)
from xinfang_desk.services.container import Services

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import REPO, WINDOW, cli_env, run_cli  # noqa: E402
from tests.sessions import add_user  # noqa: E402


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_old_db(path: Path) -> None:
    """A database from before the first migration, holding data that must survive (a marker table)."""
    from alembic import command

    db = Database(f"sqlite:///{path}", backup=False)
    with db.engine.begin() as conn:
        cfg = alembic_config(f"sqlite:///{path}")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
        conn.exec_driver_sql("CREATE TABLE legacy_marker (v TEXT)")
        conn.exec_driver_sql("INSERT INTO legacy_marker VALUES ('keep me')")
    db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    conns = [db.engine.connect() for _ in range(3)]  # three distinct pool connections at once
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        for conn in conns:
            conn.close()
        db.dispose()


def test_foreign_keys_enforced_in_a_write_transaction(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        with pytest.raises(IntegrityError), db.transaction() as s:
            s.connection().exec_driver_sql(
                "INSERT INTO visit_people (id, visit_id, person_id, role, position) VALUES ('x', 'nope', 'nope', 'visitor', 0)")
    finally:
        db.dispose()


def test_backup_taken_before_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_old_db(path)
    assert "people" not in tables(path)
    sv = Services.open(f"sqlite:///{path}", WINDOW)
    sv.close()
    backups = sorted((tmp_path / "backups").glob("old-*.sqlite3"))
    assert len(backups) == 1
    assert "legacy_marker" in tables(backups[0]) and "people" not in tables(backups[0])  # the state before
    assert {"people", "visits", "legacy_marker"} <= tables(path)
    # a second start at head migrates nothing and makes no new backup
    Services.open(f"sqlite:///{path}", WINDOW).close()
    assert len(list((tmp_path / "backups").glob("old-*.sqlite3"))) == 1


def stamp_future(path: Path) -> None:
    Services.open(f"sqlite:///{path}", WINDOW).close()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def test_newer_schema_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    stamp_future(path)
    digest = sha(path)
    backups_before = set((tmp_path / "backups").glob("*"))
    with pytest.raises(SchemaTooNew, match="9999_from_the_future"):
        Services.open(f"sqlite:///{path}", WINDOW)
    assert sha(path) == digest
    assert set((tmp_path / "backups").glob("*")) == backups_before


def test_newer_schema_refused_by_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    stamp_future(path)
    r = run_cli(f"sqlite:///{path}", "visits", "--json", lang="en")
    assert r.code != 0 and "newer version" in r.err and "Traceback" not in r.err
    assert r.out == ""


def test_db_upgrade_on_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_old_db(path)
    r = run_cli(f"sqlite:///{path}", "db", "upgrade", lang="en")
    assert r.code == 0, r.err
    assert head_revision() in r.out
    db = Database(f"sqlite:///{path}", migrate=False)
    assert current_revision(db.engine) == head_revision()
    db.dispose()
    assert list((tmp_path / "backups").glob("old-*.sqlite3"))
    con = sqlite3.connect(path)
    assert con.execute("SELECT v FROM legacy_marker").fetchall() == [("keep me",)]
    con.close()


# -- kill -9 ------------------------------------------------------------------------------------------------
WRITER = r"""
import itertools, sys
from xinfang_desk.services.container import Services
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

sv = Services.open(sys.argv[1], "BN03")
actor = sv.auth.login("clerk", "Clerk2026x")
print("ready", flush=True)
for i in itertools.count():
    res = sv.registration.register(actor, RegistrationInput(
        people=(PersonInput(name="张" + "一二三四五六七八九十"[i % 10], address="青溪街道%d号" % i),),
        matter=MatterInput(kind="suggestion", summary="第%d次登记：建议增设公交站点" % i, respondent="区交通运输局")))
    print(res.query_code, flush=True)  # confirmed to the user only after the commit returned
"""


@pytest.mark.slow
def test_kill_9_loses_no_confirmed_registration(tmp_path: Path) -> None:
    path = tmp_path / "kill.sqlite3"  # on disk, not tmpfs: this is about what reaches the file
    url = f"sqlite:///{path}"
    sv = Services.open(url, WINDOW)  # the writer logs in as a clerk: the services accept only real sessions
    sv.auth.setup_first_admin("admin", "王敏", "Admin2026x")
    add_user(sv, sv.auth.login("admin", "Admin2026x"), "clerk", "李娜", "clerk", "Clerk2026x")
    sv.close()
    rng = random.Random(20261127)
    confirmed: list[str] = []
    rounds = 10
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=REPO, env=cli_env())
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == b"ready\n", proc.stderr.read() if proc.stderr else first
        # the first confirmation is awaited (on a loaded machine a fixed sleep may end before the first commit),
        # then the kill comes at a random moment in the writing
        one = proc.stdout.readline()
        assert one.endswith(b"\n"), proc.stderr.read() if proc.stderr else one
        confirmed.append(one.decode().strip())
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines = out.decode().split("\n")
        confirmed += [ln for ln in lines[:-1] if ln]  # the last piece may be a torn, unconfirmed line
    assert len(confirmed) >= rounds  # the writer got somewhere each time
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {r[0] for r in con.execute("SELECT query_code FROM visits")}
        missing = [c for c in confirmed if c not in stored]
        assert missing == [], f"{len(missing)} confirmed registrations lost: {missing[:5]}"
        # no partial records: every visit has its person link, its matter, its audit event and outbox rows
        partial = con.execute("""
            SELECT v.query_code FROM visits v
            WHERE NOT EXISTS (SELECT 1 FROM visit_people vp WHERE vp.visit_id = v.id)
               OR NOT EXISTS (SELECT 1 FROM matters m WHERE m.visit_id = v.id)
               OR NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_id = v.id AND a.action = 'visit.register')
               OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'visits' AND o.entity_id = v.id)""").fetchall()
        assert partial == []
        assert len(stored) == len(set(stored))
    finally:
        con.close()
