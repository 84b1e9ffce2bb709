"""The shipped holiday calendar (resources/calendar/YYYY.json) against the State Council schedules."""

import json
from datetime import date, timedelta

import pytest

from xinfang_desk.paths import resource
from xinfang_desk.statutes.calendar import CalendarError, default_calendar, load_calendar

CAL = default_calendar()


def _days(year):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025, 2026])
def test_matches_chinese_calendar_package(year):
    cc = pytest.importorskip("chinese_calendar")
    wrong = [d for d in _days(year) if CAL.is_working_day(d) != cc.is_workday(d)]
    assert wrong == []


@pytest.mark.parametrize(
    ("day", "rest"),
    [
        ("2026-02-14", False),  # adjusted working Saturday before Spring Festival
        ("2026-02-15", True),
        ("2026-02-23", True),
        ("2026-02-28", False),  # adjusted working Saturday after Spring Festival
        ("2026-10-01", True),
        ("2026-10-07", True),
        ("2026-10-10", False),  # adjusted working Saturday after National Day
        ("2025-01-28", True),  # 除夕 became a holiday from 2025
        ("2024-02-09", False),  # 除夕 2024 was a working Friday
        ("2023-01-01", True),
        ("2022-12-31", True),  # Saturday (the 2023 New Year holiday starts on it)
    ],
)
def test_known_days(day, rest):
    assert CAL.is_rest_day(date.fromisoformat(day)) is rest


def test_every_year_file_names_its_source():
    for p in sorted(resource("calendar").glob("*.json")):
        doc = json.loads(p.read_text(encoding="utf-8"))
        assert str(doc["year"]) == p.stem
        assert doc["source"].startswith("国务院办公厅关于")


def test_inconsistent_calendar_refused():
    with pytest.raises(CalendarError):
        load_calendar([{"year": 2030, "holidays": [{"name": "x", "from": "2030-01-01", "to": "2030-01-03"}],
                        "workdays": ["2030-01-02"]}])
    with pytest.raises(CalendarError):
        load_calendar([{"year": 2030}, {"year": 2030}])


# ---- beyond the published schedules: the statutory holidays of 全国年节及纪念日放假办法 (issue 8 item 12)


def test_sixty_days_from_2026_11_02_skip_new_year_2027_and_the_weekend():
    """2027-01-01 (元旦, a Friday) is a statutory holiday before the State Council publishes 2027."""
    from xinfang_desk.statutes.deadlines import period_end

    assert 2027 not in CAL.years
    end = period_end(date(2026, 11, 2), "60d", CAL)
    assert (end.last_day, end.calendar_certain) == (date(2027, 1, 4), False)
    assert CAL.holiday_name(date(2027, 1, 1)) == "元旦"


@pytest.mark.parametrize(("start", "period", "last"), [
    ("2027-08-02", "2m", "2027-10-04"),  # 2027-10-02 is a Saturday inside 国庆 1-3 October -> Monday 4 October
    ("2027-01-05", "1m", "2027-02-09"),  # 2027-02-05 (除夕, 2024 version) .. 初三 2-08 -> Tuesday 9 February
    ("2027-03-05", "1m", "2027-04-06"),  # 2027-04-05 is 清明 (a Monday) -> Tuesday
    ("2028-04-01", "1m", "2028-05-03"),  # 1-2 May 2028 (Monday, Tuesday) are 劳动节 under the 2024 version -> Wednesday
    ("2027-05-09", "1m", "2027-06-10"),  # 端午 (五月初五) 2027-06-09 is a Wednesday -> Thursday
    ("2027-08-15", "1m", "2027-09-16"),  # 中秋 (八月十五) 2027-09-15 is a Wednesday -> Thursday
])
def test_lunar_and_fixed_holidays_beyond_the_calendar(start, period, last):
    from xinfang_desk.statutes.deadlines import period_end

    end = period_end(date.fromisoformat(start), period, CAL)
    assert end.last_day == date.fromisoformat(last)
    assert end.calendar_certain is False


def test_statutory_holidays_are_rest_days_in_every_published_schedule():
    """Every day the 办法 in force gave everyone off is a holiday in the State Council's schedule, 2008-2026."""
    from xinfang_desk.statutes.holidays import statutory_holidays

    cc = pytest.importorskip("chinese_calendar")
    checked = 0
    for year in range(2008, 2027):
        for day, name in statutory_holidays(year).items():
            if year in CAL.years:
                assert day in CAL.holidays, (day, name)
            else:
                assert cc.is_holiday(day), (day, name)
            checked += 1
    assert checked > 200


def test_2024_revision_added_new_years_eve_and_2_may():
    from xinfang_desk.statutes.holidays import statutory_holidays, version_for

    h24, h25 = statutory_holidays(2024), statutory_holidays(2025)
    assert date(2024, 2, 9) not in h24 and date(2024, 5, 2) not in h24  # 除夕 2024, 2 May: not statutory then
    assert h25[date(2025, 1, 28)] == "春节" and h25[date(2025, 5, 2)] == "劳动节"  # 除夕 2025, 2 May
    assert len(h24) == 11 and len(h25) == 13
    assert version_for(2025) == "国务院令第795号（2024）" and version_for(1999) is None


def test_qingming_matches_an_independent_solar_term_table():
    from xinfang_desk.statutes.holidays import qingming

    cc = pytest.importorskip("chinese_calendar")
    terms = cc.get_solar_terms(date(2000, 1, 1), date(2099, 12, 31))
    table = {d.year: d for d, term in terms if term == "清明"}
    assert len(table) == 100
    assert all(qingming(y) == table[y] for y in range(2000, 2100))


def test_a_published_year_overrides_the_statutory_rules():
    """Once the schedule of a year is loaded, its own days (with bridging and adjusted working days) decide."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(resource("calendar").glob("*.json"))]
    without_2026 = load_calendar([d for d in docs if d["year"] != 2026])
    assert without_2026.is_rest_day(date(2026, 10, 1)) and not without_2026.is_rest_day(date(2026, 10, 5))
    assert CAL.is_rest_day(date(2026, 10, 5))  # published: 国庆 2026 runs 1-7 October
    assert not CAL.is_rest_day(date(2026, 10, 10))  # an adjusted working Saturday the rules cannot know
    assert without_2026.digest != CAL.digest
