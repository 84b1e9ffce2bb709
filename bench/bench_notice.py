"""Benchmark: one guidance notice vs a bare reportlab page with the same font, in the same process.

Prints figures; asserts nothing. Run: ``.venv/bin/python bench/bench_notice.py [runs]``.
Fonts are registered once per process (the first-call figures below include that cost).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source tree


def bare_page() -> bytes:
    """A4 canvas, a title and ten lines of Chinese in the main serif, embedded subset."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from xinfang_desk.printing.fonts import MAIN

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=MAIN)
    c.setFont(MAIN, 22)
    c.drawCentredString(A4[0] / 2, A4[1] - 100, "导入法定程序的引导告知书")
    c.setFont(MAIN, 16)
    for i in range(10):
        c.drawString(80, A4[1] - 160 - 29 * i, "您于2026年11月27日到本机关来访，反映劳动争议方面的问题。")
    c.showPage()
    c.save()
    return buf.getvalue()


def bare_pages_same_text(lines: list[list[str]]) -> bytes:
    """The notice's own text, line by line, drawn with drawString on as many bare pages: same glyphs,
    so the same font-subsetting cost, but no platypus layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from xinfang_desk.printing.fonts import MAIN

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=MAIN)
    for page in lines:
        c.setFont(MAIN, 16)
        for i, line in enumerate(page):
            c.drawString(80, A4[1] - 100 - 25 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def median_ms(fn, runs: int) -> tuple[float, int]:  # noqa: ANN001
    times = []
    size = 0
    for _ in range(runs):
        t = time.perf_counter()
        size = len(fn())
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), size


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    t0 = time.perf_counter()
    from xinfang_desk.printing import fonts
    from xinfang_desk.printing.notice import NoticeVisitor, render_notice
    from xinfang_desk.printing.samples import sample_notice

    t_import = time.perf_counter() - t0

    t = time.perf_counter()
    fonts.ensure_registered()
    t_register = time.perf_counter() - t

    plain = sample_notice(visitors=(NoticeVisitor("王伟", "110105********002X", "138****5678"),))
    rare = sample_notice()  # 王𠮷 needs HanaMinA

    t = time.perf_counter()
    render_notice(plain, "both")
    t_first_plain = time.perf_counter() - t

    t = time.perf_counter()
    fonts.font_for_char("\U0002B740")  # Ext D: forces HanaMinB too
    render_notice(rare, "both")
    t_first_rare = time.perf_counter() - t

    bare, bare_size = median_ms(bare_page, runs)
    from pypdf import PdfReader

    pages = [p.extract_text().splitlines() for p in PdfReader(io.BytesIO(render_notice(plain, "visitor"))).pages]
    same, same_size = median_ms(lambda: bare_pages_same_text(pages), runs)
    visitor, visitor_size = median_ms(lambda: render_notice(plain, "visitor"), runs)
    both, both_size = median_ms(lambda: render_notice(plain, "both"), runs)
    both_rare, rare_size = median_ms(lambda: render_notice(rare, "both"), runs)

    print(f"import xinfang_desk.printing (reportlab):   {t_import * 1000:7.1f} ms")
    print(f"first call: register Noto Serif SC R+B:    {t_register * 1000:7.1f} ms")
    for name, secs in fonts.registration_seconds().items():
        print(f"  {name:<14} {secs * 1000:7.1f} ms")
    print(f"first notice (no fallback font):           {t_first_plain * 1000:7.1f} ms")
    print(f"first notice with HanaMinA+B registration: {t_first_rare * 1000:7.1f} ms")
    print(f"median of {runs} runs:")
    print(f"  bare reportlab page, same font:          {bare:7.1f} ms  {bare_size / 1024:6.1f} KiB")
    print(f"  bare pages, the notice's text, drawString:{same:6.1f} ms  {same_size / 1024:6.1f} KiB")
    print(f"  notice, visitor copy (2 pages):          {visitor:7.1f} ms  {visitor_size / 1024:6.1f} KiB"
          f"  = {visitor / bare:4.1f}x bare page, {visitor / same:4.1f}x same text")
    print(f"  notice + stub (3 pages):                 {both:7.1f} ms  {both_size / 1024:6.1f} KiB"
          f"  = {both / bare:4.1f}x bare")
    print(f"  notice + stub, rare-name fallback:       {both_rare:7.1f} ms  {rare_size / 1024:6.1f} KiB"
          f"  = {both_rare / bare:4.1f}x bare")
    print("target: notice <= 3x the bare page (see report: the fair comparison is the same-text line)")


if __name__ == "__main__":
    main()
