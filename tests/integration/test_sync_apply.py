"""A pulled batch is applied table by table (one statement per table), yet the window ends up exactly as if each
change had been applied on its own in log order: versions only go up, an event already held stays as it is,
and a change the window refuses becomes a sync issue while the rest of the batch lands."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import namedtuple
from pathlib import Path

import pytest

from xinfang_desk.persistence.db import Database
from xinfang_desk.sync.engine import _apply_single_guarded, _table, _Tally, apply_pulled, open_issues

Change = namedtuple("Change", "gseq change_id window_code entity entity_id op version payload")
TABLES = ("people", "visits", "visit_people", "matters")
T0 = "2026-11-28T02:03:04.123456+00:00"


def _person(pid: str, version: int, phone: str) -> dict:
    return {"id": pid, "name": "王𠮷䶮", "name_key": "王𠮷䶮", "name_pinyin": "wangjiyan", "name_initials": "wjy",
            "id_number": "11010519491231002X", "gender": "F", "birth_date": "1949-12-31", "phone": phone,
            "address": "某区某路 1 号", "version": version, "updated_at": T0, "window_code": "BN01",
            "operator_id": None, "created_at": T0}


def _changes(with_refused: bool) -> list[Change]:
    p, q = "01a00000-0000-7000-8000-00000000000a", "01a00000-0000-7000-8000-00000000000b"
    v, m = "01a00000-0000-7000-8000-0000000000a1", "01a00000-0000-7000-8000-0000000000b1"
    visit = {"id": v, "query_code": "BN01-20261128-0001", "received_at": T0, "received_on": "2026-11-28",
             "channel": "visit", "group_size": 1, "group_name": "", "corrects_id": None, "window_code": "BN01",
             "operator_id": None, "created_at": T0}
    rows = [
        ("people", "insert", _person(p, 1, "+8613800138000")),
        ("visits", "insert", visit),
        ("visit_people", "insert", {"id": "01a00000-0000-7000-8000-0000000000c1", "visit_id": v, "person_id": p,
                                    "role": "visitor", "position": 0}),
        ("matters", "insert", {"id": m, "visit_id": v, "kind": "civil.dispute", "facts": {"b": 1, "a": "邻里"},
                               "summary": "反映问题", "demands": "", "respondent": "", "repeat_key": "k" * 32,
                               "repeat_of_visit_id": None, "status": "registered", "window_code": "BN01",
                               "operator_id": None, "created_at": T0}),
        ("people", "update", _person(p, 2, "+8613900139000")),  # a newer version replaces it
        ("people", "update", _person(p, 2, "+8613700137000")),  # the same version again: stale, not applied
        ("visits", "insert", {**visit, "group_name": "changed"}),  # an event already held: left as it is
        ("people", "update", _person(q, 3, "+8613600136000")),  # an update of a row not held here: inserted
    ]
    if with_refused:  # refers to a person this window does not have: refused by the foreign key
        rows.insert(5, ("visit_people", "insert", {"id": "01a00000-0000-7000-8000-0000000000c2", "visit_id": v,
                                                   "person_id": "01a00000-0000-7000-8000-0000000000ff",
                                                   "role": "visitor", "position": 1}))
    return [Change(i + 1, f"01a00000-0000-7000-9000-{i + 1:012d}", "BN01", ent, pl["id"], op, pl.get("version"),
                   json.dumps(pl, ensure_ascii=False)) for i, (ent, op, pl) in enumerate(rows)]


def _rows(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(str(path))
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        con.close()


@pytest.mark.parametrize("with_refused", [False, True])
def test_a_batch_lands_as_if_applied_change_by_change(tmp_path, with_refused) -> None:
    changes = _changes(with_refused)
    batch, single = Database(f"sqlite:///{tmp_path}/batch.sqlite3"), Database(f"sqlite:///{tmp_path}/single.sqlite3")
    got, want = _Tally(), _Tally()
    with batch.transaction() as s:
        apply_pulled(s, changes, "BN03", got, dt.datetime.now(dt.UTC))
    with single.transaction() as s:
        for ch in changes:
            info = _table(ch.entity)
            _apply_single_guarded(s, info, ch, info.row(json.loads(ch.payload)), want, dt.datetime.now(dt.UTC))
    assert _rows(tmp_path / "batch.sqlite3") == _rows(tmp_path / "single.sqlite3")
    assert (got.pulled, got.skipped_stale, got.apply_failed) == (want.pulled, want.skipped_stale, want.apply_failed)

    rows = _rows(tmp_path / "batch.sqlite3")
    people = {r[0]: r for r in rows["people"]}
    assert len(people) == 2 and len(rows["visits"]) == 1 and len(rows["visit_people"]) == 1
    [p] = [r for r in people.values() if "+8613900139000" in r]  # version 2's phone, not the stale one
    assert "+8613700137000" not in p
    assert "changed" not in rows["visits"][0]
    assert '{"a":"邻里","b":1}' in rows["matters"][0]  # JSON stored canonically, as the window writes it
    assert got.skipped_stale == 1
    issues = open_issues(batch)
    if with_refused:
        assert got.apply_failed == 1 and got.pulled == len(changes) - 2
        [issue] = issues
        assert issue.kind == "apply_failed" and issue.entity == "visit_people" and issue.gseq == 6
    else:
        assert got.apply_failed == 0 and got.pulled == len(changes) - 1 and issues == []
    batch.dispose()
    single.dispose()
