"""The statutory public holidays of 全国年节及纪念日放假办法, known for every year (beyond the published calendar).

The State Council publishes each year's schedule (resources/calendar/YYYY.json) only a few weeks ahead, with
its bridging days and adjusted working days. What the 办法 itself fixes is known for any year: the holiday
days "全体公民放假" — 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节. A last day of a period that falls on one of
them moves past it (民法典 203), so the calendar uses these days for years it has no schedule for; such a
result is still `calendar_certain: false`, since the real schedule usually adds bridging days and may make a
weekend after a holiday a working day.

The 办法 is not in shared/reference/, so the versions below are written here FROM MEMORY (high confidence):

* 国务院令第270号 (1999-09-18; used here for 2000–2007): 元旦 1 January; 春节 正月初一–初三; 劳动节 1–3 May;
  国庆节 1–3 October.
* 国务院令第513号 (2007-12-14; 2008-01-01 … 2013-12-31): 元旦; 春节 除夕、正月初一、初二; 清明节 (清明 day);
  劳动节 1 May; 端午节 (五月初五); 中秋节 (八月十五); 国庆节 1–3 October.
* 国务院令第644号 (2013-12-11; 2014-01-01 … 2024-12-31): as 2008 but 春节 正月初一–初三.
* 国务院令第795号 (2024-11-10; from 2025-01-01): 元旦; 春节 除夕–正月初三 (4 days); 清明节; 劳动节 1–2 May;
  端午节; 中秋节; 国庆节 1–3 October.

Not modelled, on purpose: the 补假 of art. 6 (a holiday on a weekend gives a weekday off, placed by each
year's notice) — leaving it out can only make a computed last day earlier, never later. Before 2000, and
outside the range of the lunar library (1900–2099), only weekends are known.

Lunar dates come from `lunar-python` (pinned; MIT — `lunardate` is GPL-3.0, which a proprietary installer cannot ship); the 清明 day (the solar term, sun at 15°) from the 寿星 formula
for 2000–2099, checked in the tests against the published schedules and an independent solar-term table.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

FIRST_YEAR, LAST_YEAR = 2000, 2099

# (first year, last year, decree): the version of the 办法 used for the years in range
VERSIONS: tuple[tuple[int, int, str], ...] = (
    (2000, 2007, "国务院令第270号（1999）"),
    (2008, 2013, "国务院令第513号（2007）"),
    (2014, 2024, "国务院令第644号（2013）"),
    (2025, LAST_YEAR, "国务院令第795号（2024）"),
)
# Changes whenever the rules of this module change; recorded in the calendar digest (classifications keep it)
RULES_ID = "全国年节及纪念日放假办法: 1999/2007/2013/2024 versions; lunar-python; 寿星 清明 formula"


def version_for(year: int) -> str | None:
    """The decree whose holidays this module uses for `year`, or None where only weekends are known."""
    for first, last, decree in VERSIONS:
        if first <= year <= last:
            return decree
    return None


def qingming(year: int) -> date:
    """The day of the 清明 solar term (2000–2099): [Y×0.2422 + 4.81] − [Y/4], Y = the last two digits."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"清明 is computed for {FIRST_YEAR}–{LAST_YEAR} only, not {year}")
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def _lunar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # imported when a year's holidays are first computed

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """Day -> holiday name for the days the 办法 in force in `year` gives everyone off (empty if unknown)."""
    decree = version_for(year)
    if decree is None:
        return {}
    out: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _lunar(year, 1, 1)  # 正月初一 (in January or February of `year`)
    if year >= 2025:
        spring = [new_year + timedelta(days=i) for i in range(-1, 3)]  # 除夕 … 初三
    elif year >= 2014 or year < 2008:
        spring = [new_year + timedelta(days=i) for i in range(0, 3)]  # 初一 … 初三
    else:
        spring = [new_year + timedelta(days=i) for i in range(-1, 2)]  # 除夕 … 初二
    for d in spring:
        out[d] = "春节"
    if year < 2008:
        for day in range(1, 4):
            out[date(year, 5, day)] = "劳动节"
    else:
        out[qingming(year)] = "清明节"
        for day in range(1, 3 if year >= 2025 else 2):
            out[date(year, 5, day)] = "劳动节"
        out[_lunar(year, 5, 5)] = "端午节"
        out[_lunar(year, 8, 15)] = "中秋节"
    for day in range(1, 4):
        out[date(year, 10, day)] = "国庆节"
    return out


def statutory_holiday(day: date) -> str | None:
    """The statutory holiday `day` is, or None."""
    return statutory_holidays(day.year).get(day)
