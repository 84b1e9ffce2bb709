"""Registration through the service as the GUI does it: ID numbers, rare-character names, repeat visits,
collective visits, query codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.naughty import (
    DOT_LOOKALIKES,
    EXT_B_FIRST,
    INVISIBLES,
    JI,
    MIDDLE_DOT,
    VALID_ID,
    YAN,
    accepted_id_spellings,
    make_id,
    wrong_check,
)
from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.i18n import set_language
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import LOCAL_TZ

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import (  # noqa: E402
    FAILURE_AUDIT_DELTA,
    WINDOW,
    counts,
    delta,
    person,
    reg,
    row,
)

DAY = dt.date(2026, 11, 27)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LOCAL_TZ).astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("zh_CN")


# -- ID numbers ---------------------------------------------------------------------------------------------
def test_typed_id_variants_stored_as_ascii_and_resolve_to_one_person(sv, clerk, db_path: Path) -> None:
    person_ids = set()
    for case in accepted_id_spellings():
        res = sv.registration.register(clerk, reg(person("王芳", id_number=case.value)), now=at(9))
        person_ids.add(res.person_ids[0])
        assert row(db_path, "SELECT id_number FROM people WHERE id = ?", res.person_ids[0]) == (VALID_ID,)
    assert len(person_ids) == 1  # every spelling found the same visitor instead of creating a twin
    assert row(db_path, "SELECT count(*) FROM people WHERE id_number = ?", VALID_ID) == (1,)


def test_fifteen_digit_id_stored_as_eighteen(sv, clerk, db_path: Path) -> None:
    res = sv.registration.register(clerk, reg(person("王芳", id_number="110105491231002")), now=at(9))
    assert row(db_path, "SELECT id_number, birth_date, gender FROM people WHERE id = ?", res.person_ids[0]) == (
        VALID_ID, "1949-12-31", "F")


def test_born_1956_in_a_district_created_later_is_registered(sv, clerk, db_path: Path) -> None:
    number = make_id("510116", "19560315")  # 双流区 became a district in 2016
    res = sv.registration.register(clerk, reg(person("张建国", id_number=number)), now=at(9))
    assert row(db_path, "SELECT id_number FROM people WHERE id = ?", res.person_ids[0]) == (number,)


@pytest.mark.parametrize("raw,problem", [
    (wrong_check(VALID_ID), "check digit"),
    (make_id("110105", "20230229"), "birth date"),
    (make_id("000000", "19800101"), "region code"),
    (VALID_ID[:17], "18 characters"),
    (VALID_ID + "7", "18 characters"),
])
def test_bad_id_refused_nothing_written_but_the_audit(sv, clerk, raw: str, problem: str) -> None:
    before = counts(sv)
    with pytest.raises(ValidationFailed) as exc:
        sv.registration.register(clerk, reg(person("王芳", id_number=raw)), now=at(9))
    assert [p.field for p in exc.value.problems] == ["people[0].id_number"]
    assert problem in str(exc.value)
    assert delta(before, counts(sv)) == FAILURE_AUDIT_DELTA


# -- names --------------------------------------------------------------------------------------------------
RARE = ["王" + JI + YAN, JI + "祥", "刘" + YAN, EXT_B_FIRST + "明", "阿依古丽" + MIDDLE_DOT + "买买提", JI * 50]


def test_rare_names_round_trip_through_a_fresh_services(db_url: str, clerk, supervisor) -> None:
    sv = Services.open(db_url, WINDOW)
    made = {}
    for i, name in enumerate(RARE):
        res = sv.registration.register(clerk, reg(person(name)), now=at(9, i))
        made[res.person_ids[0]] = name
    sv.close()
    sv2 = Services.open(db_url, WINDOW)  # a new engine: nothing cached
    try:
        for pid, name in made.items():
            hits = {h.id: h.name for h in sv2.search.search_people(clerk, name, limit=50)}
            assert hits.get(pid) == name
            assert [ord(c) for c in hits[pid]] == [ord(c) for c in name]
        listed = {p["person_id"]: p["name"] for r in sv2.search.visits_on(supervisor, DAY) for p in r.people}
        assert {pid: listed[pid] for pid in made} == made
    finally:
        sv2.close()


@pytest.mark.parametrize("bad", [
    *("买买提" + ch + "艾力" for ch in DOT_LOOKALIKES.values()),
    *("张" + ch + "三" for ch in INVISIBLES.values()),
], ids=[*DOT_LOOKALIKES, *INVISIBLES])
def test_lookalike_dots_and_invisibles_refused_with_message(sv, clerk, bad: str) -> None:
    before = counts(sv)
    with pytest.raises(ValidationFailed) as exc:
        sv.registration.register(clerk, reg(person(bad)), now=at(9))
    assert [p.field for p in exc.value.problems] == ["people[0].name"]
    assert "U+" in str(exc.value) or "space" in str(exc.value)
    assert delta(before, counts(sv)) == FAILURE_AUDIT_DELTA


def test_fifty_code_points_accepted_fifty_one_refused_not_truncated(sv, clerk, db_path: Path) -> None:
    res = sv.registration.register(clerk, reg(person(JI * 50)), now=at(9))
    assert row(db_path, "SELECT name, length(name) FROM people WHERE id = ?", res.person_ids[0]) == (JI * 50, 50)
    before = counts(sv)
    with pytest.raises(ValidationFailed, match="51"):
        sv.registration.register(clerk, reg(person(JI * 51)), now=at(9, 1))
    assert delta(before, counts(sv)) == FAILURE_AUDIT_DELTA


# -- repeat visits ------------------------------------------------------------------------------------------
def wage(respondent: str, demands: str, **kw):
    return reg(person("赵磊", id_number=VALID_ID), kind="labour.wage_arrears", summary="包工头拖欠三个月工资",
               respondent=respondent, demands=demands, **kw)


def test_same_matter_again_is_a_repeat_pointing_to_the_first_visit(sv, clerk) -> None:
    first = sv.registration.register(clerk, wage("某建筑劳务公司", "支付拖欠工资，共 3 万元。"), now=at(9))
    assert first.repeat_of is None
    second = sv.registration.register(clerk, wage(" 某建筑劳务公司", "支付拖欠工资共３万元"), now=at(10))
    assert second.repeat_of is not None and second.repeat_of.visit_id == first.visit_id
    assert second.repeat_of.query_code == first.query_code
    assert second.warnings and first.query_code in second.warnings[-1]
    third = sv.registration.register(clerk, wage("某建筑劳务公司", "支付拖欠工资!!共3万元"), now=at(11))
    assert third.repeat_of.visit_id == first.visit_id  # points to the earliest, not the latest
    rows = {r.query_code: r.is_repeat for r in sv.search.visits_on(clerk, DAY)}
    assert rows == {first.query_code: False, second.query_code: True, third.query_code: True}  # saved anyway


def test_other_respondent_or_kind_is_not_a_repeat(sv, clerk) -> None:
    sv.registration.register(clerk, wage("某建筑劳务公司", "支付拖欠工资"), now=at(9))
    assert sv.registration.register(clerk, wage("另一家劳务公司", "支付拖欠工资"), now=at(10)).repeat_of is None
    other_kind = reg(person("赵磊", id_number=VALID_ID), kind="labour.dispute", summary="被辞退",
                     respondent="某建筑劳务公司", demands="支付拖欠工资")
    assert sv.registration.register(clerk, other_kind, now=at(11)).repeat_of is None


def test_repeat_by_another_person_is_not_a_repeat(sv, clerk) -> None:
    sv.registration.register(clerk, wage("某建筑劳务公司", "支付拖欠工资"), now=at(9))
    other = reg(person("钱多多", id_number=make_id("510112", "19800101")), kind="labour.wage_arrears",
                summary="拖欠工资", respondent="某建筑劳务公司", demands="支付拖欠工资")
    assert sv.registration.register(clerk, other, now=at(10)).repeat_of is None


# -- collective visits --------------------------------------------------------------------------------------
def reps(n: int):
    return tuple(person(f"代表{'甲乙丙丁戊己'[i]}", id_number=make_id("510112", f"197{i}0101"), role="representative")
                 for i in range(n))


def test_collective_visit_twelve_people_three_representatives(sv, clerk, db_path: Path) -> None:
    res = sv.registration.register(
        clerk, reg(*reps(3), kind="expropriation.compensation", summary="十二户业主对补偿方案有异议",
                   group_size=12, group_name="柳城镇某小区业主"), now=at(9))
    assert row(db_path, "SELECT group_size, group_name FROM visits WHERE id = ?", res.visit_id) == (12, "柳城镇某小区业主")
    assert row(db_path, "SELECT count(*), min(role), max(role) FROM visit_people WHERE visit_id = ?", res.visit_id) == (
        3, "representative", "representative")


def test_collective_visit_with_six_representatives_refused(sv, clerk) -> None:
    before = counts(sv)
    with pytest.raises(ValidationFailed) as exc:
        sv.registration.register(clerk, reg(*reps(6), group_size=12), now=at(9))
    assert any("信访工作条例 20(3)" in p.message() for p in exc.value.problems), str(exc.value)
    assert delta(before, counts(sv)) == FAILURE_AUDIT_DELTA


def test_collective_visit_message_in_chinese(sv, clerk) -> None:
    set_language("zh_CN")
    with pytest.raises(ValidationFailed) as exc:
        sv.registration.register(clerk, reg(*reps(6), group_size=12), now=at(9))
    assert "信访工作条例" in str(exc.value) and "代表" in str(exc.value), str(exc.value)


# -- query codes --------------------------------------------------------------------------------------------
def test_query_codes_sequential_per_window_and_day(sv, clerk, clerk2) -> None:
    codes = [sv.registration.register(clerk, reg(person(f"张{c}")), now=at(9, i)).query_code
             for i, c in enumerate("一二三")]
    assert codes == ["BN03-20261127-0001", "BN03-20261127-0002", "BN03-20261127-0003"]
    other = sv.registration.register(clerk2, reg(person("李四")), now=at(9, 30)).query_code
    assert other == "BN02-20261127-0001"
    next_day = sv.registration.register(clerk, reg(person("王五")), now=at(9, day=DAY + dt.timedelta(days=1)))
    assert next_day.query_code == "BN03-20261128-0001"
    again = sv.registration.register(clerk, reg(person("赵六")), now=at(16))
    assert again.query_code == "BN03-20261127-0004"


def test_two_windows_same_day_separate_databases_never_collide(template_db, tmp_path, clerk, clerk2) -> None:
    import shutil

    codes = []
    for actor, window in ((clerk, "BN03"), (clerk2, "BN02")):
        path = tmp_path / f"{window}.sqlite3"
        shutil.copyfile(template_db.path, path)
        s = Services.open(f"sqlite:///{path}", window)
        codes += [s.registration.register(actor, reg(person("张三")), now=at(9, i)).query_code for i in range(5)]
        s.close()
    assert len(set(codes)) == 10


def test_phones_show_as_dialled_never_as_e164(sv: Services, clerk, supervisor) -> None:
    """A supervisor sees the full number as dialled at home (13912341234), a clerk the masked national form."""
    sv.registration.register(clerk, reg(person("吉志强", phone="+86 139 1234 1234")))
    [full] = sv.search.search_people(supervisor, "吉志强", reveal_reason="回电核对")  # full only with a reason
    assert full.phone == "13912341234" and full.phone_masked == "139****1234"
    [masked] = sv.search.search_people(clerk, "13912341234")
    assert masked.phone is None and masked.phone_masked == "139****1234"
    [visit] = sv.search.visits_on(supervisor, dt.datetime.now(LOCAL_TZ).date(), reveal_reason="回电核对")
    assert [p["phone"] for p in visit.people] == ["13912341234"]
    [visit] = sv.search.visits_on(clerk, dt.datetime.now(LOCAL_TZ).date())
    assert [p["phone"] for p in visit.people] == ["139****1234"]
