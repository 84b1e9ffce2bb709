"""CI guards that belong to the GUI: compiled forms are current, every msgid has a zh_CN translation, the
Designer strings reach the catalog, and the Qt translator bridge answers from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_compiled_forms_are_current() -> None:
    r = subprocess.run([sys.executable, "tools/build_forms.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_every_msgid_has_a_chinese_translation() -> None:
    r = subprocess.run([sys.executable, "tools/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_ui_extractor_finds_designer_strings() -> None:
    sys.path.insert(0, str(ROOT))
    from tools.babel_qtui import extract

    with open(ROOT / "ui" / "registration_page.ui", "rb") as fh:
        found = {msg for _line, _fn, msg, _c in extract(fh, None, None, {})}
    assert {"Save (Ctrl+S)", "Kind of matter", "Earlier visits"} <= found
    assert "—" not in found  # notr="true" strings stay out


def test_translator_bridge(qapp: Any) -> None:
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("RegistrationPage", "Save (Ctrl+S)") == "保存 (Ctrl+S)"
    assert QCoreApplication.translate("X", "no such msgid, kept as is") == "no such msgid, kept as is"


def test_app_font_shows_chinese_and_rare_characters(qapp: Any) -> None:
    from PySide6.QtGui import QFontMetrics

    font = qapp.font()
    assert font.pointSizeF() >= 11
    fm = QFontMetrics(font)
    for ch in "信访接待𠮷䶮·":
        assert fm.inFontUcs4(ord(ch)), f"no glyph for {ch}"
