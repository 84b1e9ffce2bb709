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

* an article's text is quoted verbatim only when the citation is printable — status ``V``, ``printable``
  not false and a text present; V2 (secondary source), M and J citations are cited without quotation;
* every deadline is printed as a date, worded by its kind: the visitor's own period ("请于…前"), an outer time
  bar (never an invitation, printed only where it shortens an open period or has run out), the petition
  office's own duty (what the office will do) or another organ's duty; an expired period is never printed as
  open, and nothing is offered as open once the ordinary period or a bar has run out;
* 2005-regulation channels that 信访条例 21(1) does not accept tell the visitor to apply to the competent body;
  复议前置 (行政复议法 2023 art. 23) is explained with the 15 days to sue after the review decision (行政诉讼法 45);
* an organ's address and phone are printed only once an admin confirmed them;
* the stub's system notes are put into Chinese from their codes and parameters (never a field name);
* every piece of user text goes through ``fonts.markup`` (escaped; per-character fallback; MissingGlyph
  for an unprintable character — never a box);
* same data → same bytes (reportlab invariant mode); a reprint differs only in the 补打 mark and the
  print time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from xinfang_desk.printing import document as D
from xinfang_desk.printing import notice_templates as T
from xinfang_desk.printing.document import Paragraph
from xinfang_desk.printing.fonts import markup

Copy = Literal["visitor", "stub", "both"]
REGULATIONS = ("信访工作条例", "信访条例")
MAX_QUOTES_PER_CHANNEL = 1  # besides the articles the deadlines count from: an ordinary notice fits two pages
PRINTABLE_STATUSES = frozenset({"V"})  # V2 is a secondary source: cited, never quoted to a visitor


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
    confirmed: bool = True  # address and phone checked by an admin; unconfirmed ones are not printed


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
    issued_on: date | None = None  # 成文日期: the day the notice is issued (the service sets it; else received_at's)
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
                                 str(o.get("hours") or ""), bool(o.get("confirmed", False)))
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


def citations_text(cites: Sequence[Mapping[str, Any]], data: NoticeData) -> str:
    """Several citations as escaped markup, the instrument named once for a run of its articles:
    《中华人民共和国劳动争议调解仲裁法》（2007年版）第五条、第二十七条第一款、《信访工作条例》…"""
    parts: list[str] = []
    last: tuple[Any, Any] | None = None
    for c in cites:
        key = (c.get("instrument"), c.get("version"))
        whole = citation_text(c, data)
        if key == last and c.get("article"):
            whole = _ordinal(c.get("article"), "条") + _ordinal(c.get("paragraph"), "款") + _ordinal(c.get("item"), "项")
        parts.append(markup(whole, "citation"))
        last = key
    return "、".join(parts)


def quote_of(c: Mapping[str, Any]) -> str | None:
    """The verbatim article text to print, or None (M/J status, not printable, or no text)."""
    if str(c.get("status", "")).upper() not in PRINTABLE_STATUSES:
        return None
    if c.get("printable") is False:
        return None
    text = c.get("text")  # the engine embeds the catalogue's verbatim text (statutes.engine)
    return str(text) if text else None


# ----------------------------------------------------------------------------------- pieces


def _organ(ch: Mapping[str, Any], data: NoticeData) -> OrganInfo:
    detail = str(ch.get("organ_detail") or "").strip()
    if detail:  # the body the clerk named (e.g. where the matter is pending): its name; details not confirmed
        return OrganInfo(name=detail, confirmed=False)
    key = str(ch.get("organ") or "")
    if key in data.organs:
        return data.organs[key]
    return OrganInfo(name=str(ch.get("organ_name") or "有权处理的机关"), confirmed=False)


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


VERB_LED = ("申请", "请求", "提出", "提起", "直接", "就", "对", "报案", "投诉")
CLAUSE_LED = ("向", "不服")


# classifications stored before deadlines carried a kind (rule set 2026-11-27.1): the same tags by `what`
_LEGACY_KINDS = {"intake_transfer": "office_duty", "info_reply": "organ_duty", "reconsideration_absolute": "bar",
                 "lawsuit_absolute": "bar", "civil_cap": "bar", "public_order_limit": "bar", "labour_inspection": "bar"}


def _kind(dl: Mapping[str, Any]) -> str:
    return str(dl.get("kind") or _LEGACY_KINDS.get(str(dl.get("what") or ""), "open"))


def _open_sentence(dl: Mapping[str, Any], organ: OrganInfo, verb: str) -> str:
    """The visitor's own period: 请于…前… (or, expired, that it appears to have run out)."""
    label = str(dl.get("label_zh") or dl.get("label") or dl.get("what") or "")
    what = markup(label, "deadline.what")
    period = markup(cn_period(dl.get("period")), "deadline.period")
    start = markup(_start_text(dl.get("from")), "deadline.from")
    organ_m = markup(organ.name, "organ.name")
    last = dl.get("last_day")
    if not last:
        return D.fill(T.UNDATED, what=what, period=period, start=start or "有关日期", organ=organ_m)
    last_m = D.cn_date(last)
    if dl.get("expired"):
        return D.fill(T.EXPIRED, what=what, period=period, last_day=last_m)
    if label.startswith(CLAUSE_LED) and start:
        tpl, verb = T.OPEN_CLAUSE, ""
    else:
        tpl = T.OPEN if start else T.OPEN_NO_START
        if label.startswith(VERB_LED):
            verb = ""
        elif label.endswith("时效"):  # 民事诉讼时效: a noun; the act is to sue
            verb, what = "提起诉讼，", what
    return D.fill(tpl, last_day=last_m, organ=organ_m, verb=verb, what=what, period=period, start=start)


def _basis_text(dl: Mapping[str, Any], data: NoticeData) -> str:
    basis = dl.get("basis")
    return markup(citation_text(basis, data), "citation") if isinstance(basis, Mapping) else "有关规定"


def _bar_fields(bar: Mapping[str, Any], data: NoticeData) -> dict[str, str]:
    return {"basis": _basis_text(bar, data), "bar": markup(str(bar.get("label_zh") or bar.get("label") or ""), "deadline.what"),
            "bar_start": markup(_start_text(bar.get("from")), "deadline.from"),
            "bar_day": D.cn_date(bar["last_day"]), "period": markup(cn_period(bar.get("period")), "deadline.period")}


def _deadline_paragraphs(ch: Mapping[str, Any], organ: OrganInfo, tpl: T.NoticeTemplate, data: NoticeData) -> list[str]:
    """Every deadline of one channel, worded by its kind (see the module doc)."""
    dls = [d for d in ch.get("deadlines") or [] if isinstance(d, Mapping)]
    opens = [d for d in dls if _kind(d) == "open"]
    bars = [d for d in dls if _kind(d) == "bar" and d.get("last_day")]
    expired_bars = [b for b in bars if b.get("expired")]
    out: list[str] = []
    uncertain: list[str] = []
    organ_m = markup(organ.name, "organ.name")
    for dl in dls:
        kind = _kind(dl)
        if kind == "office_duty":
            action = D.fill(tpl.office_action or "依法办理您反映的事项", organ=organ_m)
            if dl.get("last_day") and not dl.get("expired"):
                out.append(D.fill(T.OFFICE_DUTY, basis=_basis_text(dl, data), last_day=D.cn_date(dl["last_day"]),
                                  action=action))
            else:
                out.append(D.fill(T.OFFICE_DUTY_UNDATED, basis=_basis_text(dl, data), action=action))
        elif kind == "organ_duty":
            if dl.get("last_day"):
                out.append(D.fill(T.ORGAN_DUTY, basis=_basis_text(dl, data),
                                  what=markup(str(dl.get("label_zh") or dl.get("label") or ""), "deadline.what"),
                                  start=markup(_start_text(dl.get("from")), "deadline.from"),
                                  last_day=D.cn_date(dl["last_day"])))
        elif kind == "open":
            if expired_bars and not dl.get("expired"):
                continue  # a bar has run out: nothing in this channel is offered as open
            shorter = [b for b in bars if not b.get("expired") and not dl.get("expired") and dl.get("last_day")
                       and date.fromisoformat(str(b["last_day"])) < date.fromisoformat(str(dl["last_day"]))]
            if shorter:  # the outer bar ends first: the period is told without its (later) last day
                bar = min(shorter, key=lambda b: str(b["last_day"]))
                out.append(D.fill(T.BAR_BEFORE_PERIOD, organ=organ_m,
                                  what=markup(str(dl.get("label_zh") or dl.get("label") or ""), "deadline.what"),
                                  own_period=markup(cn_period(dl.get("period")), "deadline.period"),
                                  start=markup(_start_text(dl.get("from")), "deadline.from"), **_bar_fields(bar, data)))
            else:
                out.append(_open_sentence(dl, organ, tpl.deadline_verb))
                if dl.get("calendar_certain") is False and dl.get("last_day") and not dl.get("expired"):
                    uncertain.append(D.cn_date(dl["last_day"]))
    for bar in expired_bars:
        if not any(d.get("expired") for d in opens) or not opens:
            out.append(D.fill(T.BAR_EXPIRED, **_bar_fields(bar, data)))
    if not opens:
        for bar in bars:
            if not bar.get("expired"):
                out.append(D.fill(T.BAR_ONLY, **_bar_fields(bar, data)))
    if uncertain:  # said once for the channel, after its last days
        out.append(D.fill(T.CALENDAR_UNCERTAIN, days="、".join(dict.fromkeys(uncertain)), organ=organ_m))
    return out


def _organ_lines(organ: OrganInfo, st: D.Styles, role: str = "") -> list[Flowable]:
    name = f"{organ.name}（{role}）" if role and role != organ.name else organ.name
    if organ.confirmed:
        rows = [("机关", name), ("地址", organ.address), ("电话", organ.phone), ("办公时间", organ.hours)]
    else:
        rows = [("机关", name), ("联系方式", T.UNCONFIRMED_ORGAN)]
    cells = [
        (Paragraph(label + "：", st.table_head), Paragraph(markup(value, f"organ.{label}"), st.table))
        for label, value in rows
        if value
    ]
    return [D.LabelRows(cells, [28 * mm, D.BODY_W - 2 * D.SIZE_BODY - 28 * mm], hAlign="RIGHT"), D.spacer(0.25)]


def template_for(ch: Mapping[str, Any]) -> T.NoticeTemplate:
    """The wording for a channel: by its decision, and under the 2005 regulation by the article it rests on
    (信访条例 21(1): not accepted, and told to apply to the competent body)."""
    decision = str(ch.get("decision", ""))
    if decision == "not_accepted" and any(
            c.get("instrument") == "信访条例" and c.get("article") == 21 for c in ch.get("citations") or []):
        return T.NOT_ACCEPTED_STATUTORY_2005
    tpl = T.TEMPLATES.get(decision)
    if tpl is None:
        raise ValueError(f"no notice template for decision {decision!r}")
    return tpl


def _heading(ch: Mapping[str, Any], tpl: T.NoticeTemplate) -> str:
    """A section heading that says which channel: the template's heading and the channel's own label."""
    label = str(ch.get("label_zh") or "").strip()
    if not label or label == tpl.heading or label.startswith(tpl.heading):
        return markup(label or tpl.heading, "channel.label")
    return markup(f"{tpl.heading}：{label}", "channel.label")


def _reconsideration_first(ch: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for n in ch.get("notes") or []:
        if isinstance(n, Mapping) and n.get("code") == "reconsideration_first":
            return n
    return None


def _channel_section(ch: Mapping[str, Any], data: NoticeData, st: D.Styles, numbered: int | None,
                     extra_quotes: int = MAX_QUOTES_PER_CHANNEL) -> list[Flowable]:
    tpl = template_for(ch)
    organ = _organ(ch, data)
    cites = list(ch.get("citations") or [])
    basis = citations_text(cites, data) or "有关规定"
    out: list[Flowable] = []
    if numbered is not None:
        out.append(Paragraph(f"{D.cn_number(numbered)}、{_heading(ch, tpl)}", st.heading))
    out.append(Paragraph(D.fill(tpl.body, organ=markup(organ.name, "organ.name"),
                                label=markup(str(ch.get("label_zh") or ch.get("label") or ""), "channel.label"), basis=basis), st.body))
    first = _reconsideration_first(ch)
    extra: list[Mapping[str, Any]] = []
    if first is not None:
        ncites = [c for c in first.get("citations") or [] if isinstance(c, Mapping)]
        art23 = [c for c in ncites if c.get("article") == 23] or [c for c in cites if c.get("article") == 23]
        art45 = [c for c in ncites if c.get("article") == 45]
        out.append(Paragraph(D.fill(
            T.RECONSIDERATION_FIRST, organ=markup(organ.name, "organ.name"),
            art23=markup(citation_text(art23[0], data), "citation") if art23 else "《中华人民共和国行政复议法》第二十三条",
            art45=markup(citation_text(art45[0], data), "citation") if art45 else "《中华人民共和国行政诉讼法》第四十五条"),
            st.body))
        extra = art23[:1] + art45[:1]
    for sentence in _deadline_paragraphs(ch, organ, tpl, data):
        out.append(Paragraph(sentence, st.body))
    out.extend(_organ_lines(organ, st, str(ch.get("organ_name") or "") if ch.get("organ_detail") else ""))
    picked = _key_citations(ch, extra_quotes)
    if extra:  # 复议前置: article 23(1) as a whole and 行政诉讼法 45 replace a single item of article 23
        arts = {(c.get("instrument"), c.get("article")) for c in extra}
        picked = [c for c in picked if (c.get("instrument"), c.get("article")) not in arts] + extra
    quoted = [(c, quote_of(c)) for c in picked]
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


def _key_citations(ch: Mapping[str, Any], extra: int = MAX_QUOTES_PER_CHANNEL) -> list[Mapping[str, Any]]:
    """The articles quoted in full for this channel: the ones its deadlines count from, and the first
    articles of the law that opens the statutory channel (or the regulation, when no other law is cited).
    Every citation stays named in the body text; quoting all of them would bury the visitor in pages."""
    cites = list(ch.get("citations") or [])

    def key(c: Mapping[str, Any]) -> tuple[Any, ...]:
        return (c.get("instrument"), c.get("version"), c.get("article"), c.get("paragraph"), c.get("item"))

    picked: list[Mapping[str, Any]] = []
    for dl in ch.get("deadlines") or []:
        if _kind(dl) != "open":
            continue
        basis = dl.get("basis")
        if isinstance(basis, Mapping) and basis.get("instrument") and key(basis) not in {key(p) for p in picked}:
            picked.append(basis)
    n_bases = len(picked)
    own_law = [c for c in cites if c.get("instrument") not in REGULATIONS] or cites
    for c in own_law:
        if len(picked) >= extra + n_bases:
            break
        if key(c) not in {key(p) for p in picked}:
            picked.append(c)
    return picked


STATUS_WORDS = {"V": "已核", "V2": "转引", "M": "未核", "J": "研判"}
KIND_WORDS = {"bar": "〔最长期限〕", "office_duty": "〔本机关办理期限〕", "organ_duty": "〔有关机关办理期限〕"}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def warning_text(w: object) -> str:
    """A system note for the stub, always in Chinese: from its msgid and parameters where the engine gave them
    (never the words of the language the clerk happened to use), dates as 2026年11月27日."""
    if not isinstance(w, Mapping):
        return str(w)
    if w.get("msgid"):
        from xinfang_desk.i18n.messages import render_message

        text = render_message(str(w["msgid"]), w.get("params") or {}, "zh_CN")
    else:
        text = str(w.get("message") or w.get("text") or "")
    return _ISO.sub(lambda m: f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日", text)


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
    main = [c for c in channels if str(c.get("decision", "")) != "legal_aid"] or list(channels)
    titles = set()
    for c in main:
        try:
            titles.add(template_for(c).title)
        except ValueError:
            return T.GENERIC_TITLE
    return titles.pop() if len(titles) == 1 else T.GENERIC_TITLE


def _visitor_story(data: NoticeData, st: D.Styles, extra_quotes: int = MAX_QUOTES_PER_CHANNEL) -> list[Flowable]:
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
        story.extend(_channel_section(ch, data, st, i if several else None, extra_quotes))
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
        try:
            tpl: T.NoticeTemplate | None = template_for(ch)
        except ValueError:
            tpl = None
        organ = _organ(ch, data)
        cites = "；".join(
            citation_text(c, data) + f"〔{STATUS_WORDS.get(str(c.get('status')), '未核实')}{'·引文' if quote_of(c) else ''}〕"
            for c in ch.get("citations") or []
        )
        dls = []
        for dl in ch.get("deadlines") or []:
            last = dl.get("last_day")
            state = "已届满" if dl.get("expired") else ("" if dl.get("calendar_certain", True) else "，节假日未定")
            kind = KIND_WORDS.get(_kind(dl), "")
            what = str(dl.get("label_zh") or dl.get("label") or "")
            if not what and not re.fullmatch(r"[a-z_]+", str(dl.get("what") or "")):
                what = str(dl.get("what") or "")
            dls.append(f"{what}{kind}：{D.cn_date(last) if last else '（无起算日）'}{'（' + state.lstrip('，') + '）' if state else ''}")
        label = tpl.heading if tpl else str(ch.get("decision_label_zh") or "")
        if ch.get("label_zh"):
            label += f"（{ch.get('label_zh')}）"
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
            text = warning_text(w)
            if text:
                story.append(Paragraph("· " + markup(text, "warning"), st.cell))
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
    channels = list(data.classification.get("channels") or [])
    meta = {"title": _title_for(channels), "author": data.issuing_office, "subject": data.query_code}
    if copy in ("visitor", "both"):
        extra = MAX_QUOTES_PER_CHANNEL
        if extra and len(channels) == 1:  # an ordinary one-channel visitor's copy keeps to two pages where
            # dropping the optional quotations is enough
            decor = D.PageDecor(_footer(data, "告知书"), True, mark)
            alone = D.build_pdf([D.Section(_visitor_story(data, st, extra), decor)], **meta)
            if len(_PAGE.findall(alone)) > VISITOR_PAGES:
                shorter = D.build_pdf([D.Section(_visitor_story(data, st, 0), decor)], **meta)
                if len(_PAGE.findall(shorter)) <= VISITOR_PAGES:  # only where that is enough
                    extra, alone = 0, shorter
            if copy == "visitor":
                return alone
        sections.append(D.Section(_visitor_story(data, st, extra), D.PageDecor(_footer(data, "告知书"), True, mark)))
    if copy in ("stub", "both"):
        stub_mark = "存根 · 补打" if data.reprint else "存根"
        sections.append(D.Section(_stub_story(data, st), D.PageDecor(_footer(data, "存根"), False, stub_mark)))
    return D.build_pdf(sections, **meta)


VISITOR_PAGES = 2
_PAGE = re.compile(rb"/Type /Page\b(?!s)")
