"""The audit chain head goes to the centre with each sync (central c0005_audit_chain); a local log rewritten or cut
below a head the centre has seen is flagged there and in the window's sync report, even when the attacker also
fixed the local head."""

from __future__ import annotations

import json
import sqlite3

import psycopg
import pytest

from tests.sessions import ADMIN_PASSWORD
from xinfang_desk.sync.config import conninfo_params
from xinfang_desk.sync.engine import sync_once


def _db_file(w) -> str:
    return w.db.engine.url.database


def test_the_chain_head_goes_to_the_centre_with_each_sync(central, window_factory):
    w = window_factory("BN01")
    w.register(3)
    r = sync_once(w.db, "BN01", w.url)
    assert r.ok and not r.warnings, (r.errors, r.warnings)
    con = sqlite3.connect(_db_file(w))
    seq, h = con.execute("SELECT seq, hash FROM audit_chain_heads WHERE window_code = 'BN01'").fetchone()
    con.close()
    assert central.rows("SELECT window_code, seq, hash, status FROM central.audit_heads") == [("BN01", seq, h, "ok")]
    w.register(1)
    assert sync_once(w.db, "BN01", w.url).ok
    heads = central.rows("SELECT seq, status FROM central.audit_heads WHERE window_code = 'BN01' ORDER BY id")
    assert len(heads) == 2 and heads[1][0] > heads[0][0] and {s for _, s in heads} == {"ok"}


def test_a_log_cut_below_the_reported_head_is_flagged(central, window_factory):
    w = window_factory("BN01")
    w.register(4)
    assert sync_once(w.db, "BN01", w.url).ok
    reported = central.scalar("SELECT max(seq) FROM central.audit_heads")
    # a careful attacker removes the last five records AND moves the local head back, so that `audit verify`
    # alone sees an intact, shorter chain
    con = sqlite3.connect(_db_file(w))
    with con:
        con.execute("DELETE FROM audit_events WHERE window_code = 'BN01' AND chain_seq > ?", (reported - 5,))
        seq, h = con.execute("SELECT chain_seq, hash FROM audit_events WHERE window_code = 'BN01' "
                             "ORDER BY chain_seq DESC LIMIT 1").fetchone()
        con.execute("UPDATE audit_chain_heads SET seq = ?, hash = ? WHERE window_code = 'BN01'", (seq, h))
    con.close()
    r = sync_once(w.db, "BN01", w.url)
    assert any("audit chain" in x and str(reported) in x for x in r.warnings), r.warnings
    statuses = central.rows("SELECT status FROM central.audit_heads WHERE window_code = 'BN01' ORDER BY id")
    assert statuses[-1] == ("regressed",)


def test_a_window_reports_only_its_own_head(central, window_factory):
    w = window_factory("BN01")
    with psycopg.connect(**conninfo_params(w.url)) as conn:
        for q in ("SELECT * FROM central.audit_heads", "INSERT INTO central.audit_heads (window_code, seq, hash) "
                  "VALUES ('BN02', 1, repeat('a', 64))", "SELECT * FROM central.list_audit_heads()"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(q)
            conn.rollback()
        conn.execute("SELECT * FROM central.report_audit_head(7, repeat('b', 64))")
        conn.commit()
    assert central.rows("SELECT window_code, seq FROM central.audit_heads") == [("BN01", 7)]


def test_verify_against_the_centre_finds_a_consistent_rewrite(central, window_factory, capsys, monkeypatch):
    """The attacker rewrites a record AND recomputes every hash after it AND the head: the local chain is
    consistent again, but `audit verify --central` finds the position the centre was told about."""
    from xinfang_desk import cli
    from xinfang_desk.persistence import audit_chain
    from xinfang_desk.persistence.models import AuditEvent

    w = window_factory("BN01")
    w.register(3)
    assert sync_once(w.db, "BN01", w.url).ok
    reported = central.scalar("SELECT max(seq) FROM central.audit_heads")
    # rewrite position 4 and re-chain everything after it, with the documented algorithm
    with w.db.transaction() as s:
        rows = list(s.query(AuditEvent).filter(AuditEvent.window_code == "BN01").order_by(AuditEvent.chain_seq))
        prev = rows[2].hash
        for r in rows[3:]:
            if r.chain_seq == 4:
                r.username = "someone_else"
            r.prev_hash = prev
            r.hash = audit_chain.record_hash(r)
            prev = r.hash
        head = s.get(audit_chain.AuditChainHead, "BN01")
        head.hash = prev
    assert w.services.audit_log.check().intact  # locally, nothing shows
    monkeypatch.setenv("XINFANG_DESK_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("XINFANG_DESK_CENTRAL_PASSWORD", "window-secret-BN01")
    capsys.readouterr()
    rc = cli.main(["--db", str(w.db.engine.url), "--window", "BN01", "--lang", "en", "--user", "admin", "audit", "verify",
                   "--json", "--central", w.url])
    assert rc == 4
    rep = json.loads(capsys.readouterr().out)[0]
    assert [(f["kind"], f["position"]) for f in rep["findings"]] == [("centre_mismatch", reported)]
