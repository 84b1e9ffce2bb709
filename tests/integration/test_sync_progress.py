"""State changes recorded at two windows while offline converge at the centre into one history, and every
window that syncs replays the same history to the same state."""

from __future__ import annotations

import datetime as dt

from xinfang_desk.services.context import LOCAL_TZ
from xinfang_desk.services.progress import StepInput
from xinfang_desk.sync.engine import sync_once

DAY = dt.date(2026, 11, 2)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), LOCAL_TZ).astimezone(dt.UTC)


def _history(w, code):
    v = w.services.progress.history(w.clerk, code, today=DAY + dt.timedelta(days=30))
    return v.state, [(s.state, s.occurred_on, s.organ, s.window_code, s.out_of_order) for s in v.steps]


def test_offline_steps_at_two_windows_merge_into_one_history(central, window_factory) -> None:
    a, b = window_factory("BN01"), window_factory("BN02")
    [vid] = a.register(1, now=at(DAY))
    assert sync_once(a.db, "BN01", a.url).ok
    assert sync_once(b.db, "BN02", b.url).ok  # B now knows the visit
    code = a.services.progress.history(a.clerk, vid).query_code
    # both offline: A transfers it on the 4th, B records its acceptance by the organ on the 6th
    a.services.progress.record(a.clerk, code, StepInput("transferred", DAY + dt.timedelta(days=2), organ="区人社局"),
                               now=at(DAY + dt.timedelta(days=2)))
    b.services.progress.record(b.clerk, code, StepInput("accepted", DAY + dt.timedelta(days=4), organ="区人社局"),
                               now=at(DAY + dt.timedelta(days=4)))
    # B syncs first, A later, then B again
    for w in (b, a, b):
        r = sync_once(w.db, w.code, w.url)
        assert r.ok, r.errors
    # a search by state at either window sees the merged state without any other read first
    from xinfang_desk.services.visit_search import VisitQuery

    for w in (a, b):
        hits = w.services.visit_search.search(w.clerk, VisitQuery(states=("accepted",)))
        assert [h.query_code for h in hits.rows] == [code]
    c = window_factory("BN03")  # a third window that only pulls: its day list shows the state
    assert sync_once(c.db, "BN03", c.url).ok
    day = c.services.search.visits_on(c.clerk, DAY)
    assert [(r.query_code, r.status) for r in day] == [(code, "accepted")]
    rows = central.rows("SELECT payload->>'state', payload->>'window_code' FROM central.central_changes "
                        "WHERE entity = 'progress_events' AND status = 'applied' ORDER BY payload->>'occurred_on'")
    assert [tuple(r) for r in rows] == [("transferred", "BN01"), ("accepted", "BN02")]
    ha, hb = _history(a, code), _history(b, code)
    assert ha == hb
    assert ha[0] == "accepted" and [s[0] for s in ha[1]] == ["transferred", "accepted"]
    assert all(s[4] is None for s in ha[1])
    # the duty that now runs is the 60-day reply, the same at both windows
    da = a.services.progress.history(a.clerk, code, today=DAY + dt.timedelta(days=10)).duty
    db_ = b.services.progress.history(b.clerk, code, today=DAY + dt.timedelta(days=10)).duty
    assert da is not None and db_ is not None and (da.duty, da.last_day) == (db_.duty, db_.last_day) == (
        "reply", dt.date(2027, 1, 5))


def test_contradicting_offline_steps_are_kept_and_marked_the_same_everywhere(central, window_factory) -> None:
    a, b = window_factory("BN01"), window_factory("BN02")
    [vid] = a.register(1, now=at(DAY))
    assert sync_once(a.db, "BN01", a.url).ok and sync_once(b.db, "BN02", b.url).ok
    code = a.services.progress.history(a.clerk, vid).query_code
    a.services.progress.record(a.clerk, code, StepInput("closed", DAY + dt.timedelta(days=1)), now=at(DAY + dt.timedelta(days=1)))
    b.services.progress.record(b.clerk, code, StepInput("accepted", DAY + dt.timedelta(days=3), organ="区住建委"),
                               now=at(DAY + dt.timedelta(days=3)))
    for w in (a, b, a):
        assert sync_once(w.db, w.code, w.url).ok
    ha, hb = _history(a, code), _history(b, code)
    assert ha == hb
    assert ha[0] == "closed"  # the earlier act wins; the later contradicting one stays in the history, marked
    assert [(s[0], s[4]) for s in ha[1]] == [("closed", None), ("accepted", "final_state")]
