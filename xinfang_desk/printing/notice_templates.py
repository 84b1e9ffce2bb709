"""The 告知书 texts, one per decision code of matter-kinds.md — data, not code.

Printed notices are official documents and are always in Chinese, whatever the UI language; they are
therefore plain text here, not gettext msgids. Placeholders (filled with escaped markup only):
``{organ}`` the organ's name, ``{label}`` the channel label from the engine, ``{basis}`` the citations
("《信访工作条例》第三十五条第一款"). Numbers of days are never written here: every time limit is printed
from the engine's computed deadlines, as a date.

Bump TEMPLATE_VERSION whenever a text changes: it is printed in the provenance footer and stored with
the printed-notice event, so a reprint can say which wording the visitor received.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_VERSION = "notice-2026.1"


@dataclass(frozen=True)
class NoticeTemplate:
    title: str  # title of a notice whose (first) channel has this decision
    heading: str  # heading of this channel's section when a notice has several channels
    body: str  # one paragraph; our markup + placeholders
    deadline_verb: str = "提出"  # "请于…前向{organ}{verb}{what}"


TEMPLATES: dict[str, NoticeTemplate] = {
    "transfer": NoticeTemplate(
        title="信访事项登记转送告知书",
        heading="登记转送",
        body="经审查，您反映的事项属于{organ}的职责范围。依照{basis}的规定，本机关已予登记，"
        "并将依法转送{organ}处理。{organ}将书面告知您是否受理；请您注意查收，并可凭查询码查询办理情况。",
    ),
    "assign": NoticeTemplate(
        title="信访事项交办告知书",
        heading="登记交办",
        body="经审查，您反映的事项属于{organ}的职责范围。依照{basis}的规定，本机关已予登记，"
        "并将该事项交办{organ}办理，要求其在规定期限内反馈办理结果、提交办结报告。",
    ),
    "statutory_channel": NoticeTemplate(
        title="导入法定程序的引导告知书",
        heading="依法导入法定程序",
        body="经审查，您反映的事项依法应当通过{label}等法定途径解决。依照{basis}的规定，"
        "请您向{organ}依法提出。",
    ),
    "transfer_political_legal": NoticeTemplate(
        title="涉法涉诉信访事项引导告知书",
        heading="涉法涉诉事项",
        body="经审查，您反映的事项属于涉法涉诉事项，应当依照法律程序解决。依照{basis}的规定，"
        "本机关已予登记，向您释明有关法律规定，并引导您向{organ}依法提出（{label}）。",
    ),
    "transfer_discipline": NoticeTemplate(
        title="检举控告事项转送告知书",
        heading="检举控告事项",
        body="您反映的事项涉及对党员、公职人员的检举控告。依照{basis}的规定，本机关已予登记，"
        "并将按照管理权限转送{organ}处理。检举控告人的信息依规予以保密。",
    ),
    "accept_handle": NoticeTemplate(
        title="信访事项受理告知书",
        heading="受理办理",
        body="经审查，您反映的事项依照{basis}的规定由{organ}受理办理。{organ}将依法调查核实，"
        "并出具书面信访处理意见。",
    ),
    "not_accepted": NoticeTemplate(
        title="信访事项不予受理告知书",
        heading="不予受理",
        body="经查，您反映的同一事项已由{organ}受理或者正在办理。依照{basis}的规定，"
        "在规定期限内本机关对该事项不予受理。请您向{organ}了解办理情况。",
        deadline_verb="了解",
    ),
    "no_longer_accepted": NoticeTemplate(
        title="信访事项不再受理告知书",
        heading="不再受理",
        body="经查，您反映的事项已经复核。您对复核意见不服，仍以同一事实和理由提出投诉请求，"
        "依照{basis}的规定，本机关不再受理。",
    ),
    "proper_level": NoticeTemplate(
        title="信访事项引导告知书",
        heading="到有权处理的机关提出",
        body="您反映的事项，应当向依法有权处理的本级或者上一级机关、单位设立或者指定的接待场所提出。"
        "依照{basis}的规定，请您到{organ}提出。",
    ),
    "review": NoticeTemplate(
        title="请求复查告知书",
        heading="请求复查",
        body="您对信访处理意见不服的，可以依照{basis}的规定，自收到书面答复之日起在规定期限内"
        "请求{organ}复查。",
        deadline_verb="请求",
    ),
    "recheck": NoticeTemplate(
        title="请求复核告知书",
        heading="请求复核",
        body="您对复查意见不服的，可以依照{basis}的规定，自收到书面答复之日起在规定期限内"
        "向{organ}请求复核。",
        deadline_verb="请求",
    ),
    "inform_other_body": NoticeTemplate(
        title="信访事项告知书",
        heading="向有关机关提出",
        body="您反映的事项属于{organ}的职权范围。依照{basis}的规定，请您向{organ}提出。",
    ),
    "legal_aid": NoticeTemplate(
        title="法律援助告知书",
        heading="法律援助",
        body="如您因经济困难等原因没有委托代理人，可以依照{basis}的规定向{organ}申请法律援助。",
        deadline_verb="申请",
    ),
}

GENERIC_TITLE = "信访事项告知书"

# Fixed sentences (J: channels.md §3 case 7 — advice wording, not a quotation).
NOT_A_SUBSTITUTE = "信访不能代替法定程序。请您在法定期限内依法提出，以免影响您的权利。"
EXPIRED = (
    "依照上述规定，{what}的期限（{period}）看来已于{last_day}届满。期限是否确已届满、是否存在中止、中断等情形，"
    "请您尽快咨询律师或者法律援助机构；本告知书不表示该途径仍然可行。"
)
OPEN = "请于{last_day}前向{organ}{verb}{what}（期限{period}，自{start}起计算；{last_day}当日仍可提出）。"
OPEN_NO_START = "请于{last_day}前向{organ}{verb}{what}（期限{period}；{last_day}当日仍可提出）。"
UNDATED = "{what}的期限为{period}，自{start}起计算；因缺少起算日期，具体截止日期请向{organ}确认。"
CALENDAR_UNCERTAIN = "（该日期按周末推算，尚未计入当年节假日安排；如截止日遇法定节假日依法顺延，请以{organ}意见为准。）"
QUERY = "查询码：{code}。您可以凭查询码到本接待大厅窗口或者通过电话查询办理情况。"
STUB_RECEIPT = "告知书已当面交付。信访人签收：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿＿＿"
