"""Query codes (查询码) and window codes: the one place that says what they look like.

`BN03-20261127-0007`: window codes are unique in the district, and the sequence is counted per window
and day inside the write transaction, so two windows can never produce the same code, online or offline.

A window code is two capital letters and two digits (`BN03`), or a code on the administrator's list of windows;
even a listed code is only capital letters and digits (2–8), so it can never contain the `-` that separates the
parts of a query code. `parse_query_code` is the only parser: anything that is not exactly
window-YYYYMMDD-sequence is refused (None), so a stray value can never break the daily sequence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

WINDOW_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{2}$")
LISTED_WINDOW_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")  # the envelope for codes on the administrator's list
PATTERN = re.compile(r"^(?P<window>[A-Z0-9]{2,8})-(?P<date>[0-9]{8})-(?P<seq>[0-9]{4,6})$")
FIRST_DAY = dt.date(1990, 1, 1)


class QueryCode(NamedTuple):
    window: str
    day: dt.date
    seq: int

    def __str__(self) -> str:
        return make_query_code(self.window, self.day, self.seq)


def is_window_code(code: object, listed: Iterable[str] = ()) -> bool:
    """`^[A-Z]{2}[0-9]{2}$`, or one of the administrator's window codes (which must still be 2–8 capitals/digits)."""
    if not isinstance(code, str):
        return False
    if WINDOW_PATTERN.fullmatch(code):
        return True
    return bool(LISTED_WINDOW_PATTERN.fullmatch(code)) and code in set(listed)


def make_query_code(window: str, day: dt.date, seq: int) -> str:
    if not LISTED_WINDOW_PATTERN.fullmatch(window):
        raise ValueError(f"not a window code: {window!r}")
    if not 1 <= seq <= 999_999:
        raise ValueError(f"sequence out of range: {seq}")
    return f"{window}-{day:%Y%m%d}-{seq:04d}"


def parse_query_code(code: object) -> QueryCode | None:
    """The parts of a query code, or None. Surrounding spaces and lower case (typed by a clerk) are accepted;
    the sequence must be 1 or more, the date a real day from 1990 on."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    m = PATTERN.fullmatch(code.strip().upper())
    if not m or not m["date"].isascii() or not m["seq"].isascii():
        return None
    try:
        day = dt.datetime.strptime(m["date"], "%Y%m%d").date()
    except ValueError:
        return None
    seq = int(m["seq"])
    if day < FIRST_DAY or seq < 1:
        return None
    return QueryCode(m["window"], day, seq)


def check_window_code(code: object, listed: Iterable[str] = (), field: str = "window") -> str:
    """The window code, or ValidationFailed naming `field` (the text itself is never echoed: it may be anything)."""
    from xinfang_desk.domain.errors import fail
    from xinfang_desk.i18n import N_

    if is_window_code(code, listed):
        return code  # type: ignore[return-value]
    raise fail(field, N_("Window"), N_("must be two capital letters and two digits (e.g. BN03) or a window the administrator has set up"))
