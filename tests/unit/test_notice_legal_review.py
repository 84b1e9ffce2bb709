"""What a lawyer's review of the printed notices found (issue 8, items 1–5), read from the notice's text as
pypdf extracts it, for matters classified by the real engine; and the sweep over every channels.md row and
tricky case: no "请于…前" date on a notice is an outer bar, an office duty, or a period that has run out."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.unit import test_rules_channels as rows
from tests.unit.notice_from_engine import classify, cn, flat, notice_data, pages, stub_text, visitor_text
from xinfang_desk.printing.notice import render_notice

ADMIN = {"act_type": "other", "respondent_level": "district_dept", "rights_notice_given": True, "real_property": False}


# ------------------------------------------------------------------ 1. outer time bars are not deadlines


def test_bar_that_ends_before_the_ordinary_period_is_printed_as_a_bar_not_as_a_deadline() -> None:
    # known a week ago, made almost five years ago: 行政复议法 (2023) 21 / 行政诉讼法 46(2) end on 2026-12-01,
    # before the 60 days (2027-01-19) and the 6 months (2027-05-20)
    r = classify("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-11-20", "act_made_on": "2021-12-01"})
    bar = [d for ch in r["channels"] for d in ch["deadlines"] if d["what"].endswith("_absolute")]
    assert {d["last_day"] for d in bar} == {"2026-12-01"}
    text = visitor_text(r)
    assert "请于2026年12月1日前" not in text  # the bar is not an invitation …
    assert "请于2027年1月19日前" not in text  # … and the later ordinary day is not offered as open
    assert "请于2027年5月20日前" not in text
    assert "至2026年12月1日届满" in text and "不予受理" in text
    assert "第二十一条" in text and "第四十六条第二款" in text
    assert {d.get("kind") for d in bar} == {"bar"}


def test_bar_is_never_offered_once_the_ordinary_periods_ran_out() -> None:
    # the review's case: 60 days and 6 months over, the five-year bar (2031) still printed as "请于…前"
    r = classify("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-01-10", "act_made_on": "2026-01-05"})
    assert [ch["id"] for ch in r["channels"]] == ["expired"]
    bars = [d for d in r["channels"][0]["deadlines"] if d["what"].endswith("_absolute")]
    assert bars and all(not d["expired"] for d in bars)
    text = visitor_text(r)
    for d in bars:
        assert cn(d["last_day"]) not in text
    assert "请于" not in text
    assert "已于2026年3月11日届满" in text and "已于2026年7月10日届满" in text


def test_a_bar_that_has_run_out_closes_an_ordinary_period_that_has_not() -> None:
    # known yesterday, but the act was made six years ago: nothing may be offered as open
    r = classify("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-11-26", "act_made_on": "2020-10-01"})
    text = visitor_text(r)
    assert "请于" not in text
    assert "已于2025年10月9日届满" in text or "已于2025年10月" in text
    assert "律师" in text


# ------------------------------------------------------------------ 2. the office's own duties


def test_the_offices_transfer_duty_is_what_the_office_will_do_not_the_visitors_deadline() -> None:
    r = classify("2026-11-20", "request.district_dept", {})
    duty = [d for ch in r["channels"] for d in ch["deadlines"] if d["what"] == "intake_transfer"]
    day = cn(duty[0]["last_day"])
    text = visitor_text(r)
    assert f"请于{day}前" not in text
    assert "提出信访部门登记并转送" not in text
    assert f"本机关将依照《信访工作条例》（2022年版）第二十二条第一款的规定，于{day}前将您反映的事项转送" in text
    assert duty[0].get("kind") == "office_duty"


def test_a_classification_stored_before_deadline_kinds_prints_the_same() -> None:
    r = classify("2026-11-20", "request.district_dept", {})
    for ch in r["channels"]:
        for d in ch["deadlines"]:
            del d["kind"]  # as stored by rule set 2026-11-27.1
    text = visitor_text(r)
    assert "请于" not in text and "本机关将依照" in text


def test_discipline_transfer_duty_told_as_the_offices_act() -> None:
    r = classify("2026-11-20", "accusation.official", {})
    text = visitor_text(r)
    assert "请于" not in text
    assert "本机关将依照" in text and "按照管理权限将您反映的事项转送" in text


def test_another_organs_duty_is_not_the_visitors_deadline() -> None:
    r = classify("2026-11-27", "gov_info", {"info_applied_on": "2026-11-20", "act_known_on": "2026-11-20"})
    duty = [d for ch in r["channels"] for d in ch["deadlines"] if d["what"] == "info_reply"]
    text = visitor_text(r)
    assert f"请于{cn(duty[0]['last_day'])}前" not in text
    assert "不是您的期限" in text
    assert duty[0].get("kind") == "organ_duty"


# ------------------------------------------------------------------ 3. the 2005 regulation, 21(1)


@pytest.mark.parametrize("kind, facts", [
    ("labour.dispute", {"act_known_on": "2021-07-01"}),
    ("admin.act", {**ADMIN, "act_known_on": "2021-07-20", "act_made_on": "2021-07-15"}),
    ("civil.dispute", {"act_known_on": "2021-03-01"}),
    ("litigation.in_court", {"litigation_status": "pending"}),
])
def test_2005_regulation_matters_are_told_to_apply_to_the_competent_body(kind: str, facts: dict) -> None:
    r = classify("2021-08-15", kind, facts)
    assert r["regulation"]["instrument"] == "信访条例"
    assert any(ch["decision"] == "not_accepted" for ch in r["channels"])
    text = visitor_text(r)
    assert "受理或者正在办理" not in text and "了解办理情况" not in text
    assert "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决" in text
    assert "请您依照有关法律、行政法规规定的程序，向" in text
    assert "《信访条例》（2005年版）第二十一条第一款第一项" in text


def test_2005_pending_elsewhere_keeps_its_own_wording() -> None:
    r = classify("2021-06-01", "intake.pending_elsewhere", {"pending_with": "某街道办事处", "pending_since": "2021-05-08"})
    text = visitor_text(r)
    assert "受理或者正在办理" in text and "第十六条" in text
    assert "已由某街道办事处受理或者正在办理" in text and "请您向某街道办事处了解办理情况" in text


# ------------------------------------------------------------------ 4. 复议前置


@pytest.mark.parametrize("act_type", ["on_the_spot_penalty", "natural_resource_rights", "failure_to_perform",
                                      "info_disclosure_refusal"])
def test_reconsideration_first_is_explained_quoting_article_23_and_the_15_days(act_type: str) -> None:
    r = classify("2026-11-27", "admin.act", {**ADMIN, "act_type": act_type, "act_known_on": "2026-11-20",
                                             "act_made_on": "2026-11-20"})
    text = visitor_text(r)
    assert "请您先向区人民政府行政复议机构（设在区司法局）申请行政复议，不能直接向人民法院提起行政诉讼" in text
    assert "自收到行政复议决定书之日起十五日内向人民法院提起行政诉讼" in text
    assert "《中华人民共和国行政复议法》（2023年版）第二十三条第一款" in text
    # article 23(1) and 行政诉讼法 45 quoted verbatim from the catalogue
    assert "有下列情形之一的，申请人应当先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民法院提起行政诉讼" in text
    assert "公民、法人或者其他组织不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼" in text


# ------------------------------------------------------------------ 5. smaller points


def test_v2_text_is_cited_but_not_quoted() -> None:
    r = classify("2026-11-27", "accusation.official", {})
    ch = next(c for c in r["channels"] if c["id"] == "discipline")
    v2 = [c for c in ch["citations"] if c["status"] == "V2" and c["text"]]
    assert v2
    text = visitor_text(r)
    for c in v2:
        assert "《纪检监察机关处理检举控告工作规则》" in text or c["instrument"] in text  # cited …
        assert flat(c["text"])[:25] not in text  # … never quoted


def test_no_doubled_verb_in_the_recheck_sentence() -> None:
    r = classify("2026-11-27", "review.disagree_review", {"review_received_on": "2026-11-20"})
    text = visitor_text(r)
    assert "请求请求" not in text
    assert "请于2026年12月21日前向复查机关、单位的上一级机关、单位请求复核复查意见" in text


def test_no_internal_field_name_on_paper() -> None:
    r = classify("2026-11-27", "labour.dispute", {"act_known_on": "2026-06-01"})  # economic_hardship unanswered
    assert any(w["code"] == "missing_fact" and w["fact"] == "economic_hardship" for w in r["warnings"])
    both = flat("".join(pages(render_notice(notice_data(r), "both"))))
    assert not re.search(r"[a-z]+_[a-z_]+", both), re.findall(r"[a-z]+_[a-z_]+", both)
    assert "economic_hardship" not in both and "act_known_on" not in both
    assert "尚未查明" in stub_text(r)  # the stub says which question is open, in Chinese


def test_each_section_heading_names_its_channel() -> None:
    r = classify("2026-11-27", "labour.wage_arrears", {"employment_ongoing": False, "employment_ended_on": "2026-10-01",
                                                      "act_made_on": "2026-09-01", "economic_hardship": False})
    assert [c["id"] for c in r["channels"]][:2] == ["labour_inspection", "arbitration"]
    text = visitor_text(r)
    assert "一、依法导入法定程序：向劳动保障监察投诉" in text
    assert "二、依法导入法定程序：劳动争议仲裁" in text


@pytest.mark.parametrize("kind, facts", [
    ("labour.dispute", {"act_known_on": "2026-06-01", "economic_hardship": False}),
    ("request.district_dept", {}),
    ("review.disagree_reply", {"reply_received_on": "2026-11-20"}),
    ("labour.work_injury", {"injury_on": "2026-10-01"}),
    ("state_compensation", {"act_known_on": "2026-10-01"}),
])
def test_an_ordinary_one_channel_visitor_copy_fits_on_two_pages(kind: str, facts: dict) -> None:
    r = classify("2026-11-27", kind, facts)
    assert len(r["channels"]) == 1
    assert len(pages(render_notice(notice_data(r), "visitor"))) <= 2


def test_unconfirmed_organ_prints_its_name_and_ask_this_office() -> None:
    r = classify("2026-11-27", "labour.dispute", {"act_known_on": "2026-06-01", "economic_hardship": False})
    unconfirmed = visitor_text(r, confirmed=False)
    assert "区劳动人事争议仲裁委员会" in unconfirmed
    assert "具体地址和电话请向本机关咨询" in unconfirmed
    assert "人民路2号" not in unconfirmed and "0000-12333" not in unconfirmed
    confirmed = visitor_text(r, confirmed=True)
    assert "人民路2号" in confirmed and "具体地址和电话请向本机关咨询" not in confirmed


# ------------------------------------------------------------------ must hold: the sweep

TRICKY = [
    ("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-11-20", "act_made_on": "2021-12-01"}),
    ("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-01-10", "act_made_on": "2026-01-05"}),
    ("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-11-26", "act_made_on": "2020-10-01"}),
    ("2026-11-27", "admin.act", {**ADMIN, "act_known_on": "2026-11-26", "act_made_on": "2006-12-10", "real_property": True}),
    ("2026-11-27", "admin.act", {"act_type": "other", "respondent_level": "district_dept", "rights_notice_given": False,
                                 "act_known_on": "2026-03-01", "act_made_on": "2026-02-01"}),
    ("2026-11-27", "admin.act", {**ADMIN, "act_type": "on_the_spot_penalty", "act_known_on": "2026-11-01"}),
    ("2023-06-01", "admin.act", {**ADMIN, "act_known_on": "2023-05-20", "act_made_on": "2023-05-20"}),
    ("2026-11-27", "admin.duty", {"duty_applied_on": "2026-06-01"}),
    ("2026-11-27", "labour.dispute", {"act_known_on": "2024-01-02"}),
    ("2026-11-27", "labour.dispute", {"award_received_on": "2026-11-16", "economic_hardship": True}),
    ("2026-11-27", "labour.wage_arrears", {"employment_ongoing": True, "act_made_on": "2026-10-10"}),
    ("2026-11-27", "labour.wage_arrears", {"aid_waiver": "migrant_wages", "employment_ongoing": False,
                                           "employment_ended_on": "2026-10-01", "act_made_on": "2024-09-01"}),
    ("2026-11-27", "civil.dispute", {"act_known_on": "2026-06-01", "act_made_on": "2005-01-01"}),
    ("2026-11-27", "public_order", {"act_made_on": "2026-01-01"}),
    ("2026-11-27", "public_order", {"act_made_on": "2026-11-01"}),
    ("2026-11-27", "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-11-20",
                                           "accuses_official": True}),
    ("2026-11-27", "review.disagree_reply", {"reply_received_on": "2026-01-02"}),
    ("2026-11-27", "gov_info", {"info_applied_on": "2026-09-01", "act_known_on": "2026-10-15"}),
    ("2026-11-27", "suggestion", {}),
    ("2021-06-01", "suggestion", {}),
    ("2022-04-30", "request.district_dept", {}),
]
SWEEP = [(f"{r[0]}:{r[2]}", r[1], r[2], r[3]) for r in rows.CASES] + [
    (f"tricky{i}:{k}", rec, k, f) for i, (rec, k, f) in enumerate(TRICKY)]


@pytest.mark.parametrize("name, received, kind, facts", SWEEP, ids=[s[0] for s in SWEEP])
def test_no_printed_deadline_is_a_bar_a_duty_or_expired(name: str, received: str, kind: str, facts: dict) -> None:
    r = classify(received, kind, facts, group=6 if kind == "suggestion" else 1)
    text = visitor_text(r, confirmed=False)
    open_days = set()
    other_days = set()
    bar_whats = {"reconsideration_absolute", "lawsuit_absolute", "civil_cap", "public_order_limit", "labour_inspection"}
    for ch in r["channels"]:  # by what each period is (the notice's own `kind` tags are under test here)
        bar_out = any(d["what"] in bar_whats and d["expired"] for d in ch["deadlines"])
        for d in ch["deadlines"]:
            own = d["what"] not in bar_whats | {"intake_transfer", "info_reply"}
            if own and not d["expired"] and not bar_out:
                open_days.add(cn(d["last_day"]))
            else:
                other_days.add(cn(d["last_day"]))
    printed = set(re.findall(r"请于(\d{4}年\d{1,2}月\d{1,2}日)前", text))
    assert printed <= open_days, (printed - open_days, other_days)
    assert not (printed & (other_days - open_days))
    assert "请求请求" not in text
    assert not re.search(r"[a-z]+_[a-z_]+", text)
    assert "信访不能代替法定程序" in text


def test_sweep_covers_every_row_and_every_kind_of_deadline() -> None:
    kinds = set()
    for _name, received, kind, facts in SWEEP:
        r = classify(received, kind, facts)
        kinds |= {d["kind"] for ch in r["channels"] for d in ch["deadlines"]}
    assert kinds == {"open", "bar", "office_duty", "organ_duty"}
    assert len(SWEEP) >= len(rows.CASES) + 20 and date(2026, 11, 27) == rows.TODAY
