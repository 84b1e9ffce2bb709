"""Official-document layout in the spirit of GB/T 9704-2012, on reportlab platypus (Qt-free).

A4; 版心 156 × 225 mm with the top margin 37 mm and the binding (left) margin 28 mm, so right ≈ 26 mm and
bottom ≈ 35 mm; 22 lines of 三号 (16 pt) serif per page (line pitch 225 mm / 22 ≈ 28.9 pt); title in 二号
(22 pt) bold; page number "— 1 —" 7 mm below the 版心; the issuing office and the date at the lower right,
the date "2026年11月27日" (Arabic numerals, no leading zeros) with the seal area pressed over both.

Every piece of user text must go through :func:`user` (or ``fonts.markup``): it escapes markup and picks
a fallback font per character. Text that belongs to the templates (ours) may contain reportlab markup.
"""

from __future__ import annotations

import contextvars
import functools
import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from unicodedata import category as _category
from zoneinfo import ZoneInfo

from reportlab import rl_config as _rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus import paragraph as _rl_paragraph

from xinfang_desk.printing import fonts
from xinfang_desk.printing.fonts import MAIN, MAIN_BOLD

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

PAGE_W, PAGE_H = A4
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm  # binding side
BODY_W = 156 * mm
BODY_H = 225 * mm
MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - BODY_W  # 26 mm
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - BODY_H  # 35 mm

SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_SMALL = 14  # 四号
SIZE_FOOT = 7.5
LINE_PITCH = BODY_H / 22  # ≈ 28.9 pt: 22 lines per page

# ------------------------------------------------------------------------------- CJK line breaking
# reportlab's CJK wrapper (paragraph.cjkFragSplit) hangs one character that "cannot start a line" in the
# margin, but its list misses most full-width Chinese punctuation, and it happily ends a line with an
# opening bracket. This is the same algorithm with a Chinese kinsoku list and the "cannot end a line"
# rule added; it replaces reportlab's function process-wide (printing is the only reportlab user).
CANNOT_START = _rl_paragraph.ALL_CANNOT_START + "，。、；：？！）》〉」』】〕〗〙〛”’…·％‰℃﹚﹜﹞｝］｠"
CANNOT_END = "（《〈「『【〔〖〘〚“‘([{＜＄￥#"


def _split_units(U, W, maxWidths, breaks):  # noqa: ANN001, ANN202, N803
    """reportlab's CJK line-breaking loop over characters `U` with widths `W` (and forced line breaks
    `breaks`, a list of flags, or None); returns ``[(start, end, widthUsed, extraSpace, lineBreak)]``."""
    fuzz = _rl_paragraph._FUZZ
    out = []
    i = width_used = start = 0
    max_width = maxWidths[0]
    n = len(U)
    while i < n:
        u = U[i]
        w = W[i]
        i += 1
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        width_used += w
        line_break = breaks[i - 1] if breaks is not None else False
        if (width_used > max_width + fuzz and width_used > 0) or line_break:
            extra = max_width - width_used
            if not line_break:
                if ord(u or " ") < 0x3000:
                    # inside a run of Latin text: break at a space or after the last CJK character
                    for j in range(i - 1, (start + i) >> 1, -1):
                        uj = U[j]
                        if uj and _category(uj) == "Zs" or ord(uj or " ") >= 0x3000:
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extra += sum(W[ii] for ii in range(j, i))
                                w = W[k]
                                u = U[k]
                                i = j
                                break
                if u not in CANNOT_START and i > start + 1:
                    i -= 1  # push the character to the next line …
                    extra += w
                    pulled = 0  # … and take an opening bracket (or two) along with it
                    while pulled < 2 and i - 1 > start + 1 and U[i - 1] in CANNOT_END:
                        i -= 1
                        extra += W[i]
                        pulled += 1
                elif i < n and U[i] in CANNOT_START and i > start + 2:
                    # u would hang, but the next character cannot start a line either ("”。"):
                    # move back until the new line starts with a character that may start one
                    i -= 1
                    extra += w
                    while i > start + 1 and U[i] in CANNOT_START:
                        i -= 1
                        extra += W[i]
                # else: the character hangs in the margin (it cannot start a line)
            out.append((start, i, width_used, extra, line_break))
            try:
                max_width = maxWidths[len(out)]
            except IndexError:
                max_width = maxWidths[-1]
            start = i
            width_used = 0
    if width_used > 0:
        out.append((start, n, width_used, max_width - width_used, False))
    return out


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):  # noqa: ANN001, ANN202, N803
    cjkU = _rl_paragraph.cjkU  # noqa: N806
    U = []  # noqa: N806
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text and not hasattr(f, "cbDefn"):
            widths = _width_table(f.fontName, f.fontSize)
            for t in text:
                u = str.__new__(cjkU, t)  # what cjkU(t, f, encoding) builds, with a memoised width
                u._frag = f
                w = widths.get(t)
                if w is None:
                    w = widths[t] = stringWidth(t, f.fontName, f.fontSize)
                u._width = w
                U.append(u)
        elif text:
            U.extend([cjkU(t, f, encoding) for t in text])
        else:
            U.append(cjkU(text, f, encoding))
    lines: list[Any] = []
    W = [u.width for u in U]  # noqa: N806
    breaks = [hasattr(u.frag, "lineBreak") for u in U]
    for a, b, used, extra, brk in _split_units(U, W, maxWidths, breaks):
        mw = maxWidths[min(len(lines), len(maxWidths) - 1)]
        lines.append(_rl_paragraph.makeCJKParaLine(U[a:b], mw, used, extra, brk, calcBounds))
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


# Character advance widths per (font, size), memoised for the process: reportlab's stringWidth of one
# character is a cmap/hmtx lookup times size/1000, so the cached value is exactly what it would return.
_char_widths: dict[tuple[str, float], dict[str, float]] = {}
_wrap_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("xf_wrap_memo", default=None)


def _width_table(font: str, size: float) -> dict[str, float]:
    table = _char_widths.get((font, size))
    if table is None:
        table = _char_widths[(font, size)] = {}
    return table


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):  # noqa: ANN001, ANN202, N803
    """Single-font paragraphs: reportlab's ``wordSplit`` with the same rules; [(extraSpace, text)].

    Memoised for the duration of one :func:`build_pdf` (platypus wraps a paragraph again when a table
    measures it, when KeepTogether measures it, and when it is drawn); the result is only read."""
    if isinstance(word, bytes):
        word = word.decode(encoding)
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]  # noqa: N806
    key = (word, tuple(maxWidths), fontName, fontSize)
    memo = _wrap_memo.get()
    if memo is not None and key in memo:
        return memo[key]
    widths = _width_table(fontName, fontSize)
    W = []  # noqa: N806
    for ch in word:
        w = widths.get(ch)
        if w is None:
            w = widths[ch] = stringWidth(ch, fontName, fontSize)
        W.append(w)
    out = [(extra, word[a:b]) for a, b, _used, extra, _brk in _split_units(word, W, maxWidths, None)]
    if memo is not None:
        memo[key] = out
    return out


_rl_paragraph.cjkFragSplit = _cjk_frag_split
_rl_paragraph.wordSplit = _word_split

# Streams: binary (zlib only) instead of ASCII85 + zlib — 20 % smaller and faster to write; every PDF
# reader handles binary streams. reportlab reads this global when it writes a stream.
_rl_config.useA85 = 0

# reportlab keeps module-level state (font registry, subset assignment per document); building two
# documents at once from two threads is not something it promises to support, so builds are serialised.
_BUILD_LOCK = threading.Lock()


# ------------------------------------------------------------------------------- text helpers

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 35 → 三十五, 105 → 一百零五, 110 → 一百一十 (article numbers)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out = ""
    rest = n
    zero = False
    for value, name in units:
        d, rest = divmod(rest, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _DIGITS[rest]
    return out


def local(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("aware datetime required")
    return dt.astimezone(LOCAL_TZ)


def as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return local(value).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def cn_date(value: date | datetime | str) -> str:
    """GB/T 9704-2012: ``2026年11月27日`` — Arabic numerals, no leading zeros."""
    d = as_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(dt: datetime) -> str:
    t = local(dt)
    return f"{cn_date(t)} {t.hour:02d}:{t.minute:02d}"


def user(text: str | None, field: str | None = None) -> str:
    """User text → safe Paragraph markup (escaped, per-character font fallback)."""
    return fonts.markup(text or "", field)


def fill(template: str, **fields: str) -> str:
    """Fill a trusted template (our markup) with ALREADY SAFE markup values (from :func:`user`).

    Uses ``{name}`` placeholders; no format-spec features, so braces in values are harmless.
    """
    return re.sub(r"\{(\w+)\}", lambda m: fields[m.group(1)], template)


# ------------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    office: ParagraphStyle
    docno: ParagraphStyle
    addressee: ParagraphStyle
    body: ParagraphStyle
    heading: ParagraphStyle
    quote: ParagraphStyle
    cite: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    table: ParagraphStyle
    table_head: ParagraphStyle
    stamp: ParagraphStyle
    cell: ParagraphStyle  # 五号 (10.5 pt) table text, for stubs and logs
    cell_head: ParagraphStyle


def make_styles() -> Styles:
    fonts.ensure_registered()
    base = ParagraphStyle(
        "xf-body",
        fontName=MAIN,
        fontSize=SIZE_BODY,
        leading=LINE_PITCH,
        wordWrap="CJK",
        alignment=TA_JUSTIFY,
        firstLineIndent=2 * SIZE_BODY,
    )
    return Styles(
        title=ParagraphStyle(
            "xf-title", parent=base, fontName=MAIN_BOLD, fontSize=SIZE_TITLE, leading=SIZE_TITLE * 1.45,
            alignment=TA_CENTER, firstLineIndent=0, spaceAfter=4,
        ),
        office=ParagraphStyle(
            "xf-office", parent=base, fontName=MAIN_BOLD, fontSize=SIZE_TITLE, leading=SIZE_TITLE * 1.45,
            alignment=TA_CENTER, firstLineIndent=0,
        ),
        docno=ParagraphStyle(
            "xf-docno", parent=base, alignment=TA_CENTER, firstLineIndent=0, spaceBefore=2, spaceAfter=LINE_PITCH * 0.6
        ),
        addressee=ParagraphStyle("xf-addressee", parent=base, firstLineIndent=0, alignment=TA_LEFT),
        body=base,
        heading=ParagraphStyle("xf-heading", parent=base, fontName=MAIN_BOLD),
        quote=ParagraphStyle(
            "xf-quote", parent=base, fontSize=SIZE_SMALL, leading=SIZE_SMALL * 1.6, leftIndent=2 * SIZE_BODY,
            firstLineIndent=2 * SIZE_SMALL, textColor=colors.HexColor("#222222"), spaceAfter=4,
        ),
        cite=ParagraphStyle(
            "xf-cite", parent=base, fontSize=SIZE_SMALL, leading=SIZE_SMALL * 1.6, leftIndent=2 * SIZE_BODY,
            firstLineIndent=0, fontName=MAIN_BOLD, keepWithNext=1,  # a heading never ends a page alone
        ),
        small=ParagraphStyle(
            "xf-small", parent=base, fontSize=SIZE_SMALL - 2, leading=(SIZE_SMALL - 2) * 1.45, firstLineIndent=0,
            alignment=TA_LEFT,
        ),
        small_right=ParagraphStyle(
            "xf-small-r", parent=base, fontSize=SIZE_SMALL - 2, leading=(SIZE_SMALL - 2) * 1.45, firstLineIndent=0,
            alignment=TA_RIGHT,
        ),
        table=ParagraphStyle(
            "xf-table", parent=base, fontSize=SIZE_SMALL - 1, leading=(SIZE_SMALL - 1) * 1.4, firstLineIndent=0,
            alignment=TA_LEFT,
        ),
        table_head=ParagraphStyle(
            "xf-table-h", parent=base, fontName=MAIN_BOLD, fontSize=SIZE_SMALL - 1, leading=(SIZE_SMALL - 1) * 1.4,
            firstLineIndent=0, alignment=TA_LEFT,
        ),
        cell=ParagraphStyle(
            "xf-cell", parent=base, fontSize=10.5, leading=14, firstLineIndent=0, alignment=TA_LEFT,
        ),
        cell_head=ParagraphStyle(
            "xf-cell-h", parent=base, fontName=MAIN_BOLD, fontSize=10.5, leading=14, firstLineIndent=0,
            alignment=TA_LEFT,
        ),
        stamp=ParagraphStyle(
            "xf-stamp", parent=base, fontName=MAIN_BOLD, fontSize=SIZE_SMALL, leading=SIZE_SMALL * 1.2,
            firstLineIndent=0, alignment=TA_CENTER, textColor=colors.HexColor("#8a1c1c"),
        ),
    )


# ------------------------------------------------------------------------------- canvas text


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, *, align: str = "left",
              font: str = MAIN, color: colors.Color | None = None) -> None:
    """Draw user text on the canvas with per-character font fallback (never a box)."""
    pieces = [(font if f == MAIN else f, s) for f, s in fonts.runs(text)]
    width = sum(stringWidth(s, f, size) for f, s in pieces)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    canvas.saveState()
    if color is not None:
        canvas.setFillColor(color)
    for f, s in pieces:
        canvas.setFont(f, size)
        canvas.drawString(x, y, s)
        x += stringWidth(s, f, size)
    canvas.restoreState()


def fit_lines(text: str, size: float, width: float) -> list[str]:
    """Greedy wrap of `text` by character into lines no wider than `width` (for canvas footers)."""
    memo = _wrap_memo.get()  # the footer is wrapped again on every page of a document
    key = ("fit_lines", text, size, width)
    if memo is not None and key in memo:
        return list(memo[key])
    lines = _fit_lines(text, size, width)
    if memo is not None:
        memo[key] = tuple(lines)
    return lines


def _fit_lines(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    cur_w = 0.0
    for f, s in fonts.runs(text):
        widths = _width_table(f, size)
        for ch in s:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = stringWidth(ch, f, size)
            if cur and cur_w + w > width:
                lines.append(cur)
                cur, cur_w = "", 0.0
            cur += ch
            cur_w += w
    if cur:
        lines.append(cur)
    return lines


# ------------------------------------------------------------------------------- flowables


class SealBlock(Flowable):
    """发文机关署名 + 成文日期 at the lower right, with the seal area (a faint circle, 印章处) over both.

    GB/T 9704-2012 7.3.5: the date is right-indented by four characters; the office name is centred on
    the date; the seal presses down on both, centred.
    """

    def __init__(self, office: str, when: str, *, seal_label: str = "印章处") -> None:
        super().__init__()
        self.office = office
        self.when = when  # already formatted, e.g. 2026年11月27日
        self.seal_label = seal_label
        self.size = SIZE_BODY
        fonts.check_printable(office, "issuing_office")

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = LINE_PITCH * 3.2
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        size = self.size
        right = self.width - 4 * size
        date_w = stringWidth(self.when, MAIN, size)
        office_w = sum(stringWidth(s, f, size) for f, s in fonts.runs(self.office))
        date_cx = right - date_w / 2
        office_cx = date_cx
        if office_cx + office_w / 2 > self.width:  # a long office name: keep it inside the 版心
            office_cx = self.width - office_w / 2
        y_office = self.height - LINE_PITCH * 1.2
        y_date = y_office - LINE_PITCH
        # the seal area first, so the text stays legible on top of it
        r = 21 * mm  # official seals are about 42 mm across
        cy = (y_office + y_date) / 2 + size * 0.35
        c.saveState()
        c.setStrokeColor(colors.HexColor("#c9a0a0"))
        c.setDash(3, 3)
        c.setLineWidth(0.6)
        c.circle(date_cx, cy, r, stroke=1, fill=0)
        c.restoreState()
        draw_text(c, date_cx, cy - r + 3 * mm, self.seal_label, 9, align="center", color=colors.HexColor("#b08080"))
        draw_text(c, office_cx, y_office, self.office, size, align="center")
        draw_text(c, date_cx, y_date, self.when, size, align="center")


class QRCode(Flowable):
    """A QR code of `payload` (segno; drawn as rectangles, so no image and no extra font; deterministic)."""

    def __init__(self, payload: str, size: float = 24 * mm) -> None:
        super().__init__()
        self.payload = payload
        self.size = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = _qr_matrix(self.payload)
        border = 2  # quiet zone in modules (the table cell adds white space around it)
        n = len(matrix) + 2 * border
        c = self.canv
        c.saveState()
        c.scale(self.size / n, self.size / n)  # one unit = one module: integer coordinates below
        c.setFillColor(colors.black)
        path = c.beginPath()
        for r, row in enumerate(matrix):
            y = n - border - 1 - r
            col = 0
            while col < len(row):
                if row[col]:
                    start = col
                    while col < len(row) and row[col]:
                        col += 1
                    path.rect(start + border, y, col - start, 1)
                else:
                    col += 1
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


@functools.lru_cache(maxsize=64)
def _qr_matrix(payload: str) -> tuple[tuple[int, ...], ...]:
    import segno

    qr = segno.make(payload, error="m", micro=False, boost_error=False)
    return tuple(tuple(row) for row in qr.matrix)


class CutLine(Flowable):
    """A dashed cut line across the 版心 with a label in the middle."""

    def __init__(self, label: str = "（沿此线剪开）") -> None:
        super().__init__()
        self.label = label

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, 18

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setDash(4, 3)
        c.setStrokeColor(colors.grey)
        lw = stringWidth(self.label, MAIN, 9) + 12
        c.line(-10 * mm, 9, (self.width - lw) / 2, 9)
        c.line((self.width + lw) / 2, 9, self.width + 10 * mm, 9)
        c.restoreState()
        draw_text(c, self.width / 2, 6, self.label, 9, align="center", color=colors.grey)


def plain_table(rows: Sequence[Sequence[object]], col_widths: Sequence[float], *, valign: str = "TOP",
                **kw: object) -> Table:
    """A borderless layout table (no Helvetica: the cell font is the main serif)."""
    t = Table([list(r) for r in rows], colWidths=list(col_widths), **kw)
    t.setStyle([("FONT", (0, 0), (-1, -1), MAIN, 10.5), ("VALIGN", (0, 0), (-1, -1), valign),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    return t


class LabelRows(Flowable):
    """Rows of [label paragraph, value paragraph] in two fixed columns, top-aligned, 1 pt above and below
    each row: what ``plain_table(rows, col_widths)`` draws, without Table's general machinery (cell
    styles, spans, per-cell state) — a notice has one per channel. Splits between rows, like a Table."""

    PAD = 1  # plain_table's TOPPADDING / BOTTOMPADDING

    def __init__(self, rows: Sequence[tuple[Flowable, Flowable]], col_widths: Sequence[float], *,
                 hAlign: str = "LEFT") -> None:  # noqa: N803
        super().__init__()
        self.rows = [tuple(r) for r in rows]
        self.col_widths = tuple(col_widths)
        self.hAlign = hAlign
        self._heights: list[float] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._heights = []
        for row in self.rows:
            h = max(cell.wrapOn(getattr(self, "canv", None), w, 0x7FFFFFFF)[1] for cell, w in zip(row, self.col_widths, strict=True))
            self._heights.append(h + 2 * self.PAD)
        self.width = sum(self.col_widths)
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if not self._heights:
            self.wrap(aw, ah)
        used = 0.0
        k = 0
        for h in self._heights:
            if used + h > ah + 1e-8:
                break
            used += h
            k += 1
        if k == 0 or k == len(self.rows):
            return []
        return [LabelRows(self.rows[:k], self.col_widths, hAlign=self.hAlign),
                LabelRows(self.rows[k:], self.col_widths, hAlign=self.hAlign)]

    def draw(self) -> None:
        top = self.height
        for row, rh in zip(self.rows, self._heights, strict=True):
            x = 0.0
            for cell, w in zip(row, self.col_widths, strict=True):
                _cw, ch = cell.wrapOn(getattr(self, "canv", None), w, 0x7FFFFFFF)
                cell.drawOn(self.canv, x, top - self.PAD - ch)
                x += w
            top -= rh


def boxed_table(rows: Sequence[Sequence[object]], col_widths: Sequence[float], *, head: bool = True) -> Table:
    t = Table([list(r) for r in rows], colWidths=list(col_widths), repeatRows=1 if head else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), MAIN, 10.5),  # else reportlab sets Helvetica (not embedded) per cell
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    t.setStyle(style)
    return t


# ------------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class PageDecor:
    """What goes in the margins of every page."""

    footer_lines: tuple[str, ...] = ()  # provenance, small, bottom margin (user text allowed)
    numbered: bool = True  # "— n —" below the 版心
    corner_mark: str = ""  # e.g. "补打" or "存根", boxed at the top right (in the top margin)


def _decorate(decor: PageDecor, first_page_of: Callable[[int], int]) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber()
        if decor.numbered:
            n = page - first_page_of(page) + 1
            draw_text(canvas, PAGE_W / 2, MARGIN_BOTTOM - 7 * mm - SIZE_SMALL * 0.8, f"— {n} —", SIZE_SMALL, align="center")
        y = 14 * mm
        for line in decor.footer_lines:
            for piece in fit_lines(line, SIZE_FOOT, BODY_W):
                draw_text(canvas, MARGIN_LEFT, y, piece, SIZE_FOOT, color=colors.HexColor("#666666"))
                y -= SIZE_FOOT * 1.35
        if decor.corner_mark:
            w = sum(stringWidth(s, f, SIZE_SMALL) for f, s in fonts.runs(decor.corner_mark)) + 10
            x = MARGIN_LEFT + BODY_W - w
            yb = PAGE_H - MARGIN_TOP + 10 * mm
            canvas.setStrokeColor(colors.HexColor("#8a1c1c"))
            canvas.setLineWidth(1)
            canvas.rect(x, yb - 5, w, SIZE_SMALL + 9, stroke=1, fill=0)
            draw_text(canvas, x + w / 2, yb, decor.corner_mark, SIZE_SMALL, align="center",
                      font=MAIN_BOLD, color=colors.HexColor("#8a1c1c"))
        canvas.restoreState()

    return on_page


@dataclass(frozen=True)
class Section:
    """A run of pages with its own margins decoration (e.g. the notice, then the stub on a new page)."""

    story: Sequence[Flowable]
    decor: PageDecor


def build_pdf(sections: Iterable[Section], *, title: str, author: str, subject: str = "") -> bytes:
    """Lay out the sections (each starts on a new page) and return the PDF bytes.

    Deterministic: reportlab's ``invariant`` mode fixes the creation date and file id, so the same
    sections give the same bytes.
    """
    from reportlab.platypus import NextPageTemplate, PageBreak

    fonts.ensure_registered()
    sections = list(sections)
    buf = io.BytesIO()
    starts: dict[int, int] = {}  # section index -> first page number

    def first_page_of_factory(idx: int) -> Callable[[int], int]:
        def first(page: int) -> int:
            return starts.setdefault(idx, page)

        return first

    templates = []
    story: list[Flowable] = []
    for i, sec in enumerate(sections):
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, BODY_W, BODY_H, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id=f"body{i}")
        templates.append(PageTemplate(id=f"s{i}", frames=[frame],
                                      onPage=_decorate(sec.decor, first_page_of_factory(i))))
        if i:
            story.append(NextPageTemplate(f"s{i}"))
            story.append(PageBreak())
        story.extend(sec.story)
    with _BUILD_LOCK:
        doc = BaseDocTemplate(
            buf, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=title, author=author, subject=subject, creator="xinfang-desk",
            producer="xinfang-desk", invariant=1, pageTemplates=templates,
            initialFontName=MAIN, initialFontSize=SIZE_BODY,
        )
        token = _wrap_memo.set({})
        try:
            doc.build(story)
        finally:
            _wrap_memo.reset(token)
    return buf.getvalue()


def spacer(lines: float = 0.5) -> Spacer:
    return Spacer(1, LINE_PITCH * lines)


def para(markup_text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup_text, style)
