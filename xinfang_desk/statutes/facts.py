"""The facts a clerk records about a matter (matter-kinds.md), their types and the questions to ask.

Vocabulary in resources/rules/facts.json; which facts each kind uses is in resources/rules/rules.json, so the
GUI asks only those. `validate_facts()` normalises input for registration and the engine: dates become
"YYYY-MM-DD" strings, absent or null facts are dropped, and anything else is refused with ValidationFailed
naming the field (e.g. `matter.facts.act_known_on`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from xinfang_desk.domain.errors import fail
from xinfang_desk.i18n import N_
from xinfang_desk.paths import resource

FACT_TYPES = ("date", "bool", "enum", "text")
TEXT_MAX = 200
EARLIEST_FACT_DATE = date(1949, 10, 1)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

LABEL_FACTS = N_("Facts of the matter")
LABEL_KIND = N_("Matter kind")
LABEL_DATE = N_("Date")


@dataclass(frozen=True)
class FactDef:
    name: str
    type: str
    question_zh: str
    question: str  # English msgid
    choices: tuple[str, ...] = ()
    choice_labels_zh: Mapping[str, str] | None = None
    default: str | None = None  # an enum's reading when the clerk leaves it unknown (e.g. claim_nature: ordinary)


@dataclass(frozen=True)
class FactQuestion:
    """What the GUI asks the clerk for one fact."""

    name: str
    type: str  # date | bool | enum | text
    choices: tuple[str, ...]
    choice_labels_zh: tuple[tuple[str, str], ...]
    question_zh: str  # plain Chinese question, e.g. "您何时知道该行政行为？"
    msgid: str  # English msgid of the question


def load_fact_defs(data: Mapping) -> dict[str, FactDef]:
    out: dict[str, FactDef] = {}
    for f in data["facts"]:
        if f["type"] not in FACT_TYPES:
            raise ValueError(f"fact {f['name']}: unknown type {f['type']!r}")
        if f["name"] in out:
            raise ValueError(f"fact {f['name']} given twice")
        if f["type"] == "enum" and not f.get("choices"):
            raise ValueError(f"fact {f['name']}: enum without choices")
        if f["type"] == "enum" and set(f.get("choice_labels_zh") or {}) != set(f["choices"]):
            raise ValueError(f"fact {f['name']}: every choice needs a Chinese label, and only the choices")
        if f.get("default") is not None and (f["type"] != "enum" or f["default"] not in f["choices"]):
            raise ValueError(f"fact {f['name']}: the default must be one of the enum's choices")
        out[f["name"]] = FactDef(f["name"], f["type"], f["question_zh"], f["question"], tuple(f.get("choices", ())),
                                 f.get("choice_labels_zh"), f.get("default"))
    return out


@cache
def default_fact_defs() -> dict[str, FactDef]:
    return load_fact_defs(json.loads(resource("rules", "facts.json").read_text(encoding="utf-8")))


def parse_date(value: object, field: str, label: str = LABEL_DATE) -> date:
    """A strict YYYY-MM-DD date (or a date object); anything else fails naming `field`."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(field, label, N_("must be a date written YYYY-MM-DD, got {value}"), value=repr(value))


def normalise_facts(defs: Mapping[str, FactDef], facts: object, today: date | None = None,
                    prefix: str = "matter.facts") -> dict[str, object]:
    """Check types and values; return facts with dates as ISO strings and nulls dropped."""
    if facts is None:
        return {}
    if not isinstance(facts, Mapping):
        raise fail(prefix, LABEL_FACTS, N_("must be an object of named facts"))
    out: dict[str, object] = {}
    for name, value in facts.items():
        field = f"{prefix}.{name}"
        d = defs.get(name) if isinstance(name, str) else None
        if d is None:
            raise fail(field, LABEL_FACTS, N_("unknown fact {name}"), name=repr(name))
        if value is None:
            continue
        if d.type == "date":
            day = parse_date(value, field)
            if day < EARLIEST_FACT_DATE:
                raise fail(field, LABEL_DATE, N_("date {value} is implausibly early"), value=day.isoformat())
            if today is not None and day > today:
                raise fail(field, LABEL_DATE, N_("date {value} is in the future"), value=day.isoformat())
            out[name] = day.isoformat()
        elif d.type == "bool":
            if not isinstance(value, bool):
                raise fail(field, LABEL_FACTS, N_("must be true or false, got {value}"), value=repr(value))
            out[name] = value
        elif d.type == "enum":
            if not isinstance(value, str) or value not in d.choices:
                raise fail(field, LABEL_FACTS, N_("must be one of {choices}, got {value}"),
                           choices=", ".join(d.choices), value=repr(value))
            out[name] = value
        else:
            if not isinstance(value, str) or not value.strip():
                raise fail(field, LABEL_FACTS, N_("must be non-empty text"))
            if len(value) > TEXT_MAX:
                raise fail(field, LABEL_FACTS, N_("must be at most {max} characters"), max=TEXT_MAX)
            out[name] = value.strip()
    return out
