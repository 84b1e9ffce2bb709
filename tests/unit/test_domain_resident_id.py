"""Resident ID numbers as a clerk types them: refused with a message that names the problem, or stored as
18 ASCII characters with an upper-case X."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from tests.naughty import VALID_ID, VALID_ID_2, accepted_id_spellings, make_id, refused_ids, wrong_check
from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.domain.resident_id import looks_like_id, mask_id, parse_resident_id
from xinfang_desk.i18n import set_language

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language("zh_CN")


def refusal(raw: str, lang: str) -> ValidationFailed:
    set_language(lang)
    with pytest.raises(ValidationFailed) as exc:
        parse_resident_id(raw, field="people[0].id_number", today=TODAY)
    return exc.value


# (input, English fragment, Chinese pattern): the message says what is wrong, in both languages
PROBLEMS = [
    (wrong_check(VALID_ID), "check digit does not match", r"校验"),
    (make_id("110105", "20230229"), "birth date is invalid", r"出生日期"),
    (make_id("110105", "20261228"), "birth date is invalid", r"出生日期"),  # after TODAY
    (make_id("000000", "19800101"), "region code does not exist", r"地区|行政区"),
    (VALID_ID[:17], "must have 18 characters (it has 17)", r"(位数|18\s*位).*17|17.*(位数|18\s*位)"),
    (VALID_ID + "1", "must have 18 characters (it has 19)", r"(位数|18\s*位).*19|19.*(位数|18\s*位)"),
]


@pytest.mark.parametrize("raw,english,_zh", PROBLEMS, ids=[p[1][:20] for p in PROBLEMS])
def test_refused_with_english_message_naming_problem(raw: str, english: str, _zh: str) -> None:
    e = refusal(raw, "en")
    assert [p.field for p in e.problems] == ["people[0].id_number"]
    assert english in str(e)
    assert str(e).startswith("ID number:")


@pytest.mark.parametrize("raw,_en,zh", PROBLEMS, ids=[p[1][:20] for p in PROBLEMS])
def test_refused_with_chinese_message_naming_problem(raw: str, _en: str, zh: str) -> None:
    """zh_CN is the default UI language: the clerk reads 身份证号 and the problem in Chinese."""
    msg = str(refusal(raw, "zh_CN"))
    assert "身份证" in msg, msg
    assert re.search(zh, msg), msg
    assert not re.search(r"[A-Za-z]{4,}", msg), f"untranslated English left in {msg!r}"


@pytest.mark.parametrize("case,keyword", refused_ids(TODAY), ids=lambda c: getattr(c, "label", c))
def test_catalogue_of_bad_numbers_refused(case, keyword: str) -> None:
    e = refusal(case.value, "en")
    assert keyword in str(e), str(e)


@pytest.mark.parametrize("case", accepted_id_spellings(), ids=lambda c: c.label)
def test_typed_variants_stored_as_ascii_with_upper_x(case) -> None:
    rid = parse_resident_id(case.value, today=TODAY)
    assert rid.number == VALID_ID
    assert rid.number.isascii()
    assert rid.birth_date == dt.date(1949, 12, 31) and rid.gender == "F"


def test_fifteen_digit_number_converted_to_eighteen() -> None:
    rid = parse_resident_id("110105491231002", today=TODAY)
    assert rid.converted_from_15
    assert rid.number == VALID_ID  # 19 inserted, check digit computed: the same person as the new card
    assert len(rid.number) == 18 and rid.birth_date == dt.date(1949, 12, 31)


def test_fifteen_digits_with_letters_refused() -> None:
    set_language("en")
    with pytest.raises(ValidationFailed, match="digits only"):
        parse_resident_id("11010549123100X", today=TODAY)


@pytest.mark.parametrize("region", ["510116", "500112", "440305"])  # 双流区 2016, 渝北区 1994, 南山区 1990
def test_person_born_before_their_district_existed_is_accepted(region: str) -> None:
    number = make_id(region, "19560315")
    rid = parse_resident_id(number, today=TODAY)
    assert rid.number == number and rid.birth_date == dt.date(1956, 3, 15)


def test_second_canonical_example_valid() -> None:
    assert parse_resident_id(VALID_ID_2, today=TODAY).birth_date == dt.date(1880, 1, 1)


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_hong_kong_macao_taiwan_residence_permits_accepted(region: str) -> None:
    """港澳台居民居住证 carry 810000/820000/830000 and the same check digit (reliability-anchors F7)."""
    number = make_id(region, "19800101")
    assert parse_resident_id(number, today=TODAY).number == number


def test_every_single_character_substitution_refused() -> None:
    """GB 11643 MOD 11-2 catches every single substitution: none may slip through (F7)."""
    rng = random.Random(11643)
    regions = ["110105", "510112", "440524", "500112", "320102"]
    slipped = []
    for _ in range(15):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        number = make_id(rng.choice(regions), f"{birth:%Y%m%d}", f"{rng.randrange(1000):03d}")
        assert parse_resident_id(number, today=TODAY).number == number
        for pos in range(18):
            for ch in "0123456789X" if pos == 17 else "0123456789":
                if ch == number[pos]:
                    continue
                bad = number[:pos] + ch + number[pos + 1:]
                try:
                    parse_resident_id(bad, today=TODAY)
                except ValidationFailed:
                    continue
                slipped.append(bad)
    assert slipped == []


def test_mask_keeps_region_and_last_four_only() -> None:
    assert mask_id(VALID_ID) == "110105********002X"
    assert "19491231" not in mask_id(VALID_ID)
    assert looks_like_id("１１０１０５１９４９１２３１００２ｘ")
