"""The permission table (role × action) is in one place, `services.context.PERMISSIONS`, and it is what the
services enforce: every cell is checked here against the specification below, and every action with a service
entry point is exercised through that service for every role (allowed: no PermissionDenied; refused:
PermissionDenied and an audited `permission.denied`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from xinfang_desk.domain.errors import DomainError, PermissionDenied
from xinfang_desk.services.context import ALL_ROLES, PERMISSIONS, local_today

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import person, reg  # noqa: E402

# The specification (README "Security": the permission table). c=clerk l=lawyer s=supervisor a=admin u=automation
SPEC: dict[str, str] = {
    "register visits": "c s u",
    "search visitors": "c l s",
    "view visits": "c l s",
    "view unmasked ID numbers and phones": "s",
    "classify matters": "c s",
    "override a classification": "c s",
    "print notices": "c s",
    "view the audit trail": "s a",
    "print daily logs and statistics": "s",
    "resolve sync conflicts": "s",
    "manage users": "a",
    "manage windows, organs and settings": "a",
    "manage the central database": "a",
    "export pending changes to a file": "s",
    "load demo data": "a",
    "run the sync": "c l s a u",
    # sessions (issue 9)
    "view sessions": "c l s a",
    "plan sessions": "s a",
    "manage session staff": "a",
    "book visitors into sessions": "c s",
    "record legal advice": "l s",
    "edit anyone's legal advice": "s",
    # resilience (issue 12)
    "see the backup status": "s a",
    # tamper-evident audit (issue 11, item 4)
    "purge old audit records": "a",
    # matter progress (issue 10)
    "record matter progress": "c s",
    "look up matter progress": "c s",
}
LETTER = {"c": "clerk", "l": "lawyer", "s": "supervisor", "a": "admin", "u": "automation"}


def test_the_table_is_the_specification_cell_by_cell() -> None:
    assert set(PERMISSIONS) == set(SPEC)
    cells = []
    for action, letters in SPEC.items():
        allowed = {LETTER[x] for x in letters.split()}
        for role in ALL_ROLES:
            cells.append((action, role, role in allowed, role in PERMISSIONS[action]))
    wrong = [(a, r, want, got) for a, r, want, got in cells if want != got]
    assert wrong == []
    assert len(cells) == len(SPEC) * 5


@pytest.fixture
def sessions(sv, actors) -> dict[str, Any]:
    out = {r: actors[r] for r in ("clerk", "lawyer", "supervisor", "admin")}
    _name, secret = sv.auth.create_automation(actors["admin"], "BN03")
    out["automation"] = sv.auth.login_automation(secret)
    return out


def _calls(sv, visit) -> dict[str, Any]:
    """action -> a call through the service that needs exactly that permission."""
    from xinfang_desk.services.classification import Override
    from xinfang_desk.sync.engine import acknowledge_issue

    n = iter(range(1000))
    return {
        "register visits": lambda a: sv.registration.register(a, reg(person(f"王芳{'一二三四五'[next(n) % 5]}"))),
        "search visitors": lambda a: sv.search.search_people(a, "王"),
        "view visits": lambda a: sv.search.visits_on(a, local_today()),
        "classify matters": lambda a: sv.classification.propose(a, local_today(), 1, "suggestion", {}),
        "override a classification": lambda a: sv.classification.reclassify(
            a, visit.visit_id, Override("transfer", "hrss_bureau", "当事人已申请仲裁，被驳回后要求转送人社局")),
        "print notices": lambda a: sv.notices.print_notice(a, visit.visit_id, "visitor"),
        "manage users": lambda a: sv.auth.list_users(a),
        "manage windows, organs and settings": lambda a: sv.reference.update_organ(
            a, sv.reference.organs()[0].key, hours="周一至周五"),
        "resolve sync conflicts": lambda a: acknowledge_issue(sv.db, a, "no-such-issue", "已处理"),
        "view sessions": lambda a: sv.scheduling.list_sessions(a, local_today(), local_today()),
        "plan sessions": lambda a: sv.scheduling.apply_plan(a, [], []),
        "manage session staff": lambda a: sv.scheduling.link_user(a, "no-such-person", "nobody"),
        "book visitors into sessions": lambda a: sv.scheduling.book(a, visit.query_code, "no-such-session"),
        "see the backup status": lambda a: sv.maintenance.last_backup(a),
        "look up matter progress": lambda a: sv.progress.lookup(a, query_code=visit.query_code),
    }


def test_every_role_through_the_services(sv, sessions, clerk, db_path: Path) -> None:
    visit = sv.registration.register(clerk, reg(person("李四")))
    calls = _calls(sv, visit)
    problems = []
    for action, call in calls.items():
        for role, actor in sessions.items():
            allowed = role in PERMISSIONS[action]
            try:
                call(actor)
                refused = False
            except PermissionDenied:
                refused = True
            except DomainError:  # e.g. NotFound for the made-up issue: the permission check passed
                refused = False
            if refused == allowed:
                problems.append(f"{role} × {action}: {'refused' if refused else 'allowed'}")
    assert problems == []
    con = sqlite3.connect(db_path)
    denied = {(r[0], r[1]) for r in con.execute(
        "SELECT username, json_extract(detail, '$.permission') FROM audit_events WHERE action = 'permission.denied'")}
    con.close()
    first = {"override a classification": "classify matters"}  # reclassify checks that one first
    expected = {(sessions[r].username, a if r in PERMISSIONS[first.get(a, a)] else first.get(a, a))
                for a in calls for r in sessions if r not in PERMISSIONS[a]}
    assert expected <= denied


def test_unmasked_only_for_the_supervisor(sv, sessions, clerk) -> None:
    from tests.naughty import VALID_ID

    sv.registration.register(clerk, reg(person("王芳", id_number=VALID_ID, phone="13800138000")))
    # a supervisor sees the full number only with a reason (audited); without one, masked like everyone else
    assert sv.search.search_people(sessions["supervisor"], VALID_ID, reveal_reason="核对身份")[0].id_number == VALID_ID
    assert sv.search.search_people(sessions["supervisor"], VALID_ID)[0].id_number is None
    for role in ("clerk", "lawyer"):
        hit = sv.search.search_people(sessions[role], VALID_ID, reveal_reason="核对身份")[0]
        assert hit.id_number is None and hit.id_masked == "110105********002X"
