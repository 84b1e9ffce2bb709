"""Session printouts in the notices' style (same page, fonts, fallback and masking rules): the visitor's
appointment slip (预约单), the session's docket (接访安排表) and the legal-aid referral (法律援助转介函).

Plain data in, PDF bytes out (Qt-free, DB-free). Every piece of user text goes through ``fonts.markup``;
ID numbers and phones arrive masked from the service unless the role may see more. A statute is quoted only
from the catalogue's text and only when printable (the service passes the quote; M/J never as a quotation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from xinfang_desk.printing import document as D
from xinfang_desk.printing.document import Paragraph
from xinfang_desk.printing.fonts import markup

TYPE_LABELS = {"leader_reception": "领导公开接访", "lawyer_duty": "律师值班接待", "outreach": "赶场日下访接待"}
ROLE_LABELS = {"leader": "接访领导", "lawyer": "律师", "legal_worker": "法律服务工作者", "mediator": "调解员", "staff": "工作人员"}
STATUS_LABELS = {"booked": "已预约", "waiting": "候补", "attended": "已到", "no_show": "未到", "cancelled": "已取消"}
BRING = (
    "本人居民身份证（代理人另带授权委托书和本人身份证）；",
    "与反映事项有关的材料原件及复印件（如合同、判决书、处理意见书、缴费凭证）；",
    "本预约单。请提前十五分钟到达，凭查询码签到。",
)


@dataclass(frozen=True)
class StaffLine:
    role: str  # leader | lawyer | legal_worker | mediator | staff
    name: str
    title: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class SessionInfo:
    type: str
    day: date
    start: str
    end: str
    place: str
    town: str
    staff: tuple[StaffLine, ...]


@dataclass(frozen=True)
class SlipData:
    office: str
    query_code: str
    names: tuple[str, ...]
    ids_masked: tuple[str, ...]
    kind_label: str
    session: SessionInfo
    status: str  # booked | waiting
    position: int  # on the waiting list
    provisional: bool
    printed_at: datetime
    operator: str
    window: str


@dataclass(frozen=True)
class DocketRow:
    time: str  # "09:00" or "候补1"
    query_code: str
    names: tuple[str, ...]
    ids_masked: tuple[str, ...]
    phones_masked: tuple[str, ...]
    kind_label: str
    summary: str
    channels: tuple[str, ...]
    status: str
    recusals: tuple[str, ...]  # "冯律师回避（与被反映单位有利益冲突）"


@dataclass(frozen=True)
class DocketData:
    office: str
    session: SessionInfo
    rows: tuple[DocketRow, ...]
    printed_at: datetime
    operator: str
    window: str


@dataclass(frozen=True)
class ReferralData:
    office: str
    query_code: str
    names: tuple[str, ...]
    ids_masked: tuple[str, ...]
    phones_masked: tuple[str, ...]
    kind_label: str
    summary: str
    advice: str
    lawyer: str
    lawyer_org: str
    legal_aid_centre: str
    citation: str  # e.g. 《中华人民共和国法律援助法》第三十一条
    quote: str | None  # the article's text from the catalogue, or None (then cited only)
    printed_at: datetime
    operator: str
    window: str


def _when(info: SessionInfo) -> str:
    return f"{D.cn_date(info.day)}（星期{'一二三四五六日'[info.day.weekday()]}）{info.start}—{info.end}"


def _where(info: SessionInfo) -> str:
    if info.type == "outreach" and info.town and info.place and info.place != info.town:
        return f"{info.town}（{info.place}）"
    return info.place or info.town


def _staff_text(staff: Sequence[StaffLine], field: str) -> str:
    parts = []
    for i, p in enumerate(staff):
        extra = p.title if p.role == "leader" else p.organisation
        who = markup(p.name, f"{field}[{i}].name") + (f"（{markup(extra, f'{field}[{i}].organisation')}）" if extra else "")
        parts.append(f"{ROLE_LABELS.get(p.role, '')} {who}")
    return "；".join(parts) or "—"


def _footer(what: str, operator: str, window: str, printed_at: datetime, code: str = "") -> tuple[str, ...]:
    return (f"{what}{' · 查询码 ' + code if code else ''} · 经办人 {operator} · 窗口 {window} · 打印于 {D.cn_datetime(printed_at)}",)


def _query_block(code: str, st: D.Styles, text: str) -> Flowable:
    para = Paragraph(text.replace("{code}", f"<b>{markup(code, 'query_code')}</b>"), st.small)
    t = D.plain_table([[para, D.QRCode(code, 24 * mm)]], [D.BODY_W - 28 * mm, 28 * mm], valign="MIDDLE")
    t.setStyle([("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return t


def render_slip(data: SlipData) -> bytes:
    """预约单: the session, place and time, who receives, what to bring, and the query code with its QR."""
    st = D.make_styles()
    info = data.session
    rows = [
        ("查询码", markup(data.query_code, "query_code")),
        ("来访人", "、".join(markup(n, f"names[{i}]") for i, n in enumerate(data.names))),
        ("身份证号", "、".join(markup(x, f"ids[{i}]") for i, x in enumerate(data.ids_masked) if x) or "—"),
        ("事项类别", markup(data.kind_label, "kind")),
        ("接待类型", TYPE_LABELS.get(info.type, "")),
        ("时间", markup(_when(info), "session.when")),
        ("地点", markup(_where(info), "session.place")),
        ("接待人员", _staff_text(info.staff, "staff")),
    ]
    status = STATUS_LABELS.get(data.status, "")
    if data.status == "waiting":
        status += f"（第{data.position}位；有人取消时依次递补，届时电话通知）"
    if data.provisional:
        status += "；本预约尚待区信访局确认"
    rows.append(("预约状态", markup(status, "status")))
    table = D.boxed_table([[Paragraph(k, st.cell_head), Paragraph(v, st.cell)] for k, v in rows],
                          [28 * mm, D.BODY_W - 28 * mm], head=False)
    story: list[Flowable] = [
        Paragraph(markup(data.office, "office"), st.office),
        Paragraph("接访预约单", st.title),
        D.spacer(0.4),
        table,
        D.spacer(0.4),
        Paragraph("请携带：", st.heading),
        *[Paragraph(f"{i}. {line}", st.table) for i, line in enumerate(BRING, 1)],
        D.spacer(0.4),
        _query_block(data.query_code, st, "凭查询码 {code} 可在接待大厅或网上查询预约和办理情况；如需改期或取消，请提前告知。"),
        D.spacer(0.3),
        D.SealBlock(data.office, D.cn_date(data.printed_at)),
    ]
    return D.build_pdf([D.Section([*story[:-4], KeepTogether(story[-4:])],
                                  D.PageDecor(_footer("预约单", data.operator, data.window, data.printed_at, data.query_code), False))],
                       title="接访预约单", author=data.office, subject=data.query_code)


def render_docket(data: DocketData) -> bytes:
    """接访安排表: one row per booked (then waiting) visit: time, masked identity, matter kind, summary, the
    proposed channels; the session's people at the top and signature lines at the bottom."""
    st = D.make_styles()
    info = data.session
    head = [
        ("接待类型", TYPE_LABELS.get(info.type, "")),
        ("时间", markup(_when(info), "session.when")),
        ("地点", markup(_where(info), "session.place")),
        ("接待人员", _staff_text(info.staff, "staff")),
    ]
    story: list[Flowable] = [
        Paragraph(markup(data.office, "office"), st.office),
        Paragraph("接访安排表", st.title),
        D.boxed_table([[Paragraph(k, st.cell_head), Paragraph(v, st.cell)] for k, v in head],
                      [24 * mm, D.BODY_W - 24 * mm], head=False),
        D.spacer(0.4),
    ]
    grid: list[list[object]] = [[Paragraph(h, st.cell_head) for h in ("时间", "来访人", "事项类别", "反映事项", "建议途径", "备注")]]
    for i, r in enumerate(data.rows):
        who = "<br/>".join(
            markup(n, f"rows[{i}].names") + (f"<br/>{markup(x, f'rows[{i}].id')}" if x else "")
            + (f"<br/>{markup(p, f'rows[{i}].phone')}" if p else "")
            for n, x, p in zip(r.names, r.ids_masked + ("",) * len(r.names), r.phones_masked + ("",) * len(r.names), strict=False))
        note = [STATUS_LABELS.get(r.status, "")] + list(r.recusals)
        grid.append([
            Paragraph(markup(r.time, "time") + "<br/>" + markup(r.query_code, "query_code"), st.cell),
            Paragraph(who, st.cell),
            Paragraph(markup(r.kind_label.split("（")[0], "kind"), st.cell),
            Paragraph(markup(r.summary, "summary"), st.cell),
            Paragraph("；".join(markup(c, "channel") for c in r.channels) or "—", st.cell),
            Paragraph("<br/>".join(markup(n, "note") for n in note if n), st.cell),
        ])
    if not data.rows:
        grid.append([Paragraph("—", st.cell), Paragraph("（暂无预约）", st.cell), "", "", "", ""])
    story.append(D.boxed_table(grid, [23 * mm, 39 * mm, 19 * mm, 33 * mm, 28 * mm, D.BODY_W - 142 * mm]))
    story.append(D.spacer(0.8))
    signers = [p for p in info.staff if p.role != "staff"] or list(info.staff)
    sig_rows = [[Paragraph(f"{ROLE_LABELS.get(p.role, '')}（签字）：", st.cell), Paragraph("", st.cell),
                 Paragraph(markup(p.name, "signer"), st.cell)] for p in signers]
    sig_rows.append([Paragraph("记录人（签字）：", st.cell), Paragraph("", st.cell), Paragraph("", st.cell)])
    sig = D.plain_table(sig_rows, [40 * mm, 70 * mm, D.BODY_W - 110 * mm], rowHeights=[12 * mm] * len(sig_rows))
    sig.setStyle([("LINEBELOW", (1, 0), (1, -1), 0.6, "#333333"), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    story.append(KeepTogether([Paragraph("签字：", st.cell_head), sig]))
    return D.build_pdf([D.Section(story, D.PageDecor(_footer("接访安排表", data.operator, data.window, data.printed_at), True))],
                       title="接访安排表", author=data.office, subject=f"{info.day.isoformat()} {info.start}")


def render_referral(data: ReferralData) -> bytes:
    """法律援助转介函: to the legal-aid centre, with the lawyer's advice and the legal basis (quoted from the
    catalogue only when printable)."""
    st = D.make_styles()
    names = "、".join(markup(n, f"names[{i}]") for i, n in enumerate(data.names))
    story: list[Flowable] = [
        Paragraph(markup(data.office, "office"), st.office),
        Paragraph("法律援助转介函", st.title),
        Paragraph(markup(data.legal_aid_centre, "legal_aid_centre") + "：", st.addressee),
        Paragraph(f"来访人{names}到本机关反映{markup(data.kind_label, 'kind')}方面的问题："
                  f"{markup(data.summary.strip().rstrip('。'), 'summary')}。经参与接访的"
                  f"{markup(data.lawyer_org, 'lawyer_org')}{markup(data.lawyer, 'lawyer')}解答，"
                  f"来访人可能符合法律援助条件，现转介贵中心，请依照{markup(data.citation, 'citation')}审查办理。", st.body),
    ]
    if data.quote:
        story.append(Paragraph(markup(data.citation, "citation"), st.cite))
        story.append(Paragraph(markup(data.quote, "quote"), st.quote))
    rows = [
        ("查询码", markup(data.query_code, "query_code")),
        ("来访人", names),
        ("身份证号", "、".join(markup(x, "id") for x in data.ids_masked if x) or "—"),
        ("联系电话", "、".join(markup(x, "phone") for x in data.phones_masked if x) or "—"),
        ("法律意见", markup(data.advice, "advice")),
    ]
    story.append(D.spacer(0.3))
    story.append(D.boxed_table([[Paragraph(k, st.cell_head), Paragraph(v, st.cell)] for k, v in rows],
                               [28 * mm, D.BODY_W - 28 * mm], head=False))
    story.append(D.spacer(0.3))
    story.append(KeepTogether([_query_block(data.query_code, st, "办理结果请凭查询码 {code} 告知本机关。"),
                               D.SealBlock(data.office, D.cn_date(data.printed_at))]))
    return D.build_pdf([D.Section(story, D.PageDecor(_footer("法律援助转介函", data.operator, data.window, data.printed_at, data.query_code), True))],
                       title="法律援助转介函", author=data.office, subject=data.query_code)
