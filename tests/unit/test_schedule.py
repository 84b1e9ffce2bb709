"""Recurrence and market days: weekly with exceptions, holidays skipped, solar and lunar market days (the lunar
ones checked day by day against a second lunar library, zhdate, not the one the product uses)."""

from __future__ import annotations

import datetime as dt

import pytest
from zhdate import ZhDate

from xinfang_desk.domain.schedule import (
    SKIP_EXCEPTION,
    SKIP_HOLIDAY,
    SKIP_MOVED,
    SKIP_WEEKEND,
    MarketDays,
    Recurrence,
    ScheduleError,
    expand_market_days,
    occurrences,
)
from xinfang_desk.statutes.calendar import default_calendar

D = dt.date


def test_market_day_set_expands_every_ten_days_and_never_reaches_31():
    assert sorted(expand_market_days([1, 4, 7])) == [1, 4, 7, 11, 14, 17, 21, 24, 27]
    assert sorted(expand_market_days([3, 6, 10])) == [3, 6, 10, 13, 16, 20, 23, 26, 30]
    assert 31 not in expand_market_days([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    with pytest.raises(ScheduleError) as e:
        expand_market_days([11])
    assert e.value.field == "market_days.days"


def test_weekly_with_skipped_and_moved_dates():
    rec = Recurrence(D(2026, 3, 2), D(2026, 3, 31), weekdays=frozenset({3}),  # Wednesdays
                     skipped=frozenset({D(2026, 3, 11)}), moved={D(2026, 3, 18): D(2026, 3, 19)})
    occ = occurrences(rec, {})
    assert occ.dates == (D(2026, 3, 4), D(2026, 3, 19), D(2026, 3, 25))
    assert {(s.day, s.reason) for s in occ.skipped} == {(D(2026, 3, 11), SKIP_EXCEPTION), (D(2026, 3, 18), SKIP_MOVED)}
    assert occ.moved_from == {D(2026, 3, 19): D(2026, 3, 18)}


def test_statutory_holidays_of_the_channel_engines_calendar_are_skipped_with_their_name():
    cal = default_calendar()
    rec = Recurrence(D(2026, 9, 28), D(2026, 10, 9), weekdays=frozenset({1, 2, 3, 4, 5}))
    occ = occurrences(rec, cal.holiday_name)
    national_day = [s for s in occ.skipped if s.reason == SKIP_HOLIDAY]
    assert national_day, "the National Day week must be skipped"
    assert all(s.day.month == 10 and s.day.day <= 8 for s in national_day)
    assert all(cal.holiday_name(d) is None for d in occ.dates)
    assert D(2026, 9, 28) in occ.dates and D(2026, 10, 9) in occ.dates


def test_solar_market_days_keep_weekends_unless_asked():
    md = MarketDays("solar", (1, 4, 7))
    rec = Recurrence(D(2026, 3, 1), D(2026, 3, 31), market=md)
    occ = occurrences(rec, {})
    assert [d.day for d in occ.dates] == [1, 4, 7, 11, 14, 17, 21, 24, 27]
    assert D(2026, 3, 1).isoweekday() == 7 and D(2026, 3, 1) in occ.dates  # a Sunday market is kept
    occ2 = occurrences(Recurrence(D(2026, 3, 1), D(2026, 3, 31), market=md, skip_weekends=True), {})
    assert all(d.isoweekday() <= 5 for d in occ2.dates)
    assert {s.day for s in occ2.skipped if s.reason == SKIP_WEEKEND} == {d for d in occ.dates if d.isoweekday() >= 6}


@pytest.mark.parametrize("days", [(1, 4, 7), (2, 5, 8), (3, 6, 9), (3, 6, 10)])
def test_lunar_market_days_agree_with_a_second_lunar_library(days):
    start, end = D(2026, 1, 1), D(2027, 12, 31)
    occ = occurrences(Recurrence(start, end, market=MarketDays("lunar", days)), {})
    expected = set(expand_market_days(days))
    want = []
    day = start
    while day <= end:
        if ZhDate.from_datetime(dt.datetime(day.year, day.month, day.day)).lunar_day in expected:
            want.append(day)
        day += dt.timedelta(days=1)
    assert list(occ.dates) == want
    assert len(want) > 200  # two years of a three-per-ten-days market


def test_lunar_new_year_market_falls_on_lunar_first_not_solar_first():
    occ = occurrences(Recurrence(D(2026, 2, 10), D(2026, 2, 25), market=MarketDays("lunar", (1, 4, 7))), {})
    assert D(2026, 2, 17) in occ.dates  # 正月初一 2026
    assert D(2026, 2, 21) not in occ.dates  # a solar market day, but lunar 正月初五
    assert D(2026, 2, 11) in occ.dates  # lunar 腊月廿四


def test_bad_recurrences_name_the_field():
    with pytest.raises(ScheduleError) as e:
        Recurrence(D(2026, 3, 2), D(2026, 3, 1), weekdays=frozenset({1}))
    assert e.value.field == "to"
    with pytest.raises(ScheduleError) as e:
        Recurrence(D(2026, 3, 2), D(2026, 3, 9), weekdays=frozenset({8}))
    assert e.value.field == "weekdays"
    with pytest.raises(ScheduleError) as e:
        Recurrence(D(2026, 3, 2), D(2026, 3, 9))
    assert e.value.field == "weekdays"
    with pytest.raises(ScheduleError) as e:
        MarketDays("moon", (1,))
    assert e.value.field == "market_days.calendar"
