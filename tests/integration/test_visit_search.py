"""Search of past visits: every filter narrows to the visits a supervisor expects, paging and sorting are
stable, the CSV is UTF-8 with BOM and never carries a full ID number or phone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3

import pytest

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.services.progress import StepInput
from xinfang_desk.services.visit_search import VisitQuery, hits_to_csv

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.supervisor_fixtures import DAY, at, fill_day  # noqa: E402


@pytest.fixture
def day(sv, clerk, clerk2):
    return fill_day(sv, clerk, clerk2)


def codes(page) -> list[str]:
    return [r.query_code for r in page.rows]


def test_date_range_kind_window_and_sql_agree(sv, supervisor, day, db_path) -> None:
    q = VisitQuery(date_from=DAY, date_to=DAY, kinds=("labour.wage_arrears",), page_size=200, count=True)
    page = sv.visit_search.search(supervisor, q)
    con = sqlite3.connect(db_path)
    expect = {r[0] for r in con.execute(
        "SELECT v.query_code FROM visits v JOIN matters m ON m.visit_id = v.id "
        "WHERE v.received_on = ? AND m.kind = 'labour.wage_arrears'", (DAY.isoformat(),))}
    assert set(codes(page)) == expect and page.total == len(expect) >= 3
    page = sv.visit_search.search(supervisor, VisitQuery(date_from=DAY, date_to=DAY, windows=("BN02",), page_size=200))
    assert codes(page) and all(r.window_code == "BN02" for r in page.rows)
    assert set(codes(sv.visit_search.search(supervisor, VisitQuery(date_to=DAY - dt.timedelta(days=1))))) == set(day.other_day_codes)


def test_collective_repeat_town_person_and_decision(sv, supervisor, day) -> None:
    s = sv.visit_search
    assert codes(s.search(supervisor, VisitQuery(collective=True))) == [day.collective_code]
    assert codes(s.search(supervisor, VisitQuery(repeat=True))) == [day.repeat_code]
    stone = s.search(supervisor, VisitQuery(town="石桥镇", page_size=200))
    assert day.collective_code in codes(stone) and all(r.town == "石桥镇" for r in stone.rows)
    by_id = s.search(supervisor, VisitQuery(person=day.ids[0]))
    assert set(codes(by_id)) == {day.codes[0], day.repeat_code}
    by_phone = s.search(supervisor, VisitQuery(person=day.phones[1]))
    assert codes(by_phone) == [day.codes[1]]
    assert codes(s.search(supervisor, VisitQuery(person="张一"))) == codes(by_id)
    discipline = s.search(supervisor, VisitQuery(decisions=("transfer_discipline",), page_size=200))
    assert codes(discipline) and all(r.kind == "accusation.official" for r in discipline.rows)
    assert all("transfer_discipline" in r.decisions for r in discipline.rows)


def test_state_filter_follows_recorded_steps(sv, clerk, supervisor, day) -> None:
    sv.progress.record(clerk, day.codes[2], StepInput("transferred", DAY, organ="区纪委监委"), now=at(DAY, 17))
    s = sv.visit_search
    assert codes(s.search(supervisor, VisitQuery(states=("transferred",)))) == [day.codes[2]]
    registered = codes(s.search(supervisor, VisitQuery(states=("registered",), page_size=200)))
    assert day.codes[2] not in registered and day.codes[3] in registered


def test_paging_and_sorting(sv, supervisor, day) -> None:
    s = sv.visit_search
    everything = codes(s.search(supervisor, VisitQuery(date_from=DAY, date_to=DAY, page_size=200)))
    assert len(everything) == len(day.codes) and everything[0] == day.repeat_code  # newest first
    pages, p = [], 1
    while True:
        page = s.search(supervisor, VisitQuery(date_from=DAY, date_to=DAY, page=p, page_size=5))
        pages += codes(page)
        if not page.has_more:
            break
        p += 1
    assert pages == everything and p == 3
    by_code = codes(s.search(supervisor, VisitQuery(date_from=DAY, date_to=DAY, sort="query_code", descending=False, page_size=200)))
    assert by_code == sorted(everything)


def test_bad_filters_name_the_field(sv, supervisor) -> None:
    with pytest.raises(ValidationFailed) as e:
        sv.visit_search.search(supervisor, VisitQuery(date_from=DAY, date_to=DAY - dt.timedelta(days=1)))
    assert e.value.problems[0].field == "date_to"
    with pytest.raises(ValidationFailed) as e:
        sv.visit_search.search(supervisor, VisitQuery(kinds=("nonsense",), page_size=0))
    assert [p.field for p in e.value.problems] == ["kinds", "page_size"]


def test_masked_for_a_clerk_full_for_the_supervisor_and_csv_always_masked(sv, clerk, supervisor, day) -> None:
    q = VisitQuery(person=day.ids[1])
    assert sv.visit_search.search(clerk, q).rows[0].people[0]["id_number"] == day.ids[1][:6] + "********" + day.ids[1][-4:]
    assert sv.visit_search.search(supervisor, q).rows[0].people[0]["id_number"] == day.ids[1]
    data = hits_to_csv(sv.visit_search.all_rows(supervisor, VisitQuery(page_size=200)))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "查询码" and len(rows) == 1 + len(day.codes) + len(day.other_day_codes)
    for full in day.ids + day.phones:
        assert full not in text
    assert any("****" in r[6] for r in rows[1:])
