"""Showing errors: typed domain errors as a plain message, anything else with its details."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.i18n import _

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    screen = getattr(exc, "screen_message", None)  # a disk or database problem: its Chinese-only sentence
    if isinstance(exc, DomainError) and callable(screen):
        return str(screen())
    if isinstance(exc, DomainError):
        return str(exc)
    return _("Unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, _("Error"), error_text(exc), QMessageBox.StandardButton.Ok, parent)
    if not isinstance(exc, DomainError):
        box.setDetailedText(getattr(exc, "__traceback_text__", "") or "".join(traceback.format_exception(exc)))
    box.exec()


def install_excepthook() -> None:
    def hook(tp: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(tp, value, tb))
        try:
            show_error(None, value)
        except Exception:  # noqa: BLE001 - never recurse
            sys.__excepthook__(tp, value, tb)

    sys.excepthook = hook
