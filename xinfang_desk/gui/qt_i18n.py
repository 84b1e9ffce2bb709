"""Qt's translation calls answered from our gettext catalog, plus Qt's own qtbase catalog for stock dialogs.

`pyside6-uic` output calls `QCoreApplication.translate(context, source)` in `retranslateUi`; the
`GettextTranslator` below answers it with `_()` from `xinfang_desk.i18n`, so Designer strings live in the one
`.po` catalog (extracted by `tools/babel_qtui.py`). It returns None on a miss so Qt keeps looking in the next
translator (qtbase), which is installed first and therefore searched last.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from xinfang_desk import i18n

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []  # strong references: a collected translator is silently uninstalled

# Stock-dialog strings Qt 6 uses whose source text changed (an accelerator was added) after the shipped
# qtbase_zh_CN.qm was made: without these the save dialog says "Look in:" and "Files of type:".
QT_GAPS_ZH: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class GettextTranslator(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # type: ignore[override]
        if not source:
            return None
        if i18n.language() == "en":
            return source
        gap = QT_GAPS_ZH.get((context, source)) if i18n.language() == "zh_CN" else None
        if gap is not None:
            return gap
        out = i18n.gettext(source)
        return out if out != source else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt name
        return False


def install(app: QCoreApplication, lang: str) -> dict[str, bool]:
    """Set the language everywhere; returns which catalogs loaded (for --self-test)."""
    lang = i18n.set_language(lang)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    loaded = {"qtbase": False, "app": False}
    if lang != "en":
        qt = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(lang), "qtbase", "_", path):
            app.installTranslator(qt)
            _installed.append(qt)
            loaded["qtbase"] = True
        else:
            log.warning("Qt's qtbase_%s.qm not found in %s", lang, path)
        loaded["app"] = bool(i18n._load(lang))  # noqa: SLF001 - read once, at start-up
    bridge = GettextTranslator(app)
    app.installTranslator(bridge)
    _installed.append(bridge)
    return loaded
