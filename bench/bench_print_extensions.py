"""The two extensions printing keeps on top of reportlab, each beside stock reportlab in the same run.

1. ``printing.document.Paragraph`` (Chinese line-breaking rules, 禁则): every verbatim article of the
   statute catalogue wrapped as a notice prints it (三号 body, 四号 quotation), with reportlab's own
   ``Paragraph(wordWrap="CJK")`` and with ours: lines that start with ，。、；：？！）》” … or end with （《“ …,
   and the time to wrap them all.
2. ``fonts._font_class()`` (the ToUnicode CMap of characters beyond the BMP): a notice to visitors with rare
   names (HanaMin A) rendered with the fonts registered as reportlab's ``TTFont`` and as ours: names a PDF
   reader gets back as text (copy, search), and the time to render.

Prints figures; asserts nothing. Run: ``.venv/bin/python bench/bench_print_extensions.py [rounds]``.
"""

from __future__ import annotations

import io
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source tree

RARE_NAMES = ("王𠮷", "𠀀明", "张𪚥", "刘𡈼", "陈𠮷𠀀", "赵𣲙")  # U+20BB7 U+20000 U+2A6A5 U+21235 U+23C99


def _articles() -> list[str]:
    from xinfang_desk.statutes.catalogue import default_catalogue

    out = []
    for inst in default_catalogue().instruments.values():
        for version in inst.versions:
            for art in version.articles.values():
                text = art.text() if art.printable else None
                if text:
                    out.extend(p for p in text.split("\n") if p.strip())
    return out


def _lines(p: object, width: float) -> list[str]:
    p.wrap(width, 1e7)  # type: ignore[attr-defined]
    bl = p.blPara  # type: ignore[attr-defined]
    if bl.kind == 0:
        return ["".join(words) for _extra, words in bl.lines]
    return ["".join(f.text for f in line.words) for line in bl.lines]


def _violations(lines: list[str]) -> int:
    from xinfang_desk.printing.document import CANNOT_END, CANNOT_START

    return sum(1 for x in lines[1:] if x and x[0] in CANNOT_START) + sum(
        1 for x in lines[:-1] if x and x[-1] in CANNOT_END)


def line_breaking(rounds: int) -> None:
    from reportlab.platypus import Paragraph as Stock  # noqa: TID251 - the baseline

    from xinfang_desk.printing import document as D

    st = D.make_styles()
    texts = _articles()
    jobs = [(t, st.body, D.BODY_W) for t in texts] + [(t, st.quote, D.BODY_W) for t in texts]
    result = {}
    times: dict[str, list[float]] = {"stock": [], "ours": []}
    for _ in range(rounds):
        for name, cls in (("stock", Stock), ("ours", D.Paragraph)):
            t0 = time.perf_counter()
            lines = [_lines(cls(t, style), w) for t, style, w in jobs]
            times[name].append((time.perf_counter() - t0) * 1000)
            result[name] = (sum(len(x) for x in lines), sum(map(_violations, lines)),
                            sum(1 for x in lines if _violations(x)))
    print(f"1. line breaking: {len(texts)} article paragraphs of the statute catalogue, each wrapped as the notice's"
          f" body and as its quotation ({len(jobs)} paragraphs)")
    for name, label in (("stock", "reportlab Paragraph(wordWrap='CJK')"), ("ours", "printing.document.Paragraph")):
        n_lines, bad, paras = result[name]
        print(f"   {label:<38} {n_lines:6d} lines, {bad:4d} break a rule (in {paras} paragraphs);"
              f" wrap all: {statistics.median(times[name]):7.1f} ms (median of {rounds})")
    ratio = statistics.median(times["ours"]) / statistics.median(times["stock"])
    print(f"   cost of the rules: {ratio:4.2f}x reportlab's own wrapping")


def _rare_child(kind: str, rounds: int) -> None:
    """In a process of its own (reportlab registers one font object per face, so the stock TTFont and ours
    cannot both hold HanaMin A in one process): render a notice to the rare names, print JSON."""
    import json

    from pypdf import PdfReader

    from xinfang_desk.printing import fonts
    from xinfang_desk.printing.notice import NoticeVisitor, render_notice
    from xinfang_desk.printing.samples import sample_notice

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every invalid CMap entry of the stock font
    if kind == "stock":
        from reportlab.pdfbase.ttfonts import TTFont

        fonts._font_class = lambda: TTFont  # noqa: SLF001 - the baseline: reportlab's class as shipped
    data = sample_notice(visitors=tuple(NoticeVisitor(n) for n in RARE_NAMES))
    render_notice(data, "both")  # registers the fallback fonts
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        pdf = render_notice(data, "both")
        times.append((time.perf_counter() - t0) * 1000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    print(json.dumps({"found": sum(1 for n in RARE_NAMES if text.count(n) >= 2), "ms": statistics.median(times)}))


def rare_names(rounds: int) -> None:
    import json
    import subprocess

    out = {}
    for kind in ("stock", "ours"):
        run = subprocess.run([sys.executable, __file__, "--rare", kind, str(rounds)], capture_output=True, text=True,
                             check=True)
        out[kind] = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"2. rare names beyond the BMP: a notice + stub to {len(RARE_NAMES)} visitors named "
          f"{'、'.join(RARE_NAMES)} (HanaMin A), names a PDF reader gets back as text on both copies")
    for kind, label in (("stock", "reportlab TTFont"), ("ours", "fonts XFTTFont")):
        print(f"   {label:<38} {out[kind]['found']}/{len(RARE_NAMES)} names found;"
              f" render: {out[kind]['ms']:6.1f} ms (median of {rounds}, a process each)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--rare":
        _rare_child(sys.argv[2], int(sys.argv[3]))
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    line_breaking(rounds)
    rare_names(rounds * 4)


if __name__ == "__main__":
    main()
