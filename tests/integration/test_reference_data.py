"""Admin-edited reference data: the organ directory printed on notices and the holiday calendar used for
deadlines. Only an administrator may change them; changes are audited and take effect for new work."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.integration.conftest_reg import run_cli
from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.persistence.models import AuditEvent
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

pytest_plugins = ["tests.integration.conftest_reg"]


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def test_admin_edits_organ_and_the_next_notice_prints_it(sv, clerk: Actor, actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        sv.reference.update_organ(clerk, "labour_arbitration", phone="028-00000000")
    sv.reference.update_organ(actors["admin"], "labour_arbitration", address="青溪区人民路88号", phone="028-87654321",
                              confirmed=True)
    organ = next(o for o in sv.reference.organs() if o.key == "labour_arbitration")
    assert (organ.address, organ.phone, organ.confirmed, organ.version) == ("青溪区人民路88号", "028-87654321", True, 2)
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("黄九"),), MatterInput("labour.dispute", "被辞退", "补偿", "某公司", {"act_known_on": "2026-06-01"})))
    text = _flat(sv.notices.print_notice(clerk, res.query_code, copy="visitor").pdf)
    assert "青溪区人民路88号" in text and "028-87654321" in text
    with sv.db.session() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "organ.update", AuditEvent.success.is_(True)))


def test_organ_fields_are_validated(sv, actors: dict[str, Actor]) -> None:
    with pytest.raises(ValidationFailed) as e:
        sv.reference.update_organ(actors["admin"], "labour_arbitration", name="")
    assert e.value.problems[0].field == "name"


def test_imported_year_makes_deadlines_certain_and_moves_them(sv, clerk: Actor, actors: dict[str, Actor]) -> None:
    facts = {"act_known_on": "2026-11-20", "act_type": "other", "respondent_level": "district_dept",
             "rights_notice_given": True, "act_made_on": "2026-11-20"}
    before = sv.classification.propose(clerk, dt.date(2026, 11, 27), 1, "admin.act", facts)

    def reconsideration(result: dict) -> dict:
        return next(d for ch in result["channels"] for d in ch["deadlines"] if d["period"] == "60d")

    d0 = reconsideration(before)
    assert d0["last_day"] == "2027-01-19" and d0["calendar_certain"] is False
    year = {"year": 2027, "source": "test schedule",
            "holidays": [{"name": "测试假日", "from": "2027-01-19", "to": "2027-01-20"}], "workdays": []}
    with pytest.raises(PermissionDenied):
        sv.reference.import_calendar_year(clerk, year)
    assert sv.reference.import_calendar_year(actors["admin"], year) == 2027
    d1 = reconsideration(sv.classification.propose(clerk, dt.date(2026, 11, 27), 1, "admin.act", facts))
    assert d1["calendar_certain"] is True and d1["last_day"] == "2027-01-21"  # moved past the rest days (民法典 203)


def test_bad_calendar_year_is_refused(sv, actors: dict[str, Actor]) -> None:
    with pytest.raises(ValidationFailed):
        sv.reference.import_calendar_year(actors["admin"], {"year": 2027, "holidays": [{"name": "x", "from": "2027-02-10",
                                                                                       "to": "2027-01-01"}]})


def test_cli_admin_commands_need_an_admin_login(db_url: str, tmp_path) -> None:
    r = run_cli(db_url, "organs", "update", "labour_arbitration", "--phone", "028-1", user=None)
    assert r.code == 3 and "--user" in r.err
    r = run_cli(db_url, "--user", "clerk", "organs", "update", "labour_arbitration", "--phone", "028-1",
                XINFANG_DESK_PASSWORD="Clerk2026x")
    assert r.code == 3
    f = tmp_path / "2027.json"
    f.write_text(json.dumps({"year": 2027, "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                             "workdays": []}), encoding="utf-8")
    r = run_cli(db_url, "--user", "admin", "calendar", "import", "--json", str(f), XINFANG_DESK_PASSWORD="Admin2026x")
    assert r.code == 0, r.err
    assert 2027 in r.json()["years"]
    r = run_cli(db_url, "organs")
    assert r.code == 0 and any(o["key"] == "labour_arbitration" for o in r.json())
