"""Babel extractor for Qt Designer `.ui` files.

Yields every `<string>` that is not marked `notr="true"`; a `comment` attribute becomes the message context
(msgctxt, matching the disambiguation Qt passes to the translator) and `extracomment` a translator comment.
Registered in babel.cfg as `[extractors] qtui = tools.babel_qtui:extract`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    data = fileobj.read()
    # ElementTree has no line numbers; find each string's line in the source text
    text = data.decode("utf-8")
    root = ElementTree.fromstring(data)
    cursor = 0
    for el in root.iter("string"):
        if el.get("notr") == "true" or not (el.text or "").strip():
            continue
        source = el.text or ""
        escaped = source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        pos = text.find(escaped, cursor)
        if pos >= 0:
            cursor = pos
        lineno = text.count("\n", 0, max(pos, 0)) + 1
        comments = [el.get("extracomment")] if el.get("extracomment") else []
        ctx = el.get("comment")
        if ctx:
            yield lineno, "pgettext", (ctx, source), comments
        else:
            yield lineno, "_", source, comments
