"""A sample of the nastiest strings through the CLI (stdin JSON, a real subprocess): stored exactly or
refused with exit 2, a message naming the field, and nothing written but the failure's audit event."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.naughty import BIDI, INVISIBLES, JI, LONE_SURROGATE, blns_lines, chinese_text_cases

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import CLI_FAILURE_AUDIT_DELTA, counts, delta, run_cli  # noqa: E402

FIELDS = ["name", "address", "summary", "demands", "respondent", "group_name"]
LABELS = {"name": "Name", "address": "Address", "summary": "Summary", "demands": "Demands",
          "respondent": "Respondent", "group_name": "Group"}
READ = {
    "name": "SELECT p.name FROM people p JOIN visit_people vp ON vp.person_id = p.id WHERE vp.visit_id = ?",
    "address": "SELECT p.address FROM people p JOIN visit_people vp ON vp.person_id = p.id WHERE vp.visit_id = ?",
    "summary": "SELECT summary FROM matters WHERE visit_id = ?",
    "demands": "SELECT demands FROM matters WHERE visit_id = ?",
    "respondent": "SELECT respondent FROM matters WHERE visit_id = ?",
    "group_name": "SELECT group_name FROM visits WHERE id = ?",
}


def sample() -> list[str]:
    blns = blns_lines()
    keys = ("DROP TABLE", "<script>", "%s", "{0}", "\u202e", "\ufeff", "\u2028", "\U00020000", "\x1b", "Ṱ̺̺",
            "社會科學院", "NULL", "\\\\", "undefined", "☃", "👾", "\u202b", "\u200b")
    picks = [next(s for s in blns if k in s) for k in keys if any(k in s for s in blns)]  # one line per kind
    chinese = {c.label: c.value for c in chinese_text_cases()}
    return [
        *picks,
        JI * 50, JI * 51, "王" + chr(0x4DAE), chinese["compatibility ideographs"], chinese["IVS E0100"],
        "张" + chr(0), "张" + LONE_SURROGATE, "第一行" + chr(13) + chr(10) + "第二行",
        "张" + INVISIBLES["zero width space U+200B"] + "三", "张三" + BIDI["bidi U+202E"] + "李四",
        chr(0x3000), "=cmd|' /C calc'!A0", ") Tj /JavaScript",
    ]


def test_sample_is_nasty_enough() -> None:
    s = sample()
    assert len(s) >= 28
    assert any("DROP TABLE" in x for x in s) and any("\u202e" in x for x in s)


@pytest.mark.slow
def test_sample_through_cli_stdin(db_url: str, db_path: Path) -> None:
    problems = []
    for i, value in enumerate(sample()):
        field = FIELDS[i % len(FIELDS)]
        person = {"name": "张三", "address": ""}
        matter = {"kind": "suggestion", "summary": "建议增设公交站点", "demands": "", "respondent": ""}
        d = {"people": [person], "matter": matter, "group_name": ""}
        if field in person:
            person[field] = value
        elif field in matter:
            matter[field] = value
        else:
            d["group_name"] = value
        before = counts(db_path)
        # ensure_ascii: a lone surrogate can only travel as a \\ud800 escape in valid UTF-8 JSON
        escaped = any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        r = run_cli(db_url, "register", "--json", "-", stdin=json.dumps(d, ensure_ascii=escaped), lang="en")
        shown = f"{field} {value[:30]!r}"
        if r.code == 0:
            visit_id = r.json()["visit_id"]
            con = sqlite3.connect(db_path)
            back = con.execute(READ[field], (visit_id,)).fetchone()[0]
            con.close()
            if back != value:
                problems.append(f"{shown}: stored as {back[:30]!r}")
        elif r.code == 2:
            if f"{LABELS[field]}:" not in r.err:
                problems.append(f"{shown}: stderr does not name the field: {r.err[:200]!r}")
            if r.out:
                problems.append(f"{shown}: stdout not empty on failure")
            if delta(before, counts(db_path)) != CLI_FAILURE_AUDIT_DELTA:
                problems.append(f"{shown}: refusal wrote {delta(before, counts(db_path))}")
        else:
            problems.append(f"{shown}: exit {r.code}: {r.err[-300:]}")
    assert problems == [], "\n".join(problems)
