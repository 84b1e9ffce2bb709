"""Chinese line breaking (禁则) on paper: no line starts with ，。、；：？！）》” and the like, no line ends with
an opening bracket — in notice paragraphs, in canvas-wrapped text (daily-log cells, footers) and in the PDF
a visitor gets (no Qt)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as StockParagraph  # noqa: TID251 - the comparison

from xinfang_desk.printing import document as D
from xinfang_desk.printing.fonts import MAIN
from xinfang_desk.printing.notice import render_notice
from xinfang_desk.printing.samples import ART27, sample_notice

SUMMARY = "对区城管局出具的信访处理意见不服，认为处理意见认定事实不清、适用依据错误，请求复查；另反映执法人员态度粗暴。"
# every position of the punctuation relative to the line end: the same text behind 0 … 29 filler characters
TEXTS = ["某" * k + SUMMARY for k in range(30)] + ["某" * k + ART27.split("\n")[1] for k in range(30)]


def _lines(p: StockParagraph, width: float = D.BODY_W) -> list[str]:
    p.wrap(width, 1e6)
    bl = p.blPara
    if bl.kind == 0:
        return ["".join(words) for _extra, words in bl.lines]
    return ["".join(f.text for f in line.words) for line in bl.lines]


def _bad(lines: list[str]) -> list[str]:
    starts = [x for x in lines[1:] if x and x[0] in D.CANNOT_START]
    ends = [x for x in lines[:-1] if x and x[-1] in D.CANNOT_END]
    return starts + ends


def test_stock_reportlab_starts_lines_with_chinese_punctuation() -> None:
    """Why the subclass exists: reportlab's own CJK wrapping of these texts starts lines with ，and ；."""
    st = D.make_styles()
    assert sum(len(_bad(_lines(StockParagraph(t, st.body)))) for t in TEXTS) >= 3


@pytest.mark.parametrize("style", ["body", "quote", "cell"])
def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(style: str) -> None:
    st = getattr(D.make_styles(), style)
    for text in TEXTS + ["（" + t for t in TEXTS[:30]]:
        lines = _lines(D.Paragraph(text, st))
        assert "".join(lines) == text  # nothing lost or doubled
        assert _bad(lines) == [], text


def test_the_rules_hold_with_a_fallback_font_in_the_paragraph() -> None:
    """A rare character makes the paragraph several font runs (reportlab's other line form)."""
    st = D.make_styles()
    for text in TEXTS:
        p = D.Paragraph(D.user("王𠮷" + text), st.body)
        lines = _lines(p)
        assert p.blPara.kind == 1
        assert "".join(lines) == "王𠮷" + text
        assert _bad(lines) == [], text


def test_canvas_text_wraps_by_the_same_rules_and_never_sticks_out() -> None:
    width = 60.0  # a narrow daily-log column at 8.5 pt: about 7 characters
    for text in TEXTS[:30] + ["治安案件（被打、财物受损、骚扰等）", "已提供，建议法律援助"]:
        lines = D.fit_lines(text, 8.5, width)
        assert "".join(lines) == text
        assert _bad(lines) == [], lines
        assert all(stringWidth(x, MAIN, 8.5) <= width + 1e-6 for x in lines)


def test_the_printed_notice_keeps_the_rules() -> None:
    for k in range(0, 28, 3):
        pdf = render_notice(replace(sample_notice(), matter_summary="某" * k + SUMMARY), "visitor")
        lines = [x.strip() for page in PdfReader(io.BytesIO(pdf)).pages for x in page.extract_text().splitlines()]
        assert SUMMARY in "".join(lines)
        assert [x for x in lines if x and x[0] in D.CANNOT_START] == [], k
