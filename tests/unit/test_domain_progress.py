"""The progress state machine on its own: legal and refused steps with their reasons, a history that does not
depend on the order the events arrived in, and the office's duty by the regulation of the day of receipt."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from xinfang_desk.domain import progress as P

D0 = dt.date(2026, 11, 2)


def pos(state: str, level: int = 0, since: dt.date = D0) -> P.Position:
    return P.Position(state, since, level)


@pytest.mark.parametrize(("state", "target", "code"), [
    ("closed", "accepted", P.R_FINAL),
    ("not_accepted", "replied", P.R_FINAL),
    ("accepted", "transferred", P.R_NOT_NEXT),
    ("registered", "replied", P.R_NOT_NEXT),
    ("registered", "registered", P.R_UNKNOWN_STATE),
])
def test_refused_steps_name_the_reason(state: str, target: str, code: str) -> None:
    r = P.check_step(pos(state), target, D0)
    assert r is not None and (r.code, r.state, r.target) == (code, state, target)


def test_levels_review_then_recheck_then_final() -> None:
    p = pos("registered")
    for target in ("accepted", "replied", "review", "replied", "recheck", "replied", "closed"):
        assert P.check_step(p, target, D0) is None, (p, target)
        p = P.advance(p, target, D0)
    assert p.state == "closed" and p.level == 2
    assert P.check_step(pos("replied", 0), "recheck", D0).code == P.R_RECHECK_LEVEL
    assert P.check_step(pos("replied", 1), "review", D0).code == P.R_REVIEW_LEVEL
    assert P.check_step(pos("replied", 2), "recheck", D0).code == P.R_AFTER_RECHECK


def test_dates_never_run_backwards() -> None:
    assert P.check_step(pos("registered"), "closed", D0 - dt.timedelta(days=1)).code == P.R_BEFORE_RECEIPT
    assert P.check_step(pos("accepted", since=D0 + dt.timedelta(days=5)), "replied", D0).code == P.R_BEFORE_PREVIOUS


def test_replay_is_the_same_whatever_the_arrival_order() -> None:
    t = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    steps = [P.Step("a", "transferred", D0 + dt.timedelta(days=1), t), P.Step("b", "accepted", D0 + dt.timedelta(days=3), t),
             P.Step("c", "closed", D0 + dt.timedelta(days=2), t + dt.timedelta(hours=1)),
             P.Step("d", "replied", D0 + dt.timedelta(days=9), t)]
    results = {P.replay(D0, perm) for perm in itertools.permutations(steps)}
    assert len(results) == 1
    r = results.pop()
    # transferred (4th) → closed (5th) wins; the acceptance on the 6th and the reply contradict it and are marked
    assert r.position.state == "closed" and r.applied == ("a", "c")
    assert [(e, x.code) for e, x in r.out_of_order] == [("b", P.R_FINAL), ("d", P.R_FINAL)]


def test_same_day_steps_ordered_by_recording_time_then_id() -> None:
    t = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    a = P.Step("z", "transferred", D0, t)
    b = P.Step("a", "accepted", D0, t + dt.timedelta(minutes=1))
    steps = [b, a]
    random.Random(1).shuffle(steps)
    assert P.replay(D0, steps).applied == ("z", "a")


def test_duties_by_the_regulation_in_force_on_the_day_of_receipt() -> None:
    new = P.duty_for(pos("registered"), dt.date(2022, 5, 1))
    old = P.duty_for(pos("registered"), dt.date(2022, 4, 30))
    assert (new.instrument, new.article, new.period) == ("信访工作条例", 22, "15d")
    assert (old.instrument, old.article, old.period) == ("信访条例", 21, "15d")
    assert P.duty_for(pos("accepted"), D0).article == 34 and P.duty_for(pos("accepted"), D0).period == "60d"
    assert P.duty_for(pos("review", 1), D0).article == 35
    assert P.duty_for(pos("recheck", 2), D0).article == 36
    assert P.duty_for(pos("replied"), D0) is None and P.duty_for(pos("closed"), D0) is None


def test_every_duty_cites_an_article_the_catalogue_has_verbatim() -> None:
    from xinfang_desk.statutes.catalogue import default_catalogue

    cat = default_catalogue()
    for rule in P.duty_rules():
        q = cat.quote(rule.instrument, rule.version, rule.article, rule.paragraph)
        assert q.printable and q.text, rule
        for digits in {"15d": ("15日",), "60d": ("60日",), "30d": ("30日",), "90d": ("60日", "30日")}[rule.period]:
            assert digits in q.text, (rule, q.text)


def test_extension_once_after_acceptance_keeps_the_start_of_the_period() -> None:
    p = P.advance(pos("registered"), "accepted", D0)
    assert P.check_step(p, "extended", D0 + dt.timedelta(days=50)) is None
    e = P.advance(p, "extended", D0 + dt.timedelta(days=50))
    assert (e.state, e.since, e.period_start) == ("extended", D0 + dt.timedelta(days=50), D0)
    assert P.check_step(e, "extended", D0 + dt.timedelta(days=51)).code == P.R_NOT_NEXT
    assert P.check_step(pos("transferred"), "extended", D0).code == P.R_NOT_NEXT
    rule = P.duty_for(e, D0)
    assert (rule.code, rule.period, rule.article) == ("reply", "90d", 34)
    assert P.check_step(e, "replied", D0 + dt.timedelta(days=80)) is None
