"""Rules about a visit as a whole: channels, collective visits, the repeat key."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_

MAX_REPRESENTATIVES = 5  # 信访工作条例 第二十条第三项; 信访条例 第十八条第二款
COLLECTIVE_THRESHOLD = 5  # more than 5 people is a collective visit (集体访)
MAX_GROUP_SIZE = 10000


def check_group(group_size: int, representatives: int, channel: str) -> None:
    if not isinstance(group_size, int) or isinstance(group_size, bool):
        raise fail("group_size", N_("Group size"), N_("must be a whole number"))
    if group_size < 1 or group_size > MAX_GROUP_SIZE:
        raise fail("group_size", N_("Group size"), N_("must be between 1 and {max}"), max=MAX_GROUP_SIZE)
    if group_size > COLLECTIVE_THRESHOLD:
        if representatives < 1:
            raise fail("people", N_("Representatives"), N_("a collective visit needs at least one representative"))
        if representatives > MAX_REPRESENTATIVES:
            raise fail(
                "people",
                N_("Representatives"),
                N_("a collective visit of more than 5 people may send at most 5 representatives (信访工作条例 20(3)); {n} given"),
                n=representatives,
            )
    elif representatives > group_size:
        raise fail("people", N_("Visitors"), N_("more people ({n}) than the group size ({size})"), n=representatives, size=group_size)


def is_collective(group_size: int) -> bool:
    return group_size > COLLECTIVE_THRESHOLD


_PUNCT_OR_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_for_repeat(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").casefold()
    return _PUNCT_OR_SPACE.sub("", t)


def repeat_key(kind: str, respondent: str, demands: str) -> str:
    """Same matter = same kind + respondent + normalised demand (punctuation, spaces, width, case ignored)."""
    raw = "\x1f".join((kind, normalise_for_repeat(respondent), normalise_for_repeat(demands)))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
