"""The statute catalogue: verbatim texts, statuses, versions by date, and the loader's refusals."""

import copy
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from xinfang_desk.paths import resource
from xinfang_desk.statutes.catalogue import (
    CatalogueError,
    catalogue_documents,
    default_catalogue,
    load_catalogue,
    quote,
    version_in_force,
)
from xinfang_desk.statutes.rules import _all_cites, default_rules
from xinfang_desk.statutes.textparse import articles_in_markdown, cn_to_int, int_to_cn, render

SOURCES = resource("statutes", "sources")
STATUTES_MD = (SOURCES / "statutes.md").read_text(encoding="utf-8")
# the reference texts the catalogue was copied from: the project keeps copies in tests/data/reference (so this
# runs in every clone); where the coordinator's shared/ folder sits beside the clone, they are checked against it
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference"
CAT = default_catalogue()


def _quoted_lines(md: str) -> set[str]:
    """Every line of a '> ' block quote in statutes.md."""
    return {line[2:] for line in md.split("\n") if line.startswith("> ")}


QUOTED = _quoted_lines(STATUTES_MD)


def _law_articles(law_file: str) -> dict[int, str]:
    return articles_in_markdown((SOURCES / "laws" / law_file).read_text(encoding="utf-8"))


def test_source_copies_are_unchanged():
    sums = json.loads((SOURCES / "SHA256SUMS.json").read_text(encoding="utf-8"))
    for rel, digest in sums.items():
        assert hashlib.sha256((SOURCES / rel).read_bytes()).hexdigest() == digest, rel


def test_source_copy_matches_the_reference_texts():
    laws = sorted((SOURCES / "laws").glob("*.md"))
    assert laws, "the catalogue's law sources are missing"
    assert (SOURCES / "statutes.md").read_bytes() == (REFERENCE / "statutes.md").read_bytes()
    for law in laws:
        assert law.read_bytes() == (REFERENCE / "laws" / law.name).read_bytes(), law.name
    if (SHARED / "statutes.md").exists():  # the kept copies are still the project's reference, byte for byte
        assert (REFERENCE / "statutes.md").read_bytes() == (SHARED / "statutes.md").read_bytes()
        for law in laws:
            assert (REFERENCE / "laws" / law.name).read_bytes() == (SHARED / "laws" / law.name).read_bytes()


def _in_statutes_md(text: str) -> bool:
    """The article appears in statutes.md as one complete block quote, line for line."""
    block = "\n>\n".join("> " + line for line in text.split("\n"))
    pos = STATUTES_MD.find(block)
    while pos != -1:
        before_ok = pos == 0 or STATUTES_MD[pos - 1] == "\n"
        rest = STATUTES_MD[pos + len(block):]
        after_ok = rest == "" or rest.startswith("\n\n") or rest.startswith("\n") and not rest[1:].startswith(">")
        if before_ok and after_ok:
            return True
        pos = STATUTES_MD.find(block, pos + 1)
    return False


def test_every_article_is_verbatim_from_its_source():
    """Each catalogued article, re-rendered, is the same text as in statutes.md or the law file, char for char."""
    checked = 0
    for inst in CAT.instruments.values():
        for ver in inst.versions:
            for art in ver.articles.values():
                text = art.text()
                if text is None:
                    assert art.status == "M" and not art.printable
                    continue
                if art.source == "statutes.md":
                    assert _in_statutes_md(text), (inst.name, ver.version, art.number)
                else:
                    law = art.source.removeprefix("laws/")
                    assert _law_articles(law)[art.number] == text, (inst.name, ver.version, art.number)
                checked += 1
    assert checked > 250


def _all_rule_citations():
    rules = default_rules()
    specs = []
    for k in rules.kinds.values():
        for ch in k.channels + k.fallback:
            specs.extend(_all_cites(ch))
        if k.legal_aid:
            specs.extend(k.legal_aid.cites)
    specs.extend(_all_cites(rules.discipline))
    specs.extend(_all_cites(rules.legal_aid_means))
    specs.extend(rules.legal_aid_waivers.values())
    specs.append(rules.legal_aid_urgent)
    specs.extend(rules.legal_aid_common)
    for group in list(rules.group_cites.values()) + list(rules.intake.cites.values()):
        specs.extend(group)
    return specs


def test_every_rule_citation_exists_verbatim_and_no_m_or_j_is_printable():
    """Every (instrument, version, article, paragraph, item) a rule can produce resolves to catalogued text,
    which the test above proves verbatim; its unit is part of that article's text."""
    specs = _all_rule_citations()
    assert len(specs) > 150
    for spec in specs:
        inst = CAT.instrument(spec.instrument)
        targets = ([(v, r) for v, refs in spec.by_version.items() for r in refs] if spec.by_version is not None
                   else [(v.version, r) for v in inst.versions for r in spec.refs])
        for version, (art, para, item) in targets:
            q = quote(spec.instrument, version, art, para, item)
            assert q.printable == (q.status not in ("M", "J") and q.text is not None)
            if q.text is None:
                assert q.status == "M"
                continue
            whole = quote(spec.instrument, version, art).text
            assert q.text in whole, (spec, version)
            assert _in_statutes_md(whole) or CAT.version(spec.instrument, version).articles[art].source.startswith("laws/")


def test_no_m_or_j_article_is_printable():
    for inst in CAT.instruments.values():
        for ver in inst.versions:
            for art in ver.articles.values():
                if art.status in ("M", "J"):
                    assert not art.printable
                    assert quote(inst.name, ver.version, art.number).printable is False


def test_quote_units():
    q = quote("信访工作条例", "2022", 31, 1, 2)
    assert q.text == "（二）应当通过仲裁解决的，导入相应程序处理。" and q.status == "V" and q.printable
    q = quote("信访工作条例", "2022", 20, 3)
    assert q.text == "多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不得超过5人。"
    q = quote("信访条例", "2005", 18, 2)
    assert q.text == "多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不得超过5人。"
    whole = quote("劳动争议调解仲裁法", "2007", 27)
    assert whole.text.startswith("第二十七条 劳动争议申请仲裁的时效期间为一年。")
    assert whole.text.count("\n") == 3
    # 信访条例 21: the sub-paragraph of item (三) stays inside it, item (四) belongs to paragraph 1
    assert quote("信访条例", "2005", 21, 1, 4).text.startswith("(四)对转送信访事项中的重要情况")
    assert quote("信访条例", "2005", 21, 2).text.startswith("按照前款第(二)项至第(四)项规定")
    assert quote("民法典", "2020", 203, 1).text == "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"


def test_memory_items_are_not_printable():
    q = quote("涉法涉诉信访意见", "2014")
    assert q.status == "M" and q.printable is False
    assert quote("纪检监察机关处理检举控告工作规则", "2020", 4).status == "V2"


def test_missing_article_refused():
    with pytest.raises(CatalogueError):
        quote("信访工作条例", "2022", 99)
    with pytest.raises(CatalogueError):
        quote("信访工作条例", "2022", 31, 1, 7)
    with pytest.raises(CatalogueError):
        quote("信访工作条例", "2005", 31)


@pytest.mark.parametrize(
    ("instrument", "day", "version"),
    [
        ("信访条例", "2022-04-30", "2005"),
        ("信访条例", "2022-05-01", None),
        ("信访工作条例", "2022-05-01", "2022"),
        ("行政复议法", "2023-12-31", "2017"),
        ("行政复议法", "2024-01-01", "2023"),
        ("行政复议法实施条例", "2026-06-30", "2007"),
        ("行政复议法实施条例", "2026-07-01", "2026"),
        ("治安管理处罚法", "2025-12-31", "2012"),
        ("治安管理处罚法", "2026-01-01", "2025"),
        ("仲裁法", "2026-02-28", "2017"),
        ("仲裁法", "2026-03-01", "2025"),
        ("监察法", "2025-05-31", "2018"),
        ("监察法", "2025-06-01", "2024"),
        ("法律援助法", "2021-12-31", None),
        ("农村集体经济组织法", "2025-05-01", "2024"),
    ],
)
def test_version_in_force(instrument, day, version):
    v = version_in_force(instrument, date.fromisoformat(day))
    assert (v.version if v else None) == version


def _docs():
    return copy.deepcopy(catalogue_documents())


def test_overlapping_versions_refused():
    docs = _docs()
    doc = next(d for d in docs if d["instrument"] == "行政复议法")
    doc["versions"][0]["effective_to"] = "2024-01-01"
    with pytest.raises(CatalogueError, match="overlap"):
        load_catalogue(docs)


def test_printable_memory_text_refused():
    docs = _docs()
    doc = next(d for d in docs if d["instrument"] == "信访工作条例")
    doc["versions"][0]["articles"][0]["status"] = "M"
    doc["versions"][0]["articles"][0]["printable"] = True
    with pytest.raises(CatalogueError, match="may not be printable"):
        load_catalogue(docs)
    doc["versions"][0]["articles"][0]["status"] = "J"
    with pytest.raises(CatalogueError, match="may not be printable"):
        load_catalogue(docs)


def test_rule_citing_an_article_the_catalogue_lacks_is_refused():
    from xinfang_desk.statutes.facts import default_fact_defs
    from xinfang_desk.statutes.organs import default_organs
    from xinfang_desk.statutes.rules import RuleError, load_rules, rules_document

    docs = _docs()
    doc = next(d for d in docs if d["instrument"] == "劳动争议调解仲裁法")
    doc["versions"][0]["articles"] = [a for a in doc["versions"][0]["articles"] if a["number"] != 27]
    with pytest.raises(RuleError, match="no article 27"):
        load_rules(rules_document(), load_catalogue(docs), default_organs(), default_fact_defs())


def test_plain_citation_of_renumbered_instrument_is_refused():
    from xinfang_desk.statutes.facts import default_fact_defs
    from xinfang_desk.statutes.organs import default_organs
    from xinfang_desk.statutes.rules import RuleError, load_rules, rules_document

    data = rules_document()
    data["kinds"]["public_order"]["channels"][0]["cite"] = ["治安管理处罚法 9"]
    with pytest.raises(RuleError, match="renumbered"):
        load_rules(data, default_catalogue(), default_organs(), default_fact_defs())


def test_numerals_round_trip():
    for n in (1, 10, 11, 20, 101, 110, 188, 201, 216, 1260):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(1260) == "一千二百六十"


def test_render_round_trip():
    art = CAT.version("信访工作条例", "2022").articles[22]
    assert render(art.heading, [{"text": p.text, "items": list(p.items)} for p in art.paragraphs]) == art.text()


def test_versions_and_articles_imported_from_the_full_texts():
    """issue 8 item 11 (and the articles items 7-10 cite): each copied from laws/ character for character."""
    q = quote("行政诉讼法", "2017", 15, 1, 1)
    assert (q.status, q.printable) == ("V", True)
    assert q.text == "（一）对国务院部门或者县级以上地方人民政府所作的行政行为提起诉讼的案件；"
    assert _law_articles("行政诉讼法(2017-06-27).md")[15].startswith("第十五条 中级人民法院管辖下列第一审行政案件")
    # 民事诉讼法 2021 (in force 2022-01-01 .. 2023-12-31): 再审 is art. 212 there, 216 from 2024
    assert version_in_force("民事诉讼法", date(2023, 6, 1)).version == "2021"
    assert version_in_force("民事诉讼法", date(2024, 1, 1)).version == "2023"
    assert version_in_force("民事诉讼法", date(2021, 12, 31)) is None
    assert quote("民事诉讼法", "2021", 212).text.startswith("第二百一十二条 当事人申请再审，应当在判决、裁定发生法律效力后六个月内提出")
    assert quote("民事诉讼法", "2021", 171, 2).text == "当事人不服地方人民法院第一审裁定的，有权在裁定书送达之日起十日内向上一级人民法院提起上诉。"
    # 村民委员会组织法 2018 (renumbered in 2025: 36 -> 41, 31 -> 36)
    assert version_in_force("村民委员会组织法", date(2024, 3, 1)).version == "2018"
    assert version_in_force("村民委员会组织法", date(2025, 11, 1)).version == "2025"
    assert quote("村民委员会组织法", "2018", 36, 1).text == quote("村民委员会组织法", "2025", 41, 1).text
    assert CAT.instrument("村民委员会组织法").renumbered
    # 行政复议法 2017 art. 12: the visitor chooses the department's government or its superior department
    assert "可以向该部门的本级人民政府申请行政复议，也可以向上一级主管部门申请行政复议" in quote("行政复议法", "2017", 12, 1).text
    # 民法典 196 items; 土地管理法 2019 arts. 47, 48
    assert quote("民法典", "2020", 196, 1, 3).text == "（三）请求支付抚养费、赡养费或者扶养费；"
    assert quote("土地管理法", "2019", 48, 1).text.startswith("征收土地应当给予公平、合理的补偿")
    assert quote("土地管理法", "2019", 47).text.count("\n") == 4
