"""Every line of the Big List of Naughty Strings, typed as a name and as a summary: it saves exactly as typed or
a message says what is wrong — never a crash, never a silent change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from xinfang_desk.gui.registration_page import plain_text
from xinfang_desk.services.context import local_today

from .keyboard import key, show_active, type_text

BLNS = Path(__file__).resolve().parents[1] / "data" / "blns.txt"
if not BLNS.exists():
    BLNS = Path(__file__).resolve().parents[2] / "tests" / "data" / "blns.txt"

pytestmark = pytest.mark.skipif(not BLNS.exists(), reason="blns.txt not available")


def _lines() -> list[str]:
    # keep every line as it is (no strip: leading/trailing spaces are part of the test)
    return [ln for ln in BLNS.read_text(encoding="utf-8").split("\n") if not ln.startswith("#")]


def _outcome(page: Any) -> tuple[str, str]:
    if page.last_result is not None:
        return "saved", page.last_result.query_code
    shown = [k for k in page._errors if page._errors[k].text()]
    assert shown, "neither saved nor an error shown"
    return "error", "; ".join(page._errors[k].text() for k in shown)


def test_blns_in_name_and_summary(qtbot: Any, services: Any, actors: Any, sync_runner: Any, tmp_path: Path) -> None:
    from xinfang_desk.gui.draft import DraftStore
    from xinfang_desk.gui.registration_page import RegistrationPage, plain_text

    page = RegistrationPage(services, actors["clerk"], sync_runner, draft=DraftStore(tmp_path / "draft.json"))
    qtbot.addWidget(page)
    u = page.ui
    lines = _lines()
    assert len(lines) > 500
    saved_names: dict[str, str] = {}
    saved_summaries: dict[str, str] = {}
    errors = 0
    changed_by_widget = 0  # Qt's text widgets turn \r\n into one paragraph break; that is what the clerk sees
    for line in lines:
        for field in ("name", "summary"):
            page.clear_form()
            page.last_result = None
            u.name_edit.setText(line if field == "name" else "测试")
            u.summary_edit.setPlainText(line if field == "summary" else "测试摘要")
            page.kind_picker.set_code("suggestion")
            typed = u.name_edit.text() if field == "name" else plain_text(u.summary_edit)
            changed_by_widget += typed != line
            page.save()
            assert not page.saving
            kind, detail = _outcome(page)
            if kind == "saved":
                (saved_names if field == "name" else saved_summaries)[detail] = typed
                assert u.name_edit.text() == ""  # the form is cleared for the next visitor
            else:
                errors += 1
                assert detail.strip()
                # nothing typed is lost
                assert (u.name_edit.text() if field == "name" else plain_text(u.summary_edit)) == typed
    rows = {r.query_code: r for r in services.search.visits_on(actors["supervisor"], local_today())}
    for code, line in saved_names.items():
        assert rows[code].names == (line,), f"name changed on the way: {line!r} -> {rows[code].names!r}"
    # summaries: read back through the visitor's history
    checked = 0
    for code, line in list(saved_summaries.items()):
        pid = rows[code].people[0]["person_id"]
        hist = services.search.person_history(actors["clerk"], pid)
        assert hist[0].summary == line, f"summary changed: {line!r} -> {hist[0].summary!r}"
        checked += 1
    assert saved_names and saved_summaries and errors
    assert checked == len(saved_summaries)
    assert changed_by_widget < 10


@pytest.mark.parametrize("line", ["Ω≈ç√∫˜µ≤≥÷", "田中さんにあげて下さい", "ثم نفس سقطت وبالتحديد،", "Z̮̞̠͙͔ͅḀ̗̞͈̻̗Ḷ͙͎̯̹̞͓G̻O̭̗̮",
                                  "<script>alert(123)</script>", "'; DROP TABLE users; --", "👾 🙇 💁 🙅 🙆"])
def test_blns_typed_with_keyboard(qtbot: Any, services: Any, actors: Any, runner: Any, line: str) -> None:
    from xinfang_desk.gui.main_window import MainWindow

    w = MainWindow(services, actors["clerk"], runner)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    page = w.pages["registration"]
    u = page.ui
    u.name_edit.setFocus()
    type_text(qtbot, line)
    u.kind_edit.setFocus()
    type_text(qtbot, "jy")  # 建议意见
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, line)
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.saving and (page.last_result is not None or any(lab.text() for lab in page._errors.values())),
                    timeout=5000)
    if page.last_result is not None:
        rows = services.search.visits_on(actors["supervisor"], local_today())
        assert rows[0].names == (line,)
    else:
        assert u.name_edit.text() == line and plain_text(u.summary_edit) == line
