"""Tamper-evident audit (issue 11, item 4): a hash chain per window, `audit verify` finds each of the five
tampering cases an attacker with sqlite3 can make and names the position; an operation whose audit write fails
does not happen; unmasked personal data is shown only with a reason, and that read is audited; nothing younger
than six months can be purged; supervisors list and export the trail."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tests.naughty import VALID_ID
from tests.sessions import add_user
from xinfang_desk import cli
from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.services.audit_log import AuditFilter, latest_purge_date
from xinfang_desk.services.context import local_today

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, WINDOW, person, reg  # noqa: E402

PHONE = "13800138000"


def _fill(sv, actors, n: int = 6) -> None:
    for i in range(n):
        sv.registration.register(actors["clerk"], reg(person(f"王{'一二三四五六七八九十'[i % 10]}")))


def _verify_cli(db_url: str, capsys, monkeypatch) -> tuple[int, dict]:
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["supervisor"])
    capsys.readouterr()
    rc = cli.main(["--db", db_url, "--window", WINDOW, "--lang", "en", "--user", "supervisor",
                   "audit", "verify", "--json"])
    out = capsys.readouterr().out
    return rc, json.loads(out)[0]


def _sql(path: Path, statement: str, *args) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute(statement, args)
    con.close()


def _positions(path: Path) -> list[tuple[int, str]]:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT chain_seq, id FROM audit_events WHERE window_code = ? ORDER BY chain_seq",
                       (WINDOW,)).fetchall()
    con.close()
    return rows


def test_untouched_log_passes_and_every_record_is_chained(sv, actors, db_url, db_path, capsys, monkeypatch) -> None:
    _fill(sv, actors)
    rows = _positions(db_path)
    assert [p for p, _ in rows] == list(range(1, len(rows) + 1))  # positions 1..n without gaps
    rc, rep = _verify_cli(db_url, capsys, monkeypatch)
    assert rc == 0 and rep["intact"] and rep["findings"] == []
    assert rep["head_position"] == len(rows) + 1  # the supervisor's log-in for the check is the next record


# each case: the sqlite3 statement of the attacker, and (kind, position) that verify must report
TAMPER = {
    "edit": ("UPDATE audit_events SET username = 'someone_else' WHERE window_code = ? AND chain_seq = 5",
             [("edited", 5)]),
    "delete": ("DELETE FROM audit_events WHERE window_code = ? AND chain_seq = 7", [("deleted", 7)]),
    "insert": ("INSERT INTO audit_events (id, at, window_code, username, action, entity, success, detail, chain_seq, "
               "prev_hash, hash) SELECT 'ffffffff-0000-7000-8000-000000000000', at, window_code, 'clerk', "
               "'visit.register', 'visits', 1, '{}', chain_seq, prev_hash, hash FROM audit_events "
               "WHERE window_code = ? AND chain_seq = 9", [("inserted", 9)]),
    "reorder": ("UPDATE audit_events SET chain_seq = CASE chain_seq WHEN 3 THEN 4 ELSE 3 END "
                "WHERE window_code = ? AND chain_seq IN (3, 4)", [("reordered", 3), ("reordered", 4)]),
    "truncate": ("DELETE FROM audit_events WHERE window_code = ? AND chain_seq >= 10", None),
}


@pytest.mark.parametrize("case", list(TAMPER))
def test_verify_detects_tampering_with_its_position(case, sv, actors, db_url, db_path, capsys, monkeypatch) -> None:
    _fill(sv, actors, 8)
    n = len(_positions(db_path))
    statement, expected = TAMPER[case]
    _sql(db_path, statement, WINDOW)
    rc, rep = _verify_cli(db_url, capsys, monkeypatch)
    assert rc == cli_audit_exit_broken() and not rep["intact"]
    got = [(f["kind"], f["position"]) for f in rep["findings"]]
    if case == "truncate":
        assert got == [("truncated", 10)]
        assert rep["findings"][0]["to_position"] == n
    else:
        assert got == expected
    if case == "insert":
        assert rep["findings"][0]["record_id"] == "ffffffff-0000-7000-8000-000000000000"
    # the human-readable report says the same, in Chinese by default
    capsys.readouterr()
    rc2 = cli.main(["--db", db_url, "--window", WINDOW, "--user", "supervisor", "audit", "verify"])
    out = capsys.readouterr().out
    assert rc2 == 4 and f"{expected[0][1] if expected else 10}" in out


def cli_audit_exit_broken() -> int:
    from xinfang_desk.cli_audit import EXIT_BROKEN

    return EXIT_BROKEN


def test_a_record_without_chain_fields_is_an_insertion(sv, actors, db_url, db_path, capsys, monkeypatch) -> None:
    _fill(sv, actors, 3)
    _sql(db_path, "INSERT INTO audit_events (id, at, window_code, username, action, entity, success, detail) "
         "SELECT 'eeeeeeee-0000-7000-8000-000000000000', at, window_code, 'x', 'auth.login', '', 1, '{}' "
         "FROM audit_events WHERE window_code = ? AND chain_seq = 2", WINDOW)
    rc, rep = _verify_cli(db_url, capsys, monkeypatch)
    assert rc == 4 and [(f["kind"], f["position"]) for f in rep["findings"]] == [("inserted", 3)]


def test_an_edit_with_a_recomputed_hash_still_breaks_the_link(sv, actors, db_url, db_path, capsys, monkeypatch) -> None:
    _fill(sv, actors, 3)
    _sql(db_path, "UPDATE audit_events SET hash = 'ab' || substr(hash, 3) WHERE window_code = ? AND chain_seq = 4",
         WINDOW)
    rc, rep = _verify_cli(db_url, capsys, monkeypatch)
    assert rc == 4 and ("edited", 4) in [(f["kind"], f["position"]) for f in rep["findings"]]


def test_an_operation_whose_audit_write_fails_does_not_happen(sv, actors, db_path) -> None:
    sv.registration.register(actors["clerk"], reg(person("李四", id_number=VALID_ID, phone=PHONE)))
    before = _counts(db_path)
    # the audit table refuses every insert (a full disk, a corrupt page, a hostile trigger — the cause is immaterial)
    _sql(db_path, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
    with pytest.raises(Exception, match="audit refused"):
        sv.registration.register(actors["clerk"], reg(person("王芳", phone="13900139000")))
    with pytest.raises(Exception, match="audit refused"):  # the full numbers are not returned either
        sv.search.visits_on(actors["supervisor"], local_today(), reveal_reason="复核重复来访")
    assert _counts(db_path) == before  # no visit, person, matter, outbox entry: nothing happened


def test_a_failing_chain_head_stops_the_write_too(sv, actors, db_path, monkeypatch) -> None:
    from xinfang_desk.persistence import audit_chain

    before = _counts(db_path)

    def broken(*a, **k):
        raise OSError("disk I/O error")

    monkeypatch.setattr(audit_chain, "record_hash", broken)
    with pytest.raises(OSError):
        sv.registration.register(actors["clerk"], reg(person("王芳")))
    assert _counts(db_path) == before


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("visits", "people", "matters", "outbox", "audit_events")}
    finally:
        con.close()


def test_unmasked_reads_need_a_reason_and_are_audited(sv, actors, db_path, monkeypatch, capsys) -> None:
    res = sv.registration.register(actors["clerk"], reg(person("王芳", id_number=VALID_ID, phone=PHONE)))
    sup = actors["supervisor"]
    # without a reason even a supervisor sees the masked form, and nothing is recorded as revealed
    row = sv.search.visits_on(sup, local_today())[0]
    assert row.people[0]["id_number"] != VALID_ID and "*" in row.people[0]["id_number"]
    hit = sv.search.search_people(sup, "王芳")[0]
    assert hit.id_number is None and hit.phone is None
    assert _reveals(db_path) == []
    # with a reason: the full number, and an audit record naming who, why and whose data
    row = sv.search.visits_on(sup, local_today(), reveal_reason="核对身份证号")[0]
    assert row.people[0]["id_number"] == VALID_ID
    full = sv.search.reveal_person(sup, res.person_ids[0], "来访人当面核对")
    assert full.id_number == VALID_ID and full.phone == PHONE  # as dialled at home
    reveals = _reveals(db_path)
    assert [(r["username"], r["detail"]["reason"]) for r in reveals] == [
        ("supervisor", "核对身份证号"), ("supervisor", "来访人当面核对")]
    assert res.person_ids[0] in reveals[0]["detail"]["people"] and reveals[1]["entity_id"] == res.person_ids[0]
    # the CLI: --reveal-reason, audited the same way
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["supervisor"])
    capsys.readouterr()
    assert cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "supervisor", "visits", "--json",
                     "--reveal-reason", "信访复查"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["people"][0]["id_number"] == VALID_ID
    assert _reveals(db_path)[-1]["detail"]["reason"] == "信访复查"
    # a clerk may not reveal, with or without a reason; a blank reason is refused with the field named
    with pytest.raises(PermissionDenied):
        sv.search.reveal_person(actors["clerk"], res.person_ids[0], "想看看")
    with pytest.raises(ValidationFailed) as e:
        sv.search.reveal_person(sup, res.person_ids[0], "   ")
    assert e.value.problems[0].field == "reason"


def _reveals(path: Path) -> list[dict]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM audit_events WHERE action = 'pii.reveal' ORDER BY chain_seq")]
    con.close()
    for r in rows:
        r["detail"] = json.loads(r["detail"])
    return rows


def test_purge_refuses_anything_younger_than_six_months(tmp_path, monkeypatch, capsys) -> None:
    from xinfang_desk.persistence import recording  # audit() stamps `at` with its utcnow
    from xinfang_desk.services.container import Services

    db_path = tmp_path / "old.sqlite3"
    today = local_today()
    real = recording.utcnow
    monkeypatch.setattr(recording, "utcnow", lambda: dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    sv = Services.open(f"sqlite:///{db_path}", WINDOW)
    try:
        sv.auth.setup_first_admin("admin", "王敏", PASSWORDS["admin"])  # a window that has worked for a year
        admin = sv.auth.login("admin", PASSWORDS["admin"])
        add_user(sv, admin, "supervisor", "陈主任", "supervisor", PASSWORDS["supervisor"])
        add_user(sv, admin, "clerk", "李娜", "clerk", PASSWORDS["clerk"])
        actors = {"admin": admin, "clerk": sv.auth.login("clerk", PASSWORDS["clerk"]),
                  "supervisor": sv.auth.login("supervisor", PASSWORDS["supervisor"])}
        _fill(sv, actors, 3)
        old_records = len(_positions(db_path))
        monkeypatch.setattr(recording, "utcnow", real)
        _fill(sv, actors, 2)
        n_before = len(_positions(db_path))
        # the day after the latest allowed date is refused, naming the field and the date; nothing is removed
        too_young = latest_purge_date(today) + dt.timedelta(days=1)
        with pytest.raises(ValidationFailed) as e:
            sv.audit_log.purge(admin, too_young)
        assert e.value.problems[0].field == "before" and latest_purge_date(today).isoformat() in e.value.message()
        monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["admin"])
        rc = cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--lang", "en", "--user", "admin",
                       "audit", "purge", "--before", today.isoformat()])
        assert rc == 2 and "six months" in capsys.readouterr().err
        assert len(_positions(db_path)) >= n_before
        with pytest.raises(PermissionDenied):
            sv.audit_log.purge(actors["supervisor"], latest_purge_date(today))
        # six months back is allowed: the year-old records go, the chain still verifies from the purge record on
        res = sv.audit_log.purge(admin, latest_purge_date(today))
        assert res.removed == res.purged_through == old_records
        rep = sv.audit_log.verify(actors["supervisor"])[0]
        assert rep.intact and rep.first_position == res.purged_through + 1
        # …and removing the record right after the purge point is still caught
        _sql(db_path, "DELETE FROM audit_events WHERE window_code = ? AND chain_seq = ?", WINDOW,
             res.purged_through + 1)
        rep = sv.audit_log.verify(actors["supervisor"])[0]
        assert not rep.intact and rep.findings[0].kind == "deleted"
    finally:
        sv.close()


def test_purge_refuses_a_broken_chain(sv, actors, db_path) -> None:
    _fill(sv, actors, 2)
    _sql(db_path, "UPDATE audit_events SET action = 'x' WHERE window_code = ? AND chain_seq = 2", WINDOW)
    with pytest.raises(ValidationFailed):
        sv.audit_log.purge(actors["admin"], latest_purge_date(local_today()))
    assert len(_positions(db_path)) >= 2


def test_supervisor_lists_filters_and_exports_the_trail(sv, actors, db_path, tmp_path, monkeypatch, capsys) -> None:
    _fill(sv, actors, 3)
    sup = actors["supervisor"]
    regs = sv.audit_log.list(sup, AuditFilter(action="visit.register", username="clerk"))
    assert len(regs) == 3 and {r.username for r in regs} == {"clerk"}
    logins = sv.audit_log.list(sup, AuditFilter(action="auth."))
    assert logins and all(r.action.startswith("auth.") for r in logins)
    tomorrow = local_today() + dt.timedelta(days=1)
    assert sv.audit_log.list(sup, AuditFilter(date_from=tomorrow)) == []
    with pytest.raises(PermissionDenied):
        sv.audit_log.list(actors["clerk"])
    out = tmp_path / "audit.csv"
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["supervisor"])
    rc = cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "supervisor", "audit", "list",
                   "--action", "visit.register", "--csv", str(out)])
    assert rc == 0
    assert out.stat().st_mode & 0o777 == 0o600
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:5] == ["time", "window", "position", "user", "action"] and len(rows) == 4
    assert {r[4] for r in rows[1:]} == {"visit.register"}
    # listing and exporting are themselves in the trail
    acts = [r.action for r in sv.audit_log.list(sup, AuditFilter(action="audit."))]
    assert "audit.export" in acts and "audit.list" in acts
    capsys.readouterr()
    rc = cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "supervisor", "audit", "list",
                   "--json", "--by", "clerk", "--action", "visit.register"])
    assert rc == 0 and len(json.loads(capsys.readouterr().out)) == 3
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", PASSWORDS["clerk"])
    assert cli.main(["--db", f"sqlite:///{db_path}", "--window", WINDOW, "--user", "clerk", "audit", "list"]) == 3


def test_migration_chains_the_records_of_an_older_database(tmp_path, capsys, monkeypatch) -> None:
    """A database written before the chain (schema 0003) is upgraded: its audit records are chained per window in
    time order, and the log verifies; new records continue the chain."""
    from alembic import command

    from xinfang_desk.persistence import safety
    from xinfang_desk.persistence.db import alembic_config, make_engine
    from xinfang_desk.services.container import Services

    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        safety.mark_created(conn)  # an old database this application made (first-admin set-up is allowed on it)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003_channels_notices")
    engine.dispose()
    con = sqlite3.connect(path)
    with con:
        for i, (w, at) in enumerate([("BN03", "2026-01-02T01:00:00.000000+00:00"), ("BN01", "2026-01-02T02:00:00.000000+00:00"),
                                     ("BN03", "2026-01-01T01:00:00.000000+00:00"), ("BN03", "2026-01-03T01:00:00.000000+00:00")]):
            con.execute("INSERT INTO audit_events (id, at, window_code, operator_id, username, action, entity, entity_id, "
                        "success, detail) VALUES (?, ?, ?, NULL, 'old', 'auth.login', 'users', NULL, 1, ?)",
                        (f"0000000{i}-0000-7000-8000-000000000000", at, w, json.dumps({"n": i})))
    con.close()
    sv = Services.open(url, WINDOW)
    try:
        sv.auth.setup_first_admin("admin", "王敏", PASSWORDS["admin"])
        admin = sv.auth.login("admin", PASSWORDS["admin"])
        reports = {r.window_code: r for r in sv.audit_log.verify(admin, all_windows=True)}
    finally:
        sv.close()
    assert reports["BN03"].intact and reports["BN01"].intact
    con = sqlite3.connect(path)
    rows = con.execute("SELECT chain_seq, at FROM audit_events WHERE window_code = 'BN03' ORDER BY chain_seq").fetchall()
    con.close()
    assert [s for s, _ in rows] == list(range(1, len(rows) + 1))
    assert [a for _, a in rows[:3]] == sorted(a for _, a in rows[:3])  # the old records first, oldest first
