"""Composition root of the desktop app: QApplication, fonts, translators, then the log-in window at once while the
database and the services open on a worker thread; then the first-run set-up (when needed), the main window and
the background sync.

    run_gui(db_url, window_code, lang="zh_CN", self_test=False) -> exit code

Start-up order (bench/bench_startup.py measures it against a bare PySide6 window):

1. QApplication, the main UI font only (the HanaMin fallbacks are registered once the log-in window is painted),
   the translators from a cached copy of the parsed catalog (`_preload_catalog`: parsing the .po with Babel costs
   more than the whole rest of the log-in window);
2. the log-in window, its OK button usable at once;
3. at its first paint, `Services.open` (SQLAlchemy, the schema check — Alembic only when a migration is due)
   starts on the DB-writer thread. A log-in asked for before it answers waits visibly (the button disabled and
   reading 正在打开数据库…, the fields read-only) and goes ahead when it does; on a first run the
   first-administrator dialog replaces the log-in window until the administrator exists. Then the other services
   and pypinyin are imported on a reader thread (`Services.preload`), not on the GUI thread after the log-in.

`self_test=True` (the frozen bundle's `--self-test`) opens the main window offscreen on a temporary database
with a throwaway administrator and clerk, checks fonts and catalogs, closes and returns 0 (1 on a problem).
Set `XINFANG_DESK_QUIT_ON_LOGIN=1` to exit as soon as the log-in window has been painted (start-up benchmark;
the database is not opened), `=usable` the same but exit 1 unless the log-in button is enabled then, or `=ready` to
exit once the database is open and the first-run check done (a log-in clicked earlier goes ahead at that moment).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

QUIT_ON_LOGIN_ENV = "XINFANG_DESK_QUIT_ON_LOGIN"


def _preload_catalog(lang: str) -> None:
    """Load the translation catalog of `lang` (from the parsed copy cached by `i18n`, see `i18n._load`)."""
    from xinfang_desk import i18n

    try:
        i18n.translate("", i18n.set_language(lang))
    except ValueError:
        return


def _register_main_font() -> list[str]:
    """Only the regular main font (enough for the log-in window); the families in fallback order."""
    from PySide6.QtGui import QFontDatabase

    from xinfang_desk.printing.fonts import font_files, ui_font_families

    main = font_files()[0]
    fid = QFontDatabase.addApplicationFont(str(main)) if main.exists() else -1
    if fid < 0:
        log.warning("Qt could not load the main font %s", main)
        return []
    return ui_font_families()


def _register_fallback_fonts(app: Any) -> list[str]:
    """The bold and the HanaMin fallbacks (33 MB), after the log-in window is on screen; re-applies the app font."""
    from xinfang_desk.gui import fonts

    families = fonts.register_fonts()  # the main font again is a no-op for Qt (same file, same id)
    fonts.apply_app_font(app, families)
    return families


def _make_app(lang: str, *, all_fonts: bool = True) -> tuple[Any, dict[str, Any]]:
    from PySide6.QtWidgets import QApplication

    from xinfang_desk.gui import fonts, qt_i18n

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("xinfang-desk")
    app.setOrganizationName("xinfang")
    families = fonts.register_fonts() if all_fonts else _register_main_font()
    font = fonts.apply_app_font(app, families)
    _preload_catalog(lang)
    catalogs = qt_i18n.install(app, lang)
    return app, {"families": families, "font": font, "catalogs": catalogs}


class _PendingServices:
    """Stands in for `Services` in the log-in window until the database is open (only `window_code` is read)."""

    def __init__(self, window_code: str) -> None:
        self.window_code = window_code


def open_services(db_url: str, window_code: str, passphrase: str | None = None) -> tuple[Any, bool]:
    """Worker thread: open (back up, migrate) the database and the services; (services, first run?)."""
    from xinfang_desk.services.container import Services

    services = Services.open(db_url, window_code, passphrase=passphrase)
    try:
        first_run = services.auth.needs_first_run()
        if first_run and not services.db.created_by_app():  # no first administrator on a file we did not make
            from xinfang_desk.persistence.safety import StorageProblem

            raise StorageProblem("not_ours", services.db.describe())
        return services, first_run
    except BaseException:
        services.close()
        raise


class Startup:
    """The log-in window shown before the services exist; then the first run, the log-in, the main window.

    `opener` runs on the DB-writer thread of `runner` and returns `(services, needs_first_run)`. Signals are the
    dialogs' own; `on_logged_in(services, actor)` opens the main window, `on_failed(exc)` reports a database that
    cannot be opened, `on_cancelled()` ends the app."""

    def __init__(self, runner: Any, window_code: str, opener: Callable[[], tuple[Any, bool]], *,
                 on_logged_in: Callable[[Any, Any], None], on_cancelled: Callable[[], None],
                 on_failed: Callable[[BaseException], None], on_ready: Callable[[], None] | None = None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        from xinfang_desk.gui.dialogs import LoginDialog
        from xinfang_desk.i18n import _

        self.runner, self.opener = runner, opener
        self.on_logged_in, self.on_cancelled, self.on_failed, self.on_ready = on_logged_in, on_cancelled, on_failed, on_ready
        self.services: Any = None
        self.opened: Any = None  # what the opener returned, even if the event loop ended before it arrived
        self.first_run: Any = None
        self.started = False
        self.waiting = False  # the clerk asked to log in before the database was open
        self.login = LoginDialog(_PendingServices(window_code), runner)  # type: ignore[arg-type]
        self.ok_button = self.login.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self._ok_text = self.ok_button.text()
        self._opening_text = _("Opening the database…")
        # the button works at once: a click before the database is open waits for it (see `_login_clicked`)
        self.login.ui.button_box.accepted.disconnect(self.login._try_login)  # noqa: SLF001 - the dialog's own slot
        self.login.ui.button_box.accepted.connect(self._login_clicked)
        self.login.accepted.connect(self._accepted)
        self.login.rejected.connect(self._rejected)

    @property
    def ready(self) -> bool:
        return self.services is not None

    def start(self) -> None:
        """Begin opening the database (once)."""
        if self.started:
            return
        self.started = True
        from xinfang_desk.gui.tasks import CommandOp

        def job() -> tuple[Any, bool]:
            self.opened = self.opener()
            return self.opened

        CommandOp(self.runner, None, job).success(self._opened).failure(self._open_failed).run()

    def retry(self) -> None:
        """Open the database again (after a backup was restored): the log-in window comes back (its button works
        as at start: a click waits for the database)."""
        self.started = False
        self.services = self.opened = None
        self._waiting(False)
        self.login.show()
        self.start()

    def _login_clicked(self) -> None:
        """OK or Enter. With the database open: the dialog's own log-in. Before: the busy state — the button is
        disabled and reads 正在打开数据库…, the two fields are read-only (what was typed stays) — and the log-in
        goes ahead by itself as soon as the database is open (`_opened`); a first run drops it (the
        first-administrator dialog takes the log-in window's place) and a failure shows the database message."""
        if self.services is not None:
            self.login._try_login()  # noqa: SLF001
        elif not self.login.ui.username_edit.text().strip():
            self.login.ui.username_edit.setFocus()
        else:
            self._waiting(True)

    def _waiting(self, on: bool) -> None:
        self.waiting = on
        self.ok_button.setEnabled(not on)
        self.ok_button.setText(self._opening_text if on else self._ok_text)
        for edit in (self.login.ui.username_edit, self.login.ui.password_edit):
            edit.setReadOnly(on)

    def _opened(self, result: tuple[Any, bool]) -> None:
        services, needs_first_run = result
        self.services = services
        self.login.services = services  # the log-in runs `services.auth.login` on the writer thread
        waiting = self.waiting
        self._waiting(False)
        if needs_first_run:
            self._show_first_run()
        elif waiting:
            self.login._try_login()  # noqa: SLF001 - the click that came early
        if self.on_ready:
            self.on_ready()
        self._preload(services)

    def _preload(self, services: Any) -> None:
        """After the log-in can go ahead: the other services and pypinyin (for the kind picker and names) on a
        reader thread, so that the main window does not import them on the GUI thread after the log-in."""
        from xinfang_desk.gui.tasks import QueryOp

        preload = getattr(services, "preload", None)
        if callable(preload):
            QueryOp(self.runner, None, preload).failure(lambda e: log.warning("preloading the services: %s", e)).run()

    def _show_first_run(self) -> None:
        from xinfang_desk.gui.dialogs import FirstRunDialog

        self.first_run = FirstRunDialog(self.services, self.runner)
        self.first_run.accepted.connect(self._first_admin_created)
        self.first_run.rejected.connect(self._rejected)
        self.first_run.show()
        self.login.hide()

    def _first_admin_created(self) -> None:
        user = self.first_run.user if self.first_run is not None else None
        self.login.ui.username_edit.setText(getattr(user, "username", "") or "")
        self.login.show()
        if self.login.ui.username_edit.text():
            self.login.ui.password_edit.setFocus()

    def _open_failed(self, exc: BaseException) -> None:
        self._waiting(False)
        self.login.hide()
        if self.passphrase_retry(exc):
            return
        self.on_failed(exc)

    def passphrase_retry(self, exc: BaseException) -> bool:
        """A field-encrypted database whose key is not in the keyring: the administrator types the passphrase
        (at most three tries); the database is opened again with it. False: not that case, or given up."""
        from xinfang_desk.persistence.fieldcrypt import KeyUnavailable

        self.passphrase_tries = getattr(self, "passphrase_tries", 0)
        if not isinstance(exc, KeyUnavailable) or self.passphrase_tries >= 3:
            return False
        self.passphrase_tries += 1
        passphrase = ask_passphrase(again=self.passphrase_tries > 1)
        if not passphrase:
            return False
        base = self.base_opener = getattr(self, "base_opener", self.opener)
        self.opener = lambda: base_with_passphrase(base, passphrase)
        self.started = False
        self.login.show()
        self.start()
        return True

    def _accepted(self) -> None:
        if self.services is not None and self.login.actor is not None:
            self.on_logged_in(self.services, self.login.actor)

    def _rejected(self) -> None:
        self.on_cancelled()

    def relogin(self) -> None:
        """After a log-out: the same log-in window, empty, for whoever comes next."""
        self.login.reset()
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()


class DatabaseRecovery:
    """What the GUI does when the database cannot be opened: one clear message in Chinese and, for a refused file
    (empty, truncated, foreign, corrupt) with a good backup, the offer to restore the newest one (the current file
    is kept aside); after the restore the log-in window opens the database again.

    `startup` is set after construction (the Startup needs this object as its `on_failed`)."""

    def __init__(self, runner: Any, db_url: str, give_up: Callable[[int], None]) -> None:
        self.runner, self.db_url, self.give_up = runner, db_url, give_up
        self.startup: Startup | None = None
        self.box: Any = None
        self.restored: list[str] = []

    def __call__(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from xinfang_desk.i18n import _

        log.error("cannot open the database: %s", exc)
        backup = getattr(exc, "backup", None)
        screen = getattr(exc, "screen_message", None)  # a StorageProblem: Chinese only, no raw SQLite wording
        text = screen() if callable(screen) else _("{url}: {error}").format(url=self.db_url, error=exc)
        box = QMessageBox(QMessageBox.Icon.Critical, _("Cannot open the database"), text)
        self.box = box
        if backup is not None and self.startup is not None:
            from xinfang_desk.services.maintenance import backup_time

            when = backup_time(backup).strftime("%Y-%m-%d %H:%M")
            restore = box.addButton(_("&Restore the backup of {when}").format(when=when), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("&Quit"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(restore)
            box.setInformativeText(_("The current file will be kept aside in the backups folder."))

            def chosen() -> None:
                if box.clickedButton() is restore:
                    self._restore(backup)
                else:
                    self.give_up(2)

            box.finished.connect(chosen)
        else:
            box.addButton(_("&Quit"), QMessageBox.ButtonRole.RejectRole)
            box.finished.connect(lambda _r: self.give_up(2))
        box.open()

    def _restore(self, backup: Any) -> None:
        from xinfang_desk.gui.tasks import CommandOp
        from xinfang_desk.services.maintenance import restore_backup

        def job() -> None:
            restore_backup(self.db_url, backup)
            self.restored.append(str(backup))

        CommandOp(self.runner, None, job).success(lambda _r: self.startup.retry() if self.startup else None)\
            .failure(self).run()


def ask_passphrase(again: bool = False) -> str:
    """The database passphrase, typed by an administrator (tests patch this)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from xinfang_desk.i18n import _

    text = _("The passphrase was wrong. Try again:") if again else _(
        "The visitors' data in this database is encrypted, and its key is not in this computer's keyring. "
        "An administrator types the database passphrase:")
    answer, ok = QInputDialog.getText(None, _("Database passphrase"), text, QLineEdit.EchoMode.Password)
    return answer if ok else ""


def base_with_passphrase(opener: Callable[..., tuple[Any, bool]], passphrase: str) -> tuple[Any, bool]:
    """Call an opener made by `run_gui` (`open_services` with its URL and window) with the passphrase."""
    return opener(passphrase=passphrase)


class _FirstPaint:
    """Calls `fn` once, right after `widget` has been painted for the first time."""

    def __init__(self, widget: Any, fn: Callable[[], None]) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.fn = fn
        done = [False]

        class Filter(QObject):
            def eventFilter(self, obj: Any, ev: Any) -> bool:  # noqa: N802 - Qt name
                if not done[0] and ev.type() == QEvent.Type.Paint:
                    done[0] = True
                    obj.removeEventFilter(self)
                    QTimer.singleShot(0, fn)  # after this paint has reached the screen
                return False

        self.filter = Filter(widget)
        widget.installEventFilter(self.filter)


def run_gui(db_url: str, window_code: str, lang: str = "zh_CN", self_test: bool = False) -> int:
    if self_test:
        return _self_test(window_code or "ST01", lang)
    app, info = _make_app(lang, all_fonts=False)
    if not info["families"]:
        log.warning("no shipped font could be loaded; Chinese may show as boxes")


    from xinfang_desk.gui.errors import install_excepthook
    from xinfang_desk.gui.tasks import TaskRunner

    install_excepthook()
    runner = TaskRunner(app)
    quit_mode = os.environ.get(QUIT_ON_LOGIN_ENV, "")
    outcome: dict[str, int] = {}
    state: dict[str, Any] = {}

    def finish(code: int) -> None:
        outcome.setdefault("code", code)  # app.quit() closes (rejects) the dialogs: the first reason stands
        app.quit()

    app.setQuitOnLastWindowClosed(False)  # the log-in and first-run dialogs hand over to each other

    def logged_in(services: Any, actor: Any) -> None:
        from xinfang_desk.gui.main_window import MainWindow
        from xinfang_desk.gui.screen import show_main

        window = MainWindow(services, actor, runner)
        state["window"] = window
        window.sig_logged_out.connect(logged_out)
        show_main(window)  # maximised: a window PC is often 1366×768
        app.setQuitOnLastWindowClosed(True)

    def logged_out() -> None:
        """Ctrl+L or 注销 on the lock screen: the window goes, the log-in comes back for the next user."""
        app.setQuitOnLastWindowClosed(False)
        window = state.pop("window", None)
        if window is not None:
            window.hide()
            window.shutdown(timeout=0)
            window.deleteLater()
        startup.relogin()

    def cancelled() -> None:
        if "window" not in state:
            finish(1)

    def ready() -> None:
        if quit_mode == "ready":
            runner.closing = True  # the benchmark ends here: no preloading after it
            finish(0)

    failed = DatabaseRecovery(runner, db_url, finish)
    startup = Startup(runner, window_code, lambda passphrase=None: open_services(db_url, window_code, passphrase),
                      on_logged_in=logged_in,
                      on_cancelled=cancelled, on_failed=failed, on_ready=ready)
    failed.startup = startup

    def painted() -> None:
        if quit_mode in ("1", "usable"):  # the benchmark: the log-in window is on screen, its button usable
            finish(0 if quit_mode == "1" or startup.ok_button.isEnabled() else 1)
            return
        startup.start()
        _register_fallback_fonts(app)

    _FirstPaint(startup.login, painted)
    startup.login.show()
    try:
        code = app.exec()
    finally:
        runner.closing = True
        window = state.pop("window", None)
        if window is not None:
            window.shutdown()
        runner.wait()
        if startup.opened is not None:
            startup.opened[0].close()
    return outcome.get("code", int(code))


def _self_test(window_code: str, lang: str) -> int:
    """Open the main window on a throwaway database; 0 when everything needed at run time is there."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="xinfang-selftest-") as tmp:
        os.environ["XINFANG_DESK_DATA"] = tmp  # drafts and anything else go to the throwaway folder
        app, info = _make_app(lang)
        if not info["families"]:
            problems.append("no shipped font could be loaded")
        if lang != "en" and not info["catalogs"].get("app"):
            problems.append(f"the {lang} message catalog is missing")
        if lang != "en" and not info["catalogs"].get("qtbase"):
            log.warning("Qt's qtbase translations are missing (stock dialogs will be in English)")
        from PySide6.QtGui import QFontMetrics

        from xinfang_desk.gui.main_window import MainWindow
        from xinfang_desk.gui.tasks import TaskRunner
        from xinfang_desk.services.container import Services

        fm = QFontMetrics(info["font"])
        for ch in "信访接待𠮷䶮":
            if not fm.inFontUcs4(ord(ch)):
                problems.append(f"the UI font cannot show {ch} (U+{ord(ch):04X})")
        services = Services.open(f"sqlite:///{Path(tmp) / 'selftest.sqlite3'}", window_code)
        runner = TaskRunner(app)
        try:
            services.auth.setup_first_admin("selftest", "自检", "selftest-12345")
            admin = services.auth.login("selftest", "selftest-12345")
            services.auth.create_user(admin, "selfclerk", "自检接待员", "clerk", "selftest-first-1")
            clerk = services.auth.change_password("selfclerk", "selftest-first-1", "selftest-12345")
            for actor in (admin, clerk):
                window = MainWindow(services, actor, runner)
                window.show()
                for _ in range(20):
                    app.processEvents()
                if not window.windowTitle():
                    problems.append("main window has no title")
                window.close()
                window.shutdown()
                window.deleteLater()
                app.processEvents()
            runner.wait(10000)
            app.processEvents()
        except Exception as e:  # noqa: BLE001 - report, do not crash
            log.exception("self-test failed")
            problems.append(f"{type(e).__name__}: {e}")
        finally:
            services.close()
    for p in problems:
        print(f"self-test: {p}", file=sys.stderr)
    if not problems:
        print("self-test: ok")
    return 1 if problems else 0
