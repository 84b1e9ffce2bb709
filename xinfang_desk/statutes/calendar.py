"""China's public-holiday calendar as data (resources/calendar/YYYY.json), with adjusted working days.

Each year's file holds the 法定节假日 ranges and the 调休上班日 published by 国务院办公厅 for that year. A day
is a rest day (法定休假日 in the sense of 民法典 art. 203) when it falls in a holiday range, or is a Saturday or
Sunday that is not an adjusted working day. For a year without a file the calendar knows the weekends and the
statutory holidays fixed by 全国年节及纪念日放假办法 (`holidays.py`), but not that year's bridging days or
adjusted working days, and says so: `covers()` is False, so results are `calendar_certain: false`. The loader is a pure function of the parsed documents so that an admin screen
can feed it updated years from the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from xinfang_desk.paths import resource
from xinfang_desk.statutes import holidays as statutory


class CalendarError(ValueError):
    """The calendar data is inconsistent (overlapping years, a workday inside a holiday, bad dates)."""


@dataclass(frozen=True)
class HolidayCalendar:
    years: frozenset[int]
    holidays: Mapping[date, str]  # day -> holiday name
    workdays: frozenset[date]  # adjusted working days (usually a Saturday or Sunday)
    digest: str = ""

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_rest_day(self, day: date) -> bool:
        if day in self.holidays:
            return True
        if day in self.workdays:
            return False
        if not self.covers(day) and statutory.statutory_holiday(day) is not None:
            return True
        return day.weekday() >= 5

    def is_working_day(self, day: date) -> bool:
        return not self.is_rest_day(day)

    def holiday_name(self, day: date) -> str | None:
        if day in self.holidays or self.covers(day):
            return self.holidays.get(day)
        return statutory.statutory_holiday(day)


def load_calendar(docs: Iterable[Mapping]) -> HolidayCalendar:
    """Build a calendar from year documents: {"year", "holidays": [{"name","from","to"}], "workdays": [...]}."""
    years: set[int] = set()
    holidays: dict[date, str] = {}
    workdays: set[date] = set()
    h = hashlib.sha256(statutory.RULES_ID.encode())  # the rules used beyond the published years
    for doc in sorted(docs, key=lambda d: d["year"]):
        year = int(doc["year"])
        if year in years:
            raise CalendarError(f"calendar year {year} given twice")
        years.add(year)
        h.update(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode())
        for hol in doc.get("holidays", []):
            start, end = date.fromisoformat(hol["from"]), date.fromisoformat(hol["to"])
            if end < start or (end - start).days > 15:
                raise CalendarError(f"{year}: holiday {hol['name']} has a bad range {start}..{end}")
            day = start
            while day <= end:
                holidays[day] = hol["name"]
                day += timedelta(days=1)
        for w in doc.get("workdays", []):
            workdays.add(date.fromisoformat(w))
    clash = workdays & holidays.keys()
    if clash:
        raise CalendarError(f"adjusted working day inside a holiday: {sorted(clash)[0]}")
    return HolidayCalendar(frozenset(years), holidays, frozenset(workdays), h.hexdigest()[:16])


@cache
def default_calendar() -> HolidayCalendar:
    """The calendar shipped in resources/calendar/ (one JSON file per year)."""
    folder = resource("calendar")
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return load_calendar(docs)
