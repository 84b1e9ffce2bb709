"""Matter progress through the service: steps recorded as events, illegal steps refused with the reason,
the office's own duties (15 days to dispose, 60 days to reply) overdue and due soon, the visitor's look-up."""

from __future__ import annotations

import datetime as dt

import pytest

from xinfang_desk.domain.errors import NotFound, ValidationFailed
from xinfang_desk.services.context import LOCAL_TZ
from xinfang_desk.services.progress import StepInput, StepNotAllowed

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import counts, delta, person, reg  # noqa: E402
from tests.naughty import make_id  # noqa: E402

DAY = dt.date(2026, 11, 2)  # a Monday
ID = "11010519491231002X"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ).astimezone(dt.UTC)


@pytest.fixture
def visit(sv, clerk):
    return sv.registration.register(clerk, reg(person("张三", id_number=ID), received_on=DAY), now=at(DAY))


def test_steps_are_appended_and_replayed_in_order(sv, clerk, visit, db_path) -> None:
    p = sv.progress
    p.record(clerk, visit.query_code, StepInput("transferred", DAY + dt.timedelta(days=3), organ="区人力资源和社会保障局",
                                                document="青信转〔2026〕12号"), now=at(DAY + dt.timedelta(days=3)))
    p.record(clerk, visit.query_code, StepInput("accepted", DAY + dt.timedelta(days=5), organ="区人力资源和社会保障局"),
             now=at(DAY + dt.timedelta(days=5)))
    view = p.record(clerk, visit.query_code, StepInput("replied", DAY + dt.timedelta(days=20), organ="区人力资源和社会保障局",
                                                       document="青人社信复〔2026〕3号"), now=at(DAY + dt.timedelta(days=21)))
    assert [s.state for s in view.steps] == ["transferred", "accepted", "replied"]
    assert view.state == "replied" and view.since == DAY + dt.timedelta(days=20)
    assert view.steps[-1].document == "青人社信复〔2026〕3号" and view.steps[0].operator_name == "李娜"
    assert view.duty is None  # a reply is the visitor's turn: nothing runs against the office
    import sqlite3
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM progress_events").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM outbox WHERE entity = 'progress_events'").fetchone()[0] == 3
    assert con.execute("SELECT status FROM matters").fetchone()[0] == "replied"


def test_closed_then_accepted_is_refused_with_the_reason_and_nothing_written(sv, clerk, visit, en) -> None:
    sv.progress.record(clerk, visit.query_code, StepInput("closed", DAY, note="当场解答"), now=at(DAY))
    before = counts(sv)
    with pytest.raises(StepNotAllowed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("accepted", DAY, organ="区住建委"), now=at(DAY))
    assert e.value.refused.code == "final_state"
    assert "Closed" in str(e.value) and "Accepted" in str(e.value)
    assert delta(before, counts(sv)) == {"audit_events": 1, "outbox": 1}  # only the refusal's audit


def test_refusal_reads_in_chinese(sv, clerk, visit, zh) -> None:
    sv.progress.record(clerk, visit.query_code, StepInput("closed", DAY), now=at(DAY))
    with pytest.raises(StepNotAllowed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("accepted", DAY, organ="区住建委"), now=at(DAY))
    assert "已办结" in str(e.value) and "受理" in str(e.value)


def test_review_only_after_the_first_reply_and_nothing_after_recheck(sv, clerk, visit) -> None:
    p, q = sv.progress, visit.query_code
    with pytest.raises(StepNotAllowed):
        p.record(clerk, q, StepInput("review", DAY, organ="市信访局"), now=at(DAY))
    for state, extra in (("accepted", {"organ": "区住建委"}), ("replied", {"document": "复〔2026〕1号"}),
                         ("review", {"organ": "市住建委"}), ("replied", {"document": "复查〔2026〕1号"}),
                         ("recheck", {"organ": "市政府"}), ("replied", {"document": "复核〔2026〕1号"})):
        p.record(clerk, q, StepInput(state, DAY, **extra), now=at(DAY))
    with pytest.raises(StepNotAllowed) as e:
        p.record(clerk, q, StepInput("review", DAY, organ="市住建委"), now=at(DAY))
    assert e.value.refused.code == "nothing_after_recheck_reply"


def test_missing_organ_document_reason_named(sv, clerk, visit) -> None:
    with pytest.raises(ValidationFailed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("transferred", DAY), now=at(DAY))
    assert [p.field for p in e.value.problems] == ["organ"]
    with pytest.raises(ValidationFailed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("not_accepted", DAY), now=at(DAY))
    assert [p.field for p in e.value.problems] == ["note"]
    with pytest.raises(ValidationFailed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("flying", DAY), now=at(DAY))
    assert e.value.problems[0].field == "state"
    with pytest.raises(StepNotAllowed) as e:
        sv.progress.record(clerk, visit.query_code, StepInput("closed", DAY - dt.timedelta(days=1)), now=at(DAY))
    assert e.value.refused.code == "before_received"


def test_unknown_query_code_is_a_clear_message(sv, clerk, visit) -> None:
    with pytest.raises(NotFound):
        sv.progress.history(clerk, "BN03-20261102-0099")
    with pytest.raises(ValidationFailed) as e:
        sv.progress.history(clerk, "张三")
    assert e.value.problems[0].field == "query_code"


def test_duties_dispose_within_15_days_then_reply_within_60(sv, clerk, supervisor, visit) -> None:
    # received Mon 2 Nov 2026: the 15th day is Tue 17 Nov (信访工作条例 22)
    board = sv.progress.duties(supervisor, DAY + dt.timedelta(days=13))
    assert [d.query_code for d in board.due_soon] == [visit.query_code] and not board.overdue
    d = board.due_soon[0]
    assert (d.duty, d.article, d.last_day, d.days_left) == ("dispose", 22, dt.date(2026, 11, 17), 2)
    board = sv.progress.duties(supervisor, dt.date(2026, 11, 18))
    assert [x.query_code for x in board.overdue] == [visit.query_code] and board.overdue_total == 1
    assert sv.progress.duties(supervisor, DAY + dt.timedelta(days=5)).due_soon == ()
    # accepted on 16 Nov: 60 days → 15 Jan 2027 (a Friday) (信访工作条例 34)
    sv.progress.record(clerk, visit.query_code, StepInput("accepted", dt.date(2026, 11, 16), organ="区住建委"),
                       now=at(dt.date(2026, 11, 16)))
    assert sv.progress.duties(supervisor, dt.date(2026, 11, 18)).overdue == ()
    board = sv.progress.duties(supervisor, dt.date(2027, 1, 13))
    assert [(x.duty, x.article, x.last_day) for x in board.due_soon] == [("reply", 34, dt.date(2027, 1, 15))]
    assert sv.progress.duties(supervisor, dt.date(2027, 1, 16)).overdue_total == 1
    sv.progress.record(clerk, visit.query_code, StepInput("replied", dt.date(2027, 1, 10), document="复〔2027〕1号"),
                       now=at(dt.date(2027, 1, 10)))
    assert sv.progress.duties(supervisor, dt.date(2027, 1, 16)).overdue_total == 0


def test_old_regulation_by_the_day_of_receipt(sv, clerk, supervisor) -> None:
    old = sv.registration.register(clerk, reg(person("李四"), received_on=dt.date(2022, 3, 1)), now=at(DAY))
    board = sv.progress.duties(supervisor, DAY)
    d = next(x for x in board.overdue if x.query_code == old.query_code)
    assert (d.instrument, d.version, d.article) == ("信访条例", "2005", 21)


def test_visitor_lookup_by_code_or_id_and_name_never_another_matter(sv, clerk, visit) -> None:
    other = sv.registration.register(clerk, reg(person("王五", id_number=make_id("110105", "19600101", "123")), received_on=DAY), now=at(DAY))
    views = sv.progress.lookup(clerk, query_code=visit.query_code)
    assert [v.query_code for v in views] == [visit.query_code]
    assert views[0].ids_masked == ("110105********002X",)
    views = sv.progress.lookup(clerk, id_number=ID, name="张三")
    assert [v.query_code for v in views] == [visit.query_code] and other.query_code not in [v.query_code for v in views]
    with pytest.raises(NotFound):
        sv.progress.lookup(clerk, id_number=ID, name="王五")  # the right ID with another's name
    with pytest.raises(ValidationFailed):
        sv.progress.lookup(clerk, id_number=ID)


def test_lawyer_may_not_record(sv, actors, visit) -> None:
    from xinfang_desk.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        sv.progress.record(actors["lawyer"], visit.query_code, StepInput("closed", DAY), now=at(DAY))


def test_first_printed_notice_is_the_written_notice_step(sv, clerk, supervisor, visit) -> None:
    printed = sv.notices.print_notice(clerk, visit.query_code, now=at(DAY, 11))
    view = sv.progress.history(clerk, visit.query_code)
    assert [(s.state, s.document) for s in view.steps] == [("notified", printed.document_number)]
    assert view.state == "notified" and view.duty is None
    assert sv.progress.duties(supervisor, dt.date(2026, 11, 30)).overdue_total == 0
    sv.notices.print_notice(clerk, visit.query_code, now=at(DAY, 12))  # a reprint (补打) adds no step
    assert len(sv.progress.history(clerk, visit.query_code).steps) == 1


def test_extension_moves_the_reply_duty_by_30_days(sv, clerk, supervisor, visit) -> None:
    sv.progress.record(clerk, visit.query_code, StepInput("accepted", dt.date(2026, 11, 16), organ="区住建委"),
                       now=at(dt.date(2026, 11, 16)))
    with pytest.raises(ValidationFailed) as e:  # the visitor must be told why (信访工作条例 34)
        sv.progress.record(clerk, visit.query_code, StepInput("extended", dt.date(2027, 1, 5)), now=at(dt.date(2027, 1, 5)))
    assert e.value.problems[0].field == "note"
    view = sv.progress.record(clerk, visit.query_code, StepInput("extended", dt.date(2027, 1, 5), note="情况复杂，需现场核查"),
                              now=at(dt.date(2027, 1, 5)))
    # 16 Nov + 90 days = Sunday 14 Feb 2027 → Monday 15 Feb; the shipped calendar ends with 2026, so it says
    # the date is not certain (the State Council's 2027 schedule may move it)
    assert view.duty is not None and view.duty.period == "90d"
    assert (view.duty.last_day, view.duty.calendar_certain) == (dt.date(2027, 2, 15), False)
    board = sv.progress.duties(supervisor, dt.date(2027, 1, 16))
    assert board.overdue_total == 0  # the 60 days ran out on 15 Jan, but the time limit was extended
