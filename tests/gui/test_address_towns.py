"""The address field offers the district's 镇街 first: typing initials, pinyin or characters finds a town."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from xinfang_desk.domain.places import search_towns, towns

from .keyboard import key, show_active, type_text


def test_town_list_is_the_districts_23() -> None:
    assert len(towns()) == 23 and len({t.name for t in towns()}) == 23
    assert [t.name for t in search_towns("lt")] == ["龙潭镇"]
    assert [t.name for t in search_towns("longtan")] == ["龙潭镇"]
    assert "龙潭镇" in [t.name for t in search_towns("龙")]


def test_address_completes_a_town_by_initials(qtbot: Any, services: Any, actors: Any, runner: Any, tmp_path: Any) -> None:
    from xinfang_desk.gui.draft import DraftStore
    from xinfang_desk.gui.registration_page import RegistrationPage

    page = RegistrationPage(services, actors["clerk"], runner, draft=DraftStore(tmp_path / "draft.json"))
    qtbot.addWidget(page)
    show_active(qtbot, page)
    u = page.ui
    u.address_edit.setFocus()
    type_text(qtbot, "lt", u.address_edit)
    popup = page.town_completer.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert page.town_completer.completer.currentCompletion() == "龙潭镇"
    key(qtbot, Qt.Key.Key_Down)  # the popup has the keyboard: ↓ to the first town, Enter takes it
    key(qtbot, Qt.Key.Key_Return)
    assert u.address_edit.text() == "龙潭镇"
    type_text(qtbot, "3组12号", u.address_edit)
    assert u.address_edit.text() == "龙潭镇3组12号"
