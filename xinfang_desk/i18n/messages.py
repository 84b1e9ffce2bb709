"""Messages as codes with parameters: a msgid (English, untranslated) and its parameters, put into words
only where they are shown — the screen in the UI language, official paper always in Chinese.

A parameter that is itself a msgid (a fact's question, a deadline's label) is a `Msg`; in JSON it is
`{"msgid": "..."}`. Everything else (dates as YYYY-MM-DD, numbers, article references) is used as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xinfang_desk.i18n import gettext, translate


@dataclass(frozen=True)
class Msg:
    msgid: str


def params_json(params: Mapping[str, object]) -> dict[str, object]:
    return {k: ({"msgid": v.msgid} if isinstance(v, Msg) else v) for k, v in params.items()}


def _word(value: object, lang: str | None) -> object:
    msgid = value.msgid if isinstance(value, Msg) else (
        value.get("msgid") if isinstance(value, Mapping) else None)
    if msgid is None:
        return value
    return translate(str(msgid), lang) if lang else gettext(str(msgid))


def render_message(msgid: str, params: Mapping[str, object] | None = None, lang: str | None = None) -> str:
    """The message in `lang` (default: the UI language); parameters that are msgids are translated too."""
    text = translate(msgid, lang) if lang else gettext(msgid)
    if not params:
        return text
    try:
        return text.format(**{k: _word(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


def warning_words(w: object, lang: str | None = None) -> str:
    """A stored warning (`{"code", "msgid", "params", "message"}`) in words: from its msgid and parameters
    where it has them (so a result classified under another UI language still reads right), else its message."""
    if not isinstance(w, Mapping):
        return str(w)
    if w.get("msgid"):
        return render_message(str(w["msgid"]), w.get("params") or {}, lang)
    return str(w.get("message") or "")
