"""The main window: navigation on the left (Alt+1…), the pages, and the status bar (with the sync state).

The window owns the background sync (`SyncController`, started at once; it finds out on its own thread whether a
central database is configured) unless one is passed in; `shutdown()` stops it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QListWidgetItem, QMainWindow, QSizePolicy, QWidget

from xinfang_desk.gui.admin_page import AdminPage
from xinfang_desk.gui.audit_page import AuditPage, show_broken_chain
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import age_text, role_label
from xinfang_desk.gui.forms.ui_main_window import Ui_MainWindow
from xinfang_desk.gui.lawyer_desk import LawyerDeskPage
from xinfang_desk.gui.registration_page import RegistrationPage
from xinfang_desk.gui.schedule_page import SchedulePage
from xinfang_desk.gui.session_lock import IdleWatcher, LockScreen, hide_other_windows
from xinfang_desk.gui.supervisor_page import SupervisorPage
from xinfang_desk.gui.sync_page import SyncPage
from xinfang_desk.gui.sync_status import SyncController, SyncStatusLabel, SyncView
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.gui.today_page import TodayPage
from xinfang_desk.gui.users_page import UsersPage
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import LOCAL_TZ, Actor, is_live


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # msgid
    permission: str  # msgid of the action in services.context.PERMISSIONS
    factory: Callable[[Services, Actor, TaskRunner], QWidget]
    shortcut: int  # Alt+N, the same for every role (UI.md); a page the role may not use is shown disabled
    roles: frozenset[str] | None = None  # further limits the page to these roles (None: the permission decides)
    shortcut: int | None = None  # a fixed Alt+N (None: its position in the list)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("registration", N_("Registration"), N_("register visits"), RegistrationPage, 1),
    PageSpec("today", N_("Today's visits"), N_("view visits"), TodayPage, 2),
    PageSpec("schedule", N_("Reception sessions"), N_("view sessions"), SchedulePage, 4),
    PageSpec("desk", N_("Lawyer's desk"), N_("record legal advice"), LawyerDeskPage, 6),
    PageSpec("audit", N_("Audit trail"), N_("view the audit trail"), AuditPage, 7),
    # every role runs the sync; the page (conflicts, quarantine) is for supervisors and administrators, clerks see
    # their window's state in the status bar. Resolving is checked again in sync.central.ConflictService.
    PageSpec("sync", N_("Sync"), N_("run the sync"), SyncPage, 3, frozenset({"supervisor", "admin"})),
    PageSpec("supervisor", N_("Statistics and follow-up"), N_("print daily logs and statistics"), SupervisorPage, 5),
    PageSpec("admin", N_("Administration"), N_("manage windows, organs and settings"), AdminPage, 8),
    PageSpec("users", N_("Users"), N_("manage users"), UsersPage, 9),
)


_NOT_YET = N_("This page is not available yet: no central database is configured.")


def _allowed(spec: PageSpec, actor: Actor) -> bool:
    return actor.may(spec.permission) and (spec.roles is None or actor.role in spec.roles)


def page_refusal(spec: PageSpec, actor: Actor) -> str:
    """Why the page is disabled for this user, in words (shown as the tooltip and in the status bar)."""
    if spec.roles is not None and actor.role not in spec.roles:
        return _("{page} is for {roles} only.").format(
            page=_(spec.title), roles="、".join(role_label(r) for r in sorted(spec.roles)))
    return _("{page} is not available to a {role}: it needs the permission “{action}”.").format(
        page=_(spec.title), role=role_label(actor.role), action=_(spec.permission))


class MainWindow(QMainWindow):
    """`sig_logged_out` is emitted once the session has ended (Ctrl+L, or 注销 on the lock screen): the app then
    closes this window and shows the log-in for the next user."""

    sig_logged_out = Signal()

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None, *,
                 sync: SyncController | None = None, idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.services, self.actor, self.runner = services, actor, runner
        self.sync = sync if sync is not None else SyncController(services, parent=self)
        self.setWindowTitle(_("Reception — window {window} — {name}").format(
            window=actor.window_code, name=actor.display_name or actor.username))
        self.pages: dict[str, QWidget] = {}
        self.page_keys: list[str] = []  # the pages this user can open, in navigation order
        self._page_shortcuts: list[QShortcut] = []
        self.shortcuts: dict[str, int] = {s.key: s.shortcut for s in PAGES}  # page key -> N of its Alt+N
        for spec in PAGES:
            # the sync page arrives once a central database turns out to be configured; until then it is disabled
            self._add_page(spec, build=spec.key != "sync")
            self._page_shortcuts.append(
                QShortcut(QKeySequence(f"Alt+{spec.shortcut}"), self, lambda key=spec.key: self.open_page(key)))
        self._page_shortcuts.append(QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.show_keymap))
        self.ui.nav_list.currentRowChanged.connect(self._nav_row_changed)
        reg = self.pages.get("registration")
        today = self.pages.get("today")
        if isinstance(reg, RegistrationPage) and isinstance(today, TodayPage):
            reg.sig_saved.connect(lambda _r: today.refresh())
        if isinstance(reg, RegistrationPage):
            reg.sig_saved.connect(lambda _r: self.sync.refresh_status())  # 待同步 N counts the new visit
        self.sync.sig_status.connect(self._sync_state)
        self._setup_status_bar()
        if not self.page_keys:
            self.ui.nav_list.setFixedWidth(0)
        if self.page_keys:
            self.open_page(self.page_keys[0])
        else:
            self.ui.status_bar.showMessage(_("Your role has no pages in this version."))
        self._setup_session(idle_ms)
        self.chain_report: object | None = None
        if actor.may(N_("view the audit trail")):
            self._check_audit_chain()

    def _check_audit_chain(self) -> None:
        """At start a supervisor (or admin) is told at once when this window's audit chain is broken."""
        from xinfang_desk.gui.tasks import CommandOp

        actor, log = self.actor, self.services.audit_log

        def done(reports: list) -> None:
            rep = self.chain_report = reports[0]
            page = self.pages.get("audit")
            if isinstance(page, AuditPage):
                page.show_chain(rep)
            if not rep.intact:
                self.ui.status_bar.showMessage(_("The audit log is broken: see the audit trail page."))
                show_broken_chain(self, rep)

        CommandOp(self.runner, self, lambda: log.verify(actor)).success(done).run()

    # -- the session: idle lock, log-out (Ctrl+L) -----------------------------------------------------------------
    def _setup_session(self, idle_ms: int | None) -> None:
        self.lock_screen: LockScreen | None = None
        self._pages_widget: QWidget | None = None
        self._hidden_windows: list[QWidget] = []
        self.logged_out = False
        self.idle = IdleWatcher(QApplication.instance(), idle_ms or 10 * 60 * 1000, self)
        self.idle.sig_idle.connect(self.lock)
        self.idle.start()
        sc = QShortcut(QKeySequence("Ctrl+L"), self, self.log_out)
        sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self._logout_shortcut = sc
        auth = self.services.auth

        def apply(policy: object) -> None:
            self.idle.set_interval(int(getattr(policy, "idle_lock_minutes", 10)) * 60 * 1000)

        if idle_ms is None:  # the login rules' idle_lock_minutes (tests inject a short time)
            QueryOp(self.runner, self, auth.policy).success(apply).run()

    @property
    def is_locked(self) -> bool:
        return self.lock_screen is not None

    def lock(self) -> None:
        """Hide everything personal (the pages, other windows, open lists) behind the lock screen."""
        if self.is_locked or self.logged_out:
            return
        self.idle.stop()
        reg = self.pages.get("registration")
        if isinstance(reg, RegistrationPage):
            reg.write_draft()
        self._hidden_windows = hide_other_windows(self)
        self._pages_widget = self.takeCentralWidget()
        self._pages_widget.hide()
        for sc in self._page_shortcuts:
            sc.setEnabled(False)
        a = self.actor
        self.lock_screen = LockScreen(a.window_code, a.display_name or a.username, a.role, self)
        self.lock_screen.sig_unlock.connect(self._try_unlock)
        self.lock_screen.sig_log_out.connect(self.log_out)
        self.setCentralWidget(self.lock_screen)
        self.lock_screen.show()
        self.activateWindow()  # a hidden dialog may have held the keyboard
        self.raise_()
        self.lock_screen.password_edit.setFocus()

    def _try_unlock(self, password: str) -> None:
        auth, actor = self.services.auth, self.actor
        (CommandOp(self.runner, self, lambda: auth.reauthenticate(actor, password))
         .success(lambda _a: self._unlocked()).failure(self._unlock_failed).run())

    def _unlock_failed(self, exc: BaseException) -> None:
        if self.lock_screen is None:
            return
        self.lock_screen.failed(error_text(exc))
        if not is_live(self.actor):  # five wrong passwords locked the account: only the log-out is left
            self.lock_screen.unlock_button.setEnabled(False)
            self.lock_screen.password_edit.setEnabled(False)
            self.lock_screen.log_out_button.setFocus()

    def _unlocked(self) -> None:
        if self.lock_screen is None or self._pages_widget is None:
            return
        lock = self.takeCentralWidget()
        lock.deleteLater()
        self.lock_screen = None
        self.setCentralWidget(self._pages_widget)
        self._pages_widget.show()
        self._pages_widget = None
        for sc in self._page_shortcuts:
            sc.setEnabled(True)
        for w in self._hidden_windows:
            w.show()
        self._hidden_windows = []
        self.idle.start()
        key = self.current_page_key()
        if key:
            self.open_page(key)

    def log_out(self) -> None:
        """Ctrl+L: keep the user's draft, end the session (audited), hand over to the log-in."""
        if self.logged_out:
            return
        self.logged_out = True
        self.idle.remove()
        if not self.is_locked:
            reg = self.pages.get("registration")
            if isinstance(reg, RegistrationPage):
                reg.write_draft()  # the same user's next log-in restores it; drafts are per user
            for w in hide_other_windows(self):
                w.close()
            self._pages_widget = self.takeCentralWidget()
            self._pages_widget.hide()
        auth, actor = self.services.auth, self.actor

        def end() -> None:
            from xinfang_desk.services.context import end_session

            try:
                auth.logout(actor)
            finally:
                end_session(actor)

        (CommandOp(self.runner, self, end).success(lambda _r: self.sig_logged_out.emit())
         .failure(lambda _e: self.sig_logged_out.emit()).run())

    def _add_page(self, spec: PageSpec, build: bool = True) -> QWidget | None:
        """The navigation entry (disabled with its reason when the role may not use the page) and the page."""
        a = self.actor
        allowed = _allowed(spec, a)
        page = spec.factory(self.services, a, self.runner) if allowed and build else None
        item = QListWidgetItem(f"{_(spec.title)}\tAlt+{spec.shortcut}")
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        item.setData(Qt.ItemDataRole.UserRole + 1, spec.shortcut)
        if page is None:
            item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
            item.setToolTip(page_refusal(spec, a) if not allowed else _(_NOT_YET))
        else:
            item.setToolTip(f"Alt+{spec.shortcut}")
        nav = self.ui.nav_list
        row = next((r for r in range(nav.count()) if nav.item(r).data(Qt.ItemDataRole.UserRole + 1) > spec.shortcut),
                   nav.count())
        old = nav.findItems(_(spec.title), Qt.MatchFlag.MatchStartsWith)
        for it in old:  # the disabled placeholder of a page that now arrives (sync)
            if it.data(Qt.ItemDataRole.UserRole) == spec.key:
                row = nav.row(it)
                nav.takeItem(row)
        nav.blockSignals(True)
        nav.insertItem(row, item)
        nav.blockSignals(False)
        nav.setFixedWidth(nav.sizeHintForColumn(0) + 24)
        if page is None:
            return None
        self.pages[spec.key] = page
        self.ui.pages_stack.addWidget(page)
        self.page_keys = [k for r in range(nav.count()) if (k := nav.item(r).data(Qt.ItemDataRole.UserRole)) in self.pages]
        return page

    def _nav_row_changed(self, row: int) -> None:
        item = self.ui.nav_list.item(row) if row >= 0 else None
        if item is not None:
            self.open_page(item.data(Qt.ItemDataRole.UserRole))

    def show_keymap(self) -> None:
        """F1: every key of the application in one list (the pages' Alt+N are the same for every role)."""
        from xinfang_desk.gui.dialogs import KeymapDialog

        pages = [(f"Alt+{s.shortcut}", _(s.title) if _allowed(s, self.actor) else
                  _("{page} (not for your role)").format(page=_(s.title))) for s in PAGES]
        KeymapDialog(pages, self).exec()

    def _sync_state(self, view: SyncView) -> None:
        if view.configured and "sync" not in self.pages:
            spec = next(s for s in PAGES if s.key == "sync")
            page = self._add_page(spec)
            if isinstance(page, SyncPage):
                page.set_controller(self.sync)
                if len(self.page_keys) == 1:
                    self.ui.status_bar.clearMessage()
                    self.open_page("sync")

    def current_page_key(self) -> str | None:
        w = self.ui.pages_stack.currentWidget()
        return next((k for k, p in self.pages.items() if p is w), None)

    def open_page(self, key: str) -> bool:
        """Show a page; False (and nothing happens) when the role may not use it."""
        page = self.pages.get(key)
        if page is None:
            spec = next((s for s in PAGES if s.key == key), None)
            why = page_refusal(spec, self.actor) if spec is not None and not _allowed(spec, self.actor) else \
                _(_NOT_YET) if key == "sync" else \
                _("This page is not available for your role.")
            self.ui.status_bar.showMessage(why, 8000)
            return False
        self.ui.pages_stack.setCurrentWidget(page)
        row = next(r for r in range(self.ui.nav_list.count())
                   if self.ui.nav_list.item(r).data(Qt.ItemDataRole.UserRole) == key)
        if self.ui.nav_list.currentRow() != row:
            self.ui.nav_list.blockSignals(True)
            self.ui.nav_list.setCurrentRow(row)
            self.ui.nav_list.blockSignals(False)
        focus = getattr(page, "focus_main", None) or getattr(page, "focus_search", None)
        if focus:
            focus()
        return True

    def _setup_status_bar(self) -> None:
        sb = self.ui.status_bar
        a = self.actor
        self.window_status = QLabel(_("Window {window}").format(window=a.window_code))
        self.operator_status = QLabel(_("Operator {name} ({role})").format(name=a.display_name or a.username,
                                                                           role=role_label(a.role)))
        db = self.services.db
        where = _("local file {path}").format(path=db.describe()) if db.is_sqlite else _("server {url}").format(url=db.describe())
        self.db_status = QLabel(_("Database: {where}").format(where=where))
        self.db_status.setToolTip(db.describe())
        # a long database path must not widen the window beyond a 1366-pixel screen (the tooltip shows it whole)
        self.db_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clock_status = QLabel()
        for w in (self.window_status, self.operator_status):
            sb.addWidget(w)
        sb.addWidget(self.db_status, 1)
        self.sync_status = SyncStatusLabel(self.sync)
        sb.addPermanentWidget(self.sync_status)
        self.backup_status: QLabel | None = None
        if a.may(N_("see the backup status")):  # supervisors and administrators see how old the last backup is
            self.backup_status = QLabel()
            sb.addPermanentWidget(self.backup_status)
            self._show_backup_age()
            self._backup_timer = QTimer(self, interval=60_000)
            self._backup_timer.timeout.connect(self._show_backup_age)
            self._backup_timer.start()
        sb.addPermanentWidget(self.clock_status)
        self._tick()
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self.sync.start()

    def _show_backup_age(self) -> None:
        """最近备份：3 小时前 — red when there is none or it is older than two days."""
        if self.backup_status is None:
            return
        st = self.services.maintenance.last_backup(self.actor)  # a folder listing, no SQL
        if st.taken_at is None or st.age_s is None:
            text, stale = _("No backup yet"), True
        else:
            text, stale = _("Last backup: {age}").format(age=age_text(st.age_s)), st.age_s > 2 * 86400
            self.backup_status.setToolTip(_("{path}, taken {when}").format(path=st.path, when=st.taken_at.strftime("%Y-%m-%d %H:%M")))
        self.backup_status.setText(text)
        self.backup_status.setStyleSheet("color: #b00020;" if stale else "")

    def _tick(self) -> None:
        self.clock_status.setText(dt.datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        reg = self.pages.get("registration")
        if isinstance(reg, RegistrationPage):
            reg.write_draft()  # an accidental close keeps what was typed
        super().closeEvent(event)
        if event.isAccepted():
            self.sync.stop(timeout=0)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop the background sync (waits up to `timeout` s for a round in progress) and the idle watch."""
        self.idle.remove()
        self.sync.stop(timeout)
