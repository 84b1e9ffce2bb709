"""Query codes (查询码): window code + date + daily sequence, unique without asking the centre.

`BN03-20261127-0007`: window codes are unique in the district, and the sequence is counted per window
and day inside the write transaction, so two windows can never produce the same code, online or offline.
"""

from __future__ import annotations

import datetime as dt
import re

PATTERN = re.compile(r"^(?P<window>[A-Z0-9]{2,8})-(?P<date>\d{8})-(?P<seq>\d{4,})$")


def make_query_code(window: str, day: dt.date, seq: int) -> str:
    return f"{window}-{day:%Y%m%d}-{seq:04d}"


def parse_query_code(code: str) -> tuple[str, dt.date, int] | None:
    m = PATTERN.match(code.strip().upper())
    if not m:
        return None
    try:
        day = dt.datetime.strptime(m["date"], "%Y%m%d").date()
    except ValueError:
        return None
    return m["window"], day, int(m["seq"])
