"""No internal identifier or English on a Chinese screen (issue 13 item 4): every fact, choice, state, kind,
channel, decision, role and sync reason shown has a Chinese label — walked from the rules data and the enums —
and Qt's own file dialog speaks Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QWidget

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")
IDENT = re.compile(r"[A-Za-z_]{3,}")  # an English word or a key such as act_known_on


def chinese(text: str) -> bool:
    return bool(CJK.search(text)) and not IDENT.search(text)


def test_every_fact_and_choice_in_the_rules_data_has_a_chinese_label() -> None:
    facts = json.loads((ROOT / "resources" / "rules" / "facts.json").read_text(encoding="utf-8"))["facts"]
    items = facts.items() if isinstance(facts, dict) else ((f["name"], f) for f in facts)
    n = 0
    for name, f in items:
        assert chinese(f["question_zh"]), name
        for c in f.get("choices") or ():
            assert chinese((f.get("choice_labels_zh") or {}).get(c, "")), (name, c)
        n += 1
    assert n >= 20


def test_the_facts_panel_shows_only_chinese_for_every_kind(qtbot: Any) -> None:
    from xinfang_desk.domain import matter_kinds
    from xinfang_desk.gui.facts_panel import FactsPanel

    panel = FactsPanel()
    qtbot.addWidget(panel)
    for k in matter_kinds.all_kinds():
        assert chinese(k.label()), k.code
        panel.set_kind(k.code)
        panel.set_missing({q.name for q in panel.questions})  # every one marked 【影响结果】
        for q in panel.questions:
            label = panel.labels[q.name]
            shown = QLabel()
            shown.setText(label.text())
            plain = re.sub(r"<[^>]+>", "", label.text())
            assert chinese(plain) and "影响结果" in plain, (k.code, q.name, plain)
            assert not IDENT.search(label.toolTip()), (k.code, q.name, label.toolTip())
            w = panel.fields[q.name]
            if isinstance(w, QComboBox):
                for i in range(w.count()):
                    assert chinese(w.itemText(i)), (k.code, q.name, w.itemText(i))


def test_states_channels_decisions_and_roles_have_chinese_labels() -> None:
    from xinfang_desk.domain import matter_kinds
    from xinfang_desk.gui.formatting import STATUS_LABELS, gender_label, role_label, status_label
    from xinfang_desk.services.context import ROLES

    for code in STATUS_LABELS:
        assert chinese(status_label(code)), code
    for code in matter_kinds.CHANNELS:
        assert chinese(matter_kinds.channel_label(code)), code
    for code, label in matter_kinds.decision_labels().items():
        assert chinese(label), code
    for role in ROLES:
        assert chinese(role_label(role)), role
    assert chinese(gender_label("M")) and chinese(gender_label("F"))


def test_every_sync_record_operation_and_reason_is_in_chinese() -> None:
    from xinfang_desk.gui.formatting import sync_op_label, sync_reason_label
    from xinfang_desk.gui.sync_page import ENTITY_LABELS, ISSUE_KINDS
    from xinfang_desk.i18n import _
    from xinfang_desk.persistence.models import Base
    from xinfang_desk.sync import central, engine

    synced = set(Base.metadata.tables) - engine.NEVER_PULLED
    assert {"people", "visits", "matters", "notices"} <= synced
    for table in synced:
        assert table in ENTITY_LABELS and chinese(_(ENTITY_LABELS[table])), table
    for kind, label in ISSUE_KINDS.items():
        assert chinese(_(label)), kind
    for op in ("insert", "update", "delete"):
        assert chinese(sync_op_label(op)), op
    reasons = {name: getattr(mod, name) for mod in (central, engine) for name in dir(mod) if name.startswith("REASON_")}
    assert len(reasons) >= 5
    for name, msgid in reasons.items():
        params = {p: "3" for p in re.findall(r"{(\w+)}", msgid)}
        stored = engine.reason_json(msgid, **params)
        assert chinese(sync_reason_label(stored)), (name, sync_reason_label(stored))
    # what the issue saw: a raw PostgreSQL error from the centre
    raw = '23514: new row for relation "visits" violates check constraint "ck_visits_group_size"'
    for stored in (engine.central_reason(raw), raw):
        text = sync_reason_label(stored)
        assert chinese(text) and "23514" in text and "relation" not in text, text
    assert chinese(sync_reason_label(engine.reason_json(engine.REASON_APPLY_FAILED,
                                                        error="IntegrityError: UNIQUE constraint failed")))


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen])
def test_qt_file_dialog_is_in_chinese(qtbot: Any, tmp_path: Path, mode: QFileDialog.AcceptMode) -> None:
    dlg = QFileDialog(None, "另存为PDF", str(tmp_path), "PDF 文件 (*.pdf)")
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setAcceptMode(mode)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    texts = []
    for w in dlg.findChildren(QWidget):
        if isinstance(w, QLabel) and w.text():
            texts.append(w.text())
        if w.toolTip():
            texts.append(w.toolTip())
    buttons = [b.text() for b in dlg.findChildren(QWidget) if hasattr(b, "text") and b.metaObject().className() == "QPushButton"]
    assert any("查找范围" in t for t in texts) and any("文件类型" in t for t in texts), texts
    english = [t for t in [*texts, *buttons] if IDENT.search(t.replace("PDF", ""))]
    assert english == [], english
    dlg.close()
