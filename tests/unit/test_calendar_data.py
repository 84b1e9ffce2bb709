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
