"""Phone numbers, validated with phonenumbers (region CN); stored in E.164.

phonenumbers is imported on first use (it takes longer to import than a command-line listing takes to run);
a Chinese mobile's national form is its 11 digits after +86, so listings of mobiles do without it."""

from __future__ import annotations

import re
import unicodedata

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_

LABEL = N_("Phone")


def parse_phone(raw: str, field: str = "phone") -> str:
    """Return E.164 (`+8613812345678`); mobile and landline with area code are accepted."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise fail(field, LABEL, N_("is empty"))
    if text.startswith("0086"):
        text = "+86" + text[4:]
    import phonenumbers

    try:
        num = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise fail(field, LABEL, N_("is not a phone number")) from None
    if not phonenumbers.is_valid_number(num):
        raise fail(field, LABEL, N_("is not a valid number (mobile: 11 digits; landline: area code and number)"))
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


_CN_MOBILE = re.compile(r"\+861[3-9][0-9]{9}")


def national(e164: str) -> str:
    if _CN_MOBILE.fullmatch(e164):  # what phonenumbers' NATIONAL format gives for these, without the import
        return e164[3:]
    import phonenumbers

    num = phonenumbers.parse(e164, "CN")
    if num.country_code != 86:
        return e164
    # as dialled at home: mobiles 138…, landlines with the trunk 0 (010…, 0755…)
    return "".join(c for c in phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL) if c.isdigit())


def display_phone(e164: str | None) -> str:
    """How a full number is shown to a role that may see it: as dialled at home (`13912341234`, `01012345678`),
    never the stored E.164 `+86…`; a foreign number keeps its E.164 form."""
    return national(e164) if e164 else ""


def looks_like_phone(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).replace("-", "").replace(" ", "").lstrip("+")
    return t.isdigit() and 7 <= len(t) <= 15


def mask_phone(e164: str | None) -> str:
    """`138****5678` for mobiles; landlines keep the area code and last 4 digits."""
    if not e164:
        return ""
    digits = national(e164) if e164.startswith("+") else e164
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
