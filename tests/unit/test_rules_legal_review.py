"""Issue 8, "Rules and catalogue" (items 6-10): what a lawyer's review found wrong in the classification.

Each test fails on the rules before the fix: a labour claim that is not for wages kept no time limit while
the employment continued; claims with no limitation period got one; 再审 ran from service; the state-land
regulation was cited for collective land; the 2017 reconsideration law's choice of organ was not cited and a
five-year cap it did not have was applied."""

from datetime import date

import pytest

from xinfang_desk.statutes.engine import classify_document, facts_for_kind

TODAY = date(2026, 11, 27)
NEW = "2026-11-27"


def run(received, kind, facts, today=TODAY):
    return classify_document({"received_on": received, "group_size": 1, "matter": {"kind": kind, "facts": facts}}, today)


def channel(result, cid):
    found = [c for c in result["channels"] if c["id"] == cid]
    assert found, f"no channel {cid}; got {[c['id'] for c in result['channels']]}"
    return found[0]


def deadline(ch, what):
    found = [d for d in ch["deadlines"] if d["what"] == what]
    return found[0] if found else None


def refs(ch):
    return {(c["instrument"], c["version"], c["article"], c["paragraph"], c["item"]) for c in ch["citations"]}


def warnings(result, code):
    return [w for w in result["warnings"] if w["code"] == code]


def missing(result):
    return {w["fact"] for w in warnings(result, "missing_fact")}


# ---------------------------------------------------------------- 6. 劳动争议调解仲裁法 27(1) and 27(4)


def test_a_dismissal_claim_keeps_one_year_while_the_employment_continues():
    r = run(NEW, "labour.dispute", {"act_known_on": "2026-03-01", "employment_ongoing": True, "unpaid_wages_claim": False})
    arb = channel(r, "arbitration")
    d = deadline(arb, "labour_arbitration")
    assert d is not None, "27(4) lifts the limit only for unpaid wages"
    assert (d["from"], d["last_day"], d["expired"]) == ("2026-03-01", "2027-03-01", False)
    assert (d["basis"]["article"], d["basis"]["paragraph"]) == (27, 1)
    assert deadline(arb, "labour_arbitration_wages") is None
    notes = [n for n in arb["notes"] if n["citations"] and n["citations"][0]["article"] == 27]
    assert [(n["citations"][0]["paragraph"]) for n in notes[:1]] == [1]  # the note says this claim keeps the year
    assert not any(n["citations"] and n["citations"][0]["paragraph"] == 4 for n in arb["notes"])


def test_unknown_claim_while_employed_shows_the_year_and_asks_whether_it_is_for_wages():
    r = run(NEW, "labour.dispute", {"act_known_on": "2026-03-01", "employment_ongoing": True})
    assert deadline(channel(r, "arbitration"), "labour_arbitration")["last_day"] == "2027-03-01"
    assert "unpaid_wages_claim" in missing(r)


def test_unpaid_wages_while_employed_have_no_limit_and_after_the_end_one_year_from_it():
    r = run(NEW, "labour.dispute", {"act_known_on": "2025-01-10", "employment_ongoing": True, "unpaid_wages_claim": True})
    arb = channel(r, "arbitration")
    assert arb["deadlines"] == []
    assert any(n["citations"] and (n["citations"][0]["article"], n["citations"][0]["paragraph"]) == (27, 4)
               for n in arb["notes"])
    assert not warnings(r, "deadline_expired")
    ended = run(NEW, "labour.dispute", {"act_known_on": "2025-01-10", "employment_ongoing": False,
                                        "employment_ended_on": "2026-02-10", "unpaid_wages_claim": True})
    arb = channel(ended, "arbitration")
    assert [d["what"] for d in arb["deadlines"]] == ["labour_arbitration_wages"]  # not 27(1) from 2025-01-10
    d = arb["deadlines"][0]
    assert (d["last_day"], d["expired"], d["basis"]["paragraph"]) == ("2027-02-10", False, 4)
    # the end date not known: the year from knowing is shown as the earliest possible limit, and it is asked
    unknown_end = run(NEW, "labour.dispute", {"act_known_on": "2026-01-10", "employment_ongoing": False,
                                              "unpaid_wages_claim": True})
    assert deadline(channel(unknown_end, "arbitration"), "labour_arbitration")["last_day"] == "2027-01-11"
    assert "employment_ended_on" in missing(unknown_end)


def test_a_non_wage_claim_after_the_end_is_not_given_a_year_from_the_end():
    r = run(NEW, "labour.dispute", {"act_known_on": "2025-10-09", "employment_ongoing": False,
                                    "employment_ended_on": "2026-02-10", "unpaid_wages_claim": False})
    arb = channel(r, "arbitration")
    assert [d["what"] for d in arb["deadlines"]] == ["labour_arbitration"]
    assert arb["deadlines"][0]["last_day"] == "2026-10-09" and arb["deadlines"][0]["expired"] is True


def test_social_insurance_against_the_employer_keeps_one_year_while_employed():
    r = run(NEW, "social_insurance", {"insurance_dispute_with": "employer", "act_known_on": "2026-04-01",
                                      "employment_ongoing": True})
    d = deadline(channel(r, "arbitration"), "labour_arbitration")
    assert d is not None and d["last_day"] == "2027-04-01" and d["basis"]["paragraph"] == 1
    assert "employment_ongoing" not in [q.name for q in facts_for_kind("social_insurance")]
    assert "unpaid_wages_claim" not in [q.name for q in facts_for_kind("social_insurance")]


def test_institution_staff_non_wage_claim_keeps_one_year():
    r = run(NEW, "personnel.dispute", {"personnel_type": "institution_staff", "act_known_on": "2026-05-06",
                                       "employment_ongoing": True, "unpaid_wages_claim": False})
    assert deadline(channel(r, "personnel_arbitration"), "labour_arbitration")["last_day"] == "2027-05-06"


# ---------------------------------------------------------------- 7. 民法典 196: no limitation period


@pytest.mark.parametrize(("nature", "item"), [("stop_infringement", "（一）请求停止侵害、排除妨碍、消除危险；"),
                                              ("property_return", "（二）不动产物权和登记的动产物权的权利人请求返还财产；"),
                                              ("support_payment", "（三）请求支付抚养费、赡养费或者扶养费；"),
                                              ("other_no_limitation", "（四）依法不适用诉讼时效的其他请求权。")])
def test_claims_with_no_limitation_period_get_no_deadline_and_cite_article_196(nature, item):
    r = run(NEW, "civil.dispute", {"act_known_on": "2020-01-01", "act_made_on": "2019-12-30", "claim_nature": nature})
    court = channel(r, "court")
    assert court["deadlines"] == []
    assert not warnings(r, "deadline_expired")  # nothing is said to have run out
    c = [c for c in court["citations"] if (c["instrument"], c["article"]) == ("民法典", 196)]
    assert c and c[0]["printable"] and c[0]["status"] == "V"
    assert c[0]["text"].startswith("第一百九十六条 下列请求权不适用诉讼时效的规定：") and item in c[0]["text"]
    assert any("limitation" in n["message"] or "诉讼时效" in n["message"] for n in court["notes"])
    assert bool(warnings(r, "no_limitation_other_claim")) == (nature == "other_no_limitation")


def test_ordinary_claims_keep_the_limitation_period_without_asking():
    for facts in ({"act_known_on": "2020-01-01"}, {"act_known_on": "2020-01-01", "claim_nature": "ordinary"}):
        r = run(NEW, "civil.dispute", facts)
        court = channel(r, "court")
        d = deadline(court, "civil_limitation")
        assert d and d["last_day"] == "2023-01-03" and d["expired"] is True
        assert ("民法典", "2020", 196, None, None) not in refs(court)
        assert "claim_nature" not in missing(r)  # ordinary is the default reading


def test_sector_disputes_ask_the_claim_nature_too():
    r = run(NEW, "civil.sector", {"sector": "medical", "act_known_on": "2026-01-05", "claim_nature": "stop_infringement"})
    assert channel(r, "court")["deadlines"] == []
    assert "claim_nature" in [q.name for q in facts_for_kind("civil.sector")]
    q = next(q for q in facts_for_kind("civil.dispute") if q.name == "claim_nature")
    assert dict(q.choice_labels_zh)["support_payment"] == "请求支付抚养费、赡养费或者扶养费"


# ---------------------------------------------------------------- 8. 再审 from the day the judgment took effect


def test_retrial_runs_six_months_from_the_day_the_judgment_took_effect():
    r = run(NEW, "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-07-20",
                                         "judgment_effective_on": "2026-08-10"})
    d = deadline(channel(r, "political_legal"), "retrial")
    assert (d["from"], d["last_day"], d["expired"]) == ("2026-08-10", "2027-02-10", False)
    assert (d["basis"]["instrument"], d["basis"]["version"], d["basis"]["article"]) == ("民事诉讼法", "2023", 216)
    assert not warnings(r, "judgment_effective_on_derived")


def test_retrial_in_2023_cites_the_2021_text_article_212():
    r = run("2023-08-01", "litigation.in_court", {"litigation_status": "judged", "judgment_effective_on": "2023-05-10"},
            today=date(2023, 8, 1))
    d = deadline(channel(r, "political_legal"), "retrial")
    assert d["last_day"] == "2023-11-10"
    assert (d["basis"]["version"], d["basis"]["article"]) == ("2021", 212)
    assert d["basis"]["text"].startswith("第二百一十二条 当事人申请再审，应当在判决、裁定发生法律效力后六个月内提出")


@pytest.mark.parametrize(("form", "days", "appeal_end", "effective", "last"), [
    # served Mon 2026-03-02: a judgment's 15 days end Tue 03-17, in effect from 03-18; a ruling's 10 end Thu 03-12
    ("judgment", "15", "2026-03-17", "2026-03-18", "2026-09-18"),
    ("ruling", "10", "2026-03-12", "2026-03-13", "2026-09-14"),  # 09-13 is a Sunday
])
def test_retrial_from_service_derives_the_effective_day_and_says_so(form, days, appeal_end, effective, last):
    r = run(NEW, "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-03-02",
                                         "judgment_form": form})
    d = deadline(channel(r, "political_legal"), "retrial")
    assert (d["from"], d["last_day"], d["expired"]) == (effective, last, True)
    assert effective in d["assumption"]
    w = warnings(r, "judgment_effective_on_derived")
    assert len(w) == 1
    assert w[0]["params"] == {"judgment_served_on": "2026-03-02", "days": days, "period_last_day": appeal_end,
                              "judgment_effective_on": effective, "judgment_form": form}
    assert w[0]["fact"] == "judgment_effective_on"
    assert (w[0]["citation"]["article"], w[0]["citation"]["paragraph"]) == (171, 1 if form == "judgment" else 2)
    appeal = [x for x in channel(r, "political_legal")["deadlines"] if x["what"] == "appeal"]
    assert [x["period"] for x in appeal] == [days + "d"]


def test_unknown_form_takes_the_shorter_appeal_period_and_asks():
    r = run(NEW, "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-11-20"})
    d = deadline(channel(r, "political_legal"), "retrial")
    assert (d["from"], d["last_day"], d["calendar_certain"]) == ("2026-12-01", "2027-06-01", False)
    assert warnings(r, "judgment_effective_on_derived")[0]["params"]["judgment_form"] == "unknown"
    assert "judgment_form" in missing(r) and "judgment_effective_on" not in missing(r)


def test_no_date_at_all_asks_for_the_effective_day():
    r = run(NEW, "litigation.in_court", {"litigation_status": "judged"})
    assert deadline(channel(r, "political_legal"), "retrial") is None
    assert {"judgment_effective_on", "judgment_served_on"} <= missing(r)


# ---------------------------------------------------------------- 9. state-owned vs collective land


EXPROPRIATION = {"act_known_on": "2026-11-02", "act_made_on": "2026-11-01", "real_property": True,
                 "respondent_level": "district_gov", "rights_notice_given": True, "act_type": "other"}


def test_collective_land_cites_the_land_administration_law_never_the_state_land_regulation():
    r = run(NEW, "expropriation.compensation", {**EXPROPRIATION, "land_ownership": "collective"})
    rc = channel(r, "reconsideration")
    assert {("土地管理法", "2019", 47, None, None), ("土地管理法", "2019", 48, None, None)} <= refs(rc)
    assert not any(c["instrument"] == "国有土地上房屋征收与补偿条例" for ch in r["channels"] for c in ch["citations"])
    assert deadline(rc, "reconsideration")["last_day"] == "2027-01-04"  # periods as before
    assert deadline(channel(r, "lawsuit"), "lawsuit")["last_day"] == "2027-05-03"


def test_state_land_cites_the_regulation_and_unknown_land_asks():
    r = run(NEW, "expropriation.compensation", {**EXPROPRIATION, "land_ownership": "state"})
    rc = channel(r, "reconsideration")
    assert {("国有土地上房屋征收与补偿条例", "2011", 14, None, None), ("国有土地上房屋征收与补偿条例", "2011", 26, 3, None)} <= refs(rc)
    assert not any(c["instrument"] == "土地管理法" for c in rc["citations"])
    unknown = run(NEW, "expropriation.compensation", EXPROPRIATION)
    assert not any(c["instrument"] in ("土地管理法", "国有土地上房屋征收与补偿条例")
                   for ch in unknown["channels"] for c in ch["citations"])
    assert "land_ownership" in missing(unknown)
    assert facts_for_kind("expropriation.compensation")[0].name == "land_ownership"


# ---------------------------------------------------------------- 10. 行政复议法 (2017) art. 12, no 5-year cap


def test_2017_law_cites_article_12_and_names_both_organs_without_a_five_year_cap():
    r = run("2023-06-01", "admin.act", {"act_known_on": "2023-05-20", "act_made_on": "2023-05-19",
                                        "respondent_level": "district_dept"}, today=date(2023, 6, 1))
    rc = channel(r, "reconsideration")
    c = [c for c in rc["citations"] if (c["instrument"], c["version"], c["article"]) == ("行政复议法", "2017", 12)]
    assert c and c[0]["paragraph"] == 1 and c[0]["printable"]
    assert "本级人民政府" in c[0]["text"] and "上一级主管部门" in c[0]["text"]
    assert any("next higher level" in n["message"] or "上一级主管部门" in n["message"] for n in rc["notes"])
    assert [d["what"] for d in rc["deadlines"]] == ["reconsideration"]  # no reconsideration_absolute
    assert not warnings(r, "citation_unavailable")
    # from 2024 the 2023 law applies: art. 21's five years, and no art. 12 choice
    now = run(NEW, "admin.act", {"act_known_on": "2026-11-20", "act_made_on": "2026-11-19", "respondent_level": "district_dept"})
    rc = channel(now, "reconsideration")
    assert deadline(rc, "reconsideration_absolute")["last_day"] == "2031-11-19"
    assert not any(c["version"] == "2017" for c in rc["citations"] if c["instrument"] == "行政复议法")


def test_2017_law_town_government_gets_no_article_12():
    r = run("2023-06-01", "admin.act", {"act_known_on": "2023-05-20", "respondent_level": "town"}, today=date(2023, 6, 1))
    assert ("行政复议法", "2017", 12, 1, None) not in refs(channel(r, "reconsideration"))
