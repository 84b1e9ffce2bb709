"""Resident identity card numbers (GB 11643-1999), validated with python-stdnum's `stdnum.cn.ric`.

Input as a Chinese input method types it is accepted: fullwidth digits and `Ｘ`, a lower-case `x`, spaces and
hyphens between groups. The stored form is 18 ASCII characters with an upper-case `X`. A first-generation
15-digit number is converted to 18 digits (born 19yy, check digit computed) and the result says so.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_

LABEL = N_("ID number")


@dataclass(frozen=True)
class ResidentId:
    number: str  # 18 ASCII characters
    birth_date: dt.date
    gender: str  # "M" | "F"
    region: str  # e.g. "北京市 东城区" when python-stdnum knows it
    converted_from_15: bool = False

    def masked(self) -> str:
        return mask_id(self.number)


def _to_ascii(raw: str) -> str:
    # NFKC folds fullwidth digits and letters (１２３Ｘ -> 123X); then drop the separators people type.
    text = unicodedata.normalize("NFKC", raw)
    for sep in (" ", "-", "\u3000", "\u00a0"):
        text = text.replace(sep, "")
    return text.upper()


def parse_resident_id(raw: str, field: str = "id_number", today: dt.date | None = None) -> ResidentId:
    """Validate and normalise; raise ValidationFailed naming the problem."""
    if raw is None or not raw.strip():
        raise fail(field, LABEL, N_("is empty"))
    from stdnum.cn import ric  # imported on first use: a listing of masked numbers does without it
    from stdnum.exceptions import ValidationError as StdnumError

    number = _to_ascii(raw)
    converted = False
    if len(number) == 15:
        if not number.isdigit():
            raise fail(field, LABEL, N_("a 15-digit number may contain digits only"))
        body = number[:6] + "19" + number[6:]
        number = body + ric.calc_check_digit(body + "0")
        converted = True
    if len(number) != 18:
        raise fail(field, LABEL, N_("must have 18 characters (it has {n})"), n=len(number))
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise fail(field, LABEL, N_("may contain only digits and a final X"))
    try:
        birth = ric.get_birth_date(number)
    except (StdnumError, ValueError):
        raise fail(field, LABEL, N_("birth date is invalid")) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1880:
        raise fail(field, LABEL, N_("birth date is invalid"))
    place = region_of(number[:6])
    if place is None:
        raise fail(field, LABEL, N_("region code does not exist"))
    if number[17] != ric.calc_check_digit(number):
        raise fail(field, LABEL, N_("check digit does not match"))
    region = place
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number, birth, gender, region, converted)


# 港澳台居民居住证 (2018) use these address codes with the same check digit; python-stdnum lists only 81/82.
PERMIT_REGIONS = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾地区"}


def region_of(code: str) -> str | None:
    """The region name for a 6-digit address code, from python-stdnum's code list.

    `stdnum.cn.ric.get_birth_place` also demands that the county existed in the birth year. That is wrong
    for real cards: the code is the one in force when the number was issued (a person born in 1956 in a
    district created in 1990 carries that district's code), so such valid numbers would be refused. We
    accept any code the list has ever contained.
    """
    from stdnum import numdb

    if code in PERMIT_REGIONS:
        return PERMIT_REGIONS[code]
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if not info or "county" not in info:
        return None
    county = info["county"].split(",")[-1]
    if county.startswith("["):
        county = county.split("]", 1)[1]
    return " ".join(x for x in (info.get("province", ""), info.get("prefecture", ""), county) if x)


def looks_like_id(text: str) -> bool:
    t = _to_ascii(text)
    return len(t) in (15, 18) and t[:15].isdigit()


def normalise_id_query(text: str) -> str:
    return _to_ascii(text)


def mask_id(number: str | None) -> str:
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * max(0, len(number) - 2)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
