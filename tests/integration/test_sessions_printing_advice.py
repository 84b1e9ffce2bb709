"""The visitor's slip (预约单), the docket (接访安排表) and the legal-aid referral, read back from the PDF as text:
masked IDs and phones, Chinese labels, signature lines, embedded fonts. And the lawyer's advice: only its
lawyer and supervisors may edit it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.sessions import add_user
from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.services.advice import AdviceInput
from xinfang_desk.services.context import Actor
from xinfang_desk.services.scheduling import PersonInput, PlanInput

pytest_plugins = ["tests.integration.conftest_reg"]

from tests.integration.conftest_reg import counts, delta, person, reg  # noqa: E402
from tests.naughty import VALID_ID  # noqa: E402

D = dt.date
PEOPLE = [
    PersonInput("lead-wang", "王副区长", "leader", title="副区长"),
    PersonInput("law-liu", "刘律师", "lawyer", organisation="甲律师事务所", specialties=("labour.dispute",), phone="13912345678"),
    PersonInput("law-zhou", "周律师", "lawyer", organisation="乙律师事务所"),
]


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def fonts_embedded(pdf: bytes) -> set[str]:
    seen = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for _n, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            desc = font.get("/FontDescriptor")
            assert desc is not None and "/FontFile2" in desc.get_object(), f"{font['/BaseFont']} is not embedded"
    assert not any("Helvetica" in s for s in seen)
    return seen


@pytest.fixture
def booked(sv, actors, clerk):
    admin = actors["admin"]
    res = sv.scheduling.apply_plan(admin, PEOPLE, [PlanInput(
        "lr", "leader_reception", "09:00", "11:30", 5, D(2027, 1, 4), D(2027, 1, 10), ("lead-wang", "law-liu", "law-zhou"),
        weekdays=(3,))])
    sid = res.created[0].id
    codes = []
    for name, idn, phone in (("张三", VALID_ID, "13800138000"), ("𠮷祥", "", "13700001234")):
        r = sv.registration.register(clerk, reg(person(name, id_number=idn, phone=phone, address="柳城镇"), kind="labour.dispute",
                                                summary="被公司口头辞退，未付经济补偿", respondent="青溪某建材有限公司"))
        sv.scheduling.book(clerk, r.query_code, sid)
        codes.append(r.query_code)
    return sid, codes


def test_slip_shows_session_place_time_what_to_bring_and_masked_id(sv, clerk, booked):
    sid, (code, _c2) = booked
    pdf = sv.scheduling.print_slip(clerk, code)
    t = text_of(pdf)
    for want in ("接访预约单", code, "张三", "110105********002X", "领导公开接访", "2027年1月6日", "星期三", "09:00—11:30",
                 "信访接待大厅", "王副区长", "刘律师", "甲律师事务所", "请携带", "居民身份证", "劳动争议"):
        assert want in t, want
    assert VALID_ID not in t and "13800138000" not in t
    assert "NotoSerifSC" in "".join(fonts_embedded(pdf))


def test_docket_lists_booked_visits_with_masked_identity_channels_and_signature_lines(sv, clerk, actors, booked):
    sid, codes = booked
    pdf = sv.scheduling.print_docket(clerk, sid)
    t = text_of(pdf)
    for want in ("接访安排表", *codes, "张三", "𠮷祥", "110105********002X", "138****8000", "137****1234", "劳动争议",
                 "被公司口头辞退", "09:00", "09:30", "接访领导（签字）", "律师（签字）", "记录人（签字）", "王副区长", "周律师"):
        assert want in t, want
    assert VALID_ID not in t and "13800138000" not in t and "13912345678" not in t
    assert "劳动争议仲裁" in t  # the proposed channel in Chinese, not its code
    assert "labour.dispute" not in t and "leader_reception" not in t
    seen = fonts_embedded(pdf)
    assert any("HanaMin" in s for s in seen)  # 𠮷 beyond the BMP printed with the fallback font
    # a supervisor may see more: the docket then shows the full number
    assert VALID_ID in text_of(sv.scheduling.print_docket(actors["supervisor"], sid))


def _lawyer_actor(sv, actors):
    sv.scheduling.link_user(actors["admin"], "law-liu", "lawyer")
    return actors["lawyer"]


def test_advice_needs_a_linked_lawyer_and_only_its_lawyer_or_a_supervisor_may_edit(sv, actors, booked):
    sid, (code, _c2) = booked
    lawyer = actors["lawyer"]
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.advice.record(lawyer, code, AdviceInput("建议申请劳动仲裁", "statutory_channel"))
    assert e.value.problems[0].field == "person"
    assert set(delta(before, counts(sv))) <= set()
    _lawyer_actor(sv, actors)
    a = sv.advice.record(lawyer, code, AdviceInput("建议先申请劳动争议仲裁，保留工资流水", "statutory_channel", True, session_id=sid))
    assert (a.lawyer, a.channel_label, a.legal_aid, a.may_edit) == ("刘律师", "导入法定程序，告知途径、机关和期限", True, True)
    # another lawyer account (not the one who gave it) may not edit
    other = add_user(sv, actors["admin"], "lawyer2", "周律师", "lawyer", "Lawyer2026z")
    sv.scheduling.link_user(actors["admin"], "law-zhou", "lawyer2")
    assert sv.advice.for_visit(other, code)[0].may_edit is False
    with pytest.raises(PermissionDenied):
        sv.advice.record(other, code, AdviceInput("改为民事诉讼"), corrects=a.id)
    # the lawyer who gave it edits it (a new row correcting the old); then a supervisor edits the new one
    b = sv.advice.record(lawyer, code, AdviceInput("建议申请劳动争议仲裁，并申请法律援助", "statutory_channel", True), corrects=a.id)
    c = sv.advice.record(actors["supervisor"], code, AdviceInput("同意律师意见", "statutory_channel", True), corrects=b.id)
    current = sv.advice.for_visit(lawyer, code)
    assert [(x.id, x.advice, x.lawyer) for x in current] == [(c.id, "同意律师意见", "刘律师")]
    with pytest.raises(ValidationFailed):  # an old version cannot be edited again
        sv.advice.record(lawyer, code, AdviceInput("再改"), corrects=a.id)
    with pytest.raises(PermissionDenied):
        sv.advice.record(actors["clerk"], code, AdviceInput("文员不能出具法律意见"))
    with pytest.raises(ValidationFailed) as e:
        sv.advice.record(lawyer, code, AdviceInput("x", "no_such_channel"))
    assert e.value.problems[0].field == "channel"


def test_lawyers_desk_opens_the_visit_with_earlier_visits_and_prints_a_referral(sv, actors, clerk, booked):
    sid, (code, _c2) = booked
    lawyer = _lawyer_actor(sv, actors)
    assert [s.id for s in sv.scheduling.my_sessions(lawyer, D(2027, 1, 1), D(2027, 1, 31))] == [sid]
    again = sv.registration.register(clerk, reg(person("张三", id_number=VALID_ID, phone="13800138000"), kind="labour.dispute",
                                                summary="再次反映经济补偿", respondent="青溪某建材有限公司"))
    f = sv.advice.visit_file(lawyer, again.query_code)
    assert f.ids_masked == ("110105********002X",) and f.phones_masked == ("138****8000",)
    assert [e[0] for e in f.earlier] == [code]
    assert f.kind_label.startswith("劳动争议") and any("仲裁" in label for _c, label in f.channels)
    a = sv.advice.record(lawyer, code, AdviceInput("符合法律援助条件，建议申请", "legal_aid", True))
    pdf = sv.advice.print_referral(lawyer, a.id)
    t = text_of(pdf)
    for want in ("法律援助转介函", "区法律援助中心", "《中华人民共和国法律援助法》第三十一条", "（五）请求确认劳动关系或者支付劳动报酬",
                 "刘律师", "甲律师事务所", "110105********002X", "符合法律援助条件"):
        assert want in t, want
    assert VALID_ID not in t
    fonts_embedded(pdf)
    no_aid = sv.advice.record(lawyer, code, AdviceInput("建议协商", "statutory_channel", False))
    with pytest.raises(ValidationFailed):
        sv.advice.print_referral(lawyer, no_aid.id)


def test_lawyer_role_cannot_print_slips(sv, actors, booked):
    _sid, (code, _c2) = booked
    with pytest.raises(PermissionDenied):
        sv.scheduling.print_slip(actors["lawyer"], code)
    assert isinstance(actors["lawyer"], Actor)
