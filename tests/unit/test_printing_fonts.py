"""Shipped fonts, per-character fallback, escaping and MissingGlyph (no Qt)."""

from __future__ import annotations

import pytest

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.printing import fonts
from xinfang_desk.printing.fonts import MAIN, MissingGlyph, font_for_char, markup


def test_font_files_exist_with_licences() -> None:
    files = fonts.font_files()
    assert len(files) == 4
    for f in files:
        assert f.is_file() and f.stat().st_size > 1_000_000, f
        assert f.read_bytes()[:4] == b"\x00\x01\x00\x00", f"{f.name} is not a TrueType (glyf) font"
    d = fonts.fonts_dir()
    assert (d / "OFL-NotoSerifSC.txt").is_file()
    assert (d / "OFL-NotoSansSC.txt").is_file()
    assert (d / "LICENSE-Hanazono.txt").is_file()
    assert "pyftsubset" in (d / "README.md").read_text(encoding="utf-8")


def test_ui_font_families_in_fallback_order() -> None:
    # screens use the sans-serif; paper keeps the serif (MAIN) with the same rare-character fallbacks
    assert fonts.ui_font_families() == ["Noto Sans SC", "HanaMinA", "HanaMinB"]
    assert [f.name for f in fonts.font_files()][:2] == ["NotoSansSC_400Regular.ttf", "NotoSansSC_700Bold.ttf"]


def test_registration_is_idempotent() -> None:
    fonts.ensure_registered()
    before = fonts.registration_seconds()
    fonts.ensure_registered()
    assert fonts.registration_seconds() == before


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("王", MAIN),
        ("䶮", MAIN),  # U+4DAE, Ext A: in Noto Serif SC
        ("·", MAIN),
        ("𠮷", "XFHanaMinA"),  # U+20BB7
        ("\U00020000", "XFHanaMinA"),
        ("\U0002A6A5", "XFHanaMinA"),
        ("\U0002B740", "XFHanaMinB"),  # Ext D
        ("\U0002CEA1", "XFHanaMinB"),  # Ext E
    ],
)
def test_font_for_char(ch: str, expected: str) -> None:
    assert font_for_char(ch) == expected


def test_font_for_char_none_beyond_the_fonts() -> None:
    assert font_for_char("\U00030000") is None  # Ext G


def test_markup_wraps_only_fallback_characters() -> None:
    m = markup("王𠮷䶮·\U00020000李")
    assert m == '王<font name="XFHanaMinA">𠮷</font>䶮·<font name="XFHanaMinA">\U00020000</font>李'


@pytest.mark.parametrize(
    "text",
    ['<img src="x.png"/>', "<b>bold</b>", ") Tj (", "&amp; &lt;", '<font name="Helvetica">x</font>', "<br/>"],
)
def test_markup_escapes(text: str) -> None:
    m = markup(text)
    assert "<" not in m.replace("&lt;", "")
    assert m.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_whitespace_and_invisible_characters() -> None:
    assert markup("甲\n乙\r\n丙") == "甲<br/>乙<br/>丙"
    assert markup("甲\t乙") == "甲 乙"
    assert markup("甲\u200b乙\ufeff") == "甲乙"
    assert markup("甲\u3000乙") == "甲\u3000乙"  # ideographic space is a glyph of Noto
    assert fonts.runs("甲\n乙") == [(MAIN, "甲 乙")]


@pytest.mark.parametrize(
    ("text", "codepoint"),
    [
        ("葛\U000E0100", "U+E0100"),  # IVS: never silently dropped
        ("邊\ufe00", "U+FE00"),
        ("张\x07三", "U+0007"),
        ("\U00030000", "U+30000"),
        ("\ue000", "U+E000"),
        ("\ud842", "U+D842"),
    ],
)
def test_missing_glyph(text: str, codepoint: str) -> None:
    with pytest.raises(MissingGlyph) as exc:
        markup(text, "visitors[0].name")
    err = exc.value
    assert isinstance(err, DomainError)
    assert err.codepoint == codepoint
    assert codepoint in str(err) and "visitors[0].name" in str(err)


def test_missing_glyph_names_the_base_of_a_variation_selector() -> None:
    with pytest.raises(MissingGlyph) as exc:
        markup("葛\U000E0100")
    assert exc.value.base == "葛"
    assert "葛" in str(exc.value)
