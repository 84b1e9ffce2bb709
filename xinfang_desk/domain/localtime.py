"""The office's time zone: everything is stored in UTC and shown in Asia/Shanghai (stdlib only)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(LOCAL_TZ).date()


def to_local(t: dt.datetime) -> dt.datetime:
    return t.astimezone(LOCAL_TZ)
