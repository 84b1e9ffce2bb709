"""Visit rules, query codes and phones: collective visits, the repeat key, code format, phone masking."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.naughty import phone_cases
from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.domain.phone import mask_phone, parse_phone
from xinfang_desk.domain.querycode import make_query_code, parse_query_code
from xinfang_desk.domain.visit_rules import check_group, is_collective, repeat_key
from xinfang_desk.i18n import set_language


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("zh_CN")


@pytest.mark.parametrize("representatives", [1, 3, 5])
def test_collective_visit_with_up_to_five_representatives_ok(representatives: int) -> None:
    assert is_collective(12)
    check_group(12, representatives, "visit")  # the boundary (5) is allowed; 6 is refused below


def test_collective_visit_with_six_representatives_refused_citing_the_regulation() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_group(12, 6, "visit")
    assert "信访工作条例 20(3)" in str(exc.value) and "6" in str(exc.value)


@pytest.mark.parametrize("size", [0, -1, 10001, True, 2.5])
def test_group_size_out_of_range_refused(size) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_group(size, 1, "visit")
    assert exc.value.problems[0].field == "group_size"


def test_repeat_key_ignores_punctuation_width_space_and_case() -> None:
    a = repeat_key("labour.wage_arrears", "某建筑劳务公司", "支付拖欠工资，共 3 万元。")
    b = repeat_key("labour.wage_arrears", " 某建筑劳务公司 ", "支付拖欠工资共３万元")
    assert a == b


def test_repeat_key_differs_on_respondent_and_kind() -> None:
    a = repeat_key("labour.wage_arrears", "某建筑劳务公司", "支付拖欠工资")
    assert a != repeat_key("labour.wage_arrears", "另一家公司", "支付拖欠工资")
    assert a != repeat_key("labour.dispute", "某建筑劳务公司", "支付拖欠工资")


def test_query_code_format_and_round_trip() -> None:
    code = make_query_code("BN03", dt.date(2026, 11, 27), 7)
    assert code == "BN03-20261127-0007"
    assert parse_query_code(code.lower()) == ("BN03", dt.date(2026, 11, 27), 7)
    assert parse_query_code("BN03-20230229-0001") is None


@pytest.mark.parametrize("case,expected", phone_cases(), ids=lambda c: getattr(c, "label", str(c)))
def test_phone_formats(case, expected) -> None:
    if expected is None:
        with pytest.raises(ValidationFailed):
            parse_phone(case.value)
    else:
        assert parse_phone(case.value) == expected


def test_phone_masks_keep_leading_zero_of_landline() -> None:
    assert mask_phone("+8613812345678") == "138****5678"
    # a landline keeps its area code as dialled, 010, not 101
    assert mask_phone(parse_phone("010-12345678")) == "010****5678"
