"""Names and free text: stored exactly as typed, or refused with a message that names the problem.

Names follow GB 18030-2022 and the 2016 name-collection notice: any letters of any script including
characters beyond the BMP (𠮷, 䶮, U+20000), combining marks and ideographic variation selectors after
a base character, the separator `·` (U+00B7) and single spaces between Latin words; at most 50 code points.
Names are never normalised; look-alike dots are refused with a hint to use `·` rather than silently replaced.
"""

from __future__ import annotations

import unicodedata

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_

NAME_MAX = 50
MIDDLE_DOT = "\u00b7"
DOT_LOOKALIKES = {"\u30fb", "\u2022", "\uff0e", "\u2027", "\u0387", "\u22c5", "\uff65", "."}
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_SPACES = {" ", "\u3000", "\u00a0", "\t"}


def _is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def check_text_chars(value: str, field: str, label: str, *, multiline: bool) -> None:
    for ch in value:
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if 0xD800 <= cp <= 0xDFFF:
            raise fail(field, label, N_("contains a broken character (lone surrogate)"))
        if ch in ("\n", "\r", "\t"):
            if multiline or ch == "\t":
                continue
            raise fail(field, label, N_("must be a single line"))
        if cat == "Cc":
            raise fail(field, label, N_("contains a control character U+{cp:04X}"), cp=cp)
        if ch in BIDI_CONTROLS:
            raise fail(field, label, N_("contains a text-direction control character U+{cp:04X}"), cp=cp)
        if _is_noncharacter(cp) or cat == "Co":
            raise fail(field, label, N_("contains a character that cannot be stored or printed U+{cp:04X}"), cp=cp)
        if cat == "Cn":
            raise fail(field, label, N_("contains an unassigned character U+{cp:04X}"), cp=cp)


def check_text(
    value: str | None, field: str, label: str, *, max_len: int, required: bool = False, multiline: bool = True
) -> str:
    """Return the value unchanged, or raise. Empty optional text is returned as ''."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise fail(field, label, N_("must be text"))
    if not value.strip():
        if required:
            raise fail(field, label, N_("is empty"))
        if value:
            raise fail(field, label, N_("contains only spaces"))
        return ""
    if len(value) > max_len:
        raise fail(field, label, N_("is too long: {n} characters, at most {max}"), n=len(value), max=max_len)
    check_text_chars(value, field, label, multiline=multiline)
    return value


NAME_LABEL = N_("Name")


def check_name(value: str | None, field: str = "name", label: str = NAME_LABEL) -> str:
    if value is None or not value.strip():
        raise fail(field, label, N_("is empty"))
    if len(value) > NAME_MAX:
        raise fail(field, label, N_("is too long: {n} characters, at most {max}"), n=len(value), max=NAME_MAX)
    if value[0] in _SPACES or value[-1] in _SPACES:
        raise fail(field, label, N_("starts or ends with a space"))
    prev = ""
    for ch in value:
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if ch in DOT_LOOKALIKES:
            raise fail(field, label, N_("uses {ch} (U+{cp:04X}) as separator; use the middle dot · (U+00B7)"), ch=ch, cp=cp)
        if ch == MIDDLE_DOT:
            if prev in ("", MIDDLE_DOT, " "):
                raise fail(field, label, N_("the separator · must stand between two parts of the name"))
        elif ch == " ":
            if prev == " ":
                raise fail(field, label, N_("contains two spaces in a row"))
        elif cat.startswith("L"):
            pass
        elif cat.startswith("M") and prev and unicodedata.category(prev).startswith("L"):
            pass  # combining mark or ideographic variation selector after a letter
        elif cat == "Mn" and 0xE0100 <= cp <= 0xE01EF and prev:
            pass
        else:
            raise fail(field, label, N_("contains {ch!r} (U+{cp:04X}), which is not allowed in a name"), ch=ch, cp=cp)
        prev = ch
    if prev == MIDDLE_DOT:
        raise fail(field, label, N_("the separator · must stand between two parts of the name"))
    return value


def search_key(text: str) -> str:
    """A separate, normalised key for search (the stored name is never touched)."""
    return unicodedata.normalize("NFKC", text).casefold().replace(MIDDLE_DOT, "").replace(" ", "")
