"""`audit verify` while the window keeps working: records written during the check are no break of the chain
(the records and the head are read in one snapshot). Seen on a supervisor's start: the audit page listed (and
audited) while the start-up check ran, and a "truncated" chain was reported for an untouched log."""

from __future__ import annotations

import threading

import pytest

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)


def test_verify_during_writes_reports_no_false_break(sv, actors) -> None:
    sup = actors["supervisor"]
    stop = threading.Event()
    errors: list[str] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                sv.audit_log.list(sup)  # each listing is itself audited: a new record and a new head
                stop.wait(0.005)
        except Exception as e:  # surfaced in the test thread
            errors.append(repr(e))

    t = threading.Thread(target=keep_writing)
    t.start()
    try:
        findings = [f for _ in range(25) for r in sv.audit_log.verify(sup) for f in r.findings]
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert findings == []
