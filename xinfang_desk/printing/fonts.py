"""The shipped fonts: reportlab registration, per-character fallback and Paragraph markup (Qt-free).

reportlab draws a silent .notdef box for a character its font lacks, so every piece of text that is
printed goes through :func:`markup` (for platypus Paragraphs) or :func:`runs` (for canvas drawing).
Both look each character up in the cmap of the main font (Noto Serif SC), then HanaMinA, then HanaMinB,
and raise :class:`MissingGlyph` when no shipped font has it. A box is never printed.

Fonts are registered in reportlab once per process, lazily and under a lock; the two fallback fonts
(33 MB together) are only loaded the first time a character needs them.

Rules for characters that are not ordinary glyphs (see also ``resources/fonts/README.md``):

* ``\\n`` / ``\\r\\n`` / ``\\r`` / U+2028 / U+2029 → a line break (``<br/>``) in :func:`markup`, a space in
  :func:`runs`; ``\\t`` and any space separator (Zs) the main font lacks → an ordinary space.
* Zero-width characters (U+200B/C/D, U+2060, U+FEFF) and the soft hyphen are invisible: left out.
* Variation selectors (U+FE00–FE0F, U+E0100–E01EF, Mongolian FVS) → :class:`MissingGlyph`. reportlab
  does no glyph substitution, so 葛 + U+E0100 cannot be printed as the variant; silently printing the
  base glyph would change an official name, so the clerk has to decide.
* Other control characters, lone surrogates and unassigned code points → :class:`MissingGlyph`.
* Combining marks are printed from the first font that has them (reportlab does not shape; Latin
  accents in Noto are positioned by the font's zero-width marks) or raise :class:`MissingGlyph`.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from xinfang_desk.domain.errors import DomainError
from xinfang_desk.i18n import _
from xinfang_desk.paths import resource

MAIN = "XFSerif"
MAIN_BOLD = "XFSerif-Bold"


@dataclass(frozen=True)
class _FontSpec:
    name: str  # reportlab font name
    file: str  # file in resources/fonts
    family: str  # family name Qt reports for the file


_MAIN_SPEC = _FontSpec(MAIN, "NotoSerifSC_400Regular.ttf", "Noto Serif SC")
_BOLD_SPEC = _FontSpec(MAIN_BOLD, "NotoSerifSC_700Bold.ttf", "Noto Serif SC")
_FALLBACK_SPECS = (
    _FontSpec("XFHanaMinA", "HanaMinA-subset.ttf", "HanaMinA"),
    _FontSpec("XFHanaMinB", "HanaMinB-subset.ttf", "HanaMinB"),
)

_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x180B <= cp <= 0x180D or cp == 0x180F


class MissingGlyph(DomainError):
    """A character that no shipped font can print (or that cannot be printed faithfully)."""

    def __init__(self, char: str, *, field: str | None = None, base: str | None = None) -> None:
        self.char = char
        self.codepoint = f"U+{ord(char):04X}"
        self.field = field
        self.base = base
        visible = unicodedata.category(char)[0] not in "CZM"
        if base is not None:
            msg = _("variation selector {codepoint} after “{base}” cannot be printed; enter the character without it").format(
                codepoint=self.codepoint, base=base
            )
        elif visible:
            msg = _("character “{char}” ({codepoint}) cannot be printed: no shipped font has it").format(
                char=char, codepoint=self.codepoint
            )
        else:
            msg = _("invisible or control character {codepoint} cannot be printed").format(
                codepoint=self.codepoint
            )
        if field:
            msg = _("{field}: {problem}").format(field=field, problem=msg)
        super().__init__(msg)


# --------------------------------------------------------------------------------------------- registry

_lock = threading.RLock()
_main_cmap: dict[int, int] | None = None
_fallbacks_loaded: list[tuple[str, dict[int, int]]] = []  # in fallback order, a prefix of _FALLBACK_SPECS
_registration_seconds: dict[str, float] = {}


def fonts_dir() -> Path:
    return resource("fonts")


def _register(spec: _FontSpec) -> dict[int, int]:
    import time

    from reportlab.pdfbase import pdfmetrics

    t0 = time.perf_counter()
    font = _font_class()(spec.name, str(fonts_dir() / spec.file))
    pdfmetrics.registerFont(font)
    _registration_seconds[spec.name] = time.perf_counter() - t0
    return font.face.charToGlyph


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A subset's ToUnicode CMap as reportlab writes it, but with a code point beyond the BMP written as
    its UTF-16BE surrogate pair (``<D842DFB7>``), as the PDF specification asks."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@functools.cache
def _font_class() -> type:
    """reportlab's ``TTFont`` (subsetting and embedding as shipped), with one fix, made on first use so that
    importing this module does not import reportlab (the GUI reads the font file list from here).

    reportlab 5.1 writes a code point beyond the BMP into a subset's ToUnicode CMap as ``<20BB7>``
    (odd-length hex, invalid): viewers then lose 𠮷 and the other rare name characters (HanaMin A/B) on copy,
    search and text extraction. After reportlab has made a subset's PDF objects, :meth:`addObjects` rewrites
    the CMap of any subset that holds such a character; other subsets keep reportlab's bytes.
    ``tests/unit/test_printing_notice.py::test_rare_names_survive_into_the_text`` fails without it;
    bench/bench_print_extensions.py prints the figure."""
    from reportlab.pdfbase.ttfonts import TTFont

    class XFTTFont(TTFont):
        def addObjects(self, doc) -> None:  # noqa: ANN001, N802 - reportlab's name
            state = self.state.get(doc)
            astral = [] if state is None else [
                (n, list(subset)) for n, subset in enumerate(state.subsets) if any(cp > 0xFFFF for cp in subset)]
            super().addObjects(doc)
            if not astral:
                return
            pdf_fonts = doc.idToObject["BasicFonts"].dict
            for n, subset in astral:
                pdf_font = pdf_fonts[f"{state.internalName}+{n}"]
                cmap = doc.idToObject[pdf_font.ToUnicode.name]
                cmap.content = _to_unicode_cmap(pdf_font.BaseFont, subset)

    return XFTTFont


def ensure_registered() -> None:
    """Register the main serif (regular and bold) in reportlab; idempotent, thread-safe, cheap after once."""
    global _main_cmap
    if _main_cmap is not None:
        return
    with _lock:
        if _main_cmap is not None:
            return
        from reportlab.lib.fonts import addMapping

        cmap = _register(_MAIN_SPEC)
        _register(_BOLD_SPEC)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(MAIN, bold, italic, MAIN_BOLD if bold else MAIN)
        _main_cmap = cmap


def _load_fallback(index: int) -> tuple[str, dict[int, int]] | None:
    """Fallback number `index`, registered on first use; None past the last one."""
    if index < len(_fallbacks_loaded):
        return _fallbacks_loaded[index]
    if index >= len(_FALLBACK_SPECS):
        return None
    with _lock:
        while len(_fallbacks_loaded) <= index:
            from reportlab.lib.fonts import addMapping

            spec = _FALLBACK_SPECS[len(_fallbacks_loaded)]
            cmap = _register(spec)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(spec.name, bold, italic, spec.name)
            _fallbacks_loaded.append((spec.name, cmap))
        return _fallbacks_loaded[index]


def registration_seconds() -> dict[str, float]:
    """How long each font took to register in this process (for the benchmark)."""
    return dict(_registration_seconds)


def font_for_char(ch: str) -> str | None:
    """The reportlab name of the first shipped font whose cmap has `ch`, or None."""
    ensure_registered()
    cp = ord(ch)
    assert _main_cmap is not None
    if cp in _main_cmap:
        return MAIN
    i = 0
    while (fb := _load_fallback(i)) is not None:
        if cp in fb[1]:
            return fb[0]
        i += 1
    return None


# --------------------------------------------------------------------------------------------- text

_SPACE = " "
_BREAK = "\n"


# per-character classification, memoised for the process (a character's class never changes: the
# fallback fonts are loaded in a fixed order and a cmap is immutable)
_K_BREAK, _K_SKIP, _K_SELECTOR, _K_SPACE, _K_BAD = range(5)
_char_class: dict[str, int | str] = {}


def _classify(ch: str) -> int | str:
    """A font name for a printable character, else one of the ``_K_*`` codes."""
    k = _char_class.get(ch)
    if k is not None:
        return k
    cp = ord(ch)
    if ch in _LINE_BREAKS:
        k = _K_BREAK
    elif ch in _INVISIBLE:
        k = _K_SKIP
    elif _is_variation_selector(cp):
        k = _K_SELECTOR
    else:
        cat = unicodedata.category(ch)
        if ch == "\t" or (cat == "Zs" and cp not in (_main_cmap or {})):
            k = _K_SPACE
        elif cat in ("Cc", "Cs", "Cn", "Co"):
            k = _K_BAD
        else:
            font = font_for_char(ch)
            k = _K_BAD if font is None else font
    _char_class[ch] = k
    return k


def runs(text: str, field: str | None = None, *, keep_breaks: bool = False) -> list[tuple[str, str]]:
    """Split `text` into (font name, text) runs; raises MissingGlyph for an unprintable character.

    Line breaks become a single ``"\\n"`` run with font name ``""`` when `keep_breaks`, else a space.
    """
    ensure_registered()
    out: list[tuple[str, str]] = []
    cur_font = ""  # font of the run being collected in `cur` ("" = none)
    cur: list[str] = []
    get = _char_class.get

    prev = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        i += 1
        k = get(ch)
        if k is None:
            k = _classify(ch)
        if k.__class__ is str:
            if k != cur_font:
                if cur:
                    out.append((cur_font, "".join(cur)))
                cur = []
                cur_font = k
            cur.append(ch)
            prev = ch
            continue
        if k == _K_SKIP:
            continue
        if k == _K_BREAK:
            if ch == "\r" and i < n and text[i] == "\n":
                i += 1
            if keep_breaks:
                if cur:
                    out.append((cur_font, "".join(cur)))
                cur, cur_font = [], ""
                out.append(("", _BREAK))
            else:
                if cur_font != MAIN:
                    if cur:
                        out.append((cur_font, "".join(cur)))
                    cur, cur_font = [], MAIN
                cur.append(_SPACE)
            prev = ""
            continue
        if k == _K_SELECTOR:
            raise MissingGlyph(ch, field=field, base=prev or None)
        if k == _K_SPACE:
            if cur_font != MAIN:
                if cur:
                    out.append((cur_font, "".join(cur)))
                cur, cur_font = [], MAIN
            cur.append(_SPACE)
            prev = ""
            continue
        raise MissingGlyph(ch, field=field)
    if cur:
        out.append((cur_font, "".join(cur)))
    return out


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str, field: str | None = None) -> str:
    """`text` escaped for a reportlab Paragraph (whose fontName is the main serif), with every character
    the main font lacks wrapped in ``<font name=...>`` of the first fallback that has it.

    Raises MissingGlyph (naming U+XXXX and `field`) when no shipped font covers a character.
    """
    parts: list[str] = []
    for font, s in runs(text, field, keep_breaks=True):
        if font == "":
            parts.append("<br/>")
        elif font == MAIN:
            parts.append(_escape(s))
        else:
            parts.append(f'<font name="{font}">{_escape(s)}</font>')
    return "".join(parts)


def check_printable(text: str, field: str | None = None) -> None:
    """Raise MissingGlyph if `text` cannot be printed with the shipped fonts."""
    runs(text, field)


# --------------------------------------------------------------------------------------------- for the GUI


# Screens use a sans-serif (UI.md: serif is for paper); the rare-character fallbacks are the same as on paper.
_UI_SPEC = _FontSpec("", "NotoSansSC_400Regular.ttf", "Noto Sans SC")
_UI_BOLD_SPEC = _FontSpec("", "NotoSansSC_700Bold.ttf", "Noto Sans SC")


def font_files() -> list[Path]:
    """The files Qt should load with ``QFontDatabase.addApplicationFont`` (UI regular, bold, fallbacks)."""
    return [fonts_dir() / s.file for s in (_UI_SPEC, _UI_BOLD_SPEC, *_FALLBACK_SPECS)]


def ui_font_families() -> list[str]:
    """Family names in fallback order, for ``QFont.setFamilies``."""
    return [_UI_SPEC.family, *(s.family for s in _FALLBACK_SPECS)]
