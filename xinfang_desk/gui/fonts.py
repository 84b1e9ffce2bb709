"""The shipped CJK fonts in Qt: registered from resources/fonts and made the application font."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from xinfang_desk.paths import resource

log = logging.getLogger(__name__)

DEFAULT_POINT_SIZE = 11


def _font_files() -> tuple[list[Path], list[str]]:
    try:
        from xinfang_desk.printing.fonts import font_files, ui_font_families

        return font_files(), ui_font_families()
    except ImportError:  # printing not present: take whatever is shipped
        files = sorted(resource("fonts").glob("*.ttf"))
        return files, []


def register_fonts() -> list[str]:
    """Add the shipped fonts to Qt; returns the families in fallback order (empty if none loaded)."""
    files, preferred = _font_files()
    families: list[str] = []
    for f in files:
        if not f.exists():
            log.warning("font file missing: %s", f)
            continue
        fid = QFontDatabase.addApplicationFont(str(f))
        if fid < 0:
            log.warning("Qt could not load font %s", f)
            continue
        for fam in QFontDatabase.applicationFontFamilies(fid):
            if fam not in families:
                families.append(fam)
    if preferred:
        families = [f for f in preferred if f in families] + [f for f in families if f not in preferred]
    return families


def apply_app_font(app: QApplication, families: list[str], point_size: float | None = None) -> QFont:
    size = point_size or float(os.environ.get("XINFANG_DESK_FONT_PT") or DEFAULT_POINT_SIZE)
    font = QFont(app.font())
    if families:
        font.setFamilies(families)
    font.setPointSizeF(max(float(DEFAULT_POINT_SIZE), size))
    app.setFont(font)
    return font
