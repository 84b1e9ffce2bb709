"""Bad input to the engine fails with ValidationFailed naming the field; facts are normalised."""

from datetime import date

import pytest

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.statutes.engine import classify_document, validate_facts

TODAY = date(2026, 11, 27)


def doc(**over):
    d = {"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "labour.dispute", "facts": {}}}
    d.update(over)
    return d


def field_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.problems[0].field


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (doc(matter={"kind": "labour.nonsense", "facts": {}}), "matter.kind"),
        (doc(matter={"facts": {}}), "matter.kind"),
        (doc(matter="labour.dispute"), "matter"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_at": "2026-01-01"}}), "matter.facts.act_known_at"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": "2026/01/01"}}), "matter.facts.act_known_on"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": "2026-02-30"}}), "matter.facts.act_known_on"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": "20260101"}}), "matter.facts.act_known_on"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": 20260101}}), "matter.facts.act_known_on"),
        (doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": "2026-12-01"}}), "matter.facts.act_known_on"),
        (doc(matter={"kind": "labour.dispute", "facts": {"employment_ongoing": "yes"}}), "matter.facts.employment_ongoing"),
        (doc(matter={"kind": "labour.dispute", "facts": {"employment_ongoing": 1}}), "matter.facts.employment_ongoing"),
        (doc(matter={"kind": "admin.act", "facts": {"act_type": "penalty"}}), "matter.facts.act_type"),
        (doc(matter={"kind": "intake.pending_elsewhere", "facts": {"pending_with": "  "}}), "matter.facts.pending_with"),
        (doc(matter={"kind": "labour.dispute", "facts": ["act_known_on"]}), "matter.facts"),
        (doc(received_on="2026-13-01"), "received_on"),
        (doc(received_on="2004-12-31"), "received_on"),
        (doc(received_on="2026-11-28"), "received_on"),
        ({"group_size": 1, "matter": {"kind": "suggestion"}}, "received_on"),
        (doc(group_size=0), "group_size"),
        (doc(group_size="3"), "group_size"),
        (doc(group_size=True), "group_size"),
        ("not an object", ""),
    ],
)
def test_bad_input_names_the_field(document, field):
    with pytest.raises(ValidationFailed) as exc:
        classify_document(document, TODAY)
    assert field_of(exc) == field
    assert exc.value.message()


def test_validate_facts_normalises():
    out = validate_facts("labour.dispute", {"act_known_on": date(2026, 1, 5), "employment_ongoing": None,
                                            "economic_hardship": True}, TODAY)
    assert out == {"act_known_on": "2026-01-05", "economic_hardship": True}
    assert validate_facts("intake.pending_elsewhere", {"pending_with": " 区人社局 "}) == {"pending_with": "区人社局"}


def test_group_size_defaults_to_one():
    r = classify_document({"received_on": "2026-11-27", "matter": {"kind": "suggestion"}}, TODAY)
    assert r["group_size"] == 1


def test_output_shape():
    r = classify_document(doc(matter={"kind": "labour.dispute", "facts": {"act_known_on": "2026-11-01"}}), TODAY)
    assert set(r["regulation"]) == {"instrument", "version"}
    ch = r["channels"][0]
    assert {"decision", "label", "organ", "citations", "deadlines"} <= set(ch)
    c = ch["citations"][0]
    assert {"instrument", "version", "article", "paragraph", "item", "status"} <= set(c)
    assert all(isinstance(c[k], int) or c[k] is None for k in ("article", "paragraph", "item"))
    d = ch["deadlines"][0]
    assert {"what", "period", "from", "last_day", "expired", "calendar_certain"} <= set(d)
    assert len(d["from"]) == 10 and len(d["last_day"]) == 10
    import json

    json.dumps(r, ensure_ascii=False)


@pytest.mark.parametrize(("fact", "field"), [
    ("claim_nature", "unusual"), ("land_ownership", "private"), ("judgment_form", "decree"),
    ("unpaid_wages_claim", "yes"), ("judgment_effective_on", "2026-12-01"),
])
def test_new_facts_refuse_bad_values_naming_the_field(fact, field):
    kind = {"claim_nature": "civil.dispute", "land_ownership": "expropriation.compensation",
            "unpaid_wages_claim": "labour.dispute"}.get(fact, "litigation.in_court")
    with pytest.raises(ValidationFailed) as e:
        classify_document(doc(matter={"kind": kind, "facts": {fact: field}}), TODAY)
    assert field_of(e) == f"matter.facts.{fact}"


def test_fact_and_derived_date_tables_are_checked():
    import copy
    import json

    from xinfang_desk.paths import resource
    from xinfang_desk.statutes.catalogue import default_catalogue
    from xinfang_desk.statutes.facts import default_fact_defs, load_fact_defs
    from xinfang_desk.statutes.organs import default_organs
    from xinfang_desk.statutes.rules import RuleError, load_rules, rules_document

    facts = json.loads(resource("rules", "facts.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(facts)
    next(f for f in bad["facts"] if f["name"] == "claim_nature")["default"] = "none"
    with pytest.raises(ValueError, match="default"):
        load_fact_defs(bad)
    bad = copy.deepcopy(facts)
    del next(f for f in bad["facts"] if f["name"] == "land_ownership")["choice_labels_zh"]["collective"]
    with pytest.raises(ValueError, match="Chinese label"):
        load_fact_defs(bad)
    rules = rules_document()
    del rules["derived_dates"]["judgment_effective_on"]["by"]["map"]["ruling"]
    with pytest.raises(RuleError, match="every choice of judgment_form"):
        load_rules(rules, default_catalogue(), default_organs(), default_fact_defs())
