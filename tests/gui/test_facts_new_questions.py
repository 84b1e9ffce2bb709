"""The facts added after the legal review (issue 8) are asked in Chinese in the facts panel, answered from the
keyboard, and change the live proposal: claim_nature, unpaid_wages_claim, judgment_form,
judgment_effective_on, land_ownership."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from .keyboard import focus, key, show_active, type_text

ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")


def make_page(qtbot: Any, services: Any, actor: Any, runner: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow

    w = MainWindow(services, actor, runner)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    show_active(qtbot, w)
    return w, w.pages["registration"]


@pytest.mark.parametrize(("kind", "fact", "question", "choices"), [
    ("civil.dispute", "claim_nature", "您向对方提出的是哪一类请求？",
     ["未知", "一般请求（如支付欠款、赔偿损失）", "请求停止侵害、排除妨碍、消除危险",
      "不动产或者登记的动产的权利人请求返还财产", "请求支付抚养费、赡养费或者扶养费", "依法不适用诉讼时效的其他请求"]),
    ("civil.sector", "claim_nature", "您向对方提出的是哪一类请求？", None),
    ("labour.dispute", "unpaid_wages_claim", "您申请仲裁的请求是否是追索被拖欠的劳动报酬（工资）？", ["未知", "是", "否"]),
    ("litigation.in_court", "judgment_form", "法院作出的是判决还是裁定？", ["未知", "判决", "裁定"]),
    ("litigation.in_court", "judgment_effective_on", "判决书（裁定书）是哪一天发生法律效力的？", None),
    ("expropriation.compensation", "land_ownership", "被征收的是国有土地上的房屋，还是农民集体所有的土地？",
     ["未知", "国有土地上的房屋", "农民集体所有的土地（含宅基地上的房屋）"]),
])
def test_new_fact_is_asked_in_chinese(qtbot: Any, services: Any, actors: Any, runner: Any, kind: str, fact: str,
                                      question: str, choices: list[str] | None) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    page.kind_picker.set_code(kind)
    fp = page.facts_panel
    assert fact in fp.fields, f"{kind} does not ask {fact}"
    assert fp.labels[fact].text().startswith(question)
    field = fp.fields[fact]
    if choices is not None:
        assert isinstance(field, QComboBox)
        assert [field.itemText(i) for i in range(field.count())] == choices
    shown = [fp.labels[q.name].text() for q in fp.questions]
    shown += [f.itemText(i) for f in fp.fields.values() if isinstance(f, QComboBox) for i in range(f.count())]
    assert not [t for t in shown if ASCII_WORD.search(t)], "an internal identifier on a Chinese screen"
    if fact == "judgment_effective_on":
        assert isinstance(field, QLineEdit)
        field.setFocus()
        type_text(qtbot, "2026.8.10")
        key(qtbot, Qt.Key.Key_Tab)
        assert field.text() == "2026-08-10" and fp.facts()[fact] == "2026-08-10"


def test_support_claim_drops_the_limitation_deadline_from_the_live_proposal(qtbot: Any, services: Any, actors: Any,
                                                                          runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    page.kind_picker.set_code("civil.dispute")
    fp = page.facts_panel
    fp.fields["act_known_on"].setFocus()
    type_text(qtbot, "2026-06-01")
    key(qtbot, Qt.Key.Key_Tab)
    # the limitation period (3 years: 2029-06-01) is proposed while the claim is an ordinary one
    qtbot.waitUntil(lambda: "截止日：2029-06-01（民事诉讼时效）" in page.channels_panel.text(), timeout=5000)
    combo = fp.fields["claim_nature"]
    combo.setFocus()
    assert focus() is combo
    for _ in range(4):  # 未知 -> 一般请求 -> 停止侵害 -> 返还财产 -> 抚养费、赡养费、扶养费
        key(qtbot, Qt.Key.Key_Down)
    assert fp.facts()["claim_nature"] == "support_payment"
    # no limitation deadline any more (民法典 196), and the proposal the clerk saves cites article 196
    qtbot.waitUntil(lambda: "2029-06-01" not in page.channels_panel.text(), timeout=5000)
    text = page.channels_panel.text()
    assert "民事诉讼" in text and "诉讼时效）" not in text
    assert "support_payment" not in text and "claim_nature" not in text
    from xinfang_desk.services.context import local_today

    proposal = services.classification.propose(actors["clerk"], local_today(), 1, "civil.dispute", fp.facts())
    court = next(c for c in proposal["channels"] if c["id"] == "court")
    assert court["deadlines"] == [] and any(c["article"] == 196 for c in court["citations"])
