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


BARE_TEXT = "您于2026年11月27日到本机关来访，反映劳动争议方面的问题。"


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
        c.drawString(80, A4[1] - 160 - 29 * i, BARE_TEXT)
    c.showPage()
    c.save()
    return buf.getvalue()


def bare_pages_same_text(lines: list[list[str]]) -> bytes:
    """The notice's own text (as pypdf extracts it), line by line, drawn with drawString in 16 pt on as
    many bare pages: same glyphs, so the same font-subsetting cost, but no platypus layout. With only
    the first page's lines this is the realistic bare page: one A4 page of ~650 characters of Chinese."""
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


def interleaved_ms(fns: dict[str, object], runs: int) -> dict[str, tuple[float, int]]:
    """Median ms and size per function, the functions called in turn in each round, so that load on a
    shared machine hits the baseline and the notice alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for k, fn in fns.items():
            t = time.perf_counter()
            sizes[k] = len(fn())  # type: ignore[operator]
            times[k].append((time.perf_counter() - t) * 1000)
    return {k: (statistics.median(v), sizes[k]) for k, v in times.items()}


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

    from pypdf import PdfReader

    pages = [p.extract_text().splitlines() for p in PdfReader(io.BytesIO(render_notice(plain, "visitor"))).pages]
    r = interleaved_ms({
        "bare": bare_page,
        "page1": lambda: bare_pages_same_text(pages[:1]),
        "same": lambda: bare_pages_same_text(pages),
        "visitor": lambda: render_notice(plain, "visitor"),
        "both": lambda: render_notice(plain, "both"),
        "rare": lambda: render_notice(rare, "both"),
    }, runs)
    bare, bare_size = r["bare"]
    page1, page1_size = r["page1"]
    same, same_size = r["same"]
    visitor, visitor_size = r["visitor"]
    both, both_size = r["both"]
    both_rare, rare_size = r["rare"]

    print(f"import xinfang_desk.printing (reportlab):   {t_import * 1000:7.1f} ms")
    print(f"first call: register Noto Serif SC R+B:    {t_register * 1000:7.1f} ms")
    for name, secs in fonts.registration_seconds().items():
        print(f"  {name:<14} {secs * 1000:7.1f} ms")
    print(f"first notice (no fallback font):           {t_first_plain * 1000:7.1f} ms")
    print(f"first notice with HanaMinA+B registration: {t_first_rare * 1000:7.1f} ms")
    print(f"median of {runs} rounds (each round calls every case once, in turn):")
    print(f"  bare page, minimal (title + 10 same lines): {bare:6.1f} ms  {bare_size / 1024:6.1f} KiB"
          f"  ({len(set(BARE_TEXT))} distinct glyphs)")
    print(f"  bare page, realistic (notice p.1 text):  {page1:7.1f} ms  {page1_size / 1024:6.1f} KiB"
          f"  ({sum(map(len, pages[0]))} characters, {len(set(''.join(pages[0])))} distinct)")
    print(f"  bare pages, the notice's text, drawString:{same:6.1f} ms  {same_size / 1024:6.1f} KiB")
    print(f"  notice, visitor copy (2 pages):          {visitor:7.1f} ms  {visitor_size / 1024:6.1f} KiB"
          f"  = {visitor / bare:4.1f}x minimal, {visitor / page1:4.1f}x realistic page, {visitor / same:4.1f}x same text")
    print(f"  notice + stub (3 pages):                 {both:7.1f} ms  {both_size / 1024:6.1f} KiB"
          f"  = {both / bare:4.1f}x minimal, {both / page1:4.1f}x realistic")
    print(f"  notice + stub, rare-name fallback:       {both_rare:7.1f} ms  {rare_size / 1024:6.1f} KiB"
          f"  = {both_rare / bare:4.1f}x minimal, {both_rare / page1:4.1f}x realistic")
    print("target: notice (visitor copy) <= 3x the bare page")


if __name__ == "__main__":
    main()
