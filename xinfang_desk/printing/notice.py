"""The guidance notice (告知书) and its stub (存根): PDF bytes from plain data (Qt-free, DB-free).

``render_notice(data, copy)`` lays out one notice per visit. The classification is the dict produced by
the channel engine (``xinfang_desk.statutes.engine.classify_document``)::

    {"regulation": {"instrument", "version"},
     "channels": [{"decision", "label", "organ",
                   "citations": [{"instrument", "version", "article", "paragraph", "item", "status",
                                  "text"?, "printable"?}],
                   "deadlines": [{"what", "period", "from", "last_day", "expired", "calendar_certain"}]}],
     "warnings": [...]}

Rules the printout keeps (tests check them):

* an article's text is quoted verbatim only when the citation is printable — status ``V`` or ``V2``,
  ``printable`` not false and a text present; M/J citations are printed as a bare citation;
* every deadline is printed as a date; an expired one is never printed as open;
* every piece of user text goes through ``fonts.markup`` (escaped; per-character fallback; MissingGlyph
  for an unprintable character — never a box);
* same data → same bytes (reportlab invariant mode); a reprint differs only in the 补打 mark and the
  print time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from xinfang_desk.printing import document as D
from xinfang_desk.printing import notice_templates as T
from xinfang_desk.printing.fonts import markup

Copy = Literal["visitor", "stub", "both"]
PRINTABLE_STATUSES = frozenset({"V", "V2"})


@dataclass(frozen=True)
class NoticeVisitor:
    name: str  # exactly as stored (rare characters, ·)
    id_masked: str = ""  # already masked by the caller, e.g. 110105********002X
    phone_masked: str = ""  # e.g. 138****5678


@dataclass(frozen=True)
class OrganInfo:
    name: str
    address: str = ""
    phone: str = ""
    hours: str = ""


@dataclass(frozen=True)
class NoticeData:
    query_code: str
    document_number: str  # e.g. 〔2026〕BN03-告字第0007号
    received_at: datetime  # aware
    window: str
    operator: str
    visitors: tuple[NoticeVisitor, ...]
    matter_kind_label: str
    matter_summary: str
    classification: Mapping[str, Any]
    organs: Mapping[str, OrganInfo]  # organ key (resources/organs.json) -> details
    issuing_office: str  # 发文机关署名, e.g. 某某区人民政府信访局
    printed_at: datetime  # aware
    reprint: bool = False  # 补打
    document_id: str = ""  # id of the printed-notice event
    template_version: str = T.TEMPLATE_VERSION
    rule_set_version: str = ""
    statute_version: str = ""
    issued_on: date | None = None  # 成文日期; default: the local date of received_at
    instrument_titles: Mapping[str, str] = field(default_factory=dict)  # instrument key -> 《…》 title
    seal_text: str = "印章处"  # the words in the seal area (the office sets them: 本单位 on the admin page)


def load_organs(path: Path | None = None) -> dict[str, OrganInfo]:
    """The organ directory (``resources/organs.json``: ``{"organs": [{"key", "name", "address", "phone",
    "hours"}]}``) as ``NoticeData.organs``. Services may build the mapping from their own store instead."""
    import json

    from xinfang_desk.paths import resource

    raw = json.loads((path or resource("organs.json")).read_text(encoding="utf-8"))
    return {
        str(o["key"]): OrganInfo(str(o.get("name", "")), str(o.get("address") or ""), str(o.get("phone") or ""),
                                 str(o.get("hours") or ""))
        for o in raw.get("organs", [])
    }


# ----------------------------------------------------------------------------------- citations


def _title(instrument: str, data: NoticeData) -> str:
    title = data.instrument_titles.get(instrument, instrument)
    title = title.strip()
    if not title.startswith("《"):
        title = f"《{title}》"
    return title


def _version(version: object) -> str:
    v = str(version or "").strip()
    if not v:
        return ""
    if len(v) == 4 and v.isdigit():
        return f"（{v}年版）"
    try:
        return f"（{D.cn_date(v)}起施行）"
    except ValueError:
        return f"（{v}）"


def _ordinal(value: object, unit: str) -> str:
    if value in (None, "", 0):
        return ""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        n = D.cn_number(int(value))
        return f"第{n}{unit}"
    s = str(value)
    return s if s.startswith("第") else f"第{s}{unit}"


def citation_text(c: Mapping[str, Any], data: NoticeData) -> str:
    """《信访工作条例》（2022年版）第三十五条第一款第二项 — plain text (not yet escaped)."""
    return (
        _title(str(c.get("instrument", "")), data)
        + _version(c.get("version"))
        + _ordinal(c.get("article"), "条")
        + _ordinal(c.get("paragraph"), "款")
        + _ordinal(c.get("item"), "项")
    )


def quote_of(c: Mapping[str, Any]) -> str | None:
    """The verbatim article text to print, or None (M/J status, not printable, or no text)."""
    if str(c.get("status", "")).upper() not in PRINTABLE_STATUSES:
        return None
    if c.get("printable") is False:
        return None
    text = c.get("text")
    if not text:
        text = _engine_quote(c)
    return str(text) if text else None


def _engine_quote(c: Mapping[str, Any]) -> str | None:
    """Ask the statutes package for the verbatim text when the engine did not embed it."""
    try:
        from xinfang_desk.statutes import quote  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        q = quote(c["instrument"], c.get("version"), c.get("article"), c.get("paragraph"), c.get("item"))
    except Exception:  # noqa: BLE001 — an unknown key is simply no quote
        return None
    if isinstance(q, Mapping):
        if q.get("printable") is False:
            return None
        q = q.get("text")
    return str(q) if q else None


# ----------------------------------------------------------------------------------- pieces


def _organ(ch: Mapping[str, Any], data: NoticeData) -> OrganInfo:
    key = str(ch.get("organ") or "")
    if key in data.organs:
        return data.organs[key]
    return OrganInfo(name=str(ch.get("organ_name") or key or "有权处理的机关"))


def _issued_on(data: NoticeData) -> date:
    return data.issued_on or D.as_date(data.received_at)


_PERIOD_UNITS = (("wd", "个工作日"), ("d", "日"), ("m", "个月"), ("y", "年"))


def cn_period(code: object) -> str:
    """The engine's period code in words: 15d → 15日, 20wd → 20个工作日, 6m → 6个月, 1y → 1年."""
    text = str(code or "")
    for suffix, words in _PERIOD_UNITS:
        if text.endswith(suffix) and text[: -len(suffix)].isdigit():
            return text[: -len(suffix)] + words
    return text


def _start_text(value: object) -> str:
    """The engine gives the start day as YYYY-MM-DD (written 2026年6月1日); other text is printed as given."""
    if not value:
        return ""
    try:
        return D.cn_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _deadline_sentence(dl: Mapping[str, Any], organ: OrganInfo, verb: str) -> str:
    what = markup(str(dl.get("label_zh") or dl.get("label") or dl.get("what") or ""), "deadline.what")
    period = markup(cn_period(dl.get("period")), "deadline.period")
    start = markup(_start_text(dl.get("from")), "deadline.from")
    organ_m = markup(organ.name, "organ.name")
    last = dl.get("last_day")
    if not last:
        return D.fill(T.UNDATED, what=what, period=period, start=start or "有关日期", organ=organ_m)
    last_m = D.cn_date(last)
    if dl.get("expired"):
        return D.fill(T.EXPIRED, what=what, period=period, last_day=last_m)
    tpl = T.OPEN if start else T.OPEN_NO_START
    s = D.fill(tpl, last_day=last_m, organ=organ_m, verb=verb, what=what, period=period, start=start)
    if dl.get("calendar_certain") is False:
        s += D.fill(T.CALENDAR_UNCERTAIN, organ=organ_m)
    return s


def _organ_lines(organ: OrganInfo, st: D.Styles) -> list[Flowable]:
    rows = [("机关", organ.name), ("地址", organ.address), ("电话", organ.phone), ("办公时间", organ.hours)]
    cells = [
        [Paragraph(label + "：", st.table_head), Paragraph(markup(value, f"organ.{label}"), st.table)]
        for label, value in rows
        if value
    ]
    return [D.LabelRows(cells, [28 * mm, D.BODY_W - 2 * D.SIZE_BODY - 28 * mm], hAlign="RIGHT"), D.spacer(0.25)]


def _channel_section(ch: Mapping[str, Any], data: NoticeData, st: D.Styles, numbered: int | None) -> list[Flowable]:
    decision = str(ch.get("decision", ""))
    tpl = T.TEMPLATES.get(decision)
    if tpl is None:
        raise ValueError(f"no notice template for decision {decision!r}")
    organ = _organ(ch, data)
    cites = list(ch.get("citations") or [])
    basis = "、".join(markup(citation_text(c, data), "citation") for c in cites) or "有关规定"
    out: list[Flowable] = []
    if numbered is not None:
        out.append(Paragraph(f"{D.cn_number(numbered)}、{tpl.heading}", st.heading))
    out.append(Paragraph(D.fill(tpl.body, organ=markup(organ.name, "organ.name"),
                                label=markup(str(ch.get("label_zh") or ch.get("label") or ""), "channel.label"), basis=basis), st.body))
    for dl in ch.get("deadlines") or []:
        out.append(Paragraph(_deadline_sentence(dl, organ, tpl.deadline_verb), st.body))
    out.extend(_organ_lines(organ, st))
    quoted = [(c, quote_of(c)) for c in _key_citations(ch)]
    if any(q for _, q in quoted):
        out.append(D.spacer(0.2))
        out.append(Paragraph("附：有关条文", st.cite))
        for c, q in quoted:
            if q:
                out.append(Paragraph(markup(citation_text(c, data), "citation"), st.cite))
                for piece in str(q).split("\n"):
                    if piece.strip():
                        out.append(Paragraph(markup(piece.strip(), "citation.text"), st.quote))
    return out


REGULATIONS = ("信访工作条例", "信访条例")
MAX_QUOTES_PER_CHANNEL = 2


def _key_citations(ch: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The articles quoted in full for this channel: the ones its deadlines count from, and the first
    articles of the law that opens the statutory channel (or the regulation, when no other law is cited).
    Every citation stays named in the body text; quoting all of them would bury the visitor in pages."""
    cites = list(ch.get("citations") or [])

    def key(c: Mapping[str, Any]) -> tuple[Any, ...]:
        return (c.get("instrument"), c.get("version"), c.get("article"), c.get("paragraph"), c.get("item"))

    picked: list[Mapping[str, Any]] = []
    for dl in ch.get("deadlines") or []:
        basis = dl.get("basis")
        if isinstance(basis, Mapping) and basis.get("instrument") and key(basis) not in {key(p) for p in picked}:
            picked.append(basis)
    own_law = [c for c in cites if c.get("instrument") not in REGULATIONS] or cites
    for c in own_law:
        if len(picked) >= MAX_QUOTES_PER_CHANNEL + len(ch.get("deadlines") or []):
            break
        if key(c) not in {key(p) for p in picked}:
            picked.append(c)
    return picked


def _names(data: NoticeData) -> str:
    return "、".join(markup(v.name, f"visitors[{i}].name") for i, v in enumerate(data.visitors))


def _footer(data: NoticeData, what: str) -> tuple[str, ...]:
    printed = D.cn_datetime(data.printed_at)
    line1 = (
        f"{what} · 文书ID {data.document_id or '—'} · 模板 {data.template_version or '—'} · "
        f"规则集 {data.rule_set_version or '—'} · 法规库 {data.statute_version or '—'}"
    )
    line2 = f"经办人 {data.operator} · 窗口 {data.window} · {'补打' if data.reprint else '打印'}于 {printed}"
    return (line1, line2)


def _query_block(data: NoticeData, st: D.Styles) -> Flowable:
    text = Paragraph(D.fill(T.QUERY, code=f"<b>{markup(data.query_code, 'query_code')}</b>"), st.small)
    qr = D.QRCode(data.query_code, 24 * mm)
    t = D.plain_table([[text, qr]], [D.BODY_W - 28 * mm, 28 * mm], valign="MIDDLE")
    t.setStyle([("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return t


def _title_for(channels: Sequence[Mapping[str, Any]]) -> str:
    decisions = [str(c.get("decision", "")) for c in channels]
    main = [d for d in decisions if d != "legal_aid"] or decisions
    if len(set(main)) == 1 and main[0] in T.TEMPLATES:
        return T.TEMPLATES[main[0]].title
    return T.GENERIC_TITLE


def _visitor_story(data: NoticeData, st: D.Styles) -> list[Flowable]:
    channels = list(data.classification.get("channels") or [])
    story: list[Flowable] = [
        Paragraph(markup(data.issuing_office, "issuing_office"), st.office),
        Paragraph(_title_for(channels), st.title),
        Paragraph(markup(data.document_number, "document_number"), st.docno),
        Paragraph(_names(data) + "：", st.addressee),
    ]
    reg = data.classification.get("regulation") or {}
    reg_text = citation_text({"instrument": reg.get("instrument", "信访工作条例"), "version": reg.get("version")}, data)
    intro = (
        f"您于{D.cn_date(data.received_at)}到本机关来访，反映"
        f"{markup(data.matter_kind_label, 'matter.kind')}方面的问题："
        f"{markup(data.matter_summary.strip().rstrip('。'), 'matter.summary')}。"
        f"本机关已依照{markup(reg_text, 'regulation')}予以登记。现将有关事项告知如下："
    )
    story.append(Paragraph(intro, st.body))
    several = len(channels) > 1
    for i, ch in enumerate(channels, start=1):
        story.extend(_channel_section(ch, data, st, i if several else None))
    story.append(Paragraph(T.NOT_A_SUBSTITUTE, st.body))
    story.append(D.spacer(0.3))
    story.append(_query_block(data, st))
    story.append(D.spacer(0.3))
    story.append(D.SealBlock(data.issuing_office, D.cn_date(_issued_on(data)), seal_label=data.seal_text or "印章处"))
    # keep the last paragraphs with the signature: the seal never stands alone on a page
    tail = story[-5:]
    return story[:-5] + [KeepTogether(tail)]


def _stub_story(data: NoticeData, st: D.Styles) -> list[Flowable]:
    channels = list(data.classification.get("channels") or [])
    story: list[Flowable] = [
        Paragraph(f"{_title_for(channels)}（存根）", st.title),
        Paragraph(markup(data.document_number, "document_number"), st.docno),
    ]
    info = [
        ("查询码", data.query_code),
        ("来访时间", D.cn_datetime(data.received_at)),
        ("窗口 / 经办人", f"{data.window} / {data.operator}"),
        ("事项类别", data.matter_kind_label),
        ("反映事项", data.matter_summary),
    ]
    rows: list[list[object]] = [
        [Paragraph(k, st.cell_head), Paragraph(markup(v, f"stub.{k}"), st.cell)] for k, v in info
    ]
    t = D.boxed_table(rows, [32 * mm, D.BODY_W - 32 * mm], head=False)
    story.append(t)
    story.append(D.spacer(0.3))
    vrows: list[list[object]] = [[Paragraph(h, st.cell_head) for h in ("信访人", "身份证号", "电话")]]
    for i, v in enumerate(data.visitors):
        vrows.append([Paragraph(markup(v.name, f"visitors[{i}].name"), st.cell),
                      Paragraph(markup(v.id_masked, f"visitors[{i}].id"), st.cell),
                      Paragraph(markup(v.phone_masked, f"visitors[{i}].phone"), st.cell)])
    story.append(D.boxed_table(vrows, [52 * mm, 60 * mm, D.BODY_W - 112 * mm]))
    story.append(D.spacer(0.3))
    crows: list[list[object]] = [[Paragraph(h, st.cell_head) for h in ("处理方式", "去向", "依据", "期限")]]
    for ch in channels:
        tpl = T.TEMPLATES.get(str(ch.get("decision", "")))
        organ = _organ(ch, data)
        cites = "；".join(
            citation_text(c, data) + f"〔{c.get('status', '?')}{'·引文' if quote_of(c) else ''}〕"
            for c in ch.get("citations") or []
        )
        dls = []
        for dl in ch.get("deadlines") or []:
            last = dl.get("last_day")
            state = "已届满" if dl.get("expired") else ("" if dl.get("calendar_certain", True) else "，节假日未定")
            dls.append(f"{dl.get('label_zh') or dl.get('label') or dl.get('what', '')}：{D.cn_date(last) if last else '（无起算日）'}{'（' + state.lstrip('，') + '）' if state else ''}")
        label = (tpl.heading if tpl else str(ch.get("decision")))
        if ch.get("label_zh") or ch.get("label"):
            label += f"（{ch.get('label_zh') or ch.get('label')}）"
        crows.append([Paragraph(markup(label, "channel.label"), st.cell),
                      Paragraph(markup(organ.name, "organ.name"), st.cell),
                      Paragraph(markup(cites, "citation"), st.cell),
                      Paragraph("<br/>".join(markup(x, "deadline") for x in dls) or "—", st.cell)])
    story.append(D.boxed_table(crows, [30 * mm, 34 * mm, 58 * mm, D.BODY_W - 122 * mm]))
    warnings = [w for w in data.classification.get("warnings") or []]
    if warnings:
        story.append(D.spacer(0.3))
        story.append(Paragraph("系统提示：", st.cell_head))
        for w in warnings:
            text = w.get("message") or w.get("text") or w.get("code") if isinstance(w, Mapping) else w
            story.append(Paragraph("· " + markup(str(text), "warning"), st.cell))
    story.append(D.spacer(0.6))
    story.append(Paragraph(T.STUB_RECEIPT, st.small))
    story.append(D.spacer(0.3))
    story.append(_query_block(data, st))
    return story


def render_notice(data: NoticeData, copy: Copy = "both") -> bytes:
    """The notice as PDF bytes: the visitor's copy, the stub (存根, on its own page), or both."""
    if copy not in ("visitor", "stub", "both"):
        raise ValueError(f"copy must be 'visitor', 'stub' or 'both', not {copy!r}")
    if data.received_at.tzinfo is None or data.printed_at.tzinfo is None:
        raise ValueError("received_at and printed_at must be aware datetimes")
    st = D.make_styles()
    sections = []
    mark = "补打" if data.reprint else ""
    if copy in ("visitor", "both"):
        sections.append(D.Section(_visitor_story(data, st), D.PageDecor(_footer(data, "告知书"), True, mark)))
    if copy in ("stub", "both"):
        stub_mark = "存根 · 补打" if data.reprint else "存根"
        sections.append(D.Section(_stub_story(data, st), D.PageDecor(_footer(data, "存根"), False, stub_mark)))
    channels = list(data.classification.get("channels") or [])
    return D.build_pdf(sections, title=_title_for(channels), author=data.issuing_office, subject=data.query_code)
