"""Two windows edit the same visitor: a conflict a supervisor resolves, never last-writer-wins.
Reference data flows from the centre. Signed export/import when the network is down."""

from __future__ import annotations

import base64
import json

import pytest
from sessions import ADMIN_PASSWORD, SUPERVISOR_PASSWORD, add_user  # tests/ is on sys.path (conftest)
from sqlalchemy import select

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.persistence.models import Person, User
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
from xinfang_desk.sync.central import ConflictService, publish_reference
from xinfang_desk.sync.engine import central_reason, open_issues, reason_json, reason_text, sync_once
from xinfang_desk.sync.transfer import SignatureInvalid, export_pending, import_file, new_export_key

pytestmark = [pytest.mark.pg]
RID = "11010519491231002X"


def _visit(w, phone: str) -> None:
    w.services.registration.register(w.clerk, RegistrationInput(
        people=(PersonInput(name="王𠮷䶮", id_number=RID, phone=phone, address="某区某路 1 号"),),
        matter=MatterInput(kind="intake.wrong_level", summary="反映问题")))


def _person(w) -> Person:
    with w.db.session() as s:
        return s.scalar(select(Person).where(Person.id_number == RID))


def test_concurrent_edits_become_a_conflict_a_supervisor_resolves(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    _visit(a, "13800138000")
    assert sync_once(a.db, "BN01", a.url).ok
    assert sync_once(b.db, "BN02", b.url).ok
    assert _person(b).version == 1
    _visit(a, "13900139000")  # both windows correct the phone of the same visitor, offline
    _visit(b, "13700137000")
    assert _person(a).version == _person(b).version == 2
    ra = sync_once(a.db, "BN01", a.url)
    rb = sync_once(b.db, "BN02", b.url)
    assert ra.ok and ra.conflicts == 0
    assert rb.ok and rb.conflicts == 1
    assert _person(b).phone.endswith("13700137000")  # b keeps its own edit until the decision; nothing silently won
    [issue] = open_issues(b.db)  # the reason is stored as a msgid with its parameters, shown translated
    assert issue.kind == "conflict"
    assert json.loads(issue.reason) == {"msgid": "edited version {base} but the centre has version {central}",
                                        "params": {"base": "1", "central": "2"}}
    assert reason_text(issue.reason) == "修改的是第 1 版，但中心已是第 2 版"
    assert reason_text(issue.reason, lambda m: m) == "edited version 1 but the centre has version 2"
    svc = ConflictService(central.admin_url)
    [c] = svc.list_conflicts()
    assert c.window_code == "BN02" and c.base_version == 1 and c.central_version == 2
    assert "phone" in c.differences()
    clerk = a.clerk
    with pytest.raises(PermissionDenied):
        svc.resolve_conflict(clerk, c.id, "window")
    with pytest.raises(PermissionDenied):  # a hand-made supervisor is not a session
        svc.resolve_conflict(Actor("s", "sup", "李主管", "supervisor", "BN01"), c.id, "window")
    sup = add_user(a.services, a.services.auth.login("admin", ADMIN_PASSWORD), "sup", "李主管", "supervisor",
                   SUPERVISOR_PASSWORD)
    svc.resolve_conflict(sup, c.id, "window")
    assert svc.list_conflicts() == []
    assert svc.list_conflicts(None)[0].resolved_by == "sup"
    for w in (a, b):
        assert sync_once(w.db, w.code, w.url).ok
    pa, pb = _person(a), _person(b)
    assert pa.version == pb.version == 3
    assert pa.phone == pb.phone and pa.phone.endswith("13700137000")
    # both edits remain in the central log
    assert central.scalar("SELECT count(*) FROM central.central_changes WHERE entity='people' AND op='update'") == 3
    # events never conflict: all four visits everywhere
    assert a.visit_digest() == b.visit_digest() == central.visit_digest()


def test_reference_data_flows_from_the_centre_only(central, window_factory):
    a, b = window_factory("BN01"), window_factory("BN02")
    assert sync_once(a.db, "BN01", a.url).ok
    assert sync_once(b.db, "BN02", b.url).ok
    with a.db.session() as s:  # b's own users are not fanned out to a (user names are per window until central)
        assert {u.username for u in s.scalars(select(User))} == {"admin", "c1"}
    with a.db.session() as s:
        row = {c.key: getattr(s.scalar(select(User).where(User.username == "c1")), c.key)
               for c in User.__table__.columns}
    row.update(id="01900000-0000-7000-8000-000000000001", username="lawyer1", display_name="赵律师", role="lawyer",
               window_code="CENTRAL", operator_id=None, locked_until=None)
    for k in ("created_at", "updated_at", "password_changed_at"):
        row[k] = row[k].isoformat()
    publish_reference(central.admin_url, "users", [row])
    for w in (a, b):
        r = sync_once(w.db, w.code, w.url)
        assert r.ok and r.pulled >= 1
        with w.db.session() as s:
            assert s.scalar(select(User.display_name).where(User.username == "lawyer1")) == "赵律师"


def test_signed_export_import(central, window_factory, tmp_path):
    w = window_factory("BN01")
    w.register(10)
    key = new_export_key()
    path = tmp_path / "bn01.xfsync"
    n = export_pending(w.db, path, key)
    assert n > 10
    bad = tmp_path / "bad.xfsync"
    doc = json.loads(path.read_text(encoding="utf-8"))
    ct = bytearray(base64.b64decode(doc["ciphertext"]))  # format 2 (issue 11): encrypted; flip one bit
    ct[len(ct) // 2] ^= 1
    doc["ciphertext"] = base64.b64encode(bytes(ct)).decode()
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SignatureInvalid):
        import_file(central.admin_url, bad, key)
    with pytest.raises(SignatureInvalid):
        import_file(central.admin_url, path, new_export_key())
    rep = import_file(central.admin_url, path, key)
    assert rep.applied == n and rep.quarantined == 0
    assert import_file(central.admin_url, path, key).duplicates == n
    r = sync_once(w.db, "BN01", w.url)  # the network is back: the push resends, the centre says duplicate
    assert r.ok and r.duplicates == n and r.pending == 0
    assert central.visit_digest() == w.visit_digest()
    assert central.scalar("SELECT count(*) FROM central.central_changes") == n


def test_sync_reasons_are_stored_translatable_and_old_ones_shown_as_they_are():
    zh = reason_text
    assert zh(central_reason("update of a row the centre does not have")) == "修改的记录在中心不存在"
    assert zh(central_reason("change id reused with a different payload (first received as gseq 42)")) == \
        "变更编号被重复使用但内容不同（首次收到时序号为 42）"
    # a PostgreSQL error message stays as it is, after a translated phrase
    pg_error = "22P05: unsupported Unicode escape sequence"
    assert json.loads(central_reason(pg_error))["params"] == {"error": pg_error}
    assert zh(central_reason(pg_error)) == "中心数据库拒绝了该变更：" + pg_error
    # old plain-text reasons (and anything unknown) are displayed unchanged
    for old in ("edited version 1 but the centre has version 2", "{not json", "{}", "", "某个原因"):
        assert zh(old) == old
    assert central_reason("something new from the centre") == "something new from the centre"
    assert zh(reason_json("Could not apply the centre's change here: {error}", error="IntegrityError: x")) == \
        "中心的变更无法在本窗口应用：IntegrityError: x"
    assert zh(reason_json("Could not apply the centre's change here: {error}")) == \
        "Could not apply the centre's change here: {error}"  # a parameter missing: the msgid, never a crash
