"""The daily log as the supervisor prints it: every visit of the day exactly once in the PDF and the workbook,
totals that add up and match SQL, no full ID number or phone anywhere, the footer "第 N 页 共 M 页", files
0600 from the CLI, a clerk refused; and a 2,000-visit day renders."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sqlite3
import zipfile
from collections import Counter

import pytest
from pypdf import PdfReader

from xinfang_desk.printing.daily_log import render_pdf, render_xlsx
from xinfang_desk.services.progress import StepInput

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, run_cli  # noqa: E402
from tests.integration.supervisor_fixtures import DAY, at, fill_day  # noqa: E402

CODE = re.compile(r"BN0\d-\d{8}-\d{4}")


def pdf_pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def table_codes(pages: list[str]) -> Counter[str]:
    """Query codes printed in the visits table (the pages before the 统计 heading)."""
    text = "\n".join(pages)
    return Counter(CODE.findall(text.split("统计\n")[0] if "统计\n" in text else text.split("统计")[0]))


def xlsx_cells(data: bytes) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.fixture
def day(sv, clerk, clerk2):
    return fill_day(sv, clerk, clerk2)


def test_every_visit_once_totals_match_sql_nothing_unmasked(sv, clerk, supervisor, day, db_path) -> None:
    sv.progress.record(clerk, day.codes[0], StepInput("transferred", DAY, organ="区人社局"), now=at(DAY, 18))
    log = sv.daily_log.build(supervisor, DAY, now=at(DAY, 18))
    con = sqlite3.connect(db_path)
    sql_total = con.execute("SELECT count(*) FROM visits WHERE received_on = ?", (DAY.isoformat(),)).fetchone()[0]
    sql_windows = dict(con.execute("SELECT window_code, count(*) FROM visits WHERE received_on = ? GROUP BY 1", (DAY.isoformat(),)))
    sql_kinds = Counter(r[0] for r in con.execute(
        "SELECT m.kind FROM visits v JOIN matters m ON m.visit_id = v.id WHERE v.received_on = ?", (DAY.isoformat(),)))
    assert len(log.rows) == sql_total == len(day.codes)
    assert {t.label: t.count for t in log.by_window} == sql_windows
    for tallies in (log.by_window, log.by_kind, log.by_decision, log.by_town):
        assert sum(t.count for t in tallies) == sql_total
    from xinfang_desk.domain.matter_kinds import kinds_by_code
    assert {t.label: t.count for t in log.by_kind} == {kinds_by_code()[k].label_zh: n for k, n in sql_kinds.items()}
    assert [r.query_code for r in log.collective] == [day.collective_code]
    assert next(r for r in log.rows if r.query_code == day.codes[0]).state_zh == "已转送"

    pages = pdf_pages(render_pdf(log))
    codes = table_codes(pages)
    assert codes == Counter({c: 1 for c in day.codes})
    assert day.other_day_codes[0] not in "".join(pages)
    assert all(f"第 {i} 页 共 {len(pages)} 页" in p for i, p in enumerate(pages, start=1))
    full = "".join(pages)
    assert "值班人员" in full and "审核人" in full and "集体访" in full and "按镇街" in full
    for secret in day.ids + day.phones + [p[3:7] + p[7:] for p in day.phones]:
        assert secret not in full
    assert "110105********" in full

    data = render_xlsx(log)
    sheets = xlsx_cells(data)
    visits = sheets["来访明细"]
    assert visits[0][2] == "查询码" and Counter(r[2] for r in visits[1:]) == Counter({c: 1 for c in day.codes})
    assert all(isinstance(r[0], dt.datetime) for r in visits[1:])
    totals = sheets["统计"]
    window_rows = [r for r in totals if r[0] == "窗口" and r[1] != "合计"]
    assert {r[1]: r[2] for r in window_rows} == sql_windows
    assert [r[2] for r in totals if r[0] == "窗口" and r[1] == "合计"] == [sql_total]
    raw = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    for secret in day.ids + day.phones:
        assert secret.encode() not in raw
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    assert wb["来访明细"].freeze_panes == "A2" and wb["统计"].freeze_panes == "A2"
    assert wb["来访明细"].column_dimensions["C"].width >= 20


def test_duties_of_the_office_appear_in_the_log(sv, clerk, supervisor, day) -> None:
    # the 15-day duty (信访工作条例 22): received 25 Nov → last day 10 Dec, 26 Nov → 11 Dec; on 9 Dec both are
    # due within 3 days; the transferred visit's duty is done
    sv.progress.record(clerk, day.codes[0], StepInput("transferred", DAY, organ="区人社局"), now=at(DAY, 18))
    log = sv.daily_log.build(supervisor, DAY + dt.timedelta(days=13), now=at(DAY + dt.timedelta(days=13), 18))
    soon = {d.query_code: d.last_day for d in log.duties.due_soon}
    assert log.duties.due_soon_total == len(soon) == len(day.codes) - 1 + len(day.other_day_codes)
    assert day.codes[0] not in soon and soon[day.codes[1]] == dt.date(2026, 12, 11)
    assert soon[day.other_day_codes[0]] == dt.date(2026, 12, 10) and log.duties.overdue_total == 0
    text = "".join(pdf_pages(render_pdf(log)))
    assert "本办职责3日内到期：共" in text and "信访工作条例》第二十二条" in text


def test_cli_daily_log_files_0600_and_clerk_refused(sv, clerk, clerk2, day, db_url, tmp_path) -> None:
    pdf, xlsx = tmp_path / "log.pdf", tmp_path / "log.xlsx"
    r = run_cli(db_url, "--user", "supervisor", "daily-log", "--date", DAY.isoformat(), "--pdf", str(pdf),
                "--xlsx", str(xlsx), XINFANG_DESK_PASSWORD=PASSWORDS["supervisor"])
    assert r.code == 0, r.err
    assert os.stat(pdf).st_mode & 0o777 == 0o600 and os.stat(xlsx).st_mode & 0o777 == 0o600
    assert table_codes(pdf_pages(pdf.read_bytes())) == Counter({c: 1 for c in day.codes})
    out = tmp_path / "clerk.pdf"
    r = run_cli(db_url, "--user", "clerk", "daily-log", "--date", DAY.isoformat(), "--pdf", str(out),
                XINFANG_DESK_PASSWORD=PASSWORDS["clerk"])
    assert r.code == 3 and not out.exists()
    r = run_cli(db_url, "--user", "supervisor", "daily-log", "--date", "2026-13-01", "--pdf", str(out),
                XINFANG_DESK_PASSWORD=PASSWORDS["supervisor"])
    assert r.code == 2 and "--date" in r.err and not out.exists()


def test_a_2000_visit_day_renders_every_visit_once(sv, supervisor, db_path) -> None:
    from tests.supervisor_bulk import fill

    with sv.db.engine.begin() as conn:
        fill(conn, DAY, 2000, seed=3)
    log = sv.daily_log.build(supervisor, DAY, now=at(DAY, 18))
    assert len(log.rows) == 2000
    pdf = render_pdf(log)
    pages = pdf_pages(pdf)
    assert table_codes(pages) == Counter({r.query_code: 1 for r in log.rows})
    assert f"第 1 页 共 {len(pages)} 页" in pages[0] and len(pages) > 40
    sheets = xlsx_cells(render_xlsx(log))
    assert len(sheets["来访明细"]) == 2001
