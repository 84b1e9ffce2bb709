"""One translation catalog for Python strings and the Designer forms.

msgids are English; zh_CN is the default UI language. The catalog lives as a `.po` file in
`resources/i18n/<lang>/LC_MESSAGES/xinfang_desk.po` and is read at start-up with Babel (no compiled
`.mo` is committed or needed). `set_language("en")` gives the English msgids unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from xinfang_desk.paths import resource

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED = ("zh_CN", "en")
DOMAIN = "xinfang_desk"

_lock = threading.Lock()
_language = DEFAULT_LANGUAGE
_catalogs: dict[str, dict[str, str]] = {}


def _load(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    with _lock:
        if lang in _catalogs:
            return _catalogs[lang]
        from babel.messages.pofile import read_po

        path = resource("i18n", lang, "LC_MESSAGES", f"{DOMAIN}.po")
        table: dict[str, str] = {}
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            for msg in catalog:
                if msg.id and msg.string and not msg.fuzzy and isinstance(msg.id, str):
                    table[msg.id] = str(msg.string)
        _catalogs[lang] = table
        return table


def set_language(lang: str | None) -> str:
    global _language
    lang = (lang or DEFAULT_LANGUAGE).replace("-", "_")
    if lang.startswith("zh"):
        lang = "zh_CN"
    elif lang.startswith("en"):
        lang = "en"
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED)}")
    _language = lang
    return lang


def language() -> str:
    return _language


def gettext(msgid: str) -> str:
    return _load(_language).get(msgid, msgid)


def translate(msgid: str, lang: str) -> str:
    """The msgid in a given language, whatever the UI language (official documents are always Chinese)."""
    return _load(lang).get(msgid, msgid)


_: Callable[[str], str] = gettext


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it now."""
    return msgid
