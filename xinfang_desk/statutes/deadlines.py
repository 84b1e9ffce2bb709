"""Time limits computed the way the law counts them.

民法典 (2020) art. 201: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
art. 202: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。
art. 203: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。

So: days are added to the start day (which is not counted); months and years end on the corresponding day
of the target month, or on its last day if it has none (31 January + 1 month = 28/29 February); a last day
that is a rest day (a public holiday, or a weekend that is not an adjusted working day) moves to the first
working day after it. Periods in working days (工作日) count working days after the start day.

Every result says whether the holiday calendar covered all the days that decided it (`calendar_certain`)
and whether the period is over (`expired`: the last day is before today). An expired period is never
reported as open.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_desk.statutes.calendar import HolidayCalendar, default_calendar

_PERIOD_RE = re.compile(r"^(\d{1,3})(d|wd|m|y)$")


@dataclass(frozen=True)
class Period:
    """A statutory period: `amount` of days (d), working days (wd), months (m) or years (y)."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(text)
        if not m or int(m.group(1)) <= 0:
            raise ValueError(f"bad period {text!r}; use e.g. 15d, 20wd, 6m, 1y")
        return cls(int(m.group(1)), m.group(2))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class PeriodEnd:
    last_day: date
    calendar_certain: bool


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later, or the last day of that month if it has none (民法典 202)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))


def roll_past_rest_days(day: date, cal: HolidayCalendar) -> tuple[date, bool]:
    """民法典 203: a last day on a rest day becomes the day after the rest days end."""
    certain = cal.covers(day)
    while cal.is_rest_day(day):
        day += timedelta(days=1)
        certain = certain and cal.covers(day)
    return day, certain


def add_working_days(start: date, count: int, cal: HolidayCalendar) -> tuple[date, bool]:
    """The `count`-th working day after `start` (the start day itself is not counted)."""
    day, certain, left = start, True, count
    while left:
        day += timedelta(days=1)
        certain = certain and cal.covers(day)
        if cal.is_working_day(day):
            left -= 1
    return day, certain


def period_end(start: date, period: Period | str, cal: HolidayCalendar | None = None) -> PeriodEnd:
    """Last day of a period that starts on `start` (an event day, itself not counted)."""
    cal = cal or default_calendar()
    p = Period.parse(period) if isinstance(period, str) else period
    if p.unit == "wd":
        day, certain = add_working_days(start, p.amount, cal)
        return PeriodEnd(day, certain)
    if p.unit == "d":
        raw = start + timedelta(days=p.amount)
    elif p.unit == "m":
        raw = add_months(start, p.amount)
    else:
        raw = add_months(start, 12 * p.amount)
    day, certain = roll_past_rest_days(raw, cal)
    return PeriodEnd(day, certain)


def offset_start(start: date, offset: Period) -> date:
    """A derived start day, e.g. 'the day the organ's 60 days ran out' = application day + 60 days.

    The offset is a plain count (no rest-day extension): the organ's own time limit ends on that day, and
    the visitor's period starts from it (行政复议法实施条例 2026 art. 24(1)(2) "自行政机关收到申请满60日起计算")."""
    if offset.unit == "d":
        return start + timedelta(days=offset.amount)
    if offset.unit == "m":
        return add_months(start, offset.amount)
    if offset.unit == "y":
        return add_months(start, 12 * offset.amount)
    raise ValueError("a start offset cannot be in working days")


def is_expired(last_day: date, today: date) -> bool:
    """A period is over once its last day has passed (the last day itself runs to 24:00, 民法典 203(2))."""
    return last_day < today
