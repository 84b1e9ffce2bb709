"""A push batch that mixes new rows with edits (a returning visitor's new phone) is taken in one statement by the
centre (c0007_syncperf) and ends exactly as change by change would: every edit of the version the centre holds
is applied, in order, also when the row was made earlier in the same batch; an edit of an outdated version is
still a conflict for a supervisor, and the rest of its batch still arrives."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from xinfang_desk.persistence.models import Person
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
from xinfang_desk.sync.engine import open_issues, sync_once

pytestmark = [pytest.mark.pg]
SHARED, OWN = "11010519491231002X", "110105198001010016"


def _visit(w, id_number: str, phone: str) -> None:
    w.services.registration.register(w.clerk, RegistrationInput(
        people=(PersonInput(name="王𠮷䶮", id_number=id_number, phone=phone, address="某区某路 1 号"),),
        matter=MatterInput(kind="intake.wrong_level", summary="反映问题")))


def _person(w, id_number: str) -> Person:
    with w.db.session() as s:
        return s.scalar(select(Person).where(Person.id_number == id_number))


def _central_version(central, person: Person) -> tuple[int, int]:
    """(version in entity_versions, version of the newest applied log row of that person)"""
    return (central.scalar("SELECT version FROM central.entity_versions WHERE entity = 'people' AND entity_id = %s",
                           person.id),
            central.scalar("SELECT version FROM central.central_changes WHERE entity = 'people' AND entity_id = %s "
                           "AND status = 'applied' ORDER BY gseq DESC LIMIT 1", person.id))


def test_edits_chained_on_a_new_row_in_one_batch_all_arrive_in_order(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    _visit(a, OWN, "13800138000")  # a new visitor, then the same visitor twice more with a new phone: v1, v2, v3
    _visit(a, OWN, "13900139000")
    _visit(a, OWN, "13700137000")
    assert _person(a, OWN).version == 3
    ra = sync_once(a.db, "BN01", a.url)
    assert ra.ok and ra.pushed == ra.applied and ra.conflicts == ra.quarantined == 0
    assert _central_version(central, _person(a, OWN)) == (3, 3)
    assert central.scalar("SELECT count(*) FROM central.conflicts") == 0
    rb = sync_once(b.db, "BN02", b.url)
    assert rb.ok and rb.apply_failed == 0
    pb = _person(b, OWN)
    assert pb.version == 3 and pb.phone.endswith("13700137000")


def test_an_outdated_edit_in_a_mixed_batch_is_a_conflict_and_the_rest_arrives(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    _visit(a, SHARED, "13800138000")
    assert sync_once(a.db, "BN01", a.url).ok and sync_once(b.db, "BN02", b.url).ok
    _visit(a, SHARED, "13900139000")  # a edits the shared visitor first (v2 at the centre)
    assert sync_once(a.db, "BN01", a.url).ok
    _visit(b, OWN, "13600136000")  # offline, b makes a new visitor and edits it, and edits the shared one from v1
    _visit(b, OWN, "13500135000")
    _visit(b, SHARED, "13700137000")
    rb = sync_once(b.db, "BN02", b.url)
    assert rb.ok and rb.conflicts == 1 and rb.quarantined == 0
    assert rb.applied == rb.pushed - 1
    [issue] = open_issues(b.db)
    assert issue.kind == "conflict" and issue.entity == "people" and issue.entity_id == _person(b, SHARED).id
    assert _central_version(central, _person(b, OWN)) == (2, 2)  # b's own visitor arrived with its edit
    assert _central_version(central, _person(a, SHARED)) == (2, 2)  # the centre kept a's edit until a decision
    ra = sync_once(a.db, "BN01", a.url)
    assert ra.ok and ra.apply_failed == 0
    assert _person(a, OWN).phone.endswith("13500135000") and _person(a, SHARED).phone.endswith("13900139000")
