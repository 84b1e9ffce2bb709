"""Schema, roles, push/pull, idempotency, quarantine, conflicts."""

from __future__ import annotations

import psycopg
import pytest

from xinfang_desk.sync.central import ConflictService, central_head, init_central
from xinfang_desk.sync.engine import sync_once

pytestmark = [pytest.mark.pg]


def test_init_is_idempotent_and_roles_are_least_privilege(central, window_factory):
    assert init_central(central.admin_url) == central_head()
    w = window_factory("BN01")
    with psycopg.connect(**__import__("xinfang_desk.sync.config", fromlist=["x"]).conninfo_params(w.url)) as conn:
        for q in ("SELECT * FROM central.central_changes", "INSERT INTO central.meta VALUES ('x','y')",
                  "SELECT * FROM central.list_quarantine(false)",
                  "SELECT * FROM central.import_changes('BN02', '{}','{}','{}','{}','{}','{}','{}','{}','{}')",
                  "CREATE TABLE central.x (a int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(q)
            conn.rollback()


def test_push_pull_between_two_windows(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    a.register(20)
    b.register(10)
    ra = sync_once(a.db, "BN01", a.url)
    assert ra.ok, ra.errors
    rb = sync_once(b.db, "BN02", b.url)
    assert rb.ok, rb.errors
    ra2 = sync_once(a.db, "BN01", a.url)
    assert ra2.ok and ra2.pending == 0
    assert central.visit_digest()[0] == 30
    assert a.visit_digest() == b.visit_digest() == central.visit_digest()
    again = sync_once(a.db, "BN01", a.url)
    assert again.pushed == 0 and again.pulled == 0


def test_lost_reply_after_commit_gives_no_duplicates(central, window_factory):
    w = window_factory("BN01")
    w.register(30)

    def drop(batch_no: int) -> None:
        if batch_no == 2:
            raise ConnectionError("connection reset after the central commit")

    from xinfang_desk.sync.engine import SyncOptions

    r1 = sync_once(w.db, "BN01", w.url, options=SyncOptions(push_batch=40, after_central_commit=drop))
    assert not r1.ok and r1.pending > 0
    r2 = sync_once(w.db, "BN01", w.url, options=SyncOptions(push_batch=40))
    assert r2.ok and r2.pending == 0 and r2.duplicates == 40
    n_changes = central.scalar("SELECT count(*) FROM central.central_changes")
    assert n_changes == central.scalar("SELECT count(DISTINCT change_id) FROM central.central_changes")
    with w.db.session() as s:
        from sqlalchemy import func, select

        from xinfang_desk.persistence.models import OutboxEntry
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == n_changes
    assert central.visit_digest() == w.visit_digest()
    assert central.visit_digest()[0] == 30
    assert ConflictService(central.admin_url).list_quarantine() == []
