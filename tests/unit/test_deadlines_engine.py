"""Deadline arithmetic per 民法典 201–203 and working days, on the shipped holiday calendar."""

from datetime import date

import pytest

from xinfang_desk.statutes.calendar import default_calendar, load_calendar
from xinfang_desk.statutes.deadlines import Period, add_months, is_expired, offset_start, period_end

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "period", "last_day", "certain", "why"),
    [
        # days: start day not counted (201)
        ("2026-11-10", "30d", "2026-12-10", True, "plain 30 days, a Thursday"),
        ("2026-11-20", "15d", "2026-12-07", True, "ends Saturday 12-05 -> Monday"),
        # months and years: corresponding day, else month end (202)
        ("2024-01-31", "1m", "2024-02-29", True, "31 January + 1 month = 29 February in a leap year"),
        ("2025-01-31", "1m", "2025-02-28", True, "31 January + 1 month = 28 February"),
        ("2024-02-29", "1y", "2025-02-28", True, "29 February + 1 year has no corresponding day"),
        ("2026-03-31", "6m", "2026-09-30", True, "31 March + 6 months = 30 September"),
        ("2026-10-31", "1m", "2026-11-30", True, "31 October + 1 month = 30 November (Monday)"),
        ("2025-08-31", "6m", "2026-02-28", True, "28 February 2026 is an adjusted working Saturday"),
        # rest days move the last day (203): National Day, Spring Festival, weekends
        ("2026-09-01", "30d", "2026-10-08", True, "10-01 falls in the National Day holiday 10-01..10-07"),
        ("2024-10-01", "2y", "2026-10-08", True, "two years from National Day lands in the next one"),
        ("2026-01-16", "30d", "2026-02-24", True, "02-15 Sunday then Spring Festival 02-15..02-23"),
        ("2025-12-29", "48d", "2026-02-24", True, "02-15 lands at the start of the 9-day Spring Festival"),
        ("2021-05-20", "30d", "2021-06-21", True, "Saturday 06-19 -> Monday 06-21"),
        ("2026-10-20", "60d", "2026-12-21", True, "Saturday 12-19 -> Monday 12-21"),
        ("2026-01-04", "1d", "2026-01-05", True, "01-04 itself is an adjusted working Sunday; the day after is Monday"),
        ("2026-01-03", "1d", "2026-01-04", True, "01-04 (Sunday) is an adjusted working day, so it can be a last day"),
        # working days (工作日)
        ("2026-09-20", "20wd", "2026-10-23", True, "skips Mid-Autumn and National Day, counts Saturday 10-10"),
        ("2026-02-13", "5wd", "2026-02-27", True, "Saturday 02-14 counts, Spring Festival 02-15..02-23 does not"),
        ("2026-02-13", "6wd", "2026-02-28", True, "the adjusted working Saturday 02-28 counts"),
        # beyond the calendar: weekends and the statutory holidays of 全国年节及纪念日放假办法 only, flagged
        ("2026-11-27", "6m", "2027-05-27", False, "2027 has no holiday data"),
        ("2024-02-29", "3y", "2027-03-01", False, "2027-02-28 is a Sunday -> Monday, uncertain"),
        ("2026-12-20", "20wd", "2027-01-18", False, "working days run into 2027, past 元旦 (01-01)"),
        ("2019-03-01", "60d", "2019-04-30", False, "2019 has no holiday data"),
    ],
)
def test_period_end(start, period, last_day, certain, why):
    end = period_end(D(start), period)
    assert end.last_day == D(last_day), why
    assert end.calendar_certain is certain, why


def test_add_months_clamps_to_month_end():
    assert add_months(D("2023-12-31"), 2) == D("2024-02-29")
    assert add_months(D("2023-01-30"), 1) == D("2023-02-28")
    assert add_months(D("2026-11-15"), 14) == D("2028-01-15")


def test_offset_start_is_a_plain_count():
    assert offset_start(D("2026-08-03"), Period.parse("60d")) == D("2026-10-02")
    assert offset_start(D("2026-08-31"), Period.parse("2m")) == D("2026-10-31")


def test_expired_only_after_the_last_day():
    assert not is_expired(D("2026-11-27"), D("2026-11-27"))
    assert is_expired(D("2026-11-26"), D("2026-11-27"))


@pytest.mark.parametrize("bad", ["", "0d", "5w", "1.5m", "d", "-3d"])
def test_bad_period_is_refused(bad):
    with pytest.raises(ValueError):
        Period.parse(bad)


def test_calendar_can_be_fed_from_documents():
    cal = load_calendar([{"year": 2030, "holidays": [{"name": "x", "from": "2030-01-01", "to": "2030-01-02"}],
                          "workdays": ["2030-01-05"]}])
    assert cal.is_rest_day(D("2030-01-02"))
    assert cal.is_working_day(D("2030-01-05"))  # a Saturday made a working day
    end = period_end(D("2029-12-31"), "1d", cal)
    assert end.last_day == D("2030-01-03") and end.calendar_certain is True  # the days examined are all in 2030
    assert period_end(D("2030-12-30"), "3d", cal).calendar_certain is False  # 2031 is not covered


def test_shipped_calendar_covers_2021_to_2026():
    assert sorted(default_calendar().years) == [2021, 2022, 2023, 2024, 2025, 2026]
