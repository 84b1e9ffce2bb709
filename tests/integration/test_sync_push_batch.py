"""The push's batch encoding (array literals built by SQLite) and the cheaper CHECKs of c0003_lean_push change
nothing the centre sees: the same values, the same digests, the same accepted and refused change ids."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from psycopg.rows import namedtuple_row
from sqlalchemy import update

from xinfang_desk.domain.ids import new_id
from xinfang_desk.persistence.models import OutboxEntry
from xinfang_desk.sync import engine
from xinfang_desk.sync.central import connect
from xinfang_desk.sync.engine import SUBMIT_SQL, SyncOptions, _arrays, _read_batch, _Tally, push

pytestmark = [pytest.mark.pg]
MIGRATION = (Path(engine.__file__).resolve().parent / "central_migrations" / "versions" / "c0003_lean_push.py")
NASTY = ['a"b', "back\\slash", '\\"', "NULL", "null", "", " lead", "trail ", "{x,y}", "comma,here", "new\nline",
         "中文字符", "😀", "\t", "it's", "\\\\n", "}{", '"', "\\"]


def _fill(w, n: int) -> None:
    with w.db.transaction() as s:
        for i in range(n):
            t = NASTY[i % len(NASTY)]
            eid = new_id()
            s.add(OutboxEntry(change_id=new_id(), window_code=w.code, operator_id=None if i % 3 == 0 else t,
                              entity="visits", entity_id=eid, op="insert",
                              payload={"id": eid, "window_code": w.code, "note": t, "list": [t, i, None], t: t}))


def test_literal_batch_equals_the_arrays_and_resends_are_duplicates(central, window_factory):
    w = window_factory("BN01")
    _fill(w, 3 * len(NASTY))
    with w.db.session() as s:
        rows = list(s.execute(engine.OUTBOX_UNSENT_AFTER, {"after": 0, "n": 1000}).all())
    batch = _read_batch(w.db, 0, 1000)
    assert batch is not None and batch.rows is None  # the SQLite-built path, not the fallback
    assert (batch.lo, batch.hi, batch.n) == (rows[0].seq, rows[-1].seq, len(rows))
    arrays = _arrays(rows)
    types = ["text", "bigint", "text", "text", "text", "text", "integer", "text", "text"]
    with connect(central.admin_url) as conn:
        for lit, arr, t in zip(batch.params, arrays, types, strict=True):
            assert conn.execute(f"SELECT %s::{t}[] IS NOT DISTINCT FROM %b::{t}[]", (lit, arr)).fetchone()[0], t
    # first through the old encoding (binary arrays), then everything again through the new one: all duplicates
    with connect(w.url) as conn:
        assert conn.execute(SUBMIT_SQL, arrays).fetchall() == []
        conn.commit()
    tally = _Tally()
    with connect(w.url) as conn:
        conn.row_factory = namedtuple_row  # type: ignore[assignment]
        push(w.db, conn, SyncOptions(push_batch=7), tally)
    assert tally.pushed == len(rows) and tally.duplicates == len(rows) and tally.quarantined == 0
    with w.db.transaction() as s:
        s.execute(update(OutboxEntry).values(sent_at=None))
    tally = _Tally()
    with connect(w.url) as conn:
        conn.row_factory = namedtuple_row  # type: ignore[assignment]
        push(w.db, conn, SyncOptions(push_batch=1000), tally)
    assert tally.duplicates == len(rows) and tally.quarantined == 0
    assert central.scalar("SELECT count(*) FROM central.central_changes") == len(rows)
    assert central.scalar("SELECT count(*) FROM central.quarantine") == 0


def _migration():
    spec = importlib.util.spec_from_file_location("c0003_lean_push", MIGRATION)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cheaper_checks_accept_exactly_what_the_regexes_accept(central):
    m = _migration()
    rng = random.Random(20261128)
    base = "01a21cad-6978-7ca7-8da6-2be2682f92fd"
    cids = [base, base.upper(), base + "\n", "{" + base + "}", base.replace("-", "")]
    for _ in range(20000):
        s = list(base[:rng.choice([35, 36, 36, 37])].ljust(36, "a"))
        for _ in range(rng.randint(0, 3)):
            s[rng.randrange(len(s))] = rng.choice("0123456789abcdef-Agé\n ")
        cids.append("".join(s))
    ents = ["visits", "_x", "a" * 63, "a" * 64, "9a", "", "Visits", "a-b", "a\n", "äb", "a9_", "_" * 63, "x" + "9" * 62]
    for _ in range(5000):
        ents.append("".join(rng.choice("az09_A-") for _ in range(rng.choice([1, 2, 5, 62, 63, 64]))))
    with connect(central.admin_url) as conn:
        bad = conn.execute(
            f"SELECT count(*) FILTER (WHERE ({m.CID_OLD}) IS DISTINCT FROM ({m.CID_NEW})), "
            f"count(*) FILTER (WHERE {m.CID_OLD}) FROM unnest(%s::text[]) AS c(change_id)", (cids,)).fetchone()
        assert bad[0] == 0 and bad[1] > 100
        bad = conn.execute(
            f"SELECT count(*) FILTER (WHERE ({m.ENT_OLD}) IS DISTINCT FROM ({m.ENT_NEW})), "
            f"count(*) FILTER (WHERE {m.ENT_OLD}) FROM unnest(%s::text[]) AS e(entity)", (ents,)).fetchone()
        assert bad[0] == 0 and bad[1] > 100
        defs = dict(conn.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                 "WHERE conrelid = 'central.central_changes'::regclass").fetchall())
    assert "strpos(change_id" in defs["central_changes_change_id_check"]  # the same names, the new expressions
    assert "length(entity) <= 63" in defs["central_changes_entity_check"]
