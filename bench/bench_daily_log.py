"""The daily log of a 2,000-visit day: `render_pdf` (the product's log, every page finished with
"第 N 页 共 M 页") beside a bare reportlab table of the same rows and the same embedded font in the same run
(the baseline), and the workbook. Target: the log within 2x the bare table.

    .venv/bin/python bench/bench_daily_log.py [--visits 2000] [--n 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, bench_session  # noqa: F401 - sets sys.path

from xinfang_desk.printing import fonts
from xinfang_desk.printing.daily_log import HEAD, render_pdf, render_xlsx, visit_cells
from xinfang_desk.services.container import Services


def bare_table(rows: list[list[str]]) -> bytes:
    """What a hand-written report would do: one reportlab Table with a repeated header, same font, same rows."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4))
    t = Table([list(HEAD), *rows], repeatRows=1)
    t.setStyle([("FONT", (0, 0), (-1, -1), fonts.MAIN, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, (0, 0, 0))])
    doc.build([t])
    return buf.getvalue()


def timed(fn, n: int) -> list[float]:  # noqa: ANN001
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visits", type=int, default=2000)
    ap.add_argument("--n", type=int, default=5, help="timed runs of each")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.supervisor_bulk import fill

    day = dt.date(2026, 11, 26)
    with tempfile.TemporaryDirectory() as tmp:
        sv = Services.open(f"sqlite:///{tmp}/bench.sqlite3", "BN01")
        with sv.db.engine.begin() as conn:
            fill(conn, day, args.visits, seed=5)
        actor = bench_session(sv.db, "BN01", "supervisor")
        t = time.perf_counter()
        log = sv.daily_log.build(actor, day)
        build_ms = (time.perf_counter() - t) * 1000
        rows = visit_cells(log)
        fonts.ensure_registered()
        render_pdf(log)  # warm: font tables, widths
        bare_table(rows)
        base = timed(lambda: bare_table(rows), args.n)
        ours = timed(lambda: render_pdf(log), args.n)
        book = timed(lambda: render_xlsx(log), args.n)
        pages = render_pdf(log).count(b"/Type /Page\n") or render_pdf(log).count(b"/Type /Page")
        sv.close()
    b, o = statistics.median(base), statistics.median(ours)
    print(f"bench_daily_log: {args.visits:,} visits on one day, {len(rows)} rows, median of {args.n}")
    print(f"  baseline: bare reportlab Table, same rows and font   {b:8.1f} ms")
    print(f"  daily log PDF (render_pdf, {pages} pages, totals, duties)  {o:8.1f} ms   = {o / b:.2f}x baseline "
          f"(target <= 2x: {'met' if o <= 2 * b else 'NOT met'})")
    print(f"  daily log workbook (render_xlsx)                     {statistics.median(book):8.1f} ms")
    print(f"  gathering the log (DailyLogService.build, once)      {build_ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
