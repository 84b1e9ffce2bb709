"""What the README screenshot scripts share: a demo database, a logged-in main window shown as on a window PC,
and `wait` / `shot` on a real X server (run the scripts under `xvfb-run -a -s '-screen 0 1366x768x24' env
QT_QPA_PLATFORM=xcb`). Each picture is the whole screen, grabbed from the root window, so anything off screen
or clipped shows as such."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Screen:
    app: Any
    out: Path
    services: Any
    actor: Any
    runner: Any
    window: Any

    def wait(self, ms: int) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def shot(self, name: str, settle_ms: int = 600) -> Path:
        from PySide6.QtGui import QGuiApplication

        self.wait(settle_ms)
        path = self.out / name
        if not QGuiApplication.primaryScreen().grabWindow(0).save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path)
        return path


@contextmanager
def demo_window(out: Path, window_code: str, visits: int, login: Callable[[Any], Any]) -> Iterator[Screen]:
    """A temporary demo database with `visits` visits; `login(services)` prepares what the picture needs and
    returns the actor whose main window is shown; closed again afterwards."""
    from PySide6.QtWidgets import QApplication

    from xinfang_desk.app import _make_app
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.screen import show_main
    from xinfang_desk.gui.tasks import TaskRunner
    from xinfang_desk.services.container import Services
    from xinfang_desk.services.demo import fill_demo

    out.mkdir(parents=True, exist_ok=True)
    app, _info = _make_app("zh_CN")
    tmp = Path(tempfile.mkdtemp(prefix="xinfang-shots-"))
    services = Services.open(f"sqlite:///{tmp / 'demo.sqlite3'}", window_code)
    fill_demo(services, visits=visits)
    actor = login(services)
    runner = TaskRunner()
    window = MainWindow(services, actor, runner)
    show_main(window)
    screen = Screen(app, out, services, actor, runner, window)
    screen.wait(800)
    try:
        yield screen
    finally:
        window.shutdown(2)
        runner.wait(5000)
        services.close()
        QApplication.processEvents()
