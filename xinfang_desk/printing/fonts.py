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
from typing import Any

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
    from reportlab.pdfbase.ttfonts import TTFont

    t0 = time.perf_counter()
    font = TTFont(spec.name, str(fonts_dir() / spec.file))
    _install_fast_subsetter(font)
    pdfmetrics.registerFont(font)
    _registration_seconds[spec.name] = time.perf_counter() - t0
    return font.face.charToGlyph


_utf16_hex_cache: dict[int, str] = {}


def _utf16_hex(cp: int) -> str:
    h = _utf16_hex_cache.get(cp)
    if h is None:
        h = _utf16_hex_cache[cp] = chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()
    return h


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap writes a code point beyond the BMP as ``<20BB7>``, which is invalid
    (odd-length hex): viewers then lose 𠮷 on copy, search and text extraction. This writes the
    UTF-16BE surrogate pair (``<D842DFB7>``) that the PDF specification asks for."""
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
    lines += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ subsetting
# reportlab's ``TTFontFile.makeSubset`` copies whole tables out of the font file for every subset it
# writes (``get_table('glyf')`` alone is ~12 MB for Noto Serif SC, and a notice writes 3+ subsets) and
# re-parses each glyph. :class:`_SubsetCache` is the same algorithm over data read once per process:
# the small tables, and each glyph's bytes and composite-component offsets as they are first needed.
# The output is byte-identical to reportlab's (checked by the unit tests).

_GF_ARG_1_AND_2_ARE_WORDS = 1 << 0
_GF_WE_HAVE_A_SCALE = 1 << 3
_GF_MORE_COMPONENTS = 1 << 5
_GF_WE_HAVE_AN_X_AND_Y_SCALE = 1 << 6
_GF_WE_HAVE_A_TWO_BY_TWO = 1 << 7
_COPIED_TABLES = ("name", "OS/2", "cvt ", "fpgm", "prep")


class _SubsetCache:
    def __init__(self, face) -> None:  # noqa: ANN001
        self.face = face
        self.tables: dict[str, bytes | None] = {}
        self.glyphs: dict[int, tuple[bytes, tuple[tuple[int, int], ...]]] = {}
        self.glyf_start = face.get_table_pos("glyf")[0]
        self.lock = threading.Lock()

    def table(self, tag: str) -> bytes | None:
        try:
            return self.tables[tag]
        except KeyError:
            try:
                data: bytes | None = bytes(self.face.get_table(tag))
            except KeyError:
                data = None
            self.tables[tag] = data
            return data

    def glyph(self, gid: int) -> tuple[bytes, tuple[tuple[int, int], ...]]:
        """(raw glyph bytes, ((offset of the component glyph index, component glyph index), ...))."""
        try:
            return self.glyphs[gid]
        except KeyError:
            pass
        from struct import unpack_from

        face = self.face
        pos = face.glyphPos[gid]
        length = face.glyphPos[gid + 1] - pos
        start = self.glyf_start + pos
        data = bytes(face._ttf_data[start:start + length])
        comps: list[tuple[int, int]] = []
        if length > 2 and unpack_from(">h", data, 0)[0] < 0:  # composite glyph
            at = 10
            flags = _GF_MORE_COMPONENTS
            while flags & _GF_MORE_COMPONENTS:
                flags, idx = unpack_from(">HH", data, at)
                comps.append((at + 2, idx))
                at += 4
                at += 4 if flags & _GF_ARG_1_AND_2_ARE_WORDS else 2
                if flags & _GF_WE_HAVE_A_SCALE:
                    at += 2
                elif flags & _GF_WE_HAVE_AN_X_AND_Y_SCALE:
                    at += 4
                elif flags & _GF_WE_HAVE_A_TWO_BY_TWO:
                    at += 8
        entry = (data, tuple(comps))
        self.glyphs[gid] = entry
        return entry

    def make_subset(self, subset: list[int]) -> bytes:
        with self.lock:
            return self._make_subset(subset)

    def _make_subset(self, subset: list[int]) -> bytes:  # reportlab's TTFontFile.makeSubset, cached reads
        from struct import pack

        from reportlab.pdfbase.ttfonts import TTFontMaker, _set_ushort

        face = self.face
        output = TTFontMaker()
        char_to_glyph = face.charToGlyph
        glyph_map = [0]  # new glyph index -> old
        glyph_set = {0: 0}  # old -> new
        code_to_glyph = {}
        for code in subset:
            orig = char_to_glyph.get(code, 0)
            if orig not in glyph_set:
                glyph_set[orig] = len(glyph_map)
                glyph_map.append(orig)
            code_to_glyph[code] = glyph_set[orig]
        n = 0
        while n < len(glyph_map):  # components of composite glyphs
            for _at, idx in self.glyph(glyph_map[n])[1]:
                if idx not in glyph_set:
                    glyph_set[idx] = len(glyph_map)
                    glyph_map.append(idx)
            n += 1

        for tag in _COPIED_TABLES:
            data = self.table(tag)
            if data is not None:
                output.add(tag, data)
        post = self.table("post")
        assert post is not None
        output.add("post", b"\x00\x03\x00\x00" + post[4:16] + b"\x00" * 16)

        num_glyphs = len(glyph_map)
        hmetrics = face.hmetrics
        hmtx: list[int] = []
        for g in glyph_map:
            aw, lsb = hmetrics[g]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        number_of_hmetrics = n >> 1
        hmtx = hmtx[:n] + hmtx[n + 1::2]
        output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
        output.add("hhea", _set_ushort(self.table("hhea"), 34, number_of_hmetrics))
        output.add("maxp", _set_ushort(self.table("maxp"), 4, num_glyphs))

        entry_count = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entry_count * 2, 0, 0, entry_count, *map(code_to_glyph.get, subset)]
        output.add("cmap", pack(f">{len(cmap)}H", *cmap))

        offsets = []
        glyf: list[bytes] = []
        pos = 0
        for g in glyph_map:
            offsets.append(pos)
            data, comps = self.glyph(g)
            if comps:
                buf = bytearray(data)
                for at, idx in comps:
                    buf[at:at + 2] = pack(">H", glyph_set[idx])
                data = bytes(buf)
            glyf.append(data)
            pos += len(data)
            if pos % 4:
                pad = 4 - pos % 4
                glyf.append(b"\0" * pad)
                pos += pad
        offsets.append(pos)
        output.add("glyf", b"".join(glyf))
        if (pos + 1) >> 1 > 0xFFFF:
            index_to_loc_format = 1
            loca = pack(f">{len(offsets)}L", *offsets)
        else:
            index_to_loc_format = 0
            loca = pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
        output.add("loca", loca)
        output.add("head", _set_ushort(self.table("head"), 50, index_to_loc_format))
        return output.makeStream()


def _install_fast_subsetter(font) -> None:  # noqa: ANN001
    """Per registered TTFont: the cached subsetter, and number arrays for the subset ``/Widths``."""
    font.face.makeSubset = _SubsetCache(font.face).make_subset  # instance attribute, read by addSubsetObjects
    add_objects = font.addObjects

    def addObjects(doc) -> None:  # noqa: ANN001, N802
        state = font.state.get(doc)
        add_objects(doc)  # creates the subset font objects, then forgets the state
        if state is None or state.internalName is None:
            return
        fonts = doc.idToObject["BasicFonts"].dict
        for n in range(len(state.subsets)):
            pdf_font = fonts.get(f"{state.internalName}+{n}")
            widths = getattr(pdf_font, "Widths", None)
            if widths is not None and type(widths) is _pdf_array():
                pdf_font.Widths = _NumberArray(widths.sequence)

    font.addObjects = addObjects


@functools.cache
def _pdf_array() -> Any:  # reportlab's PDFArray class (untyped)
    from reportlab.pdfbase.pdfdoc import PDFArray

    return PDFArray


def _number_array_class() -> type:
    from reportlab import rl_config
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfdoc import PDFArray

    class NumberArray(PDFArray):
        """A PDFArray of plain numbers, formatted as reportlab's PDFArray formats it (``fp_str`` of each
        element, a line break every ten) without the per-element dispatch and codec."""

        def format(self, document, IND=b"\n "):  # noqa: ANN001, ANN202, N803
            seq = self.sequence
            if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced" or not all(
                type(e) in (int, float) for e in seq
            ):
                return super().format(document, IND)
            L = [fp_str(e).encode("ascii") for e in seq]  # noqa: N806
            for i in reversed(range(10, len(L), 10)):
                L.insert(i, b"\n ")
            return b"[ " + b" ".join(L) + b" ]"

    return NumberArray


class _LazyNumberArray:
    cls: type | None = None

    def __call__(self, seq: list) -> object:
        if self.cls is None:
            self.cls = _number_array_class()
        return self.cls(seq)


_NumberArray = _LazyNumberArray()


def _patch_reportlab() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # read as a module global when a subset is written


def ensure_registered() -> None:
    """Register the main serif (regular and bold) in reportlab; idempotent, thread-safe, cheap after once."""
    global _main_cmap
    if _main_cmap is not None:
        return
    with _lock:
        if _main_cmap is not None:
            return
        from reportlab.lib.fonts import addMapping

        _patch_reportlab()
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
