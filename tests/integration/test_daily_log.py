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


# -- sessions and legal advice in the log (issue 10 item 4, issue 9 item 6) -----------------------------------
LAWYER_PHONE = "13912345678"


@pytest.fixture
def sessions_day(sv, actors, clerk, day):
    """On DAY: a leader's reception (王副区长 with 刘律师) and a lawyer on duty (周律师, 吴法律工作者); 2 Dec another
    reception. Visits booked, marked attended or not, and the lawyers' advice recorded (one of it corrected)."""
    from xinfang_desk.services.advice import AdviceInput
    from xinfang_desk.services.scheduling import PersonInput, PlanInput

    admin = actors["admin"]
    people = [PersonInput("lead-wang", "王副区长", "leader", title="副区长"),
              PersonInput("law-liu", "刘律师", "lawyer", organisation="甲律师事务所", phone=LAWYER_PHONE),
              PersonInput("law-zhou", "周律师", "lawyer", organisation="乙律师事务所"),
              PersonInput("lw-wu", "吴法律工作者", "legal_worker", organisation="柳城镇法律服务所")]
    res = sv.scheduling.apply_plan(admin, people, [
        PlanInput("lr", "leader_reception", "14:00", "16:30", 3, DAY, DAY + dt.timedelta(days=7), ("lead-wang", "law-liu"),
                  weekdays=(3, 4)),
        PlanInput("duty", "lawyer_duty", "09:00", "12:00", 8, DAY, DAY, ("law-zhou", "lw-wu"), weekdays=(4,)),
    ])
    by = {(x.type, x.day): x.id for x in res.created}
    leader, duty, later = by[("leader_reception", DAY)], by[("lawyer_duty", DAY)], by[("leader_reception", dt.date(2026, 12, 2))]
    c = day.codes
    for code in c[:3]:
        sv.scheduling.book(clerk, code, leader, today=DAY)
    sv.scheduling.book(clerk, c[3], leader, today=DAY)  # the fourth waits (capacity 3)
    sv.scheduling.book(clerk, c[4], duty, today=DAY)
    sv.scheduling.book(clerk, c[5], later, today=DAY)
    sv.scheduling.book(clerk, c[6], later, today=DAY)
    sv.scheduling.unbook(clerk, c[6], later)  # cancelled: no session shown
    sv.scheduling.mark(clerk, c[0], leader, True, today=DAY)
    sv.scheduling.mark(clerk, c[1], leader, False, today=DAY)
    sv.scheduling.mark(clerk, c[2], leader, True, today=DAY)
    sv.scheduling.mark(clerk, c[4], duty, True, today=DAY)
    sv.scheduling.link_user(admin, "law-liu", "lawyer")
    lawyer = actors["lawyer"]
    sv.advice.record(lawyer, c[0], AdviceInput("建议申请劳动争议仲裁，并申请法律援助", "statutory_channel", True, session_id=leader))
    a = sv.advice.record(lawyer, c[2], AdviceInput("建议向人民法院起诉", "statutory_channel", session_id=leader))
    sv.advice.record(lawyer, c[2], AdviceInput("建议先行调解，不成再起诉", "statutory_channel"), corrects=a.id)
    sv.advice.record(actors["supervisor"], c[4], AdviceInput("建议向综合执法部门投诉", person_key="law-zhou", session_id=duty))
    return leader, duty, later


def test_the_log_shows_booked_sessions_the_sessions_held_and_the_advice(sv, supervisor, day, sessions_day, db_path) -> None:
    leader, duty, _later = sessions_day
    c = day.codes
    log = sv.daily_log.build(supervisor, DAY, now=at(DAY, 18))
    row = {r.query_code: r for r in log.rows}
    assert row[c[0]].booked_session == "领导接访 11月26日 14:00（已到）"
    assert row[c[1]].booked_session == "领导接访 11月26日 14:00（未到）"
    assert row[c[3]].booked_session == "领导接访 11月26日 14:00（候补）"
    assert row[c[4]].booked_session == "律师值班 11月26日 09:00（已到）"
    assert row[c[5]].booked_session == "领导接访 12月2日 14:00"
    assert row[c[6]].booked_session == "" and row[c[7]].booked_session == ""
    assert [(r.query_code, r.advice, r.legal_aid) for r in log.rows if r.advice] == [(c[0], 1, True), (c[2], 1, False), (c[4], 1, False)]
    assert (log.advice_visits, log.advice_total, log.legal_aid_total) == (3, 3, 1)

    held = {x.id: x for x in log.sessions_held}
    assert set(held) == {leader, duty}  # 2 Dec lies outside the log
    lr = held[leader]
    assert (lr.type_zh, lr.start, lr.end, lr.leaders, lr.legal) == ("领导公开接访", "14:00", "16:30", ("王副区长（副区长）",),
                                                                     ("律师 刘律师（甲律师事务所）",))
    assert (lr.bookings, lr.waiting, lr.attended, lr.no_show, lr.advice, lr.legal_aid) == (3, 1, 2, 1, 2, 1)
    dy = held[duty]
    assert dy.legal == ("律师 周律师（乙律师事务所）", "法律服务工作者 吴法律工作者（柳城镇法律服务所）") and dy.leaders == ()
    assert (dy.bookings, dy.attended, dy.no_show, dy.advice) == (1, 1, 0, 1)
    # the counts are what the database holds: current (not corrected) advice given in each session
    con = sqlite3.connect(db_path)
    sql_advice = dict(con.execute(
        "SELECT session_id, count(*) FROM legal_advice WHERE session_id IS NOT NULL AND id NOT IN "
        "(SELECT corrects_id FROM legal_advice WHERE corrects_id IS NOT NULL) GROUP BY 1"))
    sql_att = dict(con.execute("SELECT session_id, count(*) FROM session_bookings WHERE status = 'attended' GROUP BY 1"))
    assert sql_advice == {leader: 2, duty: 1} and {k: held[k].advice for k in held} == sql_advice
    assert {k: held[k].attended for k in held} == {k: sql_att[k] for k in held}

    pages = pdf_pages(render_pdf(log))
    flat = re.sub(r"\s+", "", "".join(pages))
    assert table_codes(pages) == Counter({code: 1 for code in c})
    for want in ("领导公开接访及律师值班", "领导公开接访", "律师值班接待", "王副区长（副区长）", "律师刘律师（甲律师事务所）",
                 "法律服务工作者吴法律工作者（柳城镇法律服务所）", "14:00—16:30", "3/3（候补1）",
                 "领导接访11月26日14:00已到", "领导接访11月26日14:00未到",
                 "领导接访12月2日14:00", "已提供，建议法律援助", "法律意见（条）",
                 "已提供法律意见的来访（批次）"):
        assert want in flat, want
    assert "排期模块" not in flat and "leader_reception" not in flat and "attended" not in flat
    assert LAWYER_PHONE not in flat and "建议向人民法院起诉" not in flat  # no staff phone, no advice text on the log
    for secret in day.ids + day.phones:
        assert secret not in flat

    data = render_xlsx(log)
    sheets = xlsx_cells(data)
    head = sheets["来访明细"][0]
    vis = {r[2]: dict(zip(head, r, strict=True)) for r in sheets["来访明细"][1:]}
    assert vis[c[5]]["预约场次"] == "领导接访 12月2日 14:00" and vis[c[0]]["法律意见（条）"] == 1
    assert vis[c[0]]["建议法律援助"] == "是" and vis[c[7]]["法律意见（条）"] == 0
    sh = sheets["接访场次"]
    sess = {r[3]: dict(zip(sh[0], r, strict=True)) for r in sh[1:]}
    assert set(sess) == {"领导公开接访", "律师值班接待"}
    lrx = sess["领导公开接访"]
    assert isinstance(lrx["日期"], dt.datetime) and lrx["日期"].date() == DAY
    assert (lrx["接访领导"], lrx["律师及法律服务人员"]) == ("王副区长（副区长）", "律师 刘律师（甲律师事务所）")
    assert (lrx["预约"], lrx["候补"], lrx["到场"], lrx["未到"], lrx["法律意见（条）"], lrx["建议法律援助（件）"]) == (3, 1, 2, 1, 2, 1)
    totals = {r[0]: r[1] for r in sheets["统计"] if r and r[0]}
    assert totals["法律意见（条）"] == 3 and totals["接访场次（场）"] == 2
    raw = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    for secret in [*day.ids, *day.phones, LAWYER_PHONE]:
        assert secret.encode() not in raw


def test_a_day_without_sessions_says_so(sv, supervisor, day) -> None:
    log = sv.daily_log.build(supervisor, DAY, now=at(DAY, 18))
    assert log.sessions_held == () and all(r.booked_session == "" and r.advice == 0 for r in log.rows)
    flat = re.sub(r"\s+", "", "".join(pdf_pages(render_pdf(log))))
    assert "本期无领导公开接访、律师值班或下访接待场次" in flat and "排期模块" not in flat


# -- charts in the totals part (issue 10 item 6) ----------------------------------------------------------------
def test_the_totals_carry_charts_by_kind_and_by_decision_in_chinese(sv, clerk, supervisor, day, tmp_path) -> None:
    from reportlab.graphics import renderPDF

    from xinfang_desk.printing.daily_log import CHART_OTHER, bar_chart, charts_of

    log = sv.daily_log.build(supervisor, DAY, now=at(DAY, 18))
    charts = dict(charts_of(log))
    assert set(charts) == {"来访按事项类别（批次）", "来访按处理途径（批次）"}
    # the bars are the totals table's figures: the largest 8 as they are, the rest summed under 其他
    for title, tallies in (("来访按事项类别（批次）", log.by_kind), ("来访按处理途径（批次）", log.by_decision)):
        bars = charts[title]
        assert bars[:8] == [(t.label, t.count) for t in tallies][:8]
        assert sum(n for _l, n in bars) == len(log.rows)
        if len(tallies) > 9:
            assert bars[-1] == (CHART_OTHER, sum(t.count for t in tallies[8:]))
        else:
            assert bars == [(t.label, t.count) for t in tallies]
    assert len(log.by_kind) > 1 and len(log.by_decision) > 1

    pages = pdf_pages(render_pdf(log))
    flat = re.sub(r"\s+", "", "".join(pages))
    assert "来访按事项类别（批次）" in flat and "来访按处理途径（批次）" in flat
    for label, _n in charts["来访按事项类别（批次）"]:  # extracted as Chinese, i.e. drawn in the CJK font, not boxes
        assert re.sub(r"\s+", "", label)[:6] in flat.split("统计", 1)[1], label

    # the figures drawn in a chart, read back from the chart alone, equal the table's counts
    bars = charts["来访按事项类别（批次）"]
    one = renderPDF.drawToString(bar_chart("来访按事项类别（批次）", bars))
    text = PdfReader(io.BytesIO(one)).pages[0].extract_text()
    drawn = [int(x) for x in re.findall(r"(?m)^\s*(\d+)\s*$", text)]
    assert sorted(drawn) == sorted(n for _l, n in bars)
    assert "来访按事项类别" in text

    # a range with more than 9 kinds: the largest 8, then 其他 with the rest, in the chart and the printed page
    from dataclasses import replace

    from xinfang_desk.domain.matter_kinds import kinds_by_code
    from xinfang_desk.services.daily_log import Tally

    labels = [k.label_zh for k in kinds_by_code().values()][:11]
    many = tuple(Tally(lb, 20 - i) for i, lb in enumerate(labels))
    big = replace(log, by_kind=many)
    bars = dict(charts_of(big))["来访按事项类别（批次）"]
    assert bars == [(t.label, t.count) for t in many[:8]] + [("其他", 12 + 11 + 10)]
    flat = re.sub(r"\s+", "", "".join(pdf_pages(render_pdf(big))).split("统计", 1)[1].split("按窗口", 1)[0])
    assert "其他" in flat and re.sub(r"\s+", "", labels[0])[:6] in flat and re.sub(r"\s+", "", labels[9])[:6] not in flat


def test_a_day_without_visits_prints_no_chart(sv, supervisor, day) -> None:
    log = sv.daily_log.build(supervisor, DAY - dt.timedelta(days=30), now=at(DAY, 18))
    assert log.rows == ()
    from xinfang_desk.printing.daily_log import charts_of

    assert charts_of(log) == []
    flat = re.sub(r"\s+", "", "".join(pdf_pages(render_pdf(log))))
    assert "本期无来访登记" in flat and "来访按事项类别" not in flat and "来访按处理途径" not in flat
