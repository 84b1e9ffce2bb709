"""Official-document layout in the spirit of GB/T 9704-2012, on reportlab platypus (Qt-free).

A4; 版心 156 × 225 mm with the top margin 37 mm and the binding (left) margin 28 mm, so right ≈ 26 mm and
bottom ≈ 35 mm; 22 lines of 三号 (16 pt) serif per page (line pitch 225 mm / 22 ≈ 28.9 pt); title in 二号
(22 pt) bold; page number "— 1 —" 7 mm below the 版心; the issuing office and the date at the lower right,
the date "2026年11月27日" (Arabic numerals, no leading zeros) with the seal area pressed over both.

Every piece of user text must go through :func:`user` (or ``fonts.markup``): it escapes markup and picks
a fallback font per character. Text that belongs to the templates (ours) may contain reportlab markup.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from unicodedata import category as _category

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table
from reportlab.platypus import Paragraph as _RLParagraph  # noqa: TID251 - the one subclass below
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

from xinfang_desk.domain.localtime import LOCAL_TZ  # noqa: F401  (D.LOCAL_TZ for the printouts)
from xinfang_desk.printing import fonts
from xinfang_desk.printing.cntext import as_date, cn_date, cn_datetime, cn_number, local  # noqa: F401
from xinfang_desk.printing.fonts import MAIN, MAIN_BOLD

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

# ------------------------------------------------------------------------------- CJK line breaking (禁则)
# reportlab's own CJK wrapping (``wordWrap="CJK"``) lets a character that "cannot start a line" hang in the
# margin, but its list (reportlab.lib.textsplit.ALL_CANNOT_START) is Japanese: it lacks the full-width
# Chinese ，；：？！》”’… so a line of a notice may start with "，", and it has no "cannot end a line" rule,
# so a line may end with "（" or "《". :class:`Paragraph` is reportlab's Paragraph with the one method that
# breaks CJK lines overridden to use the Chinese lists below (the same greedy algorithm otherwise); the
# canvas helper :func:`fit_lines` uses the same rules. bench/bench_print_extensions.py prints how many
# lines start with such punctuation with reportlab's Paragraph and with this one, and the cost of each.
CANNOT_START = ALL_CANNOT_START + "，。、；：？！）》〉」』】〕〗〙〛”’…·％‰℃﹚﹜﹞｝］｠"
CANNOT_END = "（《〈「『【〔〖〘〚“‘([{＜＄￥#"
_FUZZ = 1e-6  # reportlab's rl_config._FUZZ: width rounding slack


def break_lines(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
                breaks: Sequence[bool] | None = None, *, hang: bool = True) -> list[tuple[int, int, float, float, bool]]:
    """Greedy CJK line breaking of `chars` (one character each) with `widths`, line widths `max_widths`
    (the last repeats) and forced breaks after the flagged characters: ``[(start, end, width_used,
    extra_space, forced)]`` per line. A character in :data:`CANNOT_START` that does not fit hangs in the
    margin (at most one; with ``hang=False`` it takes the character before it to the next line instead);
    an opening bracket or quote goes to the next line with what follows it."""
    out: list[tuple[int, int, float, float, bool]] = []
    i = start = 0
    used = 0.0
    max_width = max_widths[0]
    n = len(chars)
    while i < n:
        u = chars[i]
        w = widths[i]
        i += 1
        used += w
        forced = bool(breaks[i - 1]) if breaks is not None else False
        if (used > max_width + _FUZZ and used > 0) or forced:
            extra = max_width - used
            if not forced:
                if ord(u or " ") < 0x3000:
                    # inside a run of Latin text: break at a space or after the last CJK character
                    for j in range(i - 1, (start + i) >> 1, -1):
                        uj = chars[j]
                        if uj and _category(uj) == "Zs" or ord(uj or " ") >= 0x3000:
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extra += sum(widths[j:i])
                                w = widths[k]
                                u = chars[k]
                                i = j
                                break
                if u not in CANNOT_START and i > start + 1:
                    i -= 1  # push the character to the next line …
                    extra += w
                    pulled = 0  # … and take an opening bracket (or two) along with it
                    while pulled < 2 and i - 1 > start + 1 and chars[i - 1] in CANNOT_END:
                        i -= 1
                        extra += widths[i]
                        pulled += 1
                elif (not hang or i < n and chars[i] in CANNOT_START) and i > start + 2:
                    # u may not hang, or it would, but the next character cannot start a line either
                    # ("”。"): move back until the new line starts with a character that may start one
                    i -= 1
                    extra += w
                    while i > start + 1 and chars[i] in CANNOT_START:
                        i -= 1
                        extra += widths[i]
                # else: the character hangs in the margin (it cannot start a line)
            out.append((start, i, used, extra, forced))
            max_width = max_widths[min(len(out), len(max_widths) - 1)]
            start = i
            used = 0.0
    if used > 0:
        out.append((start, n, used, max_width - used, False))
    return out


class Paragraph(_RLParagraph):
    """reportlab's Paragraph; with ``wordWrap="CJK"`` (every style of ours) its lines break by the Chinese
    rules above. Everything else — markup, drawing, splitting across pages — is reportlab's.

    The printing modules build every paragraph from this class (ruff's banned-api rule TID251 refuses
    ``reportlab.platypus.Paragraph`` elsewhere)."""

    def breakLinesCJK(self, maxWidths):  # noqa: ANN001, ANN201, N802, N803 - reportlab's signature
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]  # noqa: N806
        frags = self.frags
        style = self.style
        if (self.bulletText or style.endDots or not frags
                or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0))):
            # bullets and leader dots (we use neither), and the first half of a split paragraph, whose
            # lines were broken here already: reportlab's own handling
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        if len(frags) == 1 and not hasattr(frags[0], "cbDefn"):  # one font: reportlab's simple line form
            f = frags[0]
            text = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
            if isinstance(text, bytes):
                text = text.decode("utf8")
            widths = [stringWidth(ch, f.fontName, f.fontSize) for ch in text]
            lines = [(extra, [text[a:b]]) for a, b, _used, extra, _brk in break_lines(text, widths, maxWidths)]
            return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)
        units = []
        for f in frags:
            text = f.text
            if isinstance(text, bytes):
                text = text.decode("utf8")
            units.extend([cjkU(t, f, "utf8") for t in text] if text else [cjkU(text, f, "utf8")])
        widths = []
        for u in units:
            w = u.width
            if hasattr(w, "normalizedValue"):  # a width given in % of the line (inline images)
                w._normalizer = maxWidths[0]
                w = w.normalizedValue(maxWidths[0])
            widths.append(w)
        breaks = [hasattr(u.frag, "lineBreak") for u in units]
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        calc_bounds = auto_leading not in ("", "off")
        lines = []
        for a, b, used, extra, forced in break_lines(units, widths, maxWidths, breaks):
            mw = maxWidths[min(len(lines), len(maxWidths) - 1)]
            lines.append(makeCJKParaLine(units[a:b], mw, used, extra, forced, calc_bounds))
        return ParaLines(kind=1, lines=lines)


# reportlab keeps module-level state (font registry, subset assignment per document); building two
# documents at once from two threads is not something it promises to support, so builds are serialised.
_BUILD_LOCK = threading.Lock()


# ------------------------------------------------------------------------------- text helpers

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
    table: ParagraphStyle
    table_head: ParagraphStyle
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
    """`text` wrapped into lines no wider than `width` by the rules of :func:`break_lines`, for text drawn on
    the canvas (footers, plain table cells, chart labels). Nothing hangs out: a character that cannot start
    a line takes the one before it to the next line. A line break in `text` counts as a space."""
    chars: list[str] = []
    widths: list[float] = []
    for f, s in fonts.runs(text):
        chars.extend(s)
        widths.extend(stringWidth(ch, f, size) for ch in s)
    return ["".join(chars[a:b]) for a, b, *_ in break_lines(chars, widths, [width], hang=False)]


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
        doc.build(story)
    return buf.getvalue()


def spacer(lines: float = 0.5) -> Spacer:
    return Spacer(1, LINE_PITCH * lines)


def para(markup_text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup_text, style)
