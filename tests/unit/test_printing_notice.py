"""The 告知书 renderer: text, quotes, deadlines, fonts, escaping, determinism (no Qt)."""

from __future__ import annotations

import copy as _copy
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from xinfang_desk.printing import document as D
from xinfang_desk.printing import notice_templates as T
from xinfang_desk.printing.fonts import MissingGlyph, check_printable
from xinfang_desk.printing.notice import NoticeVisitor, OrganInfo, render_notice
from xinfang_desk.printing.samples import ART27, CLASSIFICATION, sample_notice


def pdf_text(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(s: str) -> str:
    """Text without line breaks and spaces, so phrases wrapped across lines still match."""
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def both() -> bytes:
    return render_notice(sample_notice(), "both")


@pytest.fixture(scope="module")
def visitor_text() -> str:
    return flat("".join(pdf_text(render_notice(sample_notice(), "visitor"))))


def test_is_a_pdf_of_a4_pages(both: bytes) -> None:
    assert both.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(both))
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842


def test_instrument_article_and_verbatim_quote(visitor_text: str) -> None:
    assert "《中华人民共和国劳动争议调解仲裁法》" in visitor_text
    assert "第二十七条第一款" in visitor_text
    for paragraph in ART27.split("\n"):
        assert flat(paragraph) in visitor_text
    assert "《信访工作条例》（2022年版）第三十一条第二项" in visitor_text


def test_m_status_text_is_never_quoted(visitor_text: str) -> None:
    assert "《某某省劳动人事争议处理办法》（2019年版）第十二条" in visitor_text  # cited …
    assert "未经核对的条文" not in visitor_text  # … but never quoted


def test_organ_and_deadline(visitor_text: str) -> None:
    assert "某某区劳动人事争议仲裁委员会" in visitor_text
    assert "某某区人民路88号区人力资源和社会保障局三楼" in visitor_text
    assert "023-12345678" in visitor_text
    assert "请于2026年12月9日前向某某区劳动人事争议仲裁委员会提出劳动争议仲裁申请" in visitor_text
    assert "某某区法律援助中心" in visitor_text and "12348" in visitor_text


def test_fixed_sentences_query_code_and_date(visitor_text: str) -> None:
    assert "信访不能代替法定程序" in visitor_text
    assert "BN03-20261127-0007" in visitor_text
    assert "〔2026〕BN03-告字第0007号" in visitor_text
    assert "2026年11月27日" in visitor_text  # 成文日期, no leading zeros
    assert "印章处" in visitor_text
    assert "—1—" in visitor_text
    assert "存根" not in visitor_text


def test_rare_names_survive_into_the_text(both: bytes) -> None:
    data = sample_notice(
        visitors=(NoticeVisitor("王𠮷"), NoticeVisitor("刘䶮"), NoticeVisitor("\U00020000\U0002A6A5"),
                  NoticeVisitor("买买提·艾力"))
    )
    text = "".join(pdf_text(render_notice(data, "both")))
    for name in ("王𠮷", "刘䶮", "\U00020000\U0002A6A5", "买买提·艾力"):
        assert text.count(name) >= 2, name  # on the notice and on the stub


def test_every_font_is_embedded(both: bytes) -> None:
    reader = PdfReader(io.BytesIO(both))
    seen = set()
    for page in reader.pages:
        for _name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} has no descriptor: not embedded"
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not embedded"
    assert any("NotoSerifSC-Regular" in s for s in seen)
    assert any("HanaMinA" in s for s in seen)
    assert not any("Helvetica" in s for s in seen)


def test_unprintable_character_raises_instead_of_a_box() -> None:
    data = sample_notice(visitors=(NoticeVisitor("王\U00030000"),))
    with pytest.raises(MissingGlyph) as exc:
        render_notice(data, "visitor")
    assert "U+30000" in str(exc.value) and "visitors[0].name" in str(exc.value)


def test_ivs_raises() -> None:
    with pytest.raises(MissingGlyph):
        render_notice(sample_notice(visitors=(NoticeVisitor("葛\U000E0100优"),)), "visitor")


@pytest.mark.parametrize(
    "evil",
    ['<img src="/etc/passwd"/>', ") Tj /F1 99 Tf (", "<b>粗</b>&amp;", '<font name="Helvetica">x</font>', "<br/>"],
)
def test_markup_injection_prints_literally(evil: str) -> None:
    data = sample_notice(matter_summary=f"前{evil}后", operator=f"张{evil}")
    text = flat("".join(pdf_text(render_notice(data, "both"))))
    assert flat(f"前{evil}后") in text
    assert flat(f"张{evil}") in text


def test_expired_deadline_is_never_printed_as_open() -> None:
    cls = _copy.deepcopy(CLASSIFICATION)
    cls["channels"][0]["deadlines"][0].update(last_day="2026-03-02", expired=True)
    text = flat("".join(pdf_text(render_notice(sample_notice(classification=cls), "visitor"))))
    assert "请于2026年3月2日前" not in text
    assert "当日仍可提出" not in text
    assert "已于2026年3月2日届满" in text
    assert "律师" in text


def test_uncertain_calendar_is_said() -> None:
    cls = _copy.deepcopy(CLASSIFICATION)
    cls["channels"][0]["deadlines"][0].update(last_day="2027-02-15", calendar_certain=False)
    text = flat("".join(pdf_text(render_notice(sample_notice(classification=cls), "visitor"))))
    assert "请于2027年2月15日前" in text
    assert "尚未计入当年节假日安排" in text


def test_deterministic_bytes() -> None:
    assert render_notice(sample_notice(), "both") == render_notice(sample_notice(), "both")


def test_reprint_differs_only_in_mark_and_print_time() -> None:
    first = pdf_text(render_notice(sample_notice(), "both"))
    again = pdf_text(
        render_notice(sample_notice(reprint=True, printed_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC)), "both")
    )
    assert len(first) == len(again)

    def rest(page: str) -> list[str]:
        # extraction order of the margin marks may differ; compare the lines as a multiset
        marks = ("补打", "打印于")
        return sorted(ln.strip() for ln in page.splitlines() if not any(m in ln for m in marks) and ln.strip() != "存根")

    for a, b in zip(first, again, strict=True):
        assert rest(a) == rest(b)
        assert sum("打印于" in line for line in a.splitlines()) == sum("补打于" in line for line in b.splitlines()) == 1
    assert "补打" in "".join(again) and "补打" not in "".join(first)


def test_copies() -> None:
    stub = flat("".join(pdf_text(render_notice(sample_notice(), "stub"))))
    assert "存根" in stub and "信访人签收" in stub and "110105********002X" in stub
    assert "信访不能代替法定程序" not in stub
    assert "群体访" in stub  # engine warnings go to the stub, not to the visitor
    both = pdf_text(render_notice(sample_notice(), "both"))
    assert "存根" in both[-1] and "存根" not in "".join(both[:-1])
    with pytest.raises(ValueError):
        render_notice(sample_notice(), "visitors")  # type: ignore[arg-type]


@pytest.mark.parametrize("decision", sorted(T.TEMPLATES))
def test_every_decision_has_a_template_that_renders(decision: str) -> None:
    cls = {
        "regulation": {"instrument": "信访工作条例", "version": "2022"},
        "channels": [
            {"decision": decision, "label": "某途径", "organ": "o",
             "citations": [{"instrument": "信访工作条例", "version": "2022", "article": 22, "paragraph": 1,
                            "item": None, "status": "V", "text": "第二十二条 示例条文。", "printable": True}],
             "deadlines": [{"what": "某申请", "period": "30日", "from": "收到之日", "last_day": date(2026, 12, 28),
                            "expired": False, "calendar_certain": True}]}
        ],
        "warnings": [],
    }
    data = sample_notice(classification=cls, organs={"o": OrganInfo("某机关", "某路1号", "12345")})
    text = flat("".join(pdf_text(render_notice(data, "visitor"))))
    assert flat(T.TEMPLATES[decision].title) in text
    assert "第二十二条示例条文" in text and "2026年12月28日" in text and "某路1号" in text


def test_several_channels_get_numbered_sections(visitor_text: str) -> None:
    assert "一、依法导入法定程序" in visitor_text and "二、法律援助" in visitor_text


def test_template_texts_are_printable_with_the_main_font() -> None:
    texts = [T.NOT_A_SUBSTITUTE, T.EXPIRED, T.OPEN, T.UNDATED, T.CALENDAR_UNCERTAIN, T.QUERY, T.STUB_RECEIPT,
             T.GENERIC_TITLE]
    for t in T.TEMPLATES.values():
        texts += [t.title, t.heading, t.body]
    from xinfang_desk.printing.fonts import MAIN, runs

    for text in texts:
        check_printable(text)
        assert {f for f, _ in runs(re.sub(r"<[^>]+>", "", text))} <= {MAIN}, text


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        render_notice(replace(sample_notice(), received_at=datetime(2026, 11, 27, 9, 0)), "visitor")


@pytest.mark.parametrize(("n", "cn"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"),
                                       (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1260, "一千二百六十")])
def test_cn_number(n: int, cn: str) -> None:
    assert D.cn_number(n) == cn


def test_cn_date_has_no_leading_zeros() -> None:
    assert D.cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert D.cn_date(datetime(2026, 11, 26, 17, 0, tzinfo=UTC)) == "2026年11月27日"  # Asia/Shanghai
    assert D.cn_date("2026-12-09") == "2026年12月9日"


def test_organ_directory_loads() -> None:
    from xinfang_desk.printing.notice import load_organs

    organs = load_organs()
    assert organs and all(o.name for o in organs.values())
    for o in organs.values():
        check_printable(o.name + o.address + o.phone + o.hours)
