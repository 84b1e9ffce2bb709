"""When sessions happen: weekly recurrence and market days (赶场日) on the solar or the lunar calendar.

A plan repeats on given ISO weekdays (1 = Monday … 7 = Sunday) or on a town's market days between two dates.
Market days are written as a day set such as 1·4·7: `[1, 4, 7]` means the day numbers 1, 4, 7, 11, 14, 17,
21, 24, 27 of the month (never 31: a market cycle is three per ten days); `[3, 6, 10]` gives 3, 6, 10, 13, 16,
20, 23, 26, 30. On the lunar calendar the day numbers are lunar days (初一 … 三十), computed with `lunar-python`.

Statutory holidays are skipped (the caller passes the channel engine's holiday calendar as a mapping day ->
holiday name, so this module stays below the statutes layer); a plan may also skip weekends, otherwise a
market day on a Saturday or Sunday is kept (markets do not stop for the weekend). Exceptions: dates skipped,
and dates moved to another day. Every skipped date is returned with its reason, so a screen can say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

CALENDARS = ("solar", "lunar")
# reasons a date of the pattern produced no session (codes; the screen chooses the words)
SKIP_HOLIDAY = "holiday"
SKIP_WEEKEND = "weekend"
SKIP_EXCEPTION = "exception"
SKIP_MOVED = "moved"


class ScheduleError(ValueError):
    """A recurrence that cannot be: `field` names what is wrong, `code` says how."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        self.field, self.code, self.params = field, code, params
        super().__init__(f"{field}: {code} {params}")


def expand_market_days(days: Iterable[int]) -> frozenset[int]:
    """`[1, 4, 7]` -> {1, 4, 7, 11, 14, 17, 21, 24, 27}; each base day 1..10 repeats every ten days, never
    beyond 30."""
    out: set[int] = set()
    for d in days:
        if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 10:
            raise ScheduleError("market_days.days", "base_day_out_of_range", value=d)
        out.update(n for n in (d, d + 10, d + 20) if n <= 30)
    if not out:
        raise ScheduleError("market_days.days", "empty")
    return frozenset(out)


def lunar_day(day: dt.date) -> int:
    """The lunar day number (1..30) of a solar date."""
    from lunar_python import Solar

    return int(Solar.fromYmd(day.year, day.month, day.day).getLunar().getDay())


@dataclass(frozen=True)
class MarketDays:
    calendar: str  # solar | lunar
    days: tuple[int, ...]  # the base set as written, e.g. (1, 4, 7)

    def __post_init__(self) -> None:
        if self.calendar not in CALENDARS:
            raise ScheduleError("market_days.calendar", "unknown_calendar", value=self.calendar)
        expand_market_days(self.days)

    @property
    def day_numbers(self) -> frozenset[int]:
        return expand_market_days(self.days)

    def matches(self, day: dt.date) -> bool:
        n = lunar_day(day) if self.calendar == "lunar" else day.day
        return n in self.day_numbers

    def label(self) -> str:
        """"1·4·7" as the office writes it (the calendar is said separately)."""
        return "·".join(str(d) for d in self.days)


@dataclass(frozen=True)
class Recurrence:
    start: dt.date
    end: dt.date
    weekdays: frozenset[int] = frozenset()  # ISO 1..7
    market: MarketDays | None = None
    skip_weekends: bool = False
    skipped: frozenset[dt.date] = frozenset()
    moved: Mapping[dt.date, dt.date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ScheduleError("to", "ends_before_it_starts", start=self.start.isoformat(), end=self.end.isoformat())
        if (self.end - self.start).days > 366 * 2:
            raise ScheduleError("to", "longer_than_two_years")
        if bool(self.weekdays) == (self.market is not None):
            raise ScheduleError("weekdays", "weekdays_or_market_days")
        for w in self.weekdays:
            if isinstance(w, bool) or not isinstance(w, int) or not 1 <= w <= 7:
                raise ScheduleError("weekdays", "weekday_out_of_range", value=w)
        for src, dst in self.moved.items():
            if dst == src:
                raise ScheduleError("except", "moved_to_same_day", date=src.isoformat())


@dataclass(frozen=True)
class Skipped:
    day: dt.date
    reason: str  # SKIP_*
    detail: str = ""  # the holiday's name, or the date a session was moved to


@dataclass(frozen=True)
class Occurrences:
    dates: tuple[dt.date, ...]
    skipped: tuple[Skipped, ...]
    moved_from: Mapping[dt.date, dt.date]  # a moved session's date -> the pattern date it replaces


def _pattern_matches(rec: Recurrence, day: dt.date) -> bool:
    if rec.market is not None:
        return rec.market.matches(day)
    return day.isoweekday() in rec.weekdays


def occurrences(rec: Recurrence, holidays: Mapping[dt.date, str] | Callable[[dt.date], str | None]) -> Occurrences:
    """The session dates of a recurrence, in order, with each date the pattern gave but that holds no session.

    `holidays` maps a day to its statutory holiday's name (or is a function doing so). A moved session lands on
    its target even outside the pattern, but not on a holiday (then it is skipped with the holiday as reason)."""
    name_of: Callable[[dt.date], str | None] = holidays.get if isinstance(holidays, Mapping) else holidays
    dates: list[dt.date] = []
    skipped: list[Skipped] = []
    moved_from: dict[dt.date, dt.date] = {}
    day = rec.start
    one = dt.timedelta(days=1)
    candidates: list[tuple[dt.date, dt.date | None]] = []
    while day <= rec.end:
        if _pattern_matches(rec, day):
            if day in rec.moved:
                skipped.append(Skipped(day, SKIP_MOVED, rec.moved[day].isoformat()))
                candidates.append((rec.moved[day], day))
            elif day in rec.skipped:
                skipped.append(Skipped(day, SKIP_EXCEPTION))
            else:
                candidates.append((day, None))
        day += one
    seen: set[dt.date] = set()
    for d, origin in sorted(candidates, key=lambda c: c[0]):
        holiday = name_of(d)
        if holiday:
            skipped.append(Skipped(d, SKIP_HOLIDAY, holiday))
            continue
        if rec.skip_weekends and d.isoweekday() >= 6:
            skipped.append(Skipped(d, SKIP_WEEKEND))
            continue
        if d in seen:
            continue
        seen.add(d)
        dates.append(d)
        if origin is not None:
            moved_from[d] = origin
    skipped.sort(key=lambda s: s.day)
    return Occurrences(tuple(dates), tuple(skipped), moved_from)


def overlaps(a_day: dt.date, a_start: dt.time, a_end: dt.time, b_day: dt.date, b_start: dt.time, b_end: dt.time) -> bool:
    """Two sessions overlap when they share a day and their [start, end) times intersect."""
    return a_day == b_day and a_start < b_end and b_start < a_end
