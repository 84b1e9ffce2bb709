"""Issue 8 item 13: the classification is a typed, frozen result whose warnings are codes with parameters and
whose deadlines say whose period they are; words are chosen where it is shown (zh_CN on paper, the UI language
on screen), not when it is computed."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from xinfang_desk.i18n import language, set_language
from xinfang_desk.i18n.messages import warning_words
from xinfang_desk.statutes.engine import Caution, classify

TODAY = date(2026, 11, 27)


@pytest.fixture
def english():
    before = language()
    set_language("en")
    yield
    set_language(before)


def test_warnings_are_codes_with_parameters_worded_in_any_language(english) -> None:
    r = classify("2026-11-27", 7, "labour.dispute", {"act_known_on": "2026-06-01"}, TODAY)
    group = next(w for w in r.warnings if w.code == "group_representatives")
    assert isinstance(group, Caution) and dict(group.params) == {"n": 7, "max": 5}
    with pytest.raises(dataclasses.FrozenInstanceError):
        group.code = "other"  # type: ignore[misc]
    assert group.text() == "Collective visit of 7 people: they must choose representatives, at most 5."
    assert group.text("zh_CN") != group.text() and "7" in group.text("zh_CN") and "5" in group.text("zh_CN")
    missing = next(w for w in r.warnings if w.code == "missing_fact" and w.fact == "economic_hardship")
    zh = missing.text("zh_CN")
    assert "economic_hardship" not in zh and "经济困难" in zh  # the question, not the key
    # the stored JSON keeps the msgid and parameters: a zh_CN screen words an English-computed result in Chinese
    stored = next(w for w in r.to_dict()["warnings"] if w["code"] == "group_representatives")
    assert stored["message"].startswith("Collective visit")
    assert warning_words(stored, "zh_CN") == group.text("zh_CN")


def test_deadlines_carry_their_kind() -> None:
    r = classify("2026-11-27", 1, "admin.act", {"act_known_on": "2026-11-20", "act_made_on": "2026-11-20",
                                                "act_type": "other", "respondent_level": "district_dept",
                                                "rights_notice_given": True, "real_property": False}, TODAY)
    kinds = {d.what: d.kind for ch in r.channels for d in ch.deadlines}
    assert kinds == {"reconsideration": "open", "reconsideration_absolute": "bar", "lawsuit": "open",
                     "lawsuit_absolute": "bar"}
    t = classify("2026-11-27", 1, "request.district_dept", {}, TODAY)
    assert [d.kind for ch in t.channels for d in ch.deadlines] == ["office_duty"]
    g = classify("2026-11-27", 1, "gov_info", {"info_applied_on": "2026-11-20"}, TODAY)
    assert "organ_duty" in {d.kind for ch in g.channels for d in ch.deadlines}


def test_reconsideration_first_note_has_a_code_and_quotes_article_23() -> None:
    r = classify("2026-11-27", 1, "admin.act", {"act_known_on": "2026-11-20", "act_type": "on_the_spot_penalty",
                                                "respondent_level": "district_dept"}, TODAY)
    note = next(n for ch in r.channels for n in ch.notes if n.code == "reconsideration_first")
    refs = {(c.instrument, c.article, c.paragraph) for c in note.citations}
    assert ("行政复议法", 23, 1) in refs and ("行政诉讼法", 45, None) in refs
