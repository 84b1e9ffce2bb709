"""Registration stores the classification with its versions; overrides need a reason and are audited;
notices are printed from the stored classification and reprinted (补打) identically."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.integration.conftest_reg import counts, delta, run_cli
from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.persistence.models import AuditEvent, Classification, Notice
from xinfang_desk.services.classification import Override
from xinfang_desk.services.context import LOCAL_TZ, Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

pytest_plugins = ["tests.integration.conftest_reg"]

LABOUR = MatterInput("labour.dispute", "被公司辞退，未付经济补偿", "支付经济补偿", "青溪某建材有限公司",
                     {"act_known_on": "2026-06-01"})


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), LOCAL_TZ).astimezone(dt.UTC)


def test_registration_stores_classification_with_versions(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("王芳"),), LABOUR))
    assert res.classification is not None
    decisions = [c["decision"] for c in res.classification["channels"]]
    assert "statutory_channel" in decisions
    with sv.db.session() as s:
        row = s.scalar(select(Classification).where(Classification.visit_id == res.visit_id))
        assert row is not None and row.ruleset_version and row.statute_versions
        assert row.result["regulation"] == {"instrument": "信访工作条例", "version": "2022"}
        assert row.input["kind"] == "labour.dispute" and row.input["facts"]["act_known_on"] == "2026-06-01"
        assert not row.overridden


def test_same_labour_dispute_2021_and_2026_cites_the_regulation_in_force(sv, clerk: Actor) -> None:
    old = sv.registration.register(clerk, RegistrationInput((PersonInput("赵一"),), LABOUR._replace() if False else
                                   MatterInput("labour.dispute", "辞退纠纷", "补偿", "某公司", {"act_known_on": "2021-06-01"}),
                                   received_on=dt.date(2021, 8, 15)), now=_at(dt.date(2026, 11, 27)))
    new = sv.registration.register(clerk, RegistrationInput((PersonInput("赵二"),), LABOUR), now=_at(dt.date(2026, 11, 27)))
    c_old, c_new = old.classification, new.classification
    assert c_old["regulation"]["instrument"] == "信访条例"
    first_old = c_old["channels"][0]
    assert first_old["decision"] == "not_accepted"
    assert (first_old["citations"][0]["instrument"], first_old["citations"][0]["article"]) == ("信访条例", 21)
    assert c_new["regulation"]["instrument"] == "信访工作条例"
    chans = {c["decision"]: c for c in c_new["channels"]}
    cites = {(c["instrument"], c["article"]) for c in chans["statutory_channel"]["citations"]}
    assert ("信访工作条例", 31) in cites and ("劳动争议调解仲裁法", 27) in cites


def test_override_needs_a_reason_and_is_audited(sv, clerk: Actor) -> None:
    before = counts(sv)
    with pytest.raises(ValidationFailed) as e:
        sv.registration.register(clerk, RegistrationInput((PersonInput("钱三"),), LABOUR,
                                                          override=Override("transfer", "hrss_bureau", "")))
    assert e.value.problems[0].field == "override.reason"
    assert delta(before, counts(sv)) == {"audit_events": 1, "outbox": 1}  # only the failed attempt's audit
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("钱三"),), LABOUR, override=Override("transfer", "hrss_bureau", "当事人已申请仲裁，被驳回后要求转送人社局")))
    assert res.classification["channels"][0]["decision"] == "transfer"
    with sv.db.session() as s:
        row = s.scalar(select(Classification).where(Classification.visit_id == res.visit_id))
        assert row.overridden and "驳回" in row.override_reason
        assert row.proposed["channels"][0]["decision"] == "statutory_channel"  # the rules' proposal is kept beside the override
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "classification.override"))
        assert ev is not None and ev.username == clerk.username and ev.entity_id == row.id


def test_lawyer_cannot_override_or_print(sv, clerk: Actor, actors: dict[str, Actor]) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("孙四"),), LABOUR))
    lawyer = actors["lawyer"]
    with pytest.raises(PermissionDenied):
        sv.classification.reclassify(lawyer, res.visit_id, Override("transfer", "hrss_bureau", "理由充分的改判"))
    with pytest.raises(PermissionDenied):
        sv.notices.print_notice(lawyer, res.query_code)


def test_notice_cites_article_quote_organ_and_deadline(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("𠮷田·䶮", "11010519491231002x", "13812345678"),), LABOUR))
    printed = sv.notices.print_notice(clerk, res.query_code, copy="visitor")
    text = _flat(_text(printed.pdf))
    chan = next(c for c in res.classification["channels"] if c["decision"] == "statutory_channel")
    art27 = next(c for c in chan["citations"] if c["instrument"] == "劳动争议调解仲裁法" and c["article"] == 27)
    assert "劳动争议调解仲裁法" in text and "第二十七条" in text
    assert _flat(art27["text"])[:40] in text  # the verbatim quote
    assert "区劳动人事争议仲裁委员会" in text
    last = dt.date.fromisoformat(next(d for d in chan["deadlines"] if d["what"].startswith("labour_arbitration"))["last_day"])
    assert f"{last.year}年{last.month}月{last.day}日" in text
    assert "𠮷田·䶮" in text
    both = _flat(_text(sv.notices.print_notice(clerk, res.query_code, copy="both").pdf))  # the stub lists ID and phone
    assert "110105********002X" in both and "11010519491231002X" not in both
    assert "138****5678" in both and "13812345678" not in both
    assert "信访不能代替" in text


def test_reprint_is_identical_but_marked(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("李五"),), LABOUR))
    first = sv.notices.print_notice(clerk, res.query_code, now=_at(dt.date.today()))
    second = sv.notices.print_notice(clerk, res.query_code, now=_at(dt.date.today()) + dt.timedelta(hours=3))
    assert not first.reprint and second.reprint
    assert second.document_number == first.document_number
    t1, t2 = _text(first.pdf), _text(second.pdf)
    assert "补打" not in t1 and "补打" in t2

    def strip(t: str) -> str:  # the reprint mark, the print time and the print event's id may differ
        t = re.sub(r"文书ID\s*\S+", "", t)
        t = re.sub(r"(打印|补打)于\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}", "", t)
        return _flat(t.replace("补打", "").replace("·", ""))

    assert strip(t1) == strip(t2)
    with sv.db.session() as s:
        rows = list(s.scalars(select(Notice).where(Notice.visit_id == res.visit_id).order_by(Notice.printed_at)))
        assert len(rows) == 2 and rows[1].reprint_of_id == rows[0].id


def test_notice_printed_today_for_a_2021_matter_quotes_the_2005_regulation(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("周六"),), MatterInput("labour.dispute", "辞退纠纷", "补偿", "某公司", {"act_known_on": "2021-06-01"}),
        received_on=dt.date(2021, 8, 15)))
    text = _flat(_text(sv.notices.print_notice(clerk, res.query_code, copy="visitor").pdf))
    assert "信访条例" in text and "2005" in text
    assert "信访工作条例" not in text
    assert "不予受理" in text


def test_expired_period_is_never_printed_as_open(sv, clerk: Actor) -> None:
    res = sv.registration.register(clerk, RegistrationInput(
        (PersonInput("吴七"),), MatterInput("admin.act", "不服罚款决定", "撤销", "区市场监督管理局",
                                          {"act_known_on": "2025-01-10", "act_made_on": "2025-01-10", "act_type": "other",
                                           "respondent_level": "district_dept", "rights_notice_given": True})))
    expired = [d for ch in res.classification["channels"] for d in ch["deadlines"] if d["expired"]]
    assert expired, "a 60-day 复议 period from 2025-01-10 has run out by now"
    text = _flat(_text(sv.notices.print_notice(clerk, res.query_code, copy="visitor").pdf))
    for d in expired:
        last = dt.date.fromisoformat(d["last_day"])
        cn = f"{last.year}年{last.month}月{last.day}日"
        assert f"请于{cn}前" not in text and f"请于{cn}以前" not in text


def test_notice_cli_writes_pdf_and_marks_reprint(db_url: str, sv, clerk: Actor, tmp_path) -> None:
    res = sv.registration.register(clerk, RegistrationInput((PersonInput("郑八"),), LABOUR))
    out = tmp_path / "n.pdf"
    r = run_cli(db_url, "notice", res.query_code, "--pdf", str(out), "--copy", "visitor")
    assert r.code == 0, r.err
    assert out.read_bytes().startswith(b"%PDF")
    r2 = run_cli(db_url, "notice", res.query_code, "--pdf", str(out), "--copy", "both")
    assert r2.code == 0 and "补打" in r2.err
    bad = run_cli(db_url, "notice", "BN03-20000101-9999", "--pdf", str(out))
    assert bad.code == 2 and "查询码" in bad.err


def test_classify_cli_contract(db_url: str) -> None:
    doc = '{"received_on": "2026-11-27", "group_size": 8, "matter": {"kind": "labour.dispute", "facts": {"act_known_on": "2026-06-01"}}}'
    r = run_cli(db_url, "classify", "--json", "-", "--today", "2026-11-27", stdin=doc)
    assert r.code == 0, r.err
    out = r.json()
    assert out["regulation"] == {"instrument": "信访工作条例", "version": "2022"}
    ch = next(c for c in out["channels"] if c["decision"] == "statutory_channel")
    assert all(isinstance(c["article"], int) for c in ch["citations"])
    dl = ch["deadlines"][0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dl["last_day"]) and isinstance(dl["expired"], bool)
    assert any(w["code"] == "group_representatives" for w in out["warnings"])
    for bad, field in [
        ('{"received_on": "2026-13-01", "matter": {"kind": "labour.dispute"}}', "received_on"),
        ('{"received_on": "2026-11-27", "matter": {"kind": "no.such"}}', "matter.kind"),
        ('{"received_on": "2026-11-27", "matter": {"kind": "labour.dispute", "facts": {"nope": 1}}}', "nope"),
        ('{"received_on": "2026-11-27", "matter": {"kind": "labour.dispute", "facts": {"act_known_on": "yesterday"}}}', "act_known_on"),
    ]:
        r = run_cli(db_url, "classify", "--json", "-", stdin=bad, lang="en")
        assert r.code == 2 and field in r.err and not r.out, (bad, r.err)
