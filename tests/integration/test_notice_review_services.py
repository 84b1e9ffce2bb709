"""Issue 8 through the services and the CLI: the notice is dated the day it is issued; an organ's address and
phone are printed once an admin has confirmed them (and the preview is told which are not); the stored
classification carries warnings as codes with parameters, so the notice's stub is Chinese whatever language the
clerk used; the CLI `classify` is the registration page's proposal, with the office's calendar and organs."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from tests.integration.conftest_reg import run_cli
from xinfang_desk.i18n import set_language
from xinfang_desk.services.context import LOCAL_TZ, Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

pytest_plugins = ["tests.integration.conftest_reg"]

LABOUR = MatterInput("labour.dispute", "被公司辞退，未付经济补偿", "支付经济补偿", "青溪某建材有限公司",
                     {"act_known_on": "2026-06-01"})


def _flat(pdf: bytes, first: int = 0, last: int | None = None) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pages[first:last]))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), LOCAL_TZ).astimezone(dt.UTC)


def test_notice_is_dated_the_day_it_is_issued_and_a_reprint_keeps_that_date(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("周一"),), LABOUR,
                                                            received_on=dt.date(2026, 11, 20)),
                                   now=_at(dt.date(2026, 11, 23)))
    printed = sv.notices.print_notice(clerk, res.query_code, "visitor", now=_at(dt.date(2026, 11, 27)))
    text = _flat(printed.pdf)
    assert "您于2026年11月20日到本机关来访" in text  # the day received stays in the body …
    assert "区人民政府信访局2026年11月27日" in text  # … the issuing office signs with the day of issue
    assert "区人民政府信访局2026年11月20日" not in text
    again = sv.notices.print_notice(clerk, res.query_code, "visitor", now=_at(dt.date(2026, 12, 30)))
    assert again.reprint and "区人民政府信访局2026年11月27日" in _flat(again.pdf)


def test_organ_details_printed_only_once_an_admin_confirmed_them(sv, clerk: Actor, actors: dict[str, Actor]) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("吴二"),), LABOUR))
    first = sv.notices.print_notice(clerk, res.query_code, "visitor")
    text = _flat(first.pdf)
    assert "区劳动人事争议仲裁委员会" in text and "具体地址和电话请向本机关咨询" in text
    assert "0000-12333" not in text and "人民路2号" not in text
    assert "区劳动人事争议仲裁委员会" in first.unconfirmed_organs  # the preview says so

    sv.reference.update_organ(actors["admin"], "labour_arbitration", address="本区和平路8号", phone="023-6688 1234",
                              confirmed=True)
    res2 = sv.registration.register(clerk, RegistrationInput((PersonInput("吴三"),), LABOUR))
    second = sv.notices.print_notice(clerk, res2.query_code, "visitor")
    text2 = _flat(second.pdf)
    assert "本区和平路8号" in text2 and "023-66881234" in text2
    assert "具体地址和电话请向本机关咨询" not in text2 and second.unconfirmed_organs == ()


def test_cli_organs_update_confirms_an_organ(db_url: str, sv, clerk: Actor) -> None:
    before = sv.registration.register(clerk, RegistrationInput((PersonInput("吴五"),), LABOUR))
    assert "人民路2号" not in _flat(sv.notices.print_notice(clerk, before.query_code, "visitor").pdf)
    r = run_cli(db_url, "--user", "admin", "organs", "update", "labour_arbitration", "--confirmed",
                XINFANG_DESK_PASSWORD="Admin2026x")
    assert r.code == 0, r.err
    assert next(o for o in r.json() if o["key"] == "labour_arbitration")["confirmed"] is True
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("吴四"),), LABOUR))
    assert "人民路2号" in _flat(sv.notices.print_notice(clerk, res.query_code, "visitor").pdf)


def test_stub_is_chinese_even_when_the_matter_was_classified_in_english(sv, clerk: Actor) -> None:
    set_language("en")
    try:
        res = sv.registration.register(clerk, RegistrationInput(
            tuple(PersonInput(n) for n in ("郑一", "郑二", "郑三")), LABOUR, group_size=6))
    finally:
        set_language("zh_CN")
    warnings = res.classification["warnings"]
    group = next(w for w in warnings if w["code"] == "group_representatives")
    assert group["params"] == {"n": 6, "max": 5} and group["msgid"].startswith("Collective visit")
    missing = [w for w in warnings if w["code"] == "missing_fact"]
    assert "economic_hardship" in {w["fact"] for w in missing}
    assert all("msgid" in w["params"]["question"] for w in missing)
    stub = _flat(sv.notices.print_notice(clerk, res.query_code, "stub").pdf)
    assert "群体访" in stub or "代表" in stub
    body = re.sub(r"(文书ID|法规库)[0-9a-f-]+", "", stub)  # ids and digests (hex) in the provenance footer
    assert not re.findall(r"[A-Za-z]{3,}", body), re.findall(r"[A-Za-z]{3,}", body)  # no English on official paper
    assert "economic_hardship" not in stub and "employment_ongoing" not in stub


def test_cli_classify_uses_the_offices_organ_directory_and_calendar(db_url: str, sv, actors: dict[str, Actor]) -> None:
    sv.reference.update_organ(actors["admin"], "labour_arbitration", name="青溪区劳动人事争议仲裁委员会", confirmed=True)
    sv.reference.import_calendar_year(actors["admin"], {
        "year": 2027, "source": "测试", "holidays": [{"name": "测试", "from": "2027-06-01", "to": "2027-06-01"}], "workdays": []})
    doc = ('{"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "labour.dispute", '
           '"facts": {"act_known_on": "2026-06-01"}}}')
    r = run_cli(db_url, "classify", "--json", "-", "--today", "2026-11-27", stdin=doc)
    assert r.code == 0, r.err
    ch = next(c for c in r.json()["channels"] if c["id"] == "arbitration")
    assert ch["organ_name"] == "青溪区劳动人事争议仲裁委员会" and ch["organ_confirmed"] is True
    dl = next(d for d in ch["deadlines"] if d["what"] == "labour_arbitration")
    assert dl["last_day"] == "2027-06-02" and dl["calendar_certain"] is True  # the office's 2027 calendar
    assert dl["kind"] == "open"
    # the same through the service the registration page calls
    gui = sv.classification.propose(actors["clerk"], dt.date(2026, 11, 27), 1, "labour.dispute",
                                    {"act_known_on": "2026-06-01"})
    assert next(c for c in gui["channels"] if c["id"] == "arbitration")["organ_name"] == ch["organ_name"]


def test_cli_classify_words_follow_lang_codes_do_not(db_url: str) -> None:
    doc = ('{"received_on": "2026-11-27", "group_size": 7, "matter": {"kind": "labour.dispute", '
           '"facts": {"act_known_on": "2026-06-01"}}}')
    en = run_cli(db_url, "classify", "--json", "-", "--today", "2026-11-27", stdin=doc, lang="en")
    zh = run_cli(db_url, "classify", "--json", "-", "--today", "2026-11-27", stdin=doc)
    assert en.code == zh.code == 0, (en.err, zh.err)
    w_en = next(w for w in en.json()["warnings"] if w["code"] == "group_representatives")
    w_zh = next(w for w in zh.json()["warnings"] if w["code"] == "group_representatives")
    assert w_en["params"] == w_zh["params"] == {"n": 7, "max": 5}
    assert w_en["message"].startswith("Collective visit of 7 people")
    assert "7" in w_zh["message"] and not re.search(r"[A-Za-z]{4,}", w_zh["message"])
    m_zh = next(w for w in zh.json()["warnings"] if w["code"] == "missing_fact")
    assert "economic_hardship" not in m_zh["message"]
