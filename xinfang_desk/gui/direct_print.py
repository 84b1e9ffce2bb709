"""Printing without a preview (Ctrl+P for clerks): the visitor copy and the stub go to the default printer at
once, rendered and painted on a worker (`notice_preview.print_pdf`). Tests patch `make_printer` here."""

from __future__ import annotations

from typing import Any

from PySide6.QtPrintSupport import QPrinter

from xinfang_desk.gui.notice_preview import print_pdf
from xinfang_desk.gui.tasks import QueryOp, TaskRunner


def make_printer(doc_name: str) -> QPrinter:
    """The system's default printer at high resolution, the page filled as the PDF lays it out."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    printer.setFullPage(True)
    return printer


def print_now(runner: TaskRunner, owner: Any, notice: Any, done: Any, failed: Any) -> QPrinter:
    """Send the notice's PDF to the default printer on a worker; `done(pages)` or `failed(exc)` on the GUI thread.
    Returns the printer (keep it alive until `done`)."""
    printer = make_printer(f"{notice.query_code} {notice.document_number}")
    pdf = notice.pdf
    QueryOp(runner, owner, lambda: print_pdf(pdf, printer)).success(done).failure(failed).run()
    return printer
