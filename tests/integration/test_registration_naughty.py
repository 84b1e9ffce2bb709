"""Every naughty string (blns.txt and the Chinese catalogue of reliability-anchors §4) in every text field,
through the service: stored exactly (read back equal, from the file, bypassing the ORM) or refused with
ValidationFailed naming that field. Never another exception; never a partial record: after a refusal the
only rows written are the failure's audit event and its outbox entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.naughty import blns_lines, chinese_text_cases, huge_texts
from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import FAILURE_AUDIT_DELTA, counts, delta  # noqa: E402

CORE_DELTA = {"people": 1, "visits": 1, "visit_people": 1, "matters": 1}


def whole_record(d: dict[str, int]) -> bool:
    """The visit with its person, link and matter, at least one audit event, and one outbox entry for every
    row written (other tables, e.g. an automatic classification, may add rows of their own)."""
    return (all(d.get(k) == v for k, v in CORE_DELTA.items()) and d.get("audit_events", 0) >= 1
            and all(v > 0 for v in d.values()) and d.get("outbox") == sum(v for k, v in d.items() if k != "outbox"))

# field -> (machine name in ValidationFailed, SQL that reads the stored value back for a visit id)
FIELDS = {
    "name": ("people[0].name",
             "SELECT p.name FROM people p JOIN visit_people vp ON vp.person_id = p.id WHERE vp.visit_id = ?"),
    "address": ("people[0].address",
                "SELECT p.address FROM people p JOIN visit_people vp ON vp.person_id = p.id WHERE vp.visit_id = ?"),
    "summary": ("matter.summary", "SELECT summary FROM matters WHERE visit_id = ?"),
    "demands": ("matter.demands", "SELECT demands FROM matters WHERE visit_id = ?"),
    "respondent": ("matter.respondent", "SELECT respondent FROM matters WHERE visit_id = ?"),
    "group_name": ("group_name", "SELECT group_name FROM visits WHERE id = ?"),
}


def corpus() -> list[str]:
    return [*blns_lines(), *(c.value for c in chinese_text_cases()), *(c.value for c in huge_texts())]


def build(field: str, value: str) -> RegistrationInput:
    p = {"name": "张三", "address": ""}
    m = {"kind": "suggestion", "summary": "建议增设公交站点", "demands": "", "respondent": ""}
    group_name = ""
    if field in p:
        p[field] = value
    elif field in m:
        m[field] = value
    else:
        group_name = value
    return RegistrationInput(people=(PersonInput(**p),), matter=MatterInput(**m), group_name=group_name)


def read_back(path: Path, sql: str, visit_id: str) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, (visit_id,)).fetchone()[0]
    finally:
        con.close()


def test_blns_is_loaded_in_full() -> None:
    lines = blns_lines()
    assert 500 <= len(lines) <= 530
    assert any("\U00020000" in s for s in lines)  # the file was read as UTF-8 and not split on U+2028


@pytest.mark.slow
@pytest.mark.parametrize("field", list(FIELDS))
def test_every_naughty_string_in_field(field: str, sv, clerk, db_path: Path) -> None:
    machine_name, sql = FIELDS[field]
    problems: list[str] = []
    stored = refused = 0
    for value in corpus():
        shown = repr(value[:40])
        before = counts(sv)
        try:
            res = sv.registration.register(clerk, build(field, value))
        except ValidationFailed as e:
            refused += 1
            fields = sorted({p.field for p in e.problems})
            if fields != [machine_name]:
                problems.append(f"{shown}: refusal names {fields}, expected {machine_name}")
            if delta(before, counts(sv)) != FAILURE_AUDIT_DELTA:
                problems.append(f"{shown}: refusal wrote {delta(before, counts(sv))}")
            continue
        except Exception as e:  # noqa: BLE001 - any other exception is the failure being looked for
            problems.append(f"{shown}: {type(e).__name__}: {e}"[:300])
            continue
        stored += 1
        if not whole_record(delta(before, counts(sv))):
            problems.append(f"{shown}: save wrote {delta(before, counts(sv))}")
        back = read_back(db_path, sql, res.visit_id)
        if back != value:
            problems.append(f"{shown}: stored as {back[:40]!r}")
    assert problems == [], "\n".join(problems[:40])
    assert stored > 0 and refused > 0  # both paths were exercised


@pytest.mark.slow
def test_accepted_names_found_again_by_search_exactly(sv, clerk) -> None:
    problems = []
    for value in corpus():
        try:
            res = sv.registration.register(clerk, build("name", value))
        except ValidationFailed:
            continue
        hits = [h for h in sv.search.search_people(clerk, value, limit=50) if h.id == res.person_ids[0]]
        if len(hits) != 1 or hits[0].name != value:
            problems.append(repr(value))
    assert problems == [], problems[:20]


@pytest.mark.slow
def test_every_naughty_string_in_the_search_box(sv, clerk) -> None:
    sv.registration.register(clerk, build("name", "张三"))
    before = counts(sv)
    problems = []
    for value in corpus():
        try:
            hits = sv.search.search_people(clerk, value)
        except ValidationFailed as e:
            if sorted({p.field for p in e.problems}) != ["query"]:
                problems.append(f"{value[:40]!r}: refusal names {[p.field for p in e.problems]}")
            continue
        except Exception as e:  # noqa: BLE001
            problems.append(f"{value[:40]!r}: {type(e).__name__}: {e}"[:300])
            continue
        if not isinstance(hits, list):
            problems.append(f"{value[:40]!r}: returned {type(hits)}")
    assert problems == [], "\n".join(problems[:40])
    assert counts(sv) == before  # searching writes nothing (and an injection dropped nothing)


def test_sql_injection_stored_verbatim_and_tables_intact(sv, clerk, db_path: Path) -> None:
    payload = "Robert'); DROP TABLE people;--"
    res = sv.registration.register(clerk, build("summary", payload))
    assert read_back(db_path, FIELDS["summary"][1], res.visit_id) == payload
    assert sv.search.search_people(clerk, "' OR '1'='1") == []
    assert counts(sv)["people"] >= 1
