"""Preview and print a guidance notice (告知书): the PDF the notice service made, shown page by page.

Nothing PDF happens on the GUI thread: the pages are rendered to images with `QPdfDocument.render` on a
worker (`QueryOp`), and printing renders each page again at the printer's resolution and paints it onto the
`QPrinter` on a worker too (QPainter may paint on a QPrinter from another thread). The GUI thread shows the
images and the system print dialog (`QPrintDialog`). Keyboard: 打印 (Alt+P, Enter), 另存为PDF (Alt+S),
关闭 (Esc).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QFrame, QLabel, QWidget

from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.forms.ui_notice_preview import Ui_NoticePreviewDialog
from xinfang_desk.gui.screen import ScreenFitted
from xinfang_desk.gui.tasks import QueryOp, TaskRunner
from xinfang_desk.i18n import _

PREVIEW_DPI = 96.0
MAX_PRINT_DPI = 600.0  # a PDF "printer" reports 1200 dpi: an A4 page would be a 560 MB image


class PdfError(RuntimeError):
    pass


def _open(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument on the calling (worker) thread; keep the buffer alive as long as the document."""
    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise PdfError(_("The notice PDF could not be read ({error}).").format(error=doc.error().name))
    return doc, buf


def _page_pixels(doc: QPdfDocument, page: int, dpi: float) -> QSize:
    pt = doc.pagePointSize(page)
    return QSize(max(1, round(pt.width() * dpi / 72.0)), max(1, round(pt.height() * dpi / 72.0)))


def render_pages(pdf: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page as an image at `dpi` (worker thread)."""
    doc, buf = _open(pdf)
    try:
        return [doc.render(i, _page_pixels(doc, i, dpi)) for i in range(doc.pageCount())]
    finally:
        doc.close()
        buf.close()


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (for tests and checks)."""
    doc, buf = _open(pdf)
    try:
        return [doc.getAllText(i).text() for i in range(doc.pageCount())]
    finally:
        doc.close()
        buf.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page as an image at the printer's resolution (at most MAX_PRINT_DPI), fitted to the page
    (worker thread).
    Returns the number of pages sent."""
    doc, buf = _open(pdf)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise PdfError(_("The printer could not be started."))
        dpi = min(float(printer.resolution()), MAX_PRINT_DPI)
        n = doc.pageCount()
        for i in range(n):
            if i:
                printer.newPage()
            img = doc.render(i, _page_pixels(doc, i, dpi))
            target = painter.viewport()
            size = img.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), size.width(), size.height()), img)
        return n
    finally:
        if painter.isActive():
            painter.end()
        doc.close()
        buf.close()


def run_print_dialog(printer: QPrinter, parent: QWidget | None) -> bool:
    """The system print dialog; tests patch `QPrintDialog.exec`."""
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(_("Print the guidance notice"))
    return dlg.exec() == QDialog.DialogCode.Accepted


class NoticePreviewDialog(ScreenFitted, QDialog):
    def __init__(self, notice: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_NoticePreviewDialog()
        self.ui.setupUi(self)
        self.runner = runner
        self.notice = notice
        self.pdf: bytes = notice.pdf
        self.images: list[QImage] = []
        self.printed_pages = 0
        self.saved_path: Path | None = None
        self.busy = False
        u = self.ui
        title = _("Guidance notice {number} — query code {code}").format(
            number=notice.document_number, code=notice.query_code)
        if notice.reprint:
            title += " — " + _("REPRINT (补打)")
        unconfirmed = tuple(getattr(notice, "unconfirmed_organs", ()) or ())
        if unconfirmed:  # printed with their name only: the admin has not confirmed address and phone yet
            title += "\n" + _("Address and phone not yet confirmed by an administrator, printed as “ask this office”: "
                              "{organs}").format(organs="、".join(unconfirmed))
        u.title_label.setText(title)
        self.setWindowTitle(_("Guidance notice — preview") + (" — " + _("reprint") if notice.reprint else ""))
        u.print_button.clicked.connect(self.print_notice)
        u.save_pdf_button.clicked.connect(self.save_pdf)
        u.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_notice)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_pdf)
        u.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._set_busy(True, _("Rendering the pages…"))
        pdf = self.pdf
        QueryOp(runner, self, lambda: render_pages(pdf)).success(self._rendered).failure(self._render_failed).run()
        u.print_button.setFocus()

    # ---------------------------------------------------------------- preview
    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        for b in (self.ui.print_button, self.ui.save_pdf_button):
            b.setEnabled(not busy)
        self.ui.status_label.setText(text)
        if not busy and not self.ui.close_button.hasFocus():
            self.ui.print_button.setFocus()

    def _rendered(self, images: list[QImage]) -> None:
        self.images = images
        for i, img in enumerate(images):
            page = QLabel(self.ui.pages_widget)
            page.setPixmap(QPixmap.fromImage(img))
            page.setFrameShape(QFrame.Shape.Box)
            page.setStyleSheet("background: white; border: 1px solid #444;")
            page.setAccessibleName(_("Page {n}").format(n=i + 1))
            self.ui.pages_layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        self._set_busy(False, _("{n} pages").format(n=len(images)))

    def _render_failed(self, exc: BaseException) -> None:
        self._set_busy(False, error_text(exc))
        self.ui.print_button.setEnabled(False)

    # ---------------------------------------------------------------- print
    def print_notice(self) -> None:
        if self.busy or not self.images:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{self.notice.query_code} {self.notice.document_number}")
        printer.setFullPage(True)
        if not run_print_dialog(printer, self):
            self.ui.status_label.setText(_("Printing cancelled."))
            return
        self._printer = printer  # kept alive until the worker is done
        self._set_busy(True, _("Printing…"))
        pdf = self.pdf
        QueryOp(self.runner, self, lambda: print_pdf(pdf, printer)).success(self._printed).failure(self._print_failed).run()

    def _printed(self, pages: int) -> None:
        self.printed_pages = pages
        self._set_busy(False, _("{n} pages sent to the printer.").format(n=pages))

    def _print_failed(self, exc: BaseException) -> None:
        self._set_busy(False, _("Printing failed: {error}").format(error=error_text(exc)))

    # ---------------------------------------------------------------- save as PDF
    def save_pdf(self) -> None:
        if self.busy:
            return
        default = f"{self.notice.query_code}{'-补打' if self.notice.reprint else ''}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the notice as PDF"), str(Path.home() / default),
                                                    _("PDF files (*.pdf)"))
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        pdf = self.pdf
        self._set_busy(True, _("Saving…"))

        def write() -> Path:
            from xinfang_desk.fileperm import write_private_bytes

            return write_private_bytes(target, pdf)  # 0600: the notice names the visitor

        QueryOp(self.runner, self, write).success(self._saved).failure(
            lambda e: self._set_busy(False, error_text(e))).run()

    def _saved(self, target: Path) -> None:
        self.saved_path = target
        self._set_busy(False, _("Saved to {path}.").format(path=target))
