"""Every row of channels.md §2 that a matter kind reaches: decision, organ, instrument, article, last day.

Each case gives the date received, the kind, the facts and the day of classification ("today"), and checks
the channels the engine produces. Citations are (instrument, version, article, paragraph, item) and must be
among the channel's citations or its deadlines' bases; deadlines are (what, last_day, expired)."""

from datetime import date

import pytest

from xinfang_desk.statutes.engine import classify_document

TODAY = date(2026, 11, 27)
NEW, OLD = "2026-11-27", "2021-06-01"


def run(received, kind, facts=None, group=1, today=TODAY):
    return classify_document({"received_on": received, "group_size": group, "matter": {"kind": kind, "facts": facts or {}}},
                             today)


def channel(result, cid):
    found = [c for c in result["channels"] if c["id"] == cid]
    assert found, f"no channel {cid}; got {[c['id'] for c in result['channels']]}"
    return found[0]


def cites(ch):
    out = {(c["instrument"], c["version"], c["article"], c["paragraph"], c["item"]) for c in ch["citations"]}
    out |= {(d["basis"]["instrument"], d["basis"]["version"], d["basis"]["article"], d["basis"]["paragraph"],
             d["basis"]["item"]) for d in ch["deadlines"] if d["basis"]}
    return out


def deadlines(ch):
    return {d["what"]: (d["last_day"], d["expired"], d["calendar_certain"]) for d in ch["deadlines"]}


XF22, XF05 = "信访工作条例", "信访条例"

# row, received_on, kind, facts, {channel id: (decision, organ, [citations], {what: (last_day, expired, certain)})}, absent ids
CASES = [
    ("A1", NEW, "intake.wrong_level", {}, {"proper_level": ("proper_level", "reception_proper_level",
        [(XF22, "2022", 20, 1, None), (XF22, "2022", 20, 4, None)], {})}, []),
    ("A1-old", OLD, "intake.wrong_level", {}, {"proper_level": ("proper_level", "reception_proper_level",
        [(XF05, "2005", 16, None, None), (XF05, "2005", 18, 1, None)], {})}, []),
    ("A3", NEW, "intake.pending_elsewhere", {"pending_with": "区人力资源和社会保障局", "pending_since": "2026-10-08"},
        {"pending": ("not_accepted", "organ_pending", [(XF22, "2022", 19, 3, None)], {})}, []),
    ("A3-old", OLD, "intake.pending_elsewhere", {"pending_with": "某街道办事处", "pending_since": "2021-05-08"},
        {"pending": ("not_accepted", "organ_pending", [(XF05, "2005", 16, None, None)], {})}, []),
    ("A4", NEW, "review.disagree_reply", {"reply_received_on": "2026-11-10"},
        {"review": ("review", "next_higher_organ", [(XF22, "2022", 35, None, None)],
                    {"review_request": ("2026-12-10", False, True)})}, []),
    ("A4-old", OLD, "review.disagree_reply", {"reply_received_on": "2021-05-20"},
        {"review": ("review", "next_higher_organ", [(XF05, "2005", 34, None, None)],
                    {"review_request": ("2021-06-21", True, True)})}, []),
    ("A5", NEW, "review.disagree_review", {"review_received_on": "2026-09-02"},
        {"recheck": ("recheck", "review_higher_organ", [(XF22, "2022", 36, 1, None)],
                     {"recheck_request": ("2026-10-08", True, True)})}, []),
    ("A6", NEW, "review.after_recheck", {}, {"no_longer": ("no_longer_accepted", None,
        [(XF22, "2022", 36, 3, None), (XF22, "2022", 37, 3, None)], {})}, []),
    ("A6-old", OLD, "review.after_recheck", {}, {"no_longer": ("no_longer_accepted", None, [(XF05, "2005", 35, 3, None)], {})}, []),
    ("A7", NEW, "review.challenge_petition_act", {"reply_received_on": "2026-11-20"},
        {"review_instead": ("review", "next_higher_organ",
                            [("行政诉讼法解释", "2018", 1, 2, 9), ("行政复议法实施条例", "2026", 36, 1, 5), (XF22, "2022", 35, None, None)],
                            {"review_request": ("2026-12-21", False, True)})}, []),
    ("B1-judged", NEW, "litigation.in_court", {"litigation_status": "judged", "judgment_served_on": "2026-11-20",
                                               "judgment_form": "judgment"},
        {"political_legal": ("transfer_political_legal", "court_of_case",
            [(XF22, "2022", 20, 2, None), (XF22, "2022", 22, 2, None), (XF22, "2022", 28, 2, None), (XF22, "2022", 31, 1, 1),
             ("民事诉讼法", "2023", 171, 1, None), ("民事诉讼法", "2023", 210, None, None), ("民事诉讼法", "2023", 216, None, None)],
            {"intake_transfer": ("2026-12-14", False, True), "appeal": ("2026-12-07", False, True),
             # 再审: 6 months from the day it took effect, derived: appeal period ends Monday 12-07, effective 12-08
             "retrial": ("2027-06-08", False, False)})}, []),
    ("B1-enforcement-old", OLD, "litigation.in_court", {"litigation_status": "enforcement"},
        {"political_legal": ("not_accepted", "court_of_case", [(XF05, "2005", 21, 1, 1)], {})}, []),
    ("B2", NEW, "litigation.concluded", {}, {"concluded": ("no_longer_accepted", None,
        [(XF22, "2022", 37, 3, None), ("涉法涉诉信访意见", "2014", None, None, None)], {})}, []),
    ("B3", NEW, "crime.report", {}, {"police_report": ("statutory_channel", "police_branch",
        [(XF22, "2022", 31, 1, 1), ("刑事诉讼法", "2018", 110, 2, None), ("刑事诉讼法", "2018", 112, None, None),
         ("刑事诉讼法", "2018", 113, None, None)], {})}, []),
    ("B4-2026", NEW, "public_order", {"act_made_on": "2026-06-15"}, {"police": ("statutory_channel", "police_branch",
        [("治安管理处罚法", "2025", 9, 1, None), ("治安管理处罚法", "2025", 25, 1, None)],
        {"public_order_limit": ("2026-12-15", False, True)})}, []),
    ("B4-2012-text", NEW, "public_order", {"act_made_on": "2025-08-31"}, {"police": ("statutory_channel", "police_branch",
        [("治安管理处罚法", "2012", 22, 1, None)], {"public_order_limit": ("2026-02-28", True, True)})}, []),
    ("B5", NEW, "admin.act", {"act_known_on": "2026-10-20", "act_made_on": "2026-10-18", "rights_notice_given": True,
                              "real_property": False, "act_type": "other", "respondent_level": "district_dept"},
        {"reconsideration": ("statutory_channel", "reconsideration_district",
            [(XF22, "2022", 31, 1, 4), ("行政复议法", "2023", 20, 1, None), ("行政复议法", "2023", 24, 1, None),
             ("行政复议法", "2023", 21, None, None)],
            {"reconsideration": ("2026-12-21", False, True), "reconsideration_absolute": ("2031-10-20", False, False)}),
         "lawsuit": ("statutory_channel", "court_competent", [("行政诉讼法", "2017", 46, 1, None), ("行政诉讼法", "2017", 46, 2, None)],
            {"lawsuit": ("2027-04-20", False, False), "lawsuit_absolute": ("2031-10-20", False, False)})}, ["expired"]),
    ("B5-district-gov", NEW, "admin.act", {"act_known_on": "2026-10-20", "respondent_level": "district_gov", "act_type": "other"},
        {"reconsideration": ("statutory_channel", "city_reconsideration", [("行政复议法", "2023", 24, 1, None)],
                             {"reconsideration": ("2026-12-21", False, True)})}, []),
    ("B6", NEW, "admin.act", {"act_known_on": "2026-08-01", "rights_notice_given": True, "act_type": "other",
                              "respondent_level": "district_dept"},
        {"lawsuit": ("statutory_channel", "court_competent", [("行政诉讼法", "2017", 46, 1, None)],
                     {"lawsuit": ("2027-02-01", False, False)})}, ["reconsideration", "expired"]),
    ("B6-precondition", NEW, "admin.act", {"act_known_on": "2026-08-01", "act_made_on": "2026-08-01", "rights_notice_given": True,
                                           "act_type": "on_the_spot_penalty", "real_property": False, "respondent_level": "district_dept"},
        {"expired": ("transfer", "acting_organ", [(XF22, "2022", 22, 1, 1), (XF22, "2022", 31, 1, 6)],
                     {"reconsideration": ("2026-09-30", True, True)})}, ["reconsideration", "lawsuit"]),
    ("B7", NEW, "admin.act", {"act_known_on": "2026-03-10", "rights_notice_given": False, "act_type": "other",
                              "respondent_level": "town"},
        {"reconsideration": ("statutory_channel", "reconsideration_district", [("行政复议法", "2023", 20, 3, None)],
                             {"reconsideration_max": ("2027-03-10", False, False)}),
         "lawsuit": ("statutory_channel", "court_competent", [("行政诉讼法解释", "2018", 64, 1, None)],
                     {"lawsuit_max": ("2027-03-10", False, False)})}, []),
    ("B8", NEW, "admin.act", {"act_known_on": "2021-03-01", "act_made_on": "2021-03-01", "rights_notice_given": True,
                              "real_property": False, "act_type": "other", "respondent_level": "district_dept"},
        {"expired": ("transfer", "acting_organ", [(XF22, "2022", 22, 1, 1), (XF22, "2022", 31, 1, 6),
                                                 ("行政复议法", "2017", 9, 1, None), ("行政诉讼法", "2017", 46, 1, None)],
                     {"reconsideration": ("2021-04-30", True, True), "lawsuit": ("2021-09-01", True, True),
                      "lawsuit_absolute": ("2026-03-02", True, True)})}, ["reconsideration", "lawsuit"]),
    ("B8-old", "2021-12-01", "admin.act", {"act_known_on": "2021-03-01", "act_made_on": "2021-03-01", "rights_notice_given": True,
                                           "real_property": False, "act_type": "other", "respondent_level": "district_dept"},
        {"expired": ("not_accepted", "acting_organ", [(XF05, "2005", 21, 1, 1)], {"reconsideration": ("2021-04-30", True, True)})},
        ["reconsideration", "lawsuit"]),
    ("B9", NEW, "admin.duty", {"duty_applied_on": "2026-08-03", "respondent_level": "district_dept"},
        {"perform_or_answer": ("statutory_channel", "organ_with_power", [(XF22, "2022", 31, 1, 5)], {}),
         "reconsideration_duty": ("statutory_channel", "reconsideration_district",
            [("行政复议法", "2023", 23, 1, 3), ("行政复议法实施条例", "2026", 24, 1, 2)],
            {"reconsideration_duty": ("2026-12-01", False, True)})}, ["lawsuit_duty"]),
    ("B10", NEW, "labour.dispute", {"act_known_on": "2026-03-01"},
        {"arbitration": ("statutory_channel", "labour_arbitration", [(XF22, "2022", 31, 1, 2), ("劳动争议调解仲裁法", "2007", 27, 1, None)],
                         {"labour_arbitration": ("2027-03-01", False, False)})}, ["lawsuit_after_award"]),
    ("B10-award", NEW, "labour.dispute", {"award_received_on": "2026-11-20"},
        {"lawsuit_after_award": ("statutory_channel", "district_court", [("劳动争议调解仲裁法", "2007", 50, None, None)],
                                 {"lawsuit_after_award": ("2026-12-07", False, True)})}, ["arbitration"]),
    ("B11", NEW, "labour.wage_arrears", {"act_made_on": "2026-01-05", "employment_ongoing": False, "employment_ended_on": "2026-02-10",
                                         "act_known_on": "2026-01-05", "unpaid_wages_claim": True},
        {"labour_inspection": ("statutory_channel", "hrss", [(XF22, "2022", 31, 1, 4), (XF22, "2022", 31, 1, 5),
                                                             ("劳动争议调解仲裁法", "2007", 9, None, None), ("劳动保障监察条例", "2004", 20, None, None)],
                               {"labour_inspection": ("2028-01-05", False, False)}),
         "arbitration": ("statutory_channel", "labour_arbitration", [("劳动争议调解仲裁法", "2007", 27, 4, None)],
                         {"labour_arbitration_wages": ("2027-02-10", False, False), "labour_arbitration": None})}, []),
    ("B12", NEW, "labour.work_injury", {"injury_on": "2025-12-31"},
        {"work_injury": ("statutory_channel", "hrss", [("工伤保险条例", "2010", 17, 2, None), ("工伤保险条例", "2010", 55, None, None)],
                         {"work_injury_application": ("2026-12-31", False, True)})}, []),
    ("B13-agency", NEW, "social_insurance", {"insurance_dispute_with": "agency", "act_known_on": "2026-11-01",
                                             "respondent_level": "district_dept"},
        {"reconsideration": ("statutory_channel", "reconsideration_district", [("社会保险法", "2018", 83, 2, None)],
                             {"reconsideration": ("2026-12-31", False, True)})}, ["arbitration"]),
    ("B13-employer", NEW, "social_insurance", {"insurance_dispute_with": "employer", "act_known_on": "2026-11-01"},
        {"arbitration": ("statutory_channel", "labour_arbitration", [("社会保险法", "2018", 83, 3, None)],
                         {"labour_arbitration": ("2027-11-01", False, False)})}, ["reconsideration", "lawsuit"]),
    ("B14-civil-servant", NEW, "personnel.dispute", {"personnel_type": "civil_servant", "act_known_on": "2026-11-10"},
        {"civil_servant": ("statutory_channel", "personnel_original_organ", [("公务员法", "2018", 95, 1, None), (XF22, "2022", 31, 1, 3)],
                           {"civil_servant_review": ("2026-12-10", False, True)})}, ["personnel_arbitration"]),
    ("B14-institution", NEW, "personnel.dispute", {"personnel_type": "institution_staff", "act_known_on": "2026-11-10"},
        {"personnel_arbitration": ("statutory_channel", "labour_arbitration", [("事业单位人事管理条例", "2014", 37, None, None)],
                                   {"labour_arbitration": ("2027-11-10", False, False)})}, ["civil_servant"]),
    ("B15", NEW, "civil.dispute", {"act_known_on": "2024-02-29"},
        {"mediation": ("statutory_channel", "mediation_town", [("人民调解法", "2010", 17, None, None), (XF22, "2022", 37, 1, None)], {}),
         "court": ("statutory_channel", "district_court", [(XF22, "2022", 31, 1, 1), ("民法典", "2020", 188, 1, None),
                                                            ("仲裁法", "2025", 5, None, None)],
                   {"civil_limitation": ("2027-03-01", False, False)})}, []),
    ("B15-before-2026-03", "2026-02-15", "civil.dispute", {"act_known_on": "2019-05-06"},
        {"court": ("statutory_channel", "district_court", [("民法总则", "2017", 188, 1, None), ("仲裁法", "2017", 5, None, None)],
                   {"civil_limitation": ("2022-05-06", True, True)})}, []),
    ("B16-traffic", NEW, "civil.sector", {"sector": "traffic", "act_known_on": "2026-01-10"},
        {"traffic": ("statutory_channel", "traffic_police", [("道路交通安全法", "2021", 74, 1, None)], {}),
         "court": ("statutory_channel", "district_court", [], {"civil_limitation": ("2029-01-10", False, False)})}, ["medical", "consumer"]),
    ("B16-medical", NEW, "civil.sector", {"sector": "medical"},
        {"medical": ("statutory_channel", "health_commission", [("医疗纠纷预防和处理条例", "2018", 22, None, None)], {})}, ["traffic"]),
    ("B16-consumer", NEW, "civil.sector", {"sector": "consumer"},
        {"consumer": ("statutory_channel", "market_regulation", [("消费者权益保护法", "2013", 39, None, None)], {})}, ["traffic"]),
    ("B17", NEW, "land.contract", {"act_known_on": "2024-10-01"},
        {"land_arbitration": ("statutory_channel", "land_contract_arbitration",
                              [(XF22, "2022", 31, 1, 2), ("农村土地承包经营纠纷调解仲裁法", "2009", 18, None, None), ("农村土地承包法", "2018", 55, None, None)],
                              {"land_contract_arbitration": ("2026-10-08", True, True)})}, ["lawsuit_after_award"]),
    ("B17-award", NEW, "land.contract", {"award_received_on": "2026-11-02"},
        {"lawsuit_after_award": ("statutory_channel", "district_court", [("农村土地承包经营纠纷调解仲裁法", "2009", 48, None, None)],
                                 {"lawsuit_after_award": ("2026-12-02", False, True)})}, ["land_arbitration"]),
    ("B18", NEW, "collective.distribution", {"act_known_on": "2026-05-01"},
        {"collective_mediation": ("statutory_channel", "agriculture_bureau", [("农村集体经济组织法", "2024", 56, 1, None)], {}),
         "collective_arbitration": ("statutory_channel", "land_contract_arbitration", [("农村集体经济组织法", "2024", 56, 1, None)],
                                    {"civil_limitation": ("2029-05-03", False, False)})}, ["court"]),  # 1-2 May: 劳动节 (放假办法 2024)
    ("B18-before-2025", "2025-03-03", "collective.distribution", {"act_known_on": "2025-01-06"},
        {"court": ("statutory_channel", "district_court", [("民法典", "2020", 188, 1, None)],
                   {"civil_limitation": ("2028-01-06", False, False)})}, ["collective_mediation", "collective_arbitration"]),
    ("B19", NEW, "land.ownership", {}, {"government_ruling": ("statutory_channel", "district_gov",
        [("土地管理法", "2019", 14, 1, None), ("土地管理法", "2019", 14, 2, None)], {})}, ["lawsuit_after_ruling"]),
    ("B19-ruling", NEW, "land.ownership", {"ruling_received_on": "2026-11-10"},
        {"lawsuit_after_ruling": ("statutory_channel", "court_competent", [("土地管理法", "2019", 14, 3, None)],
                                  {"lawsuit_after_ruling": ("2026-12-10", False, True)})}, ["government_ruling"]),
    ("B20", NEW, "expropriation.compensation", {"act_known_on": "2026-11-02", "act_made_on": "2026-11-01", "real_property": True,
                                                "respondent_level": "district_gov", "rights_notice_given": True, "act_type": "other",
                                                "land_ownership": "state"},
        {"reconsideration": ("statutory_channel", "city_reconsideration",
            [("国有土地上房屋征收与补偿条例", "2011", 14, None, None), ("国有土地上房屋征收与补偿条例", "2011", 26, 3, None),
             ("农村土地承包经营纠纷调解仲裁法", "2009", 2, 3, None), ("行政复议法", "2023", 11, 1, 5), ("行政复议法", "2023", 21, None, None)],
            {"reconsideration": ("2027-01-04", False, False), "reconsideration_absolute": ("2046-11-01", False, False)}),
         "lawsuit": ("statutory_channel", "court_competent", [("行政诉讼法", "2017", 12, 1, 5), ("行政诉讼法", "2017", 15, 1, 1)],
                     {"lawsuit": ("2027-05-03", False, False)})}, []),
    ("B20-collective", NEW, "expropriation.compensation", {"act_known_on": "2026-11-02", "act_made_on": "2026-11-01",
                                                           "real_property": True, "respondent_level": "district_gov",
                                                           "rights_notice_given": True, "act_type": "other",
                                                           "land_ownership": "collective"},
        {"reconsideration": ("statutory_channel", "city_reconsideration",
            [("土地管理法", "2019", 47, None, None), ("土地管理法", "2019", 48, None, None),
             ("农村土地承包经营纠纷调解仲裁法", "2009", 2, 3, None), ("行政复议法", "2023", 11, 1, 5)],
            {"reconsideration": ("2027-01-04", False, False)}),
         "lawsuit": ("statutory_channel", "court_competent", [("行政诉讼法", "2017", 12, 1, 5)],
                     {"lawsuit": ("2027-05-03", False, False)})}, []),
    ("B21", NEW, "village.affairs", {}, {"court_set_aside": ("statutory_channel", "district_court", [("村民委员会组织法", "2025", 41, 1, None)], {}),
        "township": ("transfer", "town_gov", [("村民委员会组织法", "2025", 36, None, None), (XF22, "2022", 22, 1, 2)],
                     {"intake_transfer": ("2026-12-14", False, True)})}, []),
    ("B22", NEW, "state_compensation", {"act_known_on": "2025-03-01"},
        {"state_compensation": ("statutory_channel", "compensation_obligor", [("国家赔偿法", "2012", 9, 2, None), ("国家赔偿法", "2012", 39, 1, None)],
                                {"state_compensation": ("2027-03-01", False, False)})}, []),
    ("B23", NEW, "gov_info", {"info_applied_on": "2026-09-20"},
        {"info_request": ("statutory_channel", "info_holder", [("政府信息公开条例", "2019", 27, None, None), ("政府信息公开条例", "2019", 33, 2, None)],
                          {"info_reply": ("2026-10-23", True, True)})}, ["reconsideration"]),
    ("B23-refused", NEW, "gov_info", {"act_type": "info_disclosure_refusal", "act_known_on": "2026-11-16", "rights_notice_given": True,
                                      "respondent_level": "district_dept"},
        {"reconsideration": ("statutory_channel", "reconsideration_district",
                             [("行政复议法", "2023", 23, 1, 4), ("行政复议法实施条例", "2026", 31, None, None)],
                             {"reconsideration": ("2027-01-15", False, False)})}, ["info_request", "lawsuit"]),
    ("B24", NEW, "hardship.assistance", {}, {"assistance": ("statutory_channel", "town_gov",
        [(XF22, "2022", 37, 2, None), ("社会救助暂行办法", "2019", 11, 1, 1)], {})}, ["reconsideration"]),
    ("B24-refused", NEW, "hardship.assistance", {"act_known_on": "2026-11-20", "respondent_level": "district_dept"},
        {"reconsideration": ("statutory_channel", "reconsideration_district", [("社会救助暂行办法", "2019", 65, None, None)],
                             {"reconsideration": ("2027-01-19", False, False)})}, []),
    ("C1", NEW, "accusation.official", {}, {"discipline": ("transfer_discipline", "discipline",
        [(XF22, "2022", 22, 2, None), (XF22, "2022", 30, 1, None), (XF22, "2022", 30, 3, None), ("监察法", "2024", 38, None, None)],
        {"intake_transfer": ("2026-12-14", False, True)})}, []),
    ("C1-old", OLD, "accusation.official", {}, {"discipline": ("transfer_discipline", "discipline",
        [(XF05, "2005", 23, None, None), ("监察法", "2018", 35, None, None)], {"intake_transfer": ("2021-06-16", True, True)})}, []),
    ("C2", NEW, "accusation.appointment", {}, {"organisation": ("transfer", "organisation_dept", [(XF22, "2022", 30, 2, None)], {})}, []),
    ("C4", NEW, "party.discipline_appeal", {}, {"party_appeal": ("statutory_channel", "party_organisation",
        [(XF22, "2022", 31, 1, 3), ("党员权利保障条例", "2020", None, None, None)], {})}, []),
    ("C5", NEW, "supervision.sanction_appeal", {"act_known_on": "2026-10-31"},
        {"supervision_reexam": ("statutory_channel", "supervision_deciding", [("监察法", "2024", 56, None, None), ("公职人员政务处分法", "2020", 55, 1, None)],
                                {"supervision_reexamination": ("2026-11-30", False, True)})}, []),
    ("C5-2018-text", "2025-05-08", "supervision.sanction_appeal", {"act_known_on": "2025-04-30"},
        {"supervision_reexam": ("statutory_channel", "supervision_deciding", [("监察法", "2018", 49, None, None)],
                                {"supervision_reexamination": ("2025-05-30", True, True)})}, []),
    ("D1", NEW, "suggestion", {}, {"suggestion": ("transfer", "organ_with_power", [(XF22, "2022", 29, 1, None), (XF22, "2022", 22, 1, 1)],
        {"intake_transfer": ("2026-12-14", False, True)})}, []),
    ("D1-old", OLD, "suggestion", {}, {"suggestion": ("transfer", "organ_with_power", [(XF05, "2005", 29, None, None), (XF05, "2005", 21, 1, 2)],
        {"intake_transfer": ("2021-06-16", True, True)})}, []),
    ("D2", NEW, "other_branch", {"branch": "procuratorate"}, {"other_branch": ("transfer", "district_procuratorate",
        [(XF22, "2022", 2, None, None), (XF22, "2022", 22, 1, 1)], {})}, []),
    ("D2-old", OLD, "other_branch", {"branch": "court"}, {"other_branch": ("inform_other_body", "district_court",
        [(XF05, "2005", 15, None, None), (XF05, "2005", 21, 1, 1)], {})}, []),
    ("E1", "2026-09-16", "request.district_dept", {}, {"district_dept": ("transfer", "organ_with_power",
        [(XF22, "2022", 22, 1, 1), (XF22, "2022", 31, 1, 6)], {"intake_transfer": ("2026-10-08", True, True)})}, []),
    ("E1-old", OLD, "request.district_dept", {}, {"district_dept": ("transfer", "organ_with_power", [(XF05, "2005", 21, 1, 2)], {})}, []),
    ("E2", NEW, "request.lower_level", {}, {"lower_level": ("transfer", "town_gov", [(XF22, "2022", 22, 1, 2)], {})}, []),
    ("E2-old", OLD, "request.lower_level", {}, {"lower_level": ("transfer", "town_gov", [(XF05, "2005", 21, 1, 3)], {})}, []),
    ("E3", NEW, "request.outside_district", {}, {"outside": ("proper_level", "organ_outside_district",
        [(XF22, "2022", 20, 1, None), (XF22, "2022", 23, 1, None)], {})}, []),
]


@pytest.mark.parametrize(("row", "received", "kind", "facts", "expected", "absent"), CASES, ids=[c[0] for c in CASES])
def test_row(row, received, kind, facts, expected, absent):
    result = run(received, kind, facts)
    assert result["regulation"]["instrument"] == (XF22 if received >= "2022-05-01" else XF05)
    for cid, (decision, organ, expected_cites, expected_deadlines) in expected.items():
        ch = channel(result, cid)
        assert ch["decision"] == decision
        assert ch["organ"] == organ
        got = cites(ch)
        for c in expected_cites:
            assert c in got, f"{row}: {c} not cited; got {sorted(got, key=str)}"
        dl = deadlines(ch)
        for what, want in expected_deadlines.items():
            assert dl.get(what) == want, f"{row}: {what} {dl.get(what)} != {want}"
    ids = {c["id"] for c in result["channels"]}
    for cid in absent:
        assert cid not in ids, f"{row}: unexpected channel {cid}"


def test_every_kind_has_a_row():
    from xinfang_desk.domain.matter_kinds import all_kinds

    covered = {c[2] for c in CASES}
    assert {k.code for k in all_kinds()} <= covered
