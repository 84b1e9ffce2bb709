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

TEMPLATE_VERSION = "2026.2"  # printed in the footer as 模板 2026.2


@dataclass(frozen=True)
class NoticeTemplate:
    title: str  # title of a notice whose (first) channel has this decision
    heading: str  # heading of this channel's section when a notice has several channels
    body: str  # one paragraph; our markup + placeholders
    deadline_verb: str = "提出"  # "请于…前向{organ}{verb}{what}" when the deadline's label is a noun
    office_action: str = ""  # what the petition office itself will do within its own time limit (信访工作条例 22)


TEMPLATES: dict[str, NoticeTemplate] = {
    "transfer": NoticeTemplate(
        title="信访事项登记转送告知书",
        heading="登记转送",
        body="经审查，您反映的事项属于{organ}的职责范围。依照{basis}的规定，本机关已予登记，"
        "并将依法转送{organ}处理。{organ}将书面告知您是否受理；请您注意查收，并可凭查询码查询办理情况。",
        office_action="将您反映的事项转送{organ}",
    ),
    "assign": NoticeTemplate(
        title="信访事项交办告知书",
        heading="登记交办",
        body="经审查，您反映的事项属于{organ}的职责范围。依照{basis}的规定，本机关已予登记，"
        "并将该事项交办{organ}办理，要求其在规定期限内反馈办理结果、提交办结报告。",
        office_action="将该事项交办{organ}",
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
        office_action="将您反映的事项转送{organ}",
    ),
    "transfer_discipline": NoticeTemplate(
        title="检举控告事项转送告知书",
        heading="检举控告事项",
        body="您反映的事项涉及对党员、公职人员的检举控告。依照{basis}的规定，本机关已予登记，"
        "并将按照管理权限转送{organ}处理。检举控告人的信息依规予以保密。",
        office_action="按照管理权限将您反映的事项转送{organ}",
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

# 信访条例 (2005) 第二十一条第一款: a matter that has been or must be resolved by litigation, arbitration,
# administrative reconsideration or another statutory procedure is not accepted, "但应当告知信访人依照有关法律、
# 行政法规规定程序向有关机关提出". Every channel the 2005 rules map to `not_accepted` on that article uses this text.
NOT_ACCEPTED_STATUTORY_2005 = NoticeTemplate(
    title="信访事项不予受理告知书",
    heading="不予受理并告知法定途径",
    body="经审查，您反映的事项已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决。依照{basis}的规定，"
    "本机关对该事项不予受理。请您依照有关法律、行政法规规定的程序，向{organ}提出（{label}）。",
)

GENERIC_TITLE = "信访事项告知书"

# Fixed sentences (J: channels.md §3 case 7 — advice wording, not a quotation).
NOT_A_SUBSTITUTE = "信访不能代替法定程序。请您在法定期限内依法提出，以免影响您的权利。"
EXPIRED = (
    "依照上述规定，{what}的期限（{period}）看来已于{last_day}届满。期限是否确已届满、是否存在中止、中断等情形，"
    "请您尽快咨询律师或者法律援助机构；本告知书不表示该途径仍然可行。"
)
OPEN = "请于{last_day}前向{organ}{verb}{what}（期限{period}，自{start}起计算；{last_day}当日仍可提出）。"
OPEN_NO_START = "请于{last_day}前向{organ}{verb}{what}（期限{period}；{last_day}当日仍可提出）。"
# the deadline's label is a whole clause that names the body itself ("不服…裁决向人民法院起诉")
OPEN_CLAUSE = "请于{last_day}前{what}（期限{period}，自{start}起计算；{last_day}当日仍可提出）。"
# an outer time bar (行政复议法 21, 行政诉讼法 46(2), 民法典 188(2) …) is never a deadline to act by
BAR_BEFORE_PERIOD = (
    "{what}：期限{own_period}，自{start}起计算。但依照{basis}的规定，{bar}自{bar_start}起计算，至{bar_day}届满；"
    "该日以后提出的，有关机关依法不予受理或者不予保护。请您尽早向{organ}提出。"
)
BAR_EXPIRED = (
    "依照{basis}的规定，{bar}（{period}，自{bar_start}起计算）看来已于{bar_day}届满。"
    "是否确已届满，请您尽快咨询律师或者法律援助机构；本告知书不表示该途径仍然可行。"
)
BAR_ONLY = "依照{basis}的规定，{bar}（{period}，自{bar_start}起计算），按此计算至{bar_day}届满。请您尽早提出。"
# the petition office's own time limit: told as what the office will do, never as the visitor's deadline
OFFICE_DUTY = "本机关将依照{basis}的规定，于{last_day}前{action}。"
OFFICE_DUTY_UNDATED = "本机关将依照{basis}的规定{action}。"
# another organ's time limit (政府信息公开条例 33): what that organ must do, not the visitor's deadline
ORGAN_DUTY = "依照{basis}的规定，{what}；自{start}起计算，至{last_day}届满。这是有关机关的办理期限，不是您的期限。"
# 行政复议法 (2023) 第二十三条 (复议前置) and 行政诉讼法 第四十五条 (15 days after the review decision)
RECONSIDERATION_FIRST = (
    "依照{art23}的规定，您反映的行政行为属于应当先申请行政复议的情形：请您先向{organ}申请行政复议，"
    "不能直接向人民法院提起行政诉讼。对行政复议决定不服的，可以依照{art45}的规定，自收到行政复议决定书之日起"
    "十五日内向人民法院提起行政诉讼；行政复议机关逾期不作决定的，自复议期满之日起十五日内提起诉讼。"
)
UNCONFIRMED_ORGAN = "具体地址和电话请向本机关咨询"
UNDATED = "{what}的期限为{period}，自{start}起计算；因缺少起算日期，具体截止日期请向{organ}确认。"
CALENDAR_UNCERTAIN = "{days}按周末推算，尚未计入当年节假日安排；如遇法定节假日依法顺延，以{organ}意见为准。"
QUERY = "查询码：{code}。您可以凭查询码到本接待大厅窗口或者通过电话查询办理情况。"
STUB_RECEIPT = "告知书已当面交付。信访人签收：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿＿＿"
