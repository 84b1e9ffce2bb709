"""A clerk's session lasts all day: PySide6 must not leak references to None (6.12.0 did on CPython 3.11,
and the status-bar clock alone would have aborted the app within the hour)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_drain_none_refcount(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText(str(i % 7))
        label.setEnabled(bool(i % 2))
    assert sys.getrefcount(None) >= before - 100
