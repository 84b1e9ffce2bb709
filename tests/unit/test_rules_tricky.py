"""channels.md §3 tricky cases, the 2005/2022 regulation switch, legal aid, collective visits, missing facts."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from xinfang_desk.statutes.engine import classify, classify_document, facts_for_kind

TODAY = date(2026, 11, 27)


def run(received, kind, facts=None, group=1, today=TODAY):
    return classify_document({"received_on": received, "group_size": group, "matter": {"kind": kind, "facts": facts or {}}},
                             today)


def ids(result):
    return [c["id"] for c in result["channels"]]


def channel(result, cid):
    return next(c for c in result["channels"] if c["id"] == cid)


def refs(ch):
    return {(c["instrument"], c["article"], c["paragraph"], c["item"]) for c in ch["citations"]}


def codes(result):
    return [w["code"] for w in result["warnings"]]


def test_same_labour_dispute_2021_and_2026():
    """信访条例 21(1) 不予受理并告知 in 2021; 信访工作条例 31(2) 导入仲裁 with 劳动争议调解仲裁法 27 in 2026."""
    facts = {"act_known_on": "2021-07-01"}
    old = run("2021-08-15", "labour.dispute", facts)
    new = run("2026-11-27", "labour.dispute", facts)

    assert old["regulation"] == {"instrument": "信访条例", "version": "2005"}
    a = channel(old, "arbitration")
    assert a["decision"] == "not_accepted"
    assert a["organ"] == "labour_arbitration"
    assert a["citations"][0]["instrument"] == "信访条例"
    assert (a["citations"][0]["article"], a["citations"][0]["paragraph"], a["citations"][0]["item"]) == (21, 1, 1)
    assert "不予受理，但应当告知信访人" in a["citations"][0]["text"]
    assert ("劳动争议调解仲裁法", 27, 1, None) in refs(a)
    dl = a["deadlines"][0]
    assert (dl["what"], dl["from"], dl["last_day"], dl["calendar_certain"]) == ("labour_arbitration", "2021-07-01", "2022-07-01", True)

    assert new["regulation"] == {"instrument": "信访工作条例", "version": "2022"}
    b = channel(new, "arbitration")
    assert b["decision"] == "statutory_channel"
    assert b["organ"] == "labour_arbitration"
    first = b["citations"][0]
    assert (first["instrument"], first["version"], first["article"], first["paragraph"], first["item"]) == ("信访工作条例", "2022", 31, 1, 2)
    assert first["text"] == "（二）应当通过仲裁解决的，导入相应程序处理。" and first["printable"]
    assert ("劳动争议调解仲裁法", 27, 1, None) in refs(b)
    assert b["deadlines"][0]["last_day"] == "2022-07-01" and b["deadlines"][0]["expired"] is True
    assert "deadline_expired" in codes(new)  # never presented as open
    assert not any(c["instrument"] == "信访条例" for ch in new["channels"] for c in ch["citations"])


def test_regulation_switch_day():
    assert run("2022-04-30", "suggestion")["regulation"]["instrument"] == "信访条例"
    assert run("2022-05-01", "suggestion")["regulation"]["instrument"] == "信访工作条例"


def test_case1_split_judgment_and_accusation():
    r = run("2026-11-27", "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-11-20",
                                                  "accuses_official": True})
    assert [c["decision"] for c in r["channels"]] == ["transfer_political_legal", "transfer_discipline"]
    d = channel(r, "discipline")
    assert d["organ"] == "discipline"
    assert ("信访工作条例", 22, 2, None) in refs(d) and ("监察法", 38, None, None) in refs(d)
    assert "split_matter" in codes(r)
    assert "transfer_discipline" not in [c["decision"] for c in run("2026-11-27", "litigation.in_court",
                                                                     {"litigation_status": "pending"})["channels"]]


def test_case2_wage_arrears_both_channels_and_no_limit_while_employed():
    r = run("2026-11-27", "labour.wage_arrears", {"employment_ongoing": True, "act_made_on": "2026-10-10",
                                                  "unpaid_wages_claim": True})
    assert ids(r)[:2] == ["labour_inspection", "arbitration"]
    arb = channel(r, "arbitration")
    assert arb["deadlines"] == []  # not time-barred while the employment continues
    assert any(n["citations"] and n["citations"][0]["article"] == 27 and n["citations"][0]["paragraph"] == 4 for n in arb["notes"])
    assert "inspection_disputed_relationship" in codes(r)


def test_case3_reconsideration_first():
    for act_type, item in [("on_the_spot_penalty", 1), ("natural_resource_rights", 2), ("failure_to_perform", 3),
                           ("info_disclosure_refusal", 4)]:
        r = run("2026-11-27", "admin.act", {"act_known_on": "2026-11-01", "act_type": act_type, "respondent_level": "district_dept"})
        assert ids(r) == ["reconsideration"], act_type
        ch = channel(r, "reconsideration")
        assert ("行政复议法", 23, 1, item) in refs(ch)
        assert any(n["citations"] and n["citations"][0]["instrument"] == "行政诉讼法" and n["citations"][0]["article"] == 45
                   for n in ch["notes"])
    r = run("2026-11-27", "admin.act", {"act_known_on": "2026-11-01", "act_type": "other", "respondent_level": "district_dept"})
    assert ids(r) == ["reconsideration", "lawsuit"]


def test_case3_before_2024_no_general_precondition_list():
    r = run("2023-06-01", "admin.act", {"act_known_on": "2023-05-20", "act_type": "on_the_spot_penalty",
                                        "respondent_level": "district_dept"}, today=date(2023, 6, 1))
    assert ids(r) == ["reconsideration", "lawsuit"]
    assert ("行政复议法", 9, 1, None) in refs(channel(r, "reconsideration"))
    assert "reconsideration_precondition_old_law" in codes(r)


def test_case4_expropriation_not_land_contract_arbitration():
    r = run("2026-11-27", "expropriation.compensation", {"act_known_on": "2026-11-02", "respondent_level": "district_gov"})
    assert all(c["organ"] != "land_contract_arbitration" for c in r["channels"])
    assert ("农村土地承包经营纠纷调解仲裁法", 2, 3, None) in refs(channel(r, "reconsideration"))
    lawsuit = channel(r, "lawsuit")
    m = [c for c in lawsuit["citations"] if c["article"] == 15]
    # 行政诉讼法 15(1)(1): a suit against the district government goes to the intermediate court; the text is
    # verified from the full law (laws/), so it is printable
    assert m and (m[0]["paragraph"], m[0]["item"], m[0]["status"], m[0]["printable"]) == (1, 1, "V", True)
    assert m[0]["text"].startswith("（一）对国务院部门或者县级以上地方人民政府所作的行政行为提起诉讼的案件")
    dept = run("2026-11-27", "expropriation.compensation", {"act_known_on": "2026-11-02", "respondent_level": "district_dept"})
    assert not [c for c in channel(dept, "lawsuit")["citations"] if c["article"] == 15]  # a basic court's case


def test_case5_land_ownership_vs_contract():
    own = run("2026-11-27", "land.ownership")
    con = run("2026-11-27", "land.contract", {"act_known_on": "2026-11-01"})
    assert {c["instrument"] for ch in own["channels"] for c in ch["citations"]} >= {"土地管理法"}
    assert "农村土地承包经营纠纷调解仲裁法" not in {c["instrument"] for ch in own["channels"] for c in ch["citations"]}
    assert "土地管理法" not in {c["instrument"] for ch in con["channels"] for c in ch["citations"]}
    assert channel(con, "land_arbitration")["deadlines"][0]["last_day"] == "2028-11-01"


def test_case6_petition_acts_not_open_to_reconsideration():
    r = run("2026-11-27", "review.challenge_petition_act")
    assert "reply_may_be_admin_act" in codes(r)
    before = run("2026-03-02", "review.challenge_petition_act")
    assert all(c["instrument"] != "行政复议法实施条例" for c in channel(before, "review_instead")["citations"])
    assert "citation_unavailable" in codes(before)


def test_case8_pending_elsewhere_names_the_organ_and_missing_facts():
    r = run("2026-11-27", "intake.pending_elsewhere", {"pending_with": "区人力资源和社会保障局"})
    ch = channel(r, "pending")
    assert ch["decision"] == "not_accepted" and ch["organ_detail"] == "区人力资源和社会保障局"
    assert [w["fact"] for w in r["warnings"] if w["code"] == "missing_fact"] == ["pending_since"]


def test_case10_renumbered_instruments_follow_dates():
    # 治安管理处罚法: 2012 art. 22 before 2026, 2025 art. 25 after
    assert channel(run("2026-11-27", "public_order", {"act_made_on": "2025-12-31"}), "police")["deadlines"][0]["basis"]["article"] == 22
    assert channel(run("2026-11-27", "public_order", {"act_made_on": "2026-01-01"}), "police")["deadlines"][0]["basis"]["article"] == 25
    # 监察法 intake: art. 35 (2018) until 2025-05-31, art. 38 (2024) from 2025-06-01
    assert ("监察法", 35, None, None) in refs(channel(run("2025-05-31", "accusation.official", today=date(2025, 6, 2)), "discipline"))
    assert ("监察法", 38, None, None) in refs(channel(run("2025-06-01", "accusation.official", today=date(2025, 6, 2)), "discipline"))
    # 复查 after 2022-05-01 on a pre-2022 reply: 信访工作条例 35 (same 30 days)
    r = run("2022-05-05", "review.disagree_reply", {"reply_received_on": "2022-04-20"}, today=date(2022, 5, 5))
    ch = channel(r, "review")
    assert ("信访工作条例", 35, None, None) in refs(ch) and ch["deadlines"][0]["last_day"] == "2022-05-20"


def test_case13_state_compensation_assumption_shown():
    ch = channel(run("2026-11-27", "state_compensation", {"act_known_on": "2026-01-10"}), "state_compensation")
    assert ch["deadlines"][0]["assumption"]


def test_collective_visit_warning():
    r = run("2026-11-27", "suggestion", group=6)
    w = [w for w in r["warnings"] if w["code"] == "group_representatives"][0]
    assert (w["citation"]["instrument"], w["citation"]["article"], w["citation"]["paragraph"]) == ("信访工作条例", 20, 3)
    r = run("2021-06-01", "suggestion", group=6)
    w = [w for w in r["warnings"] if w["code"] == "group_representatives"][0]
    assert (w["citation"]["instrument"], w["citation"]["article"], w["citation"]["paragraph"]) == ("信访条例", 18, 2)
    assert "group_representatives" not in codes(run("2026-11-27", "suggestion", group=5))


def test_legal_aid_with_means_test():
    r = run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01", "economic_hardship": True})
    aid = channel(r, "legal_aid")
    assert aid["decision"] == "legal_aid" and aid["organ"] == "legal_aid_centre"
    assert {("法律援助法", 31, 1, 5), ("法律援助法", 34, None, None), ("法律援助法", 41, 1, None)} <= refs(aid)
    assert "legal_aid" not in ids(run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01", "economic_hardship": False}))
    missing = run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01"})
    assert "economic_hardship" in [w["fact"] for w in missing["warnings"] if w["code"] == "missing_fact"]


def test_legal_aid_without_means_test():
    r = run("2026-11-27", "labour.wage_arrears", {"aid_waiver": "migrant_wages", "employment_ongoing": True, "act_made_on": "2026-10-01"})
    aid = channel(r, "legal_aid")
    assert ("法律援助法", 42, 1, 3) in refs(aid) and ("法律援助法", 41, 1, None) not in refs(aid)
    dv = channel(run("2026-11-27", "civil.dispute", {"aid_waiver": "domestic_violence"}), "legal_aid")
    assert ("法律援助法", 32, 1, 4) in refs(dv) and not any(a == 31 for _, a, _, _ in refs(dv))


def test_legal_aid_first_when_fewer_than_7_days_remain():
    r = run("2026-11-27", "labour.dispute", {"award_received_on": "2026-11-16", "economic_hardship": True})
    w = [w for w in r["warnings"] if w["code"] == "legal_aid_urgent"]
    assert w and w[0]["citation"]["article"] == 44


def test_legal_aid_law_not_yet_in_force_is_unconfirmed():
    r = run("2021-08-15", "labour.dispute", {"act_known_on": "2021-07-01", "economic_hardship": True})
    aid = channel(r, "legal_aid")
    assert all(c["status"] == "J" and not c["printable"] for c in aid["citations"])
    assert "citation_version_fallback" in codes(r)


def test_missing_fact_is_named_never_guessed():
    r = run("2026-11-27", "admin.act", {"respondent_level": "district_dept", "act_type": "other"})
    missing = [w["fact"] for w in r["warnings"] if w["code"] == "missing_fact"]
    assert "act_known_on" in missing
    assert all(not ch["deadlines"] for ch in r["channels"])  # nothing computed from a guessed date
    assert ids(r) == ["reconsideration", "lawsuit"]


def test_expired_period_never_open():
    for kind, facts in [("admin.act", {"act_known_on": "2025-01-02", "act_type": "other", "respondent_level": "district_dept"}),
                        ("labour.dispute", {"act_known_on": "2024-01-02"}),
                        ("review.disagree_reply", {"reply_received_on": "2026-01-02"})]:
        r = run("2026-11-27", kind, facts)
        deadlines = [d for ch in r["channels"] for d in ch["deadlines"]]
        assert any(d["expired"] for d in deadlines), kind  # each case has a period that has run out
        for d in deadlines:
            assert d["expired"] == (d["last_day"] < "2026-11-27")


def test_calendar_uncertain_is_flagged():
    r = run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01"})
    d = channel(r, "arbitration")["deadlines"][0]
    assert d["last_day"] == "2027-11-01" and d["calendar_certain"] is False
    assert "calendar_uncertain" in codes(r)


def test_reproducibility_metadata():
    r = run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01"})
    for key in ("ruleset_version", "ruleset_digest", "catalogue_digest", "calendar_digest", "organs_version", "computed_on"):
        assert r[key]
    assert r["statute_versions"]["信访工作条例"] == ["2022"]
    assert r == run("2026-11-27", "labour.dispute", {"act_known_on": "2026-11-01"})


def test_typed_api_is_frozen_and_matches_dict():
    c = classify(date(2026, 11, 27), 1, "labour.dispute", {"act_known_on": date(2026, 11, 1)}, TODAY)
    assert c.channels[0].decision == "statutory_channel"
    with pytest.raises(FrozenInstanceError):
        c.channels[0].decision = "x"  # type: ignore[misc]
    assert c.to_dict()["channels"][0]["citations"][0]["article"] == 31


def test_facts_for_kind_lists_only_used_facts():
    names = [q.name for q in facts_for_kind("labour.dispute")]
    assert names[0] == "act_known_on" and "judgment_served_on" not in names
    q = facts_for_kind("admin.act")[4]
    assert q.name == "act_type" and q.type == "enum" and "on_the_spot_penalty" in q.choices
    assert q.question_zh.endswith("？") and q.msgid
    assert facts_for_kind("intake.wrong_level") == []


def test_every_rule_message_has_a_suggested_translation():
    import json

    from babel.messages.pofile import read_po

    from xinfang_desk.paths import resource

    with resource("rules", "zh_CN-suggested.po").open("rb") as fh:
        po = {m.id: m.string for m in read_po(fh, locale="zh_CN") if m.id}
    texts = []

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ("label", "message", "assumption", "waiver_label", "question") and isinstance(v, str):
                    texts.append(v)
                else:
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(json.loads(resource("rules", "rules.json").read_text(encoding="utf-8")))
    walk(json.loads(resource("rules", "facts.json").read_text(encoding="utf-8")))
    assert texts and all(po.get(t) for t in texts), [t for t in texts if not po.get(t)]
