"""Decision rules as data (resources/rules/rules.json), loaded and checked against the catalogue.

The rule file is a table keyed by matter kind. Each kind lists the facts it asks for and its channels; a
channel names its decision (per regulation regime where they differ), its organ (a key into the organ
directory, or a map from a fact's value), the articles it cites and the deadlines it computes, each guarded
by an optional `when` condition on facts. Shared pieces live in `templates` and `periods` and are pulled in
by name (`use` a template, then `add_cite` / `add_notes` / `warnings` add to it, other keys replace). A
top-level `derived_dates` table says how a date fact the clerk did not record is derived from another (the
day a judgment took effect: the day after the appeal period from service ran out, 15 days for a judgment,
10 for a ruling). Nothing here decides anything: `engine.py` interprets the tables.

Citations are written compactly: "信访工作条例 31.1.2" is article 31, paragraph (款) 1, item (项) 2;
"@act_known_on" picks the version in force on that fact's date (default: `received_on`); "!J" marks the
use of the article as a judgment call (never printed). Where an instrument was renumbered between versions,
a citation must name the article per version: {"instrument": "行政复议法", "versions": {"2023": "20.1",
"2017": "9.1"}}; a version it does not list has no matching article and the citation is left out (with a
warning). The loader refuses a rule that cites an article the catalogue lacks, a plain citation that would
land on a different article after renumbering, an unknown organ, fact, decision, template or period, and a
kind whose asked-for facts differ from the facts its rules use.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from xinfang_desk.domain.matter_kinds import decision_labels, kinds_by_code
from xinfang_desk.paths import resource
from xinfang_desk.statutes.catalogue import STATUSES, Catalogue, CatalogueError, default_catalogue
from xinfang_desk.statutes.deadlines import Period
from xinfang_desk.statutes.facts import FactDef, default_fact_defs
from xinfang_desk.statutes.organs import OrganDirectory, default_organs

REGIMES = ("2005", "2022")
Ref = tuple[int | None, int | None, int | None]  # article, paragraph, item
_REF_RE = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_FROM_RE = re.compile(r"^([a-z_]+)(?:\+(\d+[dmy]))?$")
SPECIAL_KEYS = ("$regime", "$version", "$in_force", "$not")


class RuleError(CatalogueError):
    """The rule tables are inconsistent with themselves, the catalogue, the organs or the facts."""


@dataclass(frozen=True)
class CiteSpec:
    instrument: str
    refs: tuple[Ref, ...] = ()  # plain citation: same article in every version
    by_version: Mapping[str, tuple[Ref, ...]] | None = None
    date: str = "received_on"
    status: str | None = None
    when: Mapping | None = None


@dataclass(frozen=True)
class DeadlineSpec:
    what: str
    label: str
    from_fact: str
    offset: Period | None
    choices: tuple[tuple[str | None, Period | None, tuple[CiteSpec, ...]], ...]  # (before, period, cite) by start date
    cites: Mapping[str | None, tuple[CiteSpec, ...]]  # regime -> basis (None: any)
    bars: bool = False
    optional: bool = False
    when: Mapping | None = None
    status: str | None = None
    assumption: str | None = None
    kind: str = "open"  # DEADLINE_KINDS: whose period it is and how the notice may word it


# open: the visitor's own period ("请于…前"); bar: an outer limit after which an organ refuses or no longer acts
# (行政复议法 21, 行政诉讼法 46(2), 民法典 188(2) …), never an invitation; office_duty: what the petition office
# itself must do (信访工作条例 22); organ_duty: what another organ must do (政府信息公开条例 33).
DEADLINE_KINDS = ("open", "bar", "office_duty", "organ_duty")


@dataclass(frozen=True)
class NoteSpec:
    message: str
    cites: Mapping[str | None, tuple[CiteSpec, ...]]
    when: Mapping | None = None
    code: str | None = None


@dataclass(frozen=True)
class WarningSpec:
    code: str
    message: str
    status: str | None = None
    when: Mapping | None = None


@dataclass(frozen=True)
class ChannelSpec:
    id: str
    label: str
    decision: Mapping[str, str]  # regime -> decision code
    organ: str | Mapping | None
    organ_detail_fact: str | None
    basis: Mapping[str | None, tuple[CiteSpec, ...]]
    deadlines: tuple[DeadlineSpec, ...]
    notes: tuple[NoteSpec, ...]
    warnings: tuple[WarningSpec, ...]
    when: Mapping | None = None
    bars: bool = False
    carry_expired: bool = False


@dataclass(frozen=True)
class LegalAidSpec:
    item: int | None
    cites: tuple[CiteSpec, ...]


@dataclass(frozen=True)
class KindRules:
    kind: str
    facts: tuple[str, ...]
    questions: Mapping[str, Mapping[str, str]]
    channels: tuple[ChannelSpec, ...]
    fallback: tuple[ChannelSpec, ...]
    warnings: tuple[WarningSpec, ...]
    needs: tuple[str, ...]
    split: bool
    legal_aid: LegalAidSpec | None


@dataclass(frozen=True)
class DerivedDate:
    """A date fact the engine derives when the clerk did not record it, from another date plus a period chosen
    by a third fact, e.g. the day a judgment took effect = the day after the appeal period from service ran out
    with no appeal. The result says so (a warning with `code` and its parameters)."""

    name: str
    from_fact: str
    by_fact: str
    periods: Mapping[str, tuple[Period, CiteSpec]]  # by_fact value -> (period, its basis)
    default: str  # the by_fact value assumed when it is unknown (the reading that gives the earliest day)
    code: str
    message: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    digest: str
    regulation_switch: str
    earliest_received_on: str
    regulations: Mapping[str, Mapping[str, str]]
    group_threshold: int
    group_cites: Mapping[str | None, tuple[CiteSpec, ...]]
    intake: DeadlineSpec
    intake_decisions: frozenset[str]
    legal_aid: Mapping
    legal_aid_means: ChannelSpec
    legal_aid_waivers: Mapping[str, CiteSpec]
    legal_aid_item_cite: str
    legal_aid_urgent: CiteSpec
    legal_aid_common: tuple[CiteSpec, ...]
    discipline: ChannelSpec
    kinds: Mapping[str, KindRules]
    catalogue: Catalogue = field(repr=False)
    organs: OrganDirectory = field(repr=False)
    facts: Mapping[str, FactDef] = field(repr=False)
    derived: Mapping[str, DerivedDate] = field(default_factory=dict, repr=False)


# ---------------------------------------------------------------- parsing


def parse_ref(text: str) -> Ref:
    m = _REF_RE.match(text)
    if not m:
        raise RuleError(f"bad article reference {text!r}; use ARTICLE[.PARAGRAPH[.ITEM]]")
    return tuple(int(g) if g else None for g in m.groups())  # type: ignore[return-value]


def parse_cite(value: str | Mapping) -> CiteSpec:
    if isinstance(value, str):
        status = None
        if "!" in value:
            value, status = value.split("!", 1)
        date_fact = "received_on"
        if "@" in value:
            value, date_fact = value.split("@", 1)
        parts = value.split()
        instrument = parts[0]
        refs = tuple(parse_ref(p) for p in parts[1:]) or ((None, None, None),)
        return CiteSpec(instrument, refs, None, date_fact, status)
    by_version = {v: tuple(parse_ref(r) for r in ([refs] if isinstance(refs, str) else refs))
                  for v, refs in value["versions"].items()}
    return CiteSpec(value["instrument"], (), by_version, value.get("date", "received_on"), value.get("status"),
                    value.get("when"))


def parse_cites(value: object) -> dict[str | None, tuple[CiteSpec, ...]]:
    """str | cite-object | [..] | {"2022": .., "2005": ..} -> regime -> cites (None = every regime)."""
    if value is None:
        return {}
    if isinstance(value, Mapping) and set(value) <= set(REGIMES):
        return {r: tuple(c for v in ([x] if isinstance(x, (str, Mapping)) else x) for c in [parse_cite(v)])
                for r, x in value.items()}
    items = value if isinstance(value, list) else [value]
    return {None: tuple(_cite_of(v) for v in items)}


def _cite_of(value: object) -> CiteSpec:
    if not isinstance(value, (str, Mapping)):
        raise ValueError(f"a citation is a text or an object, not {value!r}")
    return parse_cite(value)


def _warnings(value: list | None) -> tuple[WarningSpec, ...]:
    return tuple(WarningSpec(w["code"], w["message"], w.get("status"), w.get("when")) for w in value or [])


def _deadline(d: Mapping, periods: Mapping) -> DeadlineSpec:
    if "ref" in d:
        base = dict(periods[d["ref"]]) if d["ref"] in periods else None
        if base is None:
            raise RuleError(f"unknown period {d['ref']!r}")
        base.update({k: v for k, v in d.items() if k != "ref"})
        d = base
    m = _FROM_RE.match(d["from"])
    if not m:
        raise RuleError(f"bad deadline start {d['from']!r}")
    offset = Period.parse(m.group(2)) if m.group(2) else None
    if "by_date" in d:
        choices = tuple((c.get("before"), Period.parse(c["period"]) if c.get("period") else None,
                         tuple(parse_cites(c.get("cite")).get(None, ()))) for c in d["by_date"])
        cites: dict = {}
    else:
        choices = ((None, Period.parse(d["period"]), ()),)
        cites = parse_cites(d.get("cite"))
    kind = d.get("kind", "open")
    if kind not in DEADLINE_KINDS:
        raise RuleError(f"deadline {d['what']!r}: kind {kind!r} is not one of {', '.join(DEADLINE_KINDS)}")
    return DeadlineSpec(d["what"], d["label"], m.group(1), offset, choices, cites, bool(d.get("bars")),
                        bool(d.get("optional")), d.get("when"), d.get("status"), d.get("assumption"), kind)


def _channel(spec: Mapping, templates: Mapping, periods: Mapping) -> ChannelSpec:
    spec = dict(spec)
    if "use" in spec:
        if spec["use"] not in templates:
            raise RuleError(f"unknown template {spec['use']!r}")
        merged = copy.deepcopy(templates[spec.pop("use")])
        add_cite = spec.pop("add_cite", [])
        add_notes = spec.pop("add_notes", [])
        extra_warnings = spec.pop("warnings", [])
        merged.update(spec)
        merged["cite"] = list(merged.get("cite", [])) + list(add_cite)
        merged["notes"] = list(merged.get("notes", [])) + list(add_notes)
        merged["warnings"] = list(merged.get("warnings", [])) + list(extra_warnings)
        spec = merged
    decision = spec["decision"]
    decisions = dict(decision) if isinstance(decision, Mapping) else {r: decision for r in REGIMES}
    basis = parse_cites(spec.get("basis"))
    for r, cites in parse_cites(spec.get("cite")).items():
        basis[r] = basis.get(r, ()) + cites
    deadlines = tuple(_deadline(periods[d] if isinstance(d, str) and d in periods else
                                ({"ref": d} if isinstance(d, str) else d), periods) for d in spec.get("deadlines", []))
    notes = tuple(NoteSpec(n["message"], parse_cites(n.get("cite")), n.get("when"), n.get("code"))
                  for n in spec.get("notes", []))
    return ChannelSpec(spec["id"], spec["label"], decisions, spec.get("organ"), spec.get("organ_detail_fact"), basis,
                       deadlines, notes, _warnings(spec.get("warnings")), spec.get("when"), bool(spec.get("bars")),
                       bool(spec.get("carry_expired")))


# ---------------------------------------------------------------- checking


def _check_cite(c: CiteSpec, cat: Catalogue, facts: Mapping, where: str) -> None:
    try:
        inst = cat.instrument(c.instrument)
    except CatalogueError as e:
        raise RuleError(f"{where}: {e}") from None
    if c.status is not None and c.status not in STATUSES:
        raise RuleError(f"{where}: unknown status {c.status!r}")
    if c.date != "received_on" and c.date not in facts:
        raise RuleError(f"{where}: unknown date fact {c.date!r}")
    if c.by_version is not None:
        for ver, refs in c.by_version.items():
            for art, para, item in refs:
                try:
                    cat.quote(c.instrument, ver, art, para, item)
                except CatalogueError as e:
                    raise RuleError(f"{where}: {e}") from None
        return
    whole = all(r[0] is None for r in c.refs)
    if inst.renumbered and len(inst.versions) > 1 and not whole:
        raise RuleError(f"{where}: {c.instrument} was renumbered; name the article per version")
    for v in inst.versions:
        for art, para, item in c.refs:
            try:
                cat.quote(c.instrument, v.version, art, para, item)
            except CatalogueError as e:
                raise RuleError(f"{where}: {e} (a plain citation must exist in every version)") from None


def condition_facts(cond: Mapping | None) -> set[str]:
    """Fact names a condition reads."""
    out: set[str] = set()
    for key, test in (cond or {}).items():
        if key == "$not":
            out |= condition_facts(test)
        elif key in ("$version", "$in_force"):
            if test.get("date", "received_on") != "received_on":
                out.add(test["date"])
        elif key != "$regime":
            out.add(key)
    return out


def _cites_facts(cites: Mapping[str | None, tuple[CiteSpec, ...]]) -> set[str]:
    out: set[str] = set()
    for group in cites.values():
        for c in group:
            out |= condition_facts(c.when)
            if c.date != "received_on":
                out.add(c.date)
    return out


def channel_facts(ch: ChannelSpec) -> set[str]:
    out = condition_facts(ch.when) | _cites_facts(ch.basis)
    if isinstance(ch.organ, Mapping):
        out.add(ch.organ["fact"])
    if ch.organ_detail_fact:
        out.add(ch.organ_detail_fact)
    for d in ch.deadlines:
        out |= condition_facts(d.when) | _cites_facts(d.cites)
        if d.from_fact != "received_on":
            out.add(d.from_fact)
    for n in ch.notes:
        out |= condition_facts(n.when) | _cites_facts(n.cites)
    for w in ch.warnings:
        out |= condition_facts(w.when)
    return out


def _all_cites(ch: ChannelSpec):
    for group in ch.basis.values():
        yield from group
    for d in ch.deadlines:
        for group in d.cites.values():
            yield from group
        for _, _, cs in d.choices:
            yield from cs
    for n in ch.notes:
        for group in n.cites.values():
            yield from group


def load_rules(data: Mapping, catalogue: Catalogue, organs: OrganDirectory, facts: Mapping[str, FactDef]) -> RuleSet:
    """Parse and check the rule tables. Pure: the inputs are parsed documents and loaded directories."""
    templates, periods = data["templates"], data["periods"]
    decisions = set(decision_labels())
    known_kinds = set(kinds_by_code())

    def check_channel(ch: ChannelSpec, where: str) -> None:
        for r, d in ch.decision.items():
            if r not in REGIMES or d not in decisions:
                raise RuleError(f"{where}: unknown regime or decision {r}:{d}")
        organ_keys = ([ch.organ] if isinstance(ch.organ, str) else
                      list(ch.organ["map"].values()) + [ch.organ["default"]] if isinstance(ch.organ, Mapping) else [])
        for key in organ_keys:
            if key not in organs:
                raise RuleError(f"{where}: unknown organ {key!r}")
        for f in channel_facts(ch):
            if f not in facts:
                raise RuleError(f"{where}: unknown fact {f!r}")
        for c in _all_cites(ch):
            _check_cite(c, catalogue, facts, where)

    derived: dict[str, DerivedDate] = {}
    for name, dd in data.get("derived_dates", {}).items():
        where = f"derived_dates.{name}"
        for f in (name, dd["from"], dd["by"]["fact"]):
            if f not in facts:
                raise RuleError(f"{where}: unknown fact {f!r}")
        if facts[name].type != "date" or facts[dd["from"]].type != "date":
            raise RuleError(f"{where}: a derived date needs date facts")
        by = facts[dd["by"]["fact"]]
        options = {v: (Period.parse(o["period"]), parse_cite(o["cite"])) for v, o in dd["by"]["map"].items()}
        if any(p.unit != "d" for p, _c in options.values()):
            raise RuleError(f"{where}: a derivation period is counted in days")
        if set(options) != set(by.choices) or dd["by"]["default"] not in options:
            raise RuleError(f"{where}: the map must cover every choice of {by.name} and name a default")
        for _p, c in options.values():
            _check_cite(c, catalogue, facts, where)
        derived[name] = DerivedDate(name, dd["from"], by.name, options, dd["by"]["default"], dd["code"], dd["message"])

    la = data["legal_aid"]
    means = _channel(la["means_tested"], templates, periods)
    check_channel(means, "legal_aid")
    waivers = {k: parse_cite(v) for k, v in la["waivers"].items()}
    for c in waivers.values():
        _check_cite(c, catalogue, facts, "legal_aid.waivers")
    if set(waivers) != set(facts["aid_waiver"].choices):
        raise RuleError("legal_aid.waivers must cover every aid_waiver choice")
    urgent = parse_cite(la["urgent_cite"])
    common = tuple(parse_cite(c) for c in la["common_cite"])
    for c in (urgent, *common):
        _check_cite(c, catalogue, facts, "legal_aid")
    discipline = _channel({"use": "discipline", "id": "discipline"}, templates, periods)
    check_channel(discipline, "templates.discipline")

    kinds: dict[str, KindRules] = {}
    for code, k in data["kinds"].items():
        if code not in known_kinds:
            raise RuleError(f"rules for unknown kind {code!r}")
        where = f"kinds.{code}"
        channels = tuple(_channel(c, templates, periods) for c in k["channels"])
        fallback = tuple(_channel(c, templates, periods) for c in k.get("fallback", []))
        used: set[str] = set(k.get("needs", []))
        for i, ch in enumerate(channels + fallback):
            check_channel(ch, f"{where}.channels[{i}]")
            used |= channel_facts(ch)
        kind_warnings = _warnings(k.get("warnings"))
        for w in kind_warnings:
            used |= condition_facts(w.when)
        legal = None
        if "legal_aid" in k:
            item = k["legal_aid"].get("item")
            cites = tuple(parse_cite(c) for c in k["legal_aid"].get("cite", []))
            if item is not None:
                cites = (parse_cite(la["item_cite"].format(item=item)),) + cites
            for c in cites:
                _check_cite(c, catalogue, facts, f"{where}.legal_aid")
            legal = LegalAidSpec(item, cites)
            used |= {"economic_hardship", "aid_waiver"}
        if k.get("split"):
            used.add("accuses_official")
        for name in used & set(derived):
            used |= {derived[name].from_fact, derived[name].by_fact}
        listed = set(k["facts"])
        if listed != used:
            raise RuleError(f"{where}: facts asked {sorted(listed)} differ from facts used {sorted(used)}")
        for q in k.get("questions", {}):
            if q not in listed:
                raise RuleError(f"{where}: question for a fact the kind does not ask: {q}")
        kinds[code] = KindRules(code, tuple(k["facts"]), k.get("questions", {}), channels, fallback, kind_warnings,
                                tuple(k.get("needs", [])), bool(k.get("split")), legal)
    missing = known_kinds - set(kinds)
    if missing:
        raise RuleError(f"no rules for kinds {sorted(missing)}")
    intake = _deadline(data["intake_deadline"], periods)
    group_cites = parse_cites(data["group"]["cite"])
    for group in list(group_cites.values()) + list(intake.cites.values()):
        for c in group:
            _check_cite(c, catalogue, facts, "group/intake")
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    return RuleSet(data["ruleset_version"], digest, data["regulation_switch"], data["earliest_received_on"],
                   data["regulations"], int(data["group"]["threshold"]), group_cites, intake,
                   frozenset(data["intake_deadline"]["decisions"]), la, means, waivers, la["item_cite"], urgent, common,
                   discipline, kinds, catalogue, organs, facts, derived)


def rules_document() -> dict:
    return json.loads(resource("rules", "rules.json").read_text(encoding="utf-8"))


@cache
def default_rules() -> RuleSet:
    """The shipped rule set, checked against the shipped catalogue, organ directory and fact vocabulary."""
    return load_rules(rules_document(), default_catalogue(), default_organs(), default_fact_defs())
