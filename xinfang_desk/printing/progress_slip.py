"""The progress slip (办理进度查询单) handed to a visitor who asks how their matter is going (信访工作条例 18:
the office publishes how to query progress). Plain Chinese, masked, in the notices' printing style.

`slip_lines(view)` gives the same content as text lines (for the CLI and the GUI preview)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xinfang_desk.domain.progress import ACT_LABELS_ZH, STATE_LABELS_ZH
from xinfang_desk.printing import cntext as C

OUT_OF_ORDER_ZH = "（与前序办理环节不符，待核对）"


def _mask_name(name: str) -> str:
    chars = list(name)
    if len(chars) <= 1:
        return name
    return chars[0] + "*" * (len(chars) - 2) + chars[-1] if len(chars) > 2 else chars[0] + "*"


def _basis(d: Any) -> str:
    para = f"第{C.cn_number(d.paragraph)}款" if d.paragraph else ""
    return f"《{d.instrument}》第{C.cn_number(d.article)}条{para}"


def step_text(s: Any) -> str:
    parts = [C.cn_date(s.occurred_on), ACT_LABELS_ZH.get(s.state, s.state)]
    if s.organ:
        parts.append(s.organ)
    if s.document:
        parts.append(f"（{s.document}）")
    text = "　".join(parts[:3]) + "".join(parts[3:])
    if s.note:
        text += f"；{s.note}"
    if s.out_of_order:
        text += OUT_OF_ORDER_ZH
    return text


def duty_text(d: Any) -> str:
    """The office's own pending duty, never shown as open once its last day has passed."""
    if d is None:
        return ""
    period = d.period[:-1] + "日" if d.period.endswith("d") else d.period
    base = f"依照{_basis(d)}，本事项应自{C.cn_date(d.since)}起{period}内{d.duty_label_zh.replace('登记后', '').replace('受理后', '')}，"
    if d.overdue:
        return base + f"期限已于{C.cn_date(d.last_day)}届满，本机关将督促办理并向您说明情况。"
    return base + f"最后一日为{C.cn_date(d.last_day)}。"


def slip_lines(v: Any) -> list[str]:
    names = "、".join(_mask_name(n) for n in v.names)
    ids = "、".join(i for i in v.ids_masked if i)
    lines = [
        f"查询码：{v.query_code}",
        f"登记日期：{C.cn_date(v.received_on)}　来访人：{names}" + (f"（身份证号 {ids}）" if ids else ""),
        f"事项类别：{v.kind_label}",
        f"当前状态：{STATE_LABELS_ZH.get(v.state, v.state)}（自{C.cn_date(v.since)}）",
        "办理经过：",
        f"　{C.cn_date(v.received_on)}　登记",
        *[f"　{step_text(s)}" for s in v.steps],
    ]
    dt_ = duty_text(v.duty)
    if dt_:
        lines.append(dt_)
    return lines


def render_slip(views: Sequence[Any], *, office: str, printed_at: Any = None) -> bytes:
    import datetime as dt

    from reportlab.lib.units import mm  # here, not at the top: the text of `slip_lines` needs no reportlab

    from xinfang_desk.printing import document as D

    st = D.make_styles()
    printed_at = printed_at or dt.datetime.now(dt.UTC)
    story: list[Any] = [D.para(D.user(office), st.office), D.para("信访事项办理进度查询单", st.title), D.spacer(0.3)]
    for i, v in enumerate(views):
        if i:
            story.append(D.spacer(0.6))
        rows = []
        for label, value in (("查询码", v.query_code), ("登记日期", D.cn_date(v.received_on)),
                             ("来访人", "、".join(_mask_name(n) for n in v.names)),
                             ("身份证号", "、".join(x for x in v.ids_masked if x) or "—"), ("事项类别", v.kind_label),
                             ("当前状态", f"{STATE_LABELS_ZH.get(v.state, v.state)}（自{D.cn_date(v.since)}）")):
            rows.append((D.para(label + "：", st.table_head), D.para(D.user(value), st.table)))
        story.append(D.LabelRows(rows, (30 * mm, D.BODY_W - 30 * mm)))
        story.append(D.spacer(0.3))
        table = [[D.para("日期", st.cell_head), D.para("办理环节", st.cell_head), D.para("机关、文书及说明", st.cell_head)],
                 [D.para(D.cn_date(v.received_on), st.cell), D.para("登记", st.cell), D.para(D.user(office), st.cell)]]
        for s in v.steps:
            detail = "".join(x for x in (s.organ, f"（{s.document}）" if s.document else "", f"；{s.note}" if s.note else "",
                                         OUT_OF_ORDER_ZH if s.out_of_order else ""))
            table.append([D.para(D.cn_date(s.occurred_on), st.cell), D.para(ACT_LABELS_ZH.get(s.state, s.state), st.cell),
                          D.para(D.user(detail or "—"), st.cell)])
        story.append(D.boxed_table(table, (34 * mm, 26 * mm, D.BODY_W - 60 * mm)))
        if v.duty is not None:
            story.append(D.spacer(0.3))
            story.append(D.para(D.user(duty_text(v.duty)), st.small))
    story.append(D.spacer(0.5))
    story.append(D.para("如对办理情况有疑问，可凭查询码向本机关信访接待场所或公布的查询电话询问。", st.small))
    story.append(D.SealBlock(office, D.cn_date(printed_at)))
    foot = f"查询时间 {D.cn_datetime(printed_at)}；本单由 xinfang-desk 生成，身份证号已作遮蔽处理。"
    return D.build_pdf([D.Section(story, D.PageDecor(footer_lines=(foot,)))], title="信访事项办理进度查询单",
                       author=office)
