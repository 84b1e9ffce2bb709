"""Rare name characters print as themselves, not as boxes: checked on a raster of the PDF (QtPdf renders it
as a viewer would), against the .notdef box the main font would have drawn."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from xinfang_desk.printing import fonts
from xinfang_desk.printing.document import Paragraph

RARE = ("\U00020bb7", "\u4dae", "\U00020000", "\U0002a6a5", "\u00b7")  # 𠮷 䶮 U+20000 𪚥 ·


def _raster(pdf: bytes, qtbot) -> QImage:  # noqa: ANN001
    doc = QPdfDocument()
    data = QByteArray(pdf)
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    qtbot.waitUntil(lambda: doc.status() == QPdfDocument.Status.Ready, timeout=5000)
    page = doc.render(0, QSize(300, 420))  # transparent where nothing is drawn
    doc.close()
    img = QImage(page.size(), QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.white)
    painter = QPainter(img)
    painter.drawImage(0, 0, page)
    painter.end()
    return img.convertToFormat(QImage.Format.Format_Grayscale8)


def _through_markup(ch: str) -> bytes:
    fonts.ensure_registered()
    out = io.BytesIO()
    style = ParagraphStyle("big", fontName=fonts.MAIN, fontSize=96, leading=110)
    SimpleDocTemplate(out, pagesize=A6, invariant=1).build([Paragraph(fonts.markup(ch, "name"), style)])
    return out.getvalue()


def _main_font_only(ch: str) -> bytes:
    """What reportlab draws when the main font lacks the glyph: a .notdef box (the bug we prevent)."""
    fonts.ensure_registered()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A6, invariant=1)
    c.setFont(fonts.MAIN, 96)
    c.drawString(12, A6[1] - 110, ch)
    c.showPage()
    c.save()
    return out.getvalue()


def _ink(img: QImage) -> int:
    return sum(1 for y in range(0, img.height(), 2) for x in range(0, img.width(), 2) if img.pixelColor(x, y).value() < 128)


def _differs(a: QImage, b: QImage) -> int:
    return sum(1 for y in range(0, a.height(), 2) for x in range(0, a.width(), 2)
               if abs(a.pixelColor(x, y).value() - b.pixelColor(x, y).value()) > 64)


@pytest.mark.parametrize("ch", RARE, ids=[f"U+{ord(c):04X}" for c in RARE])
def test_rare_character_is_drawn_not_boxed(ch: str, qtbot) -> None:  # noqa: ANN001
    drawn = _raster(_through_markup(ch), qtbot)
    assert 5 < _ink(drawn) < 0.5 * (150 * 210), "nothing (or only a blot) was drawn"
    if fonts.font_for_char(ch) == fonts.MAIN:
        return  # the main font has it: nothing to compare with a box
    boxed = _raster(_main_font_only(ch), qtbot)
    assert _differs(drawn, boxed) > 40, "the character came out as the .notdef box"


def test_the_box_detector_detects_a_box(qtbot) -> None:  # noqa: ANN001
    """The comparison above can fail: two characters the main font lacks both come out as the same box."""
    a = _raster(_main_font_only("\U00020bb7"), qtbot)
    b = _raster(_main_font_only("\U0002a6a5"), qtbot)
    assert _ink(a) > 40 and _differs(a, b) <= 40
