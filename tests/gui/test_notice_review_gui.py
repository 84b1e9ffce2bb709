"""Issue 8 on screen: the channels panel names the open questions in Chinese (never a fact key) and marks a
deadline that is not the visitor's own period; the notice preview says which organs print without address and
phone because an administrator has not confirmed them."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt

from .keyboard import key, type_text
from .test_facts_questions import make_page, pick_labour_dispute

CTRL = Qt.KeyboardModifier.ControlModifier


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_panel_names_open_questions_in_chinese_and_preview_flags_unconfirmed_organs(
        qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    page.facts_panel.fields["act_known_on"].setFocus()
    type_text(qtbot, "20260601")
    qtbot.waitUntil(lambda: "劳动争议调解仲裁法" in page.channels_panel.text(), timeout=5000)
    text = _plain(page.channels_panel.text())
    assert "尚未回答" in text and "经济困难" in text  # the question itself, in Chinese
    assert not re.search(r"[a-z]+_[a-z_]+", text), re.findall(r"[a-z]+_[a-z_]+", text)
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)  # save and preview (Ctrl+P prints at once)
    qtbot.waitUntil(lambda: page.last_preview is not None and page.last_preview.isVisible(), timeout=10000)
    title = page.last_preview.ui.title_label.text()
    assert "尚未经管理员确认" in title and "区劳动人事争议仲裁委员会" in title
    page.last_preview.reject()


def test_panel_marks_the_offices_own_time_limit(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.gui.channels_panel import channel_html

    result = services.classification.propose(actors["clerk"], __import__("datetime").date(2026, 11, 27), 1,
                                             "request.district_dept", {})
    html = _plain(channel_html(result["channels"][0]))
    assert "本机关的办理期限" in html
