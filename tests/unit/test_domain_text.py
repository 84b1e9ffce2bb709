"""Names and free text: stored exactly as typed (GB 18030-2022, up to 50 code points), or refused with a
message that names the field and the problem."""

from __future__ import annotations

import unicodedata

import pytest

from tests.naughty import (
    BIDI,
    DOT_LOOKALIKES,
    EXT_B_FIRST,
    JI,
    LONE_SURROGATE,
    MIDDLE_DOT,
    YAN,
    bad_names,
    blns_lines,
    chinese_text_cases,
    good_names,
)
from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.domain.text import NAME_MAX, check_name, check_text, search_key
from xinfang_desk.i18n import set_language


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("zh_CN")


@pytest.mark.parametrize("case", good_names(), ids=lambda c: c.label)
def test_good_names_returned_unchanged(case) -> None:
    assert check_name(case.value) is case.value or check_name(case.value) == case.value
    # never normalised: the code points are the ones typed
    assert [ord(c) for c in check_name(case.value)] == [ord(c) for c in case.value]


def test_compatibility_ideographs_not_normalised() -> None:
    name = "金" + chr(0xF900) + chr(0xFA10)
    assert unicodedata.normalize("NFC", name) != name  # the trap this test guards against
    assert check_name(name) == name


@pytest.mark.parametrize("case", bad_names(), ids=lambda c: c.label)
def test_bad_names_refused_naming_the_field(case) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(case.value, "people[0].name")
    e = exc.value
    assert [p.field for p in e.problems] == ["people[0].name"]
    assert str(e).startswith("Name:")


@pytest.mark.parametrize("label,ch", list(DOT_LOOKALIKES.items()))
def test_lookalike_dot_refused_with_hint_to_use_middle_dot(label: str, ch: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name("买买提" + ch + "艾力")
    msg = str(exc.value)
    assert f"U+{ord(ch):04X}" in msg and "U+00B7" in msg, msg


def test_lookalike_dot_message_in_chinese() -> None:
    set_language("zh_CN")
    with pytest.raises(ValidationFailed) as exc:
        check_name("买买提" + chr(0x30FB) + "艾力")
    msg = str(exc.value)
    assert "姓名" in msg and "U+00B7" in msg, msg


def test_fifty_code_points_accepted_fifty_one_refused_not_truncated() -> None:
    fifty = JI * NAME_MAX  # 100 UTF-16 units, 200 UTF-8 bytes
    assert check_name(fifty) == fifty
    with pytest.raises(ValidationFailed, match="51"):
        check_name(fifty + JI)
    mixed = ("买买提" + MIDDLE_DOT) * 12 + "艾力"
    assert len(mixed) == 50 and check_name(mixed) == mixed


@pytest.mark.parametrize("ch", list(BIDI.values()), ids=lambda c: f"U+{ord(c):04X}")
def test_bidi_controls_refused_in_text(ch: str) -> None:
    with pytest.raises(ValidationFailed, match="direction"):
        check_text("地址" + ch + "某号", "address", "Address", max_len=200)


def test_lone_surrogate_and_nul_refused_in_text() -> None:
    for bad in ("张" + LONE_SURROGATE, "张" + chr(0)):
        with pytest.raises(ValidationFailed):
            check_text(bad, "matter.summary", "Summary", max_len=5000)


def test_multiline_only_where_allowed() -> None:
    text = "第一行" + chr(13) + chr(10) + "第二行"
    assert check_text(text, "matter.summary", "Summary", max_len=5000) == text
    with pytest.raises(ValidationFailed, match="single line"):
        check_text(text, "address", "Address", max_len=200, multiline=False)


def test_check_text_never_raises_anything_else() -> None:
    for value in [*blns_lines(), *(c.value for c in chinese_text_cases())]:
        for multiline in (True, False):
            try:
                assert check_text(value, "f", "F", max_len=5000, multiline=multiline) == value
            except ValidationFailed as e:
                assert [p.field for p in e.problems] == ["f"]
        try:
            assert check_name(value) == value
        except ValidationFailed as e:
            assert [p.field for p in e.problems] == ["name"]


def test_search_key_folds_width_case_and_dot_but_name_is_untouched() -> None:
    assert search_key("ＡＢＣ" + MIDDLE_DOT + "def") == "abcdef"
    assert search_key(JI + YAN + EXT_B_FIRST) == JI + YAN + EXT_B_FIRST
