"""The task runner's "latest wins" mode: a newer submission under the same key makes the older one's result and
error be dropped (never applied, never shown); an older one that has not started is skipped. The live search,
the ID look-up, the repeat check, the earlier answers and the channel proposal rely on it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool

from xinfang_desk.gui.tasks import QueryOp, StreamKey, TaskRunner

WAIT = 5000


@pytest.fixture
def pool_runner(qapp: Any) -> Iterator[TaskRunner]:
    """A runner with a read pool of its own (two threads), so that a test can hold a job back."""
    r = TaskRunner()
    r.read_pool = QThreadPool()
    r.read_pool.setMaxThreadCount(2)
    yield r
    r.closing = True
    assert r.wait(10000), "background tasks still running after the test"
    qapp.processEvents()


def held(gate: threading.Event, value: Any = None, exc: Exception | None = None) -> Any:
    """A job that finishes only when the test opens its gate."""
    def fn() -> Any:
        assert gate.wait(10), "the test never released this job"
        if exc is not None:
            raise exc
        return value
    return fn


def test_the_older_result_arriving_last_is_dropped(qtbot: Any, pool_runner: TaskRunner) -> None:
    applied: list[str] = []
    key = StreamKey("search")
    gate_a = threading.Event()
    QueryOp(pool_runner, None, held(gate_a, "A")).latest(key).success(applied.append).run()
    QueryOp(pool_runner, None, lambda: "B").latest(key).success(applied.append).run()
    qtbot.waitUntil(lambda: applied == ["B"], timeout=WAIT)
    assert not pool_runner.pending(key)  # B delivered: nothing is awaited for this key any more
    gate_a.set()  # A finishes last
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    qtbot.wait(50)
    assert applied == ["B"]


def test_an_error_of_a_superseded_task_is_not_shown(qtbot: Any, pool_runner: TaskRunner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr("xinfang_desk.gui.errors.show_error", lambda _parent, exc: shown.append(exc))
    failures: list[BaseException] = []
    applied: list[str] = []
    key = StreamKey("repeat check")
    gate_a, gate_b = threading.Event(), threading.Event()
    # A with the default failure (an error dialog), A2 with its own: both superseded by B, both fail late
    QueryOp(pool_runner, None, held(gate_a, exc=RuntimeError("database is locked"))).latest(key).run()
    QueryOp(pool_runner, None, held(gate_a, exc=RuntimeError("timeout"))).latest(key, cancel_older=False) \
        .failure(failures.append).run()
    QueryOp(pool_runner, None, held(gate_b, "B")).latest(key).success(applied.append).failure(failures.append).run()
    assert pool_runner.pending(key)
    gate_a.set()
    gate_b.set()
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    qtbot.wait(50)
    assert applied == ["B"]
    assert shown == [] and failures == []


def test_the_error_of_the_latest_task_is_shown(qtbot: Any, pool_runner: TaskRunner) -> None:
    failures: list[str] = []
    key = StreamKey("search")
    QueryOp(pool_runner, None, lambda: "A").latest(key).success(lambda _r: failures.append("A applied")).run()
    qtbot.waitUntil(lambda: not pool_runner.pending(key), timeout=WAIT)

    def boom() -> None:
        raise ValueError("bad query")

    QueryOp(pool_runner, None, boom).latest(key).failure(lambda e: failures.append(str(e))).run()
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=WAIT)
    assert failures == ["A applied", "bad query"]


def test_an_older_task_not_started_yet_never_runs(qtbot: Any, pool_runner: TaskRunner) -> None:
    pool_runner.read_pool.setMaxThreadCount(1)
    blocker = threading.Event()
    QueryOp(pool_runner, None, held(blocker)).run()  # occupies the only thread
    ran: list[str] = []
    applied: list[str] = []
    key = StreamKey("proposal")

    def job(name: str) -> Any:
        return lambda: ran.append(name) or name

    QueryOp(pool_runner, None, job("A")).latest(key).success(applied.append).run()
    QueryOp(pool_runner, None, job("B")).latest(key).success(applied.append).run()
    blocker.set()
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    assert ran == ["B"] and applied == ["B"]

    # without cancelling, the older one still runs (and its result is still dropped)
    blocker.clear()
    ran.clear()
    applied.clear()
    QueryOp(pool_runner, None, held(blocker)).run()
    QueryOp(pool_runner, None, job("C")).latest(key).success(applied.append).run()
    QueryOp(pool_runner, None, job("D")).latest(key, cancel_older=False).success(applied.append).run()
    blocker.set()
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    assert ran == ["C", "D"] and applied == ["D"]


def test_supersede_drops_without_submitting_and_keys_are_independent(qtbot: Any, pool_runner: TaskRunner) -> None:
    applied: list[str] = []
    search, lookup = StreamKey("search"), StreamKey("search")  # same name, different streams
    gate = threading.Event()
    QueryOp(pool_runner, None, held(gate, "search")).latest(search).success(applied.append).run()
    QueryOp(pool_runner, None, held(gate, "lookup")).latest(lookup).success(applied.append).run()
    QueryOp(pool_runner, None, held(gate, "plain")).success(applied.append).run()
    pool_runner.supersede(search)  # the search box was emptied
    assert not pool_runner.pending(search) and pool_runner.pending(lookup)
    gate.set()
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    qtbot.wait(50)
    assert sorted(applied) == ["lookup", "plain"]


def test_the_channel_proposal_of_older_typing_never_overwrites_the_newer(qtbot: Any, pool_runner: TaskRunner) -> None:
    """The right column: the proposal for 劳动争议 is slow, the clerk changes the kind, the newer one shows."""
    from xinfang_desk.gui.channels_panel import ChannelsPanel

    gate = threading.Event()

    def propose(doc: dict[str, Any]) -> dict[str, Any]:
        kind = doc["matter"]["kind"]
        if kind == "labor_dispute":
            assert gate.wait(10)
        return {"channels": [{"label": f"渠道 {kind}"}], "warnings": []}

    panel = ChannelsPanel(pool_runner, propose=propose)
    qtbot.addWidget(panel)
    results: list[Any] = []
    panel.sig_result.connect(results.append)
    panel.update_document({"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "labor_dispute", "facts": {}}})
    qtbot.waitUntil(lambda: not panel.busy and panel.pending, timeout=WAIT)  # A is running
    panel.update_document({"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "traffic", "facts": {}}})
    qtbot.waitUntil(lambda: not panel.pending, timeout=WAIT)
    assert "渠道 traffic" in panel.text()
    gate.set()
    qtbot.waitUntil(lambda: pool_runner.in_flight == 0, timeout=WAIT)
    qtbot.wait(50)
    assert "渠道 traffic" in panel.text() and "labor_dispute" not in panel.text()
    assert [r["channels"][0]["label"] for r in results] == ["渠道 traffic"]
