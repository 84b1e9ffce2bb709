"""One translation catalog for Python strings and the Designer forms.

msgids are English; zh_CN is the default UI language. The catalog lives as a `.po` file in
`resources/i18n/<lang>/LC_MESSAGES/xinfang_desk.po` and is read at start-up with Babel (no compiled
`.mo` is committed or needed); the parsed table is cached in the user's cache folder (`_load`).
`set_language("en")` gives the English msgids unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from xinfang_desk.paths import resource

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED = ("zh_CN", "en")
DOMAIN = "xinfang_desk"

_lock = threading.Lock()
_language = DEFAULT_LANGUAGE
_catalogs: dict[str, dict[str, str]] = {}


CACHE_VERSION = 1  # bump when the cached table's shape changes


def cache_file(lang: str) -> Path:
    """Where the parsed catalog of `lang` is cached (`paths.cache_dir()`)."""
    from xinfang_desk.paths import cache_dir

    return cache_dir() / f"catalog-{lang}.marshal"


def _read_cache(lang: str, key: str) -> dict[str, str] | None:
    """The cached table when it was made from exactly this .po (same SHA-256) by this cache version; else None."""
    import marshal

    try:
        doc = marshal.loads(cache_file(lang).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(doc, tuple) and len(doc) == 2 and doc[0] == key and isinstance(doc[1], dict)):
        return None
    return doc[1]


def _write_cache(lang: str, key: str, table: dict[str, str]) -> None:
    """Best effort: a cache folder that cannot be written only costs the next start the parse. The file is 0600."""
    import marshal
    import os

    from xinfang_desk.fileperm import open_private, private_dir

    try:
        target = cache_file(lang)
        private_dir(target.parent)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        with open_private(tmp, "wb") as fh:
            fh.write(marshal.dumps((key, table)))
        os.replace(tmp, target)
    except OSError:
        return


def _parse_po(data: bytes, lang: str) -> dict[str, str]:
    import io

    from babel.messages.pofile import read_po

    table: dict[str, str] = {}
    for msg in read_po(io.BytesIO(data), locale=lang):
        if msg.id and msg.string and not msg.fuzzy and isinstance(msg.id, str):
            table[msg.id] = str(msg.string)
    return table


def _load(lang: str) -> dict[str, str]:
    """The msgid -> translation table of `lang`. Parsing the .po with Babel costs 0.1-0.2 s (more than the whole
    log-in window), so the parsed table is cached (marshal) under the user's cache folder, keyed by the .po's
    SHA-256 and CACHE_VERSION: a changed .po is parsed again, a missing or unwritable cache only costs the parse."""
    if lang == "en":
        return {}
    with _lock:
        if lang in _catalogs:
            return _catalogs[lang]
        import hashlib

        path = resource("i18n", lang, "LC_MESSAGES", f"{DOMAIN}.po")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        table: dict[str, str] = {}
        if data is not None:
            key = f"{CACHE_VERSION}:{hashlib.sha256(data).hexdigest()}"
            cached = _read_cache(lang, key)
            if cached is not None:
                table = cached
            else:
                table = _parse_po(data, lang)
                _write_cache(lang, key, table)
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
