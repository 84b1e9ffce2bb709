"""For each decision the engine can reach, a real registration's notice names the instrument and article,
quotes the article verbatim (only V/V2 texts), names the organ and gives each open deadline as a date.
The two decisions no rule proposes (assign, accept_handle) are reached by a clerk's override."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.integration.conftest_reg import WINDOW  # noqa: F401  (fixtures come from the plugin below)
from xinfang_desk.printing import notice_templates as T
from xinfang_desk.printing.notice import _key_citations, quote_of
from xinfang_desk.services.classification import Override
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
from xinfang_desk.statutes.catalogue import default_catalogue
from xinfang_desk.statutes.textparse import int_to_cn

pytest_plugins = ["tests.integration.conftest_reg"]

CASES = {  # decision -> (kind, received_on, facts)
    "proper_level": ("intake.wrong_level", "2026-11-20", {}),
    "not_accepted": ("intake.pending_elsewhere", "2026-11-20", {"pending_with": "区住房和城乡建设局",
                                                                "pending_since": "2026-11-01"}),
    "review": ("review.disagree_reply", "2026-11-20", {"reply_received_on": "2026-11-10"}),
    "recheck": ("review.disagree_review", "2026-11-20", {"review_received_on": "2026-11-10"}),
    "no_longer_accepted": ("review.after_recheck", "2026-11-20", {}),
    "transfer_political_legal": ("litigation.in_court", "2026-11-20", {"litigation_status": "judged",
                                                                        "judgment_served_on": "2026-11-18"}),
    "transfer_discipline": ("accusation.official", "2026-11-20", {}),
    "statutory_channel": ("labour.dispute", "2026-11-20", {"act_known_on": "2026-06-01"}),
    "transfer": ("request.district_dept", "2026-11-20", {}),
    "legal_aid": ("labour.wage_arrears", "2026-11-20", {"economic_hardship": True, "aid_waiver": "migrant_wages",
                                                        "employment_ongoing": False, "employment_ended_on": "2026-10-01"}),
    "inform_other_body": ("other_branch", "2021-08-15", {}),
}


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def _title(instrument: str) -> str:
    return default_catalogue().instrument(instrument).full_title


@pytest.mark.parametrize("decision", sorted(CASES))
def test_notice_for_decision(decision: str, sv, clerk: Actor) -> None:
    kind, received, facts = CASES[decision]
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("欧阳娜娜", "11010519491231002X", "13812345678"),),
        MatterInput(kind, "来访人反映的事项摘要", "诉求", "某单位", facts), received_on=dt.date.fromisoformat(received)))
    channel = next(c for c in res.classification["channels"] if c["decision"] == decision)
    text = _flat(sv.notices.print_notice(clerk, res.query_code, copy="visitor").pdf)
    assert re.sub(r"\s+", "", T.TEMPLATES[decision].title) in text or re.sub(r"\s+", "", T.TEMPLATES[decision].heading) in text
    cites = channel["citations"]
    assert cites, "every engine channel cites an article"
    for c in cites:
        assert _title(c["instrument"]) in text
        assert f"第{int_to_cn(c['article'])}条" in text
    quoted = [c for c in _key_citations(channel) if quote_of(c)]
    assert quoted, "at least one article is quoted verbatim"
    for c in quoted:
        assert re.sub(r"\s+", "", c["text"])[:30] in text
    for c in cites:
        if c["status"] in ("M", "J"):
            assert re.sub(r"\s+", "", c["text"] or "")[:30] not in text or not c["text"]
    if channel.get("organ_name"):
        assert re.sub(r"\s+", "", channel["organ_name"]) in text
    for d in channel["deadlines"]:
        last = dt.date.fromisoformat(d["last_day"])
        cn = f"{last.year}年{last.month}月{last.day}日"
        assert cn in text
        if d["expired"]:
            assert f"请于{cn}前" not in text
    assert "信访不能代替法定程序" in text and res.query_code in text


@pytest.mark.parametrize("decision", ["assign", "accept_handle"])
def test_notice_for_override_only_decisions(decision: str, sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("周敏"),), MatterInput("request.district_dept", "小区供水管网老化", "改造管网", "区水务局"),
        override=Override(decision, "petition_bureau", "区领导批示交办，要求反馈办理结果")))
    text = _flat(sv.notices.print_notice(clerk, res.query_code, copy="visitor").pdf)
    tpl = T.TEMPLATES[decision]
    assert re.sub(r"\s+", "", tpl.title) in text or re.sub(r"\s+", "", tpl.heading) in text
    organ = next(o for o in sv.reference.organs() if o.key == "petition_bureau")
    assert re.sub(r"\s+", "", organ.name) in text
