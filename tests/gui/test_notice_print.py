"""保存并打印告知书 (Ctrl+P): save, print the notice, preview it (rendered on a worker), print to the (patched)
system printer, save as PDF; and 补打 from today's list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from xinfang_desk.gui.notice_preview import page_texts
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

from .keyboard import focus, key, type_text
from .test_facts_questions import make_page, pick_labour_dispute

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def fake_printer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """QPrintDialog.exec accepted, with the printer writing a PDF file we can read back."""
    seen: dict[str, Any] = {"path": tmp_path / "printed.pdf", "dialogs": 0}

    def fake_exec(self: QPrintDialog) -> int:
        seen["dialogs"] += 1
        p = self.printer()
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(seen["path"]))
        seen["resolution"] = p.resolution()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    return seen


def _text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def test_ctrl_shift_p_saves_previews_and_prints(qtbot: Any, services: Any, actors: Any, runner: Any,
                                          fake_printer: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    page.facts_panel.fields["act_known_on"].setFocus()
    type_text(qtbot, "20260601")
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+Shift+P: with the preview
    res = page.last_result
    qtbot.waitUntil(lambda: page.last_preview is not None and page.last_preview.isVisible(), timeout=10000)
    prev = page.last_preview
    qtbot.waitUntil(lambda: bool(prev.images), timeout=10000)
    assert prev.ui.pages_layout.count() == len(prev.images) >= 2  # the notice and its stub
    assert prev.images[0].width() > 500 and not prev.images[0].isNull()
    assert res.query_code in prev.ui.title_label.text() and "补打" not in prev.ui.title_label.text()
    text = _text(prev.pdf)
    assert "劳动争议仲裁" in text and "Labour" not in text  # label_zh from the catalog, not the English msgid
    assert "补打" not in text
    assert [n["reprint"] for n in services.notices.history(actors["clerk"], res.visit_id)] == [False]
    # 打印… by keyboard: the preview has the focus on 打印, Enter presses it
    prev.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is prev)
    assert focus() is prev.ui.print_button
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: prev.printed_pages > 0, timeout=20000)
    assert fake_printer["dialogs"] == 1 and fake_printer["resolution"] >= 300
    printed = fake_printer["path"].read_bytes()
    assert printed.startswith(b"%PDF")
    assert prev.printed_pages == len(prev.images) == len(page_texts(printed))
    assert "发送" in prev.ui.status_label.text()
    # 另存为PDF…
    target = tmp_path / "saved-notice.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    key(qtbot, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: prev.saved_path == target, timeout=5000)
    assert target.read_bytes() == prev.pdf
    key(qtbot, Qt.Key.Key_Escape)
    assert not prev.isVisible()


def test_print_cancelled_prints_nothing(qtbot: Any, services: Any, actors: Any, runner: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang_desk.gui.notice_preview import NoticePreviewDialog

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    res = _register(services, actors["clerk"])
    notice = services.notices.print_notice(actors["clerk"], res.visit_id, "both")
    prev = NoticePreviewDialog(notice, runner)
    qtbot.addWidget(prev)
    prev.show()
    qtbot.waitUntil(lambda: bool(prev.images), timeout=10000)
    prev.print_notice()
    assert prev.printed_pages == 0 and "取消" in prev.ui.status_label.text()


def _register(services: Any, actor: Any) -> Any:
    return services.registration.register(actor, RegistrationInput(
        people=(PersonInput(name="赵六", phone="13912345678"),),
        matter=MatterInput(kind="labour.dispute", summary="拖欠工资", respondent="某某公司",
                           facts={"act_known_on": "2026-06-01", "employment_ongoing": False}),
    ))


def test_reprint_from_todays_list(qtbot: Any, services: Any, actors: Any, runner: Any,
                                  fake_printer: dict[str, Any]) -> None:
    res = _register(services, actors["clerk"])
    first = services.notices.print_notice(actors["clerk"], res.visit_id, "both")
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    today = w.pages["today"]
    key(qtbot, Qt.Key.Key_2, ALT)
    qtbot.waitUntil(lambda: today.model.rowCount() == 1)
    assert focus() is today.ui.visits_table
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: today.last_dialog is not None and today.last_dialog.isVisible())
    dlg = today.last_dialog
    qtbot.waitUntil(lambda: dlg.ui.reprint_button.isVisible(), timeout=5000)
    detail = dlg.ui.detail_browser.toPlainText()
    assert "劳动争议仲裁" in detail and "劳动争议调解仲裁法" in detail and "截止日" in detail
    assert first.document_number in detail and "首次打印" in detail
    assert dlg.ui.reprint_button.text().startswith("补打告知书")
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    assert focus() is dlg.ui.reprint_button
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.last_preview is not None and dlg.last_preview.isVisible(), timeout=10000)
    prev = dlg.last_preview
    assert prev.notice.reprint and "补打" in prev.ui.title_label.text()
    assert prev.notice.document_number == first.document_number
    assert "补打" in _text(prev.pdf)
    qtbot.waitUntil(lambda: bool(prev.images), timeout=10000)
    prev.print_notice()
    qtbot.waitUntil(lambda: prev.printed_pages > 0, timeout=20000)
    assert prev.printed_pages == len(prev.images) == len(page_texts(fake_printer["path"].read_bytes()))
    def printed() -> str:  # the print history part of the visit (the progress part names the notice too: 已告知)
        text = dlg.ui.detail_browser.toPlainText()
        return text.split("告知书打印记录", 1)[-1].split("事项进展", 1)[0]

    qtbot.waitUntil(lambda: "补打" in printed() and printed().count(first.document_number) == 2, timeout=5000)
    assert [n["reprint"] for n in services.notices.history(actors["clerk"], res.visit_id)] == [False, True]
    prev.close()
    dlg.close()


def test_lawyer_sees_the_classification_but_cannot_reprint(qtbot: Any, services: Any, actors: Any,
                                                            runner: Any) -> None:
    _register(services, actors["clerk"])
    from xinfang_desk.gui.main_window import MainWindow

    from .keyboard import show_active

    w = MainWindow(services, actors["lawyer"], runner)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    today = w.pages["today"]
    qtbot.waitUntil(lambda: today.model.rowCount() == 1)
    today.open_visit(today.model.index(0, 0))
    dlg = today.last_dialog
    qtbot.waitUntil(lambda: "劳动争议仲裁" in dlg.ui.detail_browser.toPlainText(), timeout=5000)
    assert not dlg.ui.reprint_button.isVisible()
    dlg.close()
