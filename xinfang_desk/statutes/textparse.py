"""Parsing helpers for Chinese statute text: numerals, article headings, paragraphs (款) and items (项).

Shared by the catalogue builder (which turns `statutes.md` and `laws/*.md` into JSON) and the tests that
compare the catalogue against those sources character for character. Pure functions, stdlib only.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

ARTICLE_RE = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:\s|　)")
ITEM_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")


def cn_to_int(text: str) -> int:
    """'二百一十六' -> 216, '十五' -> 15, '一千二百六十' -> 1260."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def int_to_cn(n: int) -> str:
    """216 -> '二百一十六', 15 -> '十五', 1260 -> '一千二百六十' (the style used in statute headings)."""
    if n <= 0:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    parts: list[str] = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            parts.append(digits[d] + unit)
        elif parts and n and not parts[-1] == "零":
            parts.append("零")
    return "".join(parts).rstrip("零")


def article_heading(number: int) -> str:
    return f"第{int_to_cn(number)}条"


def split_units(article_text: str) -> list[str]:
    """Non-empty lines of an article's text (each line is one paragraph or item as printed)."""
    return [line for line in article_text.split("\n") if line.strip()]


def structure(units: list[str]) -> tuple[str, list[dict]]:
    """Group an article's lines into 款 (paragraphs) holding their 项 (items).

    Returns (heading, paragraphs) where the first line's "第X条 " heading is removed from the first
    paragraph. A line that starts with "（一）" etc. is an item of the preceding paragraph. An item-less line
    that sits between item n-1 and item n continues item n-1 (信访条例 art. 21 has such a sub-paragraph);
    it is kept inside that item's text after a newline so the whole text stays verbatim.
    """
    m = ARTICLE_RE.match(units[0])
    if not m:
        raise ValueError(f"article text does not start with a heading: {units[0][:20]!r}")
    heading = units[0][: m.end()].rstrip()
    first = units[0][m.end():]
    paragraphs: list[dict] = [{"text": first, "items": []}]
    for line in units[1:]:
        im = ITEM_RE.match(line)
        if im:
            k = cn_to_int(im.group(1))
            cur = paragraphs[-1]
            if not cur["items"] and k > 1 and len(paragraphs) > 1:
                prev = paragraphs[-2]
                if prev["items"] and len(prev["items"]) == k - 1:
                    prev["items"][-1] += "\n" + cur["text"]
                    paragraphs.pop()
                    cur = prev
            if len(cur["items"]) != k - 1:
                raise ValueError(f"{heading}: item {k} out of sequence")
            cur["items"].append(line)
        else:
            paragraphs.append({"text": line, "items": []})
    return heading, paragraphs


def render(heading: str, paragraphs: list[dict]) -> str:
    """Inverse of structure(): the article text, one line per paragraph or item."""
    lines: list[str] = []
    for i, p in enumerate(paragraphs):
        lines.append(f"{heading} {p['text']}" if i == 0 else p["text"])
        lines.extend(p["items"])
    return "\n".join(lines)


def articles_in_markdown(text: str) -> dict[int, str]:
    """Articles of a full law text (laws/*.md): number -> text (lines joined by '\\n').

    An article runs from its "第X条 " line to the next article line or heading ("#"); blank lines are dropped.
    """
    out: dict[int, str] = {}
    current: int | None = None
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        m = ARTICLE_RE.match(line)
        if m or line.startswith("#") or line.startswith("<!--"):
            if current is not None:
                out.setdefault(current, "\n".join(lines))
            current, lines = (cn_to_int(m.group(1)), [line]) if m else (None, [])
            continue
        if current is not None and line.strip().strip("\u200b"):
            lines.append(line)
    if current is not None:
        out.setdefault(current, "\n".join(lines))
    return out


def quoted_articles(md: str, start_line: int, end_line: int) -> dict[int, str]:
    """Article blocks quoted in statutes.md ("> 第X条 …" with "> …" continuation lines) within a line range
    (1-based, inclusive). Returns number -> text with one line per paragraph or item."""
    out: dict[int, str] = {}
    current: int | None = None
    lines: list[str] = []
    all_lines = md.split("\n")
    for raw in all_lines[start_line - 1 : end_line]:
        if raw.startswith(">"):
            body = raw[1:].lstrip(" ") if raw.startswith("> ") or raw == ">" else raw[1:]
            m = ARTICLE_RE.match(body)
            if m:
                if current is not None:
                    out[current] = "\n".join(lines)
                current, lines = cn_to_int(m.group(1)), [body]
            elif current is not None and body.strip():
                lines.append(body)
        else:
            if current is not None:
                out[current] = "\n".join(lines)
            current, lines = None, []
    if current is not None:
        out[current] = "\n".join(lines)
    return out
