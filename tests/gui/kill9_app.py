"""Run by tests/gui/test_kill9_gui.py in a subprocess: the real registration page on a real database file,
saving visits one after another and printing each query code the moment the page confirms the save."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(db_file: str, draft_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from xinfang_desk.gui.draft import DraftStore
    from xinfang_desk.gui.registration_page import RegistrationPage
    from xinfang_desk.gui.tasks import TaskRunner
    from xinfang_desk.services.container import Services

    app = QApplication(sys.argv[:1])
    services = Services.open(f"sqlite:///{db_file}", "BN03")
    actor = services.auth.login("clerk", "secret-123")
    page = RegistrationPage(services, actor, TaskRunner(), draft=DraftStore(Path(draft_dir) / "draft.json"))
    page.show()
    n = 0

    def fill_and_save() -> None:
        nonlocal n
        n += 1
        page.ui.name_edit.setText("张" + "零一二三四五六七八九"[n % 10] + "零一二三四五六七八九"[n // 10 % 10])  # names hold no digits
        page.ui.summary_edit.setPlainText(f"第{n}次登记")
        page.kind_picker.set_code("suggestion")
        page.save()

    def confirmed(result: object) -> None:
        print(f"CONFIRMED {result.query_code}", flush=True)  # type: ignore[attr-defined]
        fill_and_save()

    def refused() -> None:  # a save the page did not accept would stall the test: say so and stop
        if not page.saving and not page.ui.saved_label.text().startswith(("已保存", "Saved")):
            print("REFUSED " + page.ui.saved_label.text(), flush=True)

    from PySide6.QtCore import QTimer

    watchdog = QTimer()
    watchdog.timeout.connect(refused)
    watchdog.start(5000)
    page.sig_saved.connect(confirmed)
    fill_and_save()
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
