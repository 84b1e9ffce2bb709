"""The daily log (接待日志) as PDF and as an Excel workbook, from services.daily_log.DailyLog.

PDF: A4 landscape in the notices' style (the same embedded serif with per-character fallback, 五号 table
text, the office and title at the top), every visit in one table whose header repeats on each page, then
the totals (with the legal advice given), the collective visits, the sessions held (领导公开接访及律师值班:
who took part, bookings, attendance, advice), the office's own duties overdue and due within 3
days, and the signature lines (值班人员、审核人). Every page carries "第 N 页 共 M 页".

The totals open with two compact vector bar charts (reportlab graphics, the same embedded serif): visits by
matter kind and by channel decision, the largest 8 and 其他 for the rest; a range without visits has none.

Only masked names, ID numbers and phones ever reach this module.

The visits table is cut into page-sized tables (so reportlab never re-splits one huge table), and a cell is
a plain string unless its text needs a fallback font or wrapping: a 2,000-visit day stays within about
the time of a bare reportlab table of the same rows (bench/bench_daily_log.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer, Table

from xinfang_desk.printing import document as D
from xinfang_desk.printing import fonts
from xinfang_desk.printing.document import Paragraph
from xinfang_desk.printing.fonts import MAIN, MAIN_BOLD

PAGE = landscape(A4)
MARGIN_X = 15 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 16 * mm
BODY_W = PAGE[0] - 2 * MARGIN_X
ROWS_PER_TABLE = 40

HEAD = ("时间", "窗口", "查询码", "来访人", "身份证号", "方式", "事项类别", "处理途径", "接待人员", "人数", "重复",
        "预约场次", "法律意见", "办理状态", "同步")
WIDTHS_MM = (19, 11, 36, 18, 34, 10, 31, 33, 14, 9, 9, 27, 15, 14, 12)  # scaled to the 267 mm body
_SCALE = BODY_W / (sum(WIDTHS_MM) * mm)
WIDTHS = tuple(w * mm * _SCALE for w in WIDTHS_MM)
WRAP_COLS = {3, 6, 7, 11, 12}  # may wrap (names, kind, channels, session, advice)
CELL_SIZE = 8.5
PAD = 2


def _styles() -> tuple:
    from reportlab.lib.styles import ParagraphStyle

    fonts.ensure_registered()
    cell = ParagraphStyle("dl-cell", fontName=MAIN, fontSize=CELL_SIZE, leading=CELL_SIZE * 1.3, wordWrap="CJK")
    head = ParagraphStyle("dl-head", parent=cell, fontName=MAIN_BOLD)
    title = ParagraphStyle("dl-title", fontName=MAIN_BOLD, fontSize=D.SIZE_TITLE - 4, leading=(D.SIZE_TITLE - 4) * 1.4,
                           alignment=1)
    sub = ParagraphStyle("dl-sub", fontName=MAIN, fontSize=11, leading=16, alignment=1)
    h2 = ParagraphStyle("dl-h2", fontName=MAIN_BOLD, fontSize=12, leading=18, spaceBefore=8, spaceAfter=3, keepWithNext=1)
    body = ParagraphStyle("dl-body", fontName=MAIN, fontSize=10.5, leading=16, wordWrap="CJK")
    return cell, head, title, sub, h2, body


def _cell(text: str, col: int, style: object, memo: dict[tuple[str, int], tuple[str, str]]) -> object:
    """A plain string (wrapped by character into lines that fit the column) when the main font has every
    character; a wrapping Paragraph with per-character fallback fonts only when it does not."""
    key = (text, col)
    kind = memo.get(key)
    if kind is None:
        runs = fonts.runs(text)  # raises MissingGlyph for a character no shipped font has
        if len(runs) <= 1 and (not runs or runs[0][0] == MAIN):
            kind = ("s", "\n".join(line for part in text.split("\n")
                                    for line in D.fit_lines(part, CELL_SIZE, WIDTHS[col] - 2 * PAD)) if text else "")
        else:
            kind = ("p", D.user(text))
        memo[key] = kind
    tag, value = kind
    if tag == "s":
        return value
    return Paragraph(value, style)


def _table(rows: list[list[object]], widths: Sequence[float], *, head: bool = True, size: float = CELL_SIZE) -> Table:
    t = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), MAIN, size),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if head:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")), ("FONT", (0, 0), (-1, 0), MAIN_BOLD, size)]
    t.setStyle(style)
    return t


def visit_cells(log: object) -> list[list[str]]:
    """The visits table as text, one list per visit (also what the workbook and the tests read)."""
    multi_day = log.date_from != log.date_to  # type: ignore[attr-defined]
    out = []
    for r in log.rows:  # type: ignore[attr-defined]
        t = r.received_at
        when = f"{t.month}-{t.day} {t:%H:%M}" if multi_day else f"{t:%H:%M}"
        out.append([when, r.window_code, r.query_code, r.names_masked, r.ids_masked or "—", r.channel_zh, r.kind_zh,
                    r.decisions_zh or "（未分类）", r.clerk or "—", str(r.group_size), "是" if r.repeat else "",
                    _session_lines(r.booked_session) or "—", advice_text(r), r.state_zh, "已同步" if r.synced else "未同步"])
    return out


def _session_lines(label: str) -> str:
    """"领导接访 12月2日 09:00（已到）" → type, day and time, and the attendance on lines of their own."""
    kind, _sp, rest = label.partition(" ")
    if not rest:
        return label
    status = ""
    if rest.endswith("）") and "（" in rest:
        rest, _p, status = rest[:-1].partition("（")
    return "\n".join(x for x in (kind, rest, status) if x)


def advice_text(r: object) -> str:
    """The visit's legal-advice mark: '' when none, 已提供 (and 建议法律援助 when legal aid is advised)."""
    if not r.advice:  # type: ignore[attr-defined]
        return ""
    return "已提供，建议法律援助" if r.legal_aid else "已提供"  # type: ignore[attr-defined]


def session_cells(log: object) -> list[list[str]]:
    """The sessions held in the range as text, one list per session (also what the tests read)."""
    multi_day = log.date_from != log.date_to  # type: ignore[attr-defined]
    out = []
    for x in log.sessions_held:  # type: ignore[attr-defined]
        when = f"{x.day.month}月{x.day.day}日 {x.start}—{x.end}" if multi_day else f"{x.start}—{x.end}"
        who = "；".join(p for p in ("、".join(x.leaders), "、".join(x.legal), "、".join(x.staff)) if p) or "—"
        out.append([when, x.type_zh, x.place, who, f"{x.bookings}/{x.capacity}" + (f"（候补{x.waiting}）" if x.waiting else ""),
                    str(x.attended), str(x.no_show), str(x.advice), str(x.legal_aid)])
    return out


SESSION_HEAD = ("时间", "类型", "地点", "参加人员", "预约/名额", "到场", "未到", "法律意见（条）", "建议法律援助")
SESSION_WIDTHS = tuple(w * mm for w in (34, 26, 32, 105, 22, 10, 10, 14, 14))


CHART_TOP = 8  # bars per chart; the rest are summed under 其他
CHART_OTHER = "其他"
CHART_W = 128 * mm
CHART_LABEL_W = 62 * mm
CHART_SIZE = 7.5


def chart_series(tallies: Sequence[object], top: int = CHART_TOP) -> list[tuple[str, int]]:
    """(label, visits) of the `top` largest tallies, then 其他 with the sum of the rest (when there is a rest)."""
    items = [(t.label, t.count) for t in tallies]  # type: ignore[attr-defined]
    if len(items) <= top + 1:
        return items
    return [*items[:top], (CHART_OTHER, sum(n for _l, n in items[top:]))]


def charts_of(log: object) -> list[tuple[str, list[tuple[str, int]]]]:
    """The charts of the totals part: (title, bars); none when the range has no visit."""
    if not log.rows:  # type: ignore[attr-defined]
        return []
    return [("来访按事项类别（批次）", chart_series(log.by_kind)),  # type: ignore[attr-defined]
            ("来访按处理途径（批次）", chart_series(log.by_decision))]  # type: ignore[attr-defined]


def _chart_font(text: str) -> str:
    """The one font that prints all of `text` (a catalogue label is in the main serif); MissingGlyph if none."""
    used = {f for f, _s in fonts.runs(text)} - {""}
    return used.pop() if len(used) == 1 else MAIN


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> Drawing:
    """A compact horizontal bar chart in the notices' printing style: grey bars, the figure at each bar's end,
    the category wrapped by character to the left, all text in the embedded serif."""
    fonts.ensure_registered()
    labels = ["\n".join(D.fit_lines(label, CHART_SIZE, CHART_LABEL_W - 4)) for label, _n in bars]
    lines = max((lb.count("\n") + 1 for lb in labels), default=1)
    row = max(13.0, lines * CHART_SIZE * 1.2 + 4)
    plot_h = row * len(bars)
    title_h = 18.0
    d = Drawing(CHART_W, plot_h + title_h + 4)
    d.add(String(0, plot_h + 8, title, fontName=MAIN_BOLD, fontSize=10))
    bc = HorizontalBarChart()
    bc.x, bc.y = CHART_LABEL_W, 2
    bc.width, bc.height = CHART_W - CHART_LABEL_W - 14 * mm, plot_h
    bc.data = [[n for _l, n in bars]]
    bc.barSpacing, bc.groupSpacing = 0, row * 0.3
    bc.bars[0].fillColor = colors.HexColor("#888888")
    bc.bars[0].strokeColor = colors.HexColor("#555555")
    bc.bars[0].strokeWidth = 0.4
    bc.categoryAxis.categoryNames = labels
    bc.categoryAxis.reverseDirection = 1  # the largest at the top, as in the table
    bc.categoryAxis.strokeColor = colors.HexColor("#555555")
    bc.categoryAxis.strokeWidth = 0.6
    bc.categoryAxis.tickLeft = 0
    lab = bc.categoryAxis.labels
    lab.boxAnchor, lab.textAnchor, lab.dx = "e", "end", -4
    lab.fontSize, lab.leading = CHART_SIZE, CHART_SIZE * 1.2
    lab.fontName = next((f for f in map(_chart_font, labels) if f != MAIN), MAIN)  # one font for all labels
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = max((n for _l, n in bars), default=1) or 1
    bc.valueAxis.visible = 0
    bc.barLabelFormat = "%d"
    bc.barLabels.fontName, bc.barLabels.fontSize = MAIN, CHART_SIZE + 0.5
    bc.barLabels.boxAnchor, bc.barLabels.dx = "w", 3
    d.add(bc)
    return d


def period_text(log: object) -> str:
    a, b = log.date_from, log.date_to  # type: ignore[attr-defined]
    return D.cn_date(a) if a == b else f"{D.cn_date(a)}至{D.cn_date(b)}"


def _numbered_canvas(footer: str) -> type:
    class NumberedCanvas(Canvas):
        """Keeps every page until the end, then writes "第 N 页 共 M 页" with the real M."""

        def __init__(self, *a: object, **kw: object) -> None:
            super().__init__(*a, **kw)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                n = self._pageNumber
                D.draw_text(self, PAGE[0] / 2, MARGIN_BOTTOM - 9 * mm, f"第 {n} 页 共 {total} 页", 9, align="center")
                D.draw_text(self, MARGIN_X, MARGIN_BOTTOM - 9 * mm, footer, 7, color=colors.HexColor("#666666"))
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(log: object) -> bytes:
    cell, head, title, sub, h2, body = _styles()
    L = log  # noqa: N806
    story: list[object] = [
        Paragraph(D.user(L.office), title),  # type: ignore[attr-defined]
        Paragraph("接待日志", title),
        Paragraph(D.user(f"{period_text(L)}　窗口：{L.window or '全部'}　来访 {len(L.rows)} 批次"), sub),  # type: ignore[attr-defined]
        Spacer(1, 4 * mm),
    ]
    memo: dict[tuple[str, int], tuple[str, str]] = {}
    header: list[object] = [Paragraph(h, head) for h in HEAD]
    cells = visit_cells(L)
    if not cells:
        story.append(Paragraph("本期无来访登记。", body))
    for i in range(0, len(cells), ROWS_PER_TABLE):
        chunk = [[v if v.isascii() and c not in WRAP_COLS else _cell(v, c, cell, memo) for c, v in enumerate(row)]
                 for row in cells[i:i + ROWS_PER_TABLE]]
        story.append(_table([header, *chunk], WIDTHS))

    # totals
    story.append(Paragraph("统计", h2))
    n = len(L.rows)  # type: ignore[attr-defined]
    charts = [bar_chart(t, bars) for t, bars in charts_of(L)]
    if charts:  # side by side above the tables; a range without visits has no (empty) chart
        pair = Table([charts], colWidths=[BODY_W / 2] * len(charts), hAlign="LEFT")
        pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        story += [pair, Spacer(1, 3 * mm)]
    blocks = []
    for caption, tallies in (("按窗口", L.by_window), ("按事项类别", L.by_kind), ("按处理途径", L.by_decision),  # type: ignore[attr-defined]
                             ("按镇街", L.by_town)):  # type: ignore[attr-defined]
        rows: list[list[object]] = [[Paragraph(caption, head), Paragraph("批次", head), Paragraph("占比", head)]]
        for t in tallies:
            rows.append([Paragraph(D.user(t.label), cell), str(t.count), f"{t.count * 100 / n:.1f}%" if n else "—"])
        rows.append([Paragraph("合计", head), str(sum(t.count for t in tallies)), "100.0%" if n else "—"])
        blocks.append(_table(rows, (110 * mm, 18 * mm, 20 * mm)))
        blocks.append(Spacer(1, 3 * mm))
    rows = [[Paragraph("法律服务", head), Paragraph("数量", head)]]
    rows += [[Paragraph(label, cell), str(v)] for label, v in (
        ("已提供法律意见的来访（批次）", L.advice_visits), ("法律意见（条）", L.advice_total),  # type: ignore[attr-defined]
        ("建议法律援助的来访（批次）", L.legal_aid_total),  # type: ignore[attr-defined]
        ("已预约接访场次的来访（批次）", sum(bool(r.booked_session) for r in L.rows)))]  # type: ignore[attr-defined]
    blocks.append(_table(rows, (110 * mm, 18 * mm)))
    story.extend(blocks)

    story.append(Paragraph("集体访", h2))
    if L.collective:  # type: ignore[attr-defined]
        rows = [[Paragraph(h, head) for h in ("时间", "查询码", "群体", "人数", "代表", "事项类别", "办理状态")]]
        for r in L.collective:  # type: ignore[attr-defined]
            rows.append([f"{r.received_at:%m-%d %H:%M}", r.query_code, Paragraph(D.user(r.group_name or "—"), cell),
                         str(r.group_size), Paragraph(D.user(r.names_masked), cell), Paragraph(D.user(r.kind_zh), cell),
                         r.state_zh])
        story.append(_table(rows, (24 * mm, 34 * mm, 40 * mm, 12 * mm, 40 * mm, 60 * mm, 18 * mm)))
    else:
        story.append(Paragraph("本期无集体访。", body))

    story.append(Paragraph("领导公开接访及律师值班", h2))
    if not L.sessions_held:  # type: ignore[attr-defined]
        story.append(Paragraph("本期无领导公开接访、律师值班或下访接待场次。", body))
    else:
        rows = [[Paragraph(h, head) for h in SESSION_HEAD]]
        for row in session_cells(L):
            rows.append([v if v.isascii() else Paragraph(D.user(v), cell) for v in row])
        held = L.sessions_held  # type: ignore[attr-defined]
        rows.append([Paragraph("合计", head), f"{len(held)} 场", "", "", str(sum(x.bookings for x in held)),
                     str(sum(x.attended for x in held)), str(sum(x.no_show for x in held)),
                     str(sum(x.advice for x in held)), str(sum(x.legal_aid for x in held))])
        story.append(_table(rows, SESSION_WIDTHS))

    board = L.duties  # type: ignore[attr-defined]
    for caption, items, total in ((f"本办职责逾期（截至{D.cn_date(board.today)}）", board.overdue, board.overdue_total),
                                  ("本办职责3日内到期", board.due_soon, board.due_soon_total)):
        story.append(Paragraph(D.user(f"{caption}：共 {total} 件" + (f"，列出前 {len(items)} 件" if total > len(items) else "")), h2))
        if not items:
            story.append(Paragraph("无。", body))
            continue
        rows = [[Paragraph(h, head) for h in ("查询码", "登记日期", "事项类别", "当前状态", "应办事项", "依据", "期限", "逾期/剩余")]]
        for d in items:
            left = f"逾期{-d.days_left}日" if d.overdue else ("今日到期" if d.days_left == 0 else f"剩余{d.days_left}日")
            rows.append([d.query_code, D.cn_date(d.received_on), Paragraph(D.user(d.kind_label), cell),
                         _state_zh(d.state), Paragraph(d.duty_label_zh, cell), Paragraph(duty_basis_zh(d), cell),
                         D.cn_date(d.last_day) + ("" if d.calendar_certain else "（节假日历未覆盖）"), left])
        story.append(_table(rows, (33 * mm, 26 * mm, 50 * mm, 18 * mm, 40 * mm, 42 * mm, 30 * mm, 20 * mm)))

    story.append(Spacer(1, 10 * mm))
    sign = Table([["值班人员（签名）：", "", "", "审核人（签名）：", "", "", "日期：", "", "年", "", "月", "", "日"]],
                 colWidths=[34 * mm, 50 * mm, 12 * mm, 30 * mm, 50 * mm, 12 * mm, 12 * mm, 16 * mm, 7 * mm, 10 * mm,
                            7 * mm, 10 * mm, 7 * mm], hAlign="LEFT")
    sign.setStyle([("FONT", (0, 0), (-1, -1), MAIN, 11), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                   *[("LINEBELOW", (c, 0), (c, 0), 0.6, colors.black) for c in (1, 4, 7, 9, 11)]])
    story.append(KeepTogether([Paragraph("签署", h2), Spacer(1, 6 * mm), sign]))
    gen = L.generated_at.astimezone(D.LOCAL_TZ)  # type: ignore[attr-defined]
    foot = f"xinfang-desk 生成于 {D.cn_date(gen)} {gen:%H:%M}，制表人 {L.generated_by}"  # type: ignore[attr-defined]
    return _build(story, foot, title=f"接待日志 {period_text(L)}")


def duty_basis_zh(d: object) -> str:
    """A duty's basis as cited on paper and screen: 《条例》第N条第M款."""
    para = f"第{D.cn_number(d.paragraph)}款" if d.paragraph else ""  # type: ignore[attr-defined]
    return f"《{d.instrument}》第{D.cn_number(d.article)}条{para}"  # type: ignore[attr-defined]


def _state_zh(code: str) -> str:
    from xinfang_desk.domain.progress import STATE_LABELS_ZH

    return STATE_LABELS_ZH.get(code, code)


def _build(story: list[object], footer: str, *, title: str) -> bytes:
    fonts.ensure_registered()
    buf = io.BytesIO()
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc = BaseDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=title, author="xinfang-desk", creator="xinfang-desk",
                          producer="xinfang-desk", invariant=1, pageTemplates=[PageTemplate(id="p", frames=[frame])],
                          initialFontName=MAIN, initialFontSize=10.5)
    with D._BUILD_LOCK:  # noqa: SLF001 - reportlab's font and layout state is process-wide
        doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buf.getvalue()


# -- workbook ------------------------------------------------------------------------------------------------
XLSX_HEAD = ("登记时间", "窗口", "查询码", "来访人", "身份证号", "电话", "方式", "事项类别", "处理途径", "接待人员", "人数",
             "集体访", "重复访", "预约场次", "法律意见（条）", "建议法律援助", "办理状态", "镇街", "已同步至中心")
XLSX_WIDTHS = (18, 8, 22, 14, 22, 15, 8, 30, 36, 10, 7, 8, 8, 26, 10, 10, 10, 12, 12)
XLSX_SESSION_HEAD = ("日期", "开始", "结束", "类型", "地点", "接访领导", "律师及法律服务人员", "其他工作人员", "名额", "预约",
                     "候补", "到场", "未到", "法律意见（条）", "建议法律援助（件）")
XLSX_SESSION_WIDTHS = (12, 7, 7, 14, 22, 24, 48, 14, 7, 7, 7, 7, 7, 10, 12)


def render_xlsx(log: object) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = "来访明细"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEEEEE")
    ws.append(list(XLSX_HEAD))
    for i, r in enumerate(log.rows, start=2):  # type: ignore[attr-defined]
        when: datetime = r.received_at.replace(tzinfo=None)  # local wall time: Excel has no time zones
        ws.append([when, r.window_code, r.query_code, r.names_masked, r.ids_masked, r.phones_masked, r.channel_zh,
                   r.kind_zh, r.decisions_zh or "（未分类）", r.clerk, r.group_size, "是" if r.collective else "否",
                   "是" if r.repeat else "否", r.booked_session, r.advice, "是" if r.legal_aid else "否",
                   r.state_zh, r.town, "是" if r.synced else "否"])
        ws.cell(i, 1).number_format = "yyyy-mm-dd hh:mm"
    _finish(ws, XLSX_WIDTHS, bold, fill, get_column_letter, Alignment)

    ts = wb.create_sheet("统计")
    ts.append(["分类", "项目", "批次", "占比"])
    n = len(log.rows)  # type: ignore[attr-defined]
    for caption, tallies in (("窗口", log.by_window), ("事项类别", log.by_kind), ("处理途径", log.by_decision),  # type: ignore[attr-defined]
                             ("镇街", log.by_town)):  # type: ignore[attr-defined]
        for t in tallies:
            ts.append([caption, t.label, t.count, t.count / n if n else 0])
            ts.cell(ts.max_row, 4).number_format = "0.0%"
        ts.append([caption, "合计", sum(t.count for t in tallies), 1 if n else 0])
        ts.cell(ts.max_row, 4).number_format = "0.0%"
        ts.cell(ts.max_row, 2).font = bold
    ts.append([])
    ts.append(["期间", period_text(log), None, None])
    ts.append(["起始日期", log.date_from, None, None])  # type: ignore[attr-defined]
    ts.cell(ts.max_row, 2).number_format = "yyyy-mm-dd"
    ts.append(["截止日期", log.date_to, None, None])  # type: ignore[attr-defined]
    ts.cell(ts.max_row, 2).number_format = "yyyy-mm-dd"
    ts.append(["本办职责逾期（件）", log.duties.overdue_total, None, None])  # type: ignore[attr-defined]
    ts.append(["本办职责3日内到期（件）", log.duties.due_soon_total, None, None])  # type: ignore[attr-defined]
    ts.append(["已提供法律意见的来访（批次）", log.advice_visits, None, None])  # type: ignore[attr-defined]
    ts.append(["法律意见（条）", log.advice_total, None, None])  # type: ignore[attr-defined]
    ts.append(["建议法律援助的来访（批次）", log.legal_aid_total, None, None])  # type: ignore[attr-defined]
    ts.append(["接访场次（场）", len(log.sessions_held), None, None])  # type: ignore[attr-defined]
    _finish(ts, (28, 40, 10, 10), bold, fill, get_column_letter, Alignment)

    ss = wb.create_sheet("接访场次")
    ss.append(list(XLSX_SESSION_HEAD))
    for x in log.sessions_held:  # type: ignore[attr-defined]
        ss.append([x.day, x.start, x.end, x.type_zh, x.place, "、".join(x.leaders), "、".join(x.legal), "、".join(x.staff),
                   x.capacity, x.bookings, x.waiting, x.attended, x.no_show, x.advice, x.legal_aid])
        ss.cell(ss.max_row, 1).number_format = "yyyy-mm-dd"
    _finish(ss, XLSX_SESSION_WIDTHS, bold, fill, get_column_letter, Alignment)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _finish(ws: object, widths: Sequence[int], bold: object, fill: object, letter: object, align: object) -> None:
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[letter(i)].width = w  # type: ignore[attr-defined, operator]
    for c in ws[1]:  # type: ignore[index]
        c.font = bold
        c.fill = fill
        c.alignment = align(vertical="center")  # type: ignore[operator]
