"""The channel engine: matter kind + facts + date received -> channels, citations, deadlines, warnings.

Pure and Qt-free; the CLI (`xinfang-desk classify --json`) and the GUI call `classify_document()` or the
typed `classify()`. The engine interprets the tables of `rules.py`; the legal choices it makes itself are:

* The 信访 regulation is chosen by `received_on`: 信访条例 (2005) before 2022-05-01, 信访工作条例 from then
  (matter-kinds.md). Matters received before 2005-05-01 are refused: the 1995 regulation is not catalogued.
* Every other instrument is chosen by the date the rule names (channels.md §4): a period by the day it
  starts (usually `act_known_on`), a channel's own articles by `received_on` (the procedure the visitor
  follows now). When the catalogue has no version for that date, a plain citation falls back to the nearest
  version marked J (never printed) and a per-version citation is left out; both add a warning.
* A channel whose barring period (复议/诉讼 limits, which make the organ refuse the case) has run out is
  dropped and reported in a warning; when every such channel is gone the kind's fallback applies (B8).
  Limitation periods that are defences (劳动仲裁, 民事诉讼时效) are shown as expired but the channel stays,
  since interruption or suspension is for the arbitrators or the court (channels.md §3.7).
* A fact the rules read but the clerk did not record yields a `missing_fact` warning naming it; the rule
  then takes the reading that does not invent facts (a yes/no fact counts as "not established"). An enum
  with a `default` in facts.json (claim_nature: ordinary) reads as that default, without a warning.
* A date the rules derive (rules.json `derived_dates`: the day a judgment took effect, from its service and
  the appeal period) is used only when the clerk did not record it, and the result says so: a warning with
  the derivation's code and parameters, and the deadline's assumption; an unknown judgment/ruling form is
  read as the one with the shorter appeal period, so the derived last day is never later than the true one.
* Citations whose status is V2, M or J produce a warning; M and J texts are never `printable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from xinfang_desk.domain.errors import fail
from xinfang_desk.domain.matter_kinds import decision_labels, is_kind
from xinfang_desk.i18n import N_, _, translate
from xinfang_desk.i18n.messages import Msg, params_json, render_message
from xinfang_desk.statutes.calendar import HolidayCalendar, default_calendar
from xinfang_desk.statutes.catalogue import UNPRINTABLE, worst_status
from xinfang_desk.statutes.deadlines import is_expired, offset_start, period_end
from xinfang_desk.statutes.facts import LABEL_KIND, FactQuestion, normalise_facts, parse_date
from xinfang_desk.statutes.rules import ChannelSpec, CiteSpec, DeadlineSpec, KindRules, RuleSet, default_rules
from xinfang_desk.statutes.textparse import int_to_cn

LABEL_RECEIVED_ON = N_("Date received")
LABEL_GROUP_SIZE = N_("Number of visitors")
LABEL_MATTER = N_("Matter")
LABEL_DOCUMENT = N_("Classification request")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Citation:
    instrument: str
    version: str
    article: int | None
    paragraph: int | None
    item: int | None
    status: str
    printable: bool
    text: str | None
    heading: str | None
    ref: str  # e.g. 信访工作条例（2022）第三十一条第一款第（二）项


@dataclass(frozen=True)
class Deadline:
    what: str
    label: str
    label_zh: str  # for the printed notice, whatever the UI language
    period: str  # 15d, 20wd, 6m, 1y
    start: date  # the event day (not counted)
    last_day: date
    expired: bool
    calendar_certain: bool
    bars: bool
    basis: Citation | None
    assumption: str | None
    kind: str = "open"  # open (the visitor's period) | bar | office_duty | organ_duty (statutes.rules.DEADLINE_KINDS)


@dataclass(frozen=True)
class Note:
    message: str
    citations: tuple[Citation, ...]
    code: str | None = None  # e.g. reconsideration_first: the notice explains 复议前置


@dataclass(frozen=True)
class Channel:
    id: str
    decision: str
    decision_label_zh: str
    label: str
    label_zh: str  # for the printed notice, whatever the UI language
    organ: str | None
    organ_name: str | None
    organ_detail: str | None
    organ_confirmed: bool | None
    citations: tuple[Citation, ...]
    deadlines: tuple[Deadline, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Caution:
    """A warning for staff: a missing fact, an expired period, an unconfirmed citation, a judgment call.

    `message` is the msgid (English, untranslated) and `params` its parameters: the words are chosen where
    the warning is shown (`text()` in the UI language, `text("zh_CN")` on paper)."""

    code: str
    message: str
    fact: str | None = None
    status: str | None = None
    channel: str | None = None
    citation: Citation | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        return render_message(self.message, self.params, lang)


@dataclass(frozen=True)
class Classification:
    received_on: date
    group_size: int
    kind: str
    facts: Mapping[str, object]
    regulation: tuple[str, str]  # (instrument, version)
    channels: tuple[Channel, ...]
    warnings: tuple[Caution, ...]
    today: date
    ruleset_version: str
    ruleset_digest: str
    catalogue_digest: str
    calendar_digest: str
    calendar_years: tuple[int, ...]
    organs_version: str
    statute_versions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON document of `classify_document` (dates as YYYY-MM-DD)."""
        def cit(c: Citation | None) -> dict | None:
            return None if c is None else asdict(c)

        return {
            "received_on": self.received_on.isoformat(),
            "group_size": self.group_size,
            "kind": self.kind,
            "facts": dict(self.facts),
            "regulation": {"instrument": self.regulation[0], "version": self.regulation[1]},
            "channels": [{
                "id": ch.id, "decision": ch.decision, "decision_label_zh": ch.decision_label_zh, "label": ch.label,
                "label_zh": ch.label_zh,
                "organ": ch.organ, "organ_name": ch.organ_name, "organ_detail": ch.organ_detail,
                "organ_confirmed": ch.organ_confirmed,
                "citations": [cit(c) for c in ch.citations],
                "deadlines": [{
                    "what": d.what, "label": d.label, "label_zh": d.label_zh, "period": d.period, "from": d.start.isoformat(),
                    "last_day": d.last_day.isoformat(), "expired": d.expired, "calendar_certain": d.calendar_certain,
                    "bars": d.bars, "kind": d.kind, "basis": cit(d.basis), "assumption": d.assumption}
                    for d in ch.deadlines],
                "notes": [{"code": n.code, "message": n.message, "citations": [cit(c) for c in n.citations]}
                          for n in ch.notes],
            } for ch in self.channels],
            "warnings": [{"code": w.code, "message": w.text(), "msgid": w.message, "params": params_json(w.params),
                          "fact": w.fact, "status": w.status, "channel": w.channel, "citation": cit(w.citation)}
                         for w in self.warnings],
            "computed_on": self.today.isoformat(),
            "ruleset_version": self.ruleset_version,
            "ruleset_digest": self.ruleset_digest,
            "catalogue_digest": self.catalogue_digest,
            "calendar_digest": self.calendar_digest,
            "calendar_years": list(self.calendar_years),
            "organs_version": self.organs_version,
            "statute_versions": {k: list(v) for k, v in self.statute_versions.items()},
        }


# ---------------------------------------------------------------- evaluation context


def format_ref(instrument: str, version: str, heading: str | None, paragraph: int | None, item: int | None) -> str:
    ref = f"{instrument}（{version}）{heading or ''}"
    if paragraph is not None:
        ref += f"第{int_to_cn(paragraph)}款"
    if item is not None:
        ref += f"第（{int_to_cn(item)}）项"
    return ref


class _Context:
    def __init__(self, rules: RuleSet, cal: HolidayCalendar, received_on: date, regime: str,
                 facts: Mapping[str, object], today: date, kind: KindRules) -> None:
        self.rules, self.cal, self.received_on, self.regime = rules, cal, received_on, regime
        self.facts, self.today, self.kind = facts, today, kind
        self.missing: dict[str, None] = {}  # ordered set
        self.cautions: list[Caution] = []
        self.caution_keys: set[tuple] = set()
        self.derived: dict[str, tuple[date, bool, str] | None] = {}  # name -> (day, calendar certain, assumption)

    def caution(self, c: Caution) -> None:
        key = (c.code, c.message, c.channel, repr(sorted(params_json(c.params).items())))
        if key not in self.caution_keys:
            self.caution_keys.add(key)
            self.cautions.append(c)

    def date_of(self, name: str) -> date | None:
        if name == "received_on":
            return self.received_on
        value = self.facts.get(name)
        if isinstance(value, str):
            return date.fromisoformat(value)
        derived = self.derive(name)
        return derived[0] if derived else None

    def derive(self, name: str) -> tuple[date, bool, str] | None:
        """A date fact the clerk did not record, derived by rules.json `derived_dates` (None if it cannot be)."""
        spec = self.rules.derived.get(name)
        if spec is None or name in self.facts:
            return None
        if name in self.derived:
            return self.derived[name]
        self.derived[name] = None
        base = self.facts.get(spec.from_fact)
        if not isinstance(base, str):
            return None
        form = self.facts.get(spec.by_fact)
        if form is None:
            self.missing.setdefault(spec.by_fact, None)
        period, cite_spec = spec.periods[str(form if form is not None else spec.default)]
        end = period_end(date.fromisoformat(base), period, self.cal)
        day = end.last_day + timedelta(days=1)
        params: dict[str, object] = {spec.from_fact: base, "days": str(period.amount),
                                     "period_last_day": end.last_day.isoformat(), name: day.isoformat(),
                                     spec.by_fact: str(form) if form is not None else "unknown"}
        message = _(spec.message).format(**params)  # the deadline's assumption, in the classifying language
        cites = self.cite(cite_spec, None)
        self.caution(Caution(spec.code, spec.message, fact=name, citation=cites[0] if cites else None, params=params))
        self.derived[name] = (day, end.calendar_certain, message)
        return self.derived[name]

    # conditions ------------------------------------------------------------
    def when(self, cond: Mapping | None, record: bool = True) -> bool:
        for key, test in (cond or {}).items():
            if key == "$regime":
                ok = self.regime == test
            elif key == "$not":
                ok = not self.when(test, record)
            elif key in ("$version", "$in_force"):
                on = self.date_of(test.get("date", "received_on"))
                if on is None:
                    if record:
                        self.missing.setdefault(test["date"], None)
                    on = self.received_on
                ver = self.rules.catalogue.version_in_force(test["instrument"], on)
                ok = ver is not None if key == "$in_force" else (ver is not None and ver.version == test["is"])
            else:
                ok = self._test(key, test, record)
            if not ok:
                return False
        return True

    def _test(self, name: str, test: object, record: bool) -> bool:
        value = self.facts.get(name)
        if isinstance(test, Mapping) and "present" in test:
            return (value is not None) == bool(test["present"])
        if value is None and name in self.rules.facts:
            value = self.rules.facts[name].default  # e.g. claim_nature: ordinary unless the clerk says otherwise
        if value is None and record:
            self.missing.setdefault(name, None)
        if isinstance(test, Mapping) and "not" in test:
            return value != test["not"]
        if isinstance(test, list):
            return value in test
        return value == test

    # citations -------------------------------------------------------------
    def cite(self, spec: CiteSpec, channel: str | None, extra_status: str | None = None) -> list[Citation]:
        if spec.when is not None and not self.when(spec.when):
            return []
        cat = self.rules.catalogue
        on = self.date_of(spec.date) or self.received_on
        ver = cat.version_in_force(spec.instrument, on)
        fallback = None
        if spec.by_version is not None:
            if ver is None or ver.version not in spec.by_version:
                self.caution(Caution("citation_unavailable", N_(
                    "{instrument}: the catalogue has no matching article for {date}; the citation is left out."),
                    status="J", channel=channel, params={"instrument": spec.instrument, "date": on.isoformat()}))
                return []
            refs = spec.by_version[ver.version]
        else:
            if ver is None:
                versions = cat.instrument(spec.instrument).versions
                ver = versions[0] if on < versions[0].effective_from else versions[-1]
                fallback = "J"
                self.caution(Caution("citation_version_fallback", N_(
                    "{instrument}: no version in force on {date} is catalogued; version {version} is shown, unconfirmed "
                    "and not printable."), status="J", channel=channel,
                    params={"instrument": spec.instrument, "date": on.isoformat(), "version": ver.version}))
            refs = spec.refs
        out = []
        for art, para, item in refs:
            q = cat.quote(spec.instrument, ver.version, art, para, item)
            status = worst_status(q.status, spec.status, fallback, extra_status)
            out.append(Citation(q.instrument, q.version, q.article, q.paragraph, q.item, status,
                                q.printable and status not in UNPRINTABLE, q.text, q.heading,
                                format_ref(q.instrument, q.version, q.heading, q.paragraph, q.item)
                                if art is not None else f"{q.instrument}（{q.version}）"))
        return out

    def cites(self, groups: Mapping[str | None, tuple[CiteSpec, ...]], channel: str | None,
              extra_status: str | None = None) -> list[Citation]:
        out: list[Citation] = []
        for spec in groups.get(self.regime, ()) + groups.get(None, ()):
            for c in self.cite(spec, channel, extra_status):
                if c not in out:
                    out.append(c)
        return out

    # deadlines -------------------------------------------------------------
    def deadline(self, spec: DeadlineSpec, channel: str | None) -> Deadline | None:
        base = self.date_of(spec.from_fact)
        if base is None:
            if not spec.optional and (spec.when is None or self.when(spec.when, record=False)):
                self.missing.setdefault(spec.from_fact, None)
            return None
        if spec.when is not None and not self.when(spec.when):
            return None
        start = offset_start(base, spec.offset) if spec.offset else base
        period, cites = None, spec.cites
        for before, p, choice_cites in spec.choices:
            if before is None or start < date.fromisoformat(before):
                period = p
                if choice_cites:
                    cites = {None: choice_cites}
                break
        if period is None:
            return None
        end = period_end(start, period, self.cal)
        basis = self.cites(cites, channel, spec.status)
        assumption = _(spec.assumption) if spec.assumption else None
        derived = self.derived.get(spec.from_fact)
        if derived:  # the start day itself was derived: say how, and inherit its calendar certainty
            assumption = derived[2] + (" " + assumption if assumption else "")
        return Deadline(spec.what, _(spec.label), translate(spec.label, "zh_CN"), str(period), start, end.last_day,
                        is_expired(end.last_day, self.today),
                        end.calendar_certain and (derived[1] if derived else True), spec.bars,
                        basis[0] if basis else None, assumption, spec.kind)


# ---------------------------------------------------------------- channels


def _organ(ctx: _Context, spec: ChannelSpec) -> str | None:
    if spec.organ is None or isinstance(spec.organ, str):
        return spec.organ
    value = ctx.facts.get(spec.organ["fact"])
    if value is None:
        ctx.missing.setdefault(spec.organ["fact"], None)
    return spec.organ["map"].get(value, spec.organ["default"])


def _build(ctx: _Context, spec: ChannelSpec, carried: tuple[Deadline, ...] = ()) -> Channel:
    decision = spec.decision[ctx.regime]
    citations = ctx.cites(spec.basis, spec.id)
    deadlines: list[Deadline] = []
    if decision in ctx.rules.intake_decisions:
        intake = ctx.deadline(ctx.rules.intake, spec.id)
        if intake:
            deadlines.append(intake)
    for d in spec.deadlines:
        built = ctx.deadline(d, spec.id)
        if built:
            deadlines.append(built)
    deadlines.extend(carried)
    notes = tuple(Note(_(n.message), tuple(ctx.cites(n.cites, spec.id)), n.code) for n in spec.notes if ctx.when(n.when))
    for w in spec.warnings:
        if ctx.when(w.when):
            ctx.caution(Caution(w.code, w.message, status=w.status, channel=spec.id))
    organ_key = _organ(ctx, spec)
    organ = ctx.rules.organs.get(organ_key) if organ_key else None
    detail = ctx.facts.get(spec.organ_detail_fact) if spec.organ_detail_fact else None
    return Channel(spec.id, decision, decision_labels().get(decision, decision), _(spec.label),
                   translate(spec.label, "zh_CN"), organ_key,
                   organ.name if organ else None, detail if isinstance(detail, str) else None,
                   organ.confirmed if organ else None, tuple(citations), tuple(deadlines), notes)


def _legal_aid(ctx: _Context) -> Channel | None:
    la = ctx.kind.legal_aid
    if la is None:
        return None
    rules = ctx.rules
    waiver = ctx.facts.get("aid_waiver")
    if waiver is None and not ctx.when({"economic_hardship": True}):
        return None
    base = rules.legal_aid_means
    citations = list(ctx.cites({None: la.cites}, "legal_aid"))
    if waiver is not None:
        waiver_cite = rules.legal_aid_waivers[str(waiver)]
        is_art_42 = waiver_cite.refs and waiver_cite.refs[0][0] == 42
        if is_art_42 or la.item is not None:
            citations += ctx.cite(waiver_cite, "legal_aid")
        else:
            citations = ctx.cite(waiver_cite, "legal_aid") + [c for c in citations if c.article != 31]
        label_id = rules.legal_aid["waiver_label"]
        if is_art_42 and la.item is None:
            ctx.caution(Caution("legal_aid_scope", N_(
                "Whether this matter is one for which legal aid is given (法律援助法 art. 31) is for the legal aid centre to decide."),
                status="J", channel="legal_aid"))
    else:
        label_id = base.label
        if la.item is None:
            ctx.caution(Caution("legal_aid_scope", N_(
                "Whether this matter is one for which legal aid is given (法律援助法 art. 31) is for the legal aid centre to decide."),
                status="J", channel="legal_aid"))
    if waiver is None:
        citations += [c for c in ctx.cites(base.basis, "legal_aid") if c not in citations]
    citations += [c for c in ctx.cites({None: rules.legal_aid_common}, "legal_aid") if c not in citations]
    organ = rules.organs.get(base.organ) if isinstance(base.organ, str) else None
    return Channel("legal_aid", "legal_aid", decision_labels().get("legal_aid", "legal_aid"), _(label_id),
                   translate(label_id, "zh_CN"),
                   base.organ if isinstance(base.organ, str) else None, organ.name if organ else None, None,
                   organ.confirmed if organ else None, tuple(citations), (), ())


# ---------------------------------------------------------------- public API


def regime_for(received_on: date, rules: RuleSet | None = None) -> str:
    rules = rules or default_rules()
    return "2005" if received_on < date.fromisoformat(rules.regulation_switch) else "2022"


def facts_for_kind(kind: str, rules: RuleSet | None = None) -> list[FactQuestion]:
    """The facts the rules for `kind` use, in the order the clerk should be asked."""
    rules = rules or default_rules()
    if kind not in rules.kinds:
        raise fail("matter.kind", LABEL_KIND, N_("unknown matter kind {kind}"), kind=repr(kind))
    k = rules.kinds[kind]
    out = []
    for name in k.facts:
        d = rules.facts[name]
        override = k.questions.get(name, {})
        labels = tuple((c, (d.choice_labels_zh or {}).get(c, c)) for c in d.choices)
        out.append(FactQuestion(name, d.type, d.choices, labels, override.get("question_zh", d.question_zh),
                                override.get("question", d.question)))
    return out


def validate_facts(kind: str, facts: Mapping[str, object] | None, today: date | None = None,
                   rules: RuleSet | None = None) -> dict[str, object]:
    """Normalised facts (dates as YYYY-MM-DD, nulls dropped) or ValidationFailed naming the field."""
    rules = rules or default_rules()
    if not isinstance(kind, str) or not is_kind(kind) or kind not in rules.kinds:
        raise fail("matter.kind", LABEL_KIND, N_("unknown matter kind {kind}"), kind=repr(kind))
    return normalise_facts(rules.facts, facts, today)


def classify(received_on: date | str, group_size: int, kind: str, facts: Mapping[str, object] | None,
             today: date | None = None, *, rules: RuleSet | None = None,
             calendar: HolidayCalendar | None = None) -> Classification:
    """Classify one matter. Raises ValidationFailed naming the field for bad input."""
    rules = rules or default_rules()
    cal = calendar or default_calendar()
    today = today or date.today()
    received = parse_date(received_on, "received_on", LABEL_RECEIVED_ON)
    if received < date.fromisoformat(rules.earliest_received_on):
        raise fail("received_on", LABEL_RECEIVED_ON, N_("dates before {date} are not covered by the catalogue"),
                   date=rules.earliest_received_on)
    if received > today:
        raise fail("received_on", LABEL_RECEIVED_ON, N_("date {value} is in the future"), value=received.isoformat())
    if isinstance(group_size, bool) or not isinstance(group_size, int) or group_size < 1:
        raise fail("group_size", LABEL_GROUP_SIZE, N_("must be a whole number of at least 1, got {value}"),
                   value=repr(group_size))
    norm = validate_facts(kind, facts, today, rules)
    regime = regime_for(received, rules)
    k = rules.kinds[kind]
    ctx = _Context(rules, cal, received, regime, norm, today, k)
    for name in k.needs:
        if name not in norm:
            ctx.missing.setdefault(name, None)

    channels: list[Channel] = []
    closed: list[Channel] = []
    closed_specs: dict[str, ChannelSpec] = {}
    for spec in k.channels:
        if not ctx.when(spec.when):
            continue
        ch = _build(ctx, spec)
        if spec.bars and any(d.bars and d.expired for d in ch.deadlines):
            closed.append(ch)
            closed_specs[ch.id] = spec
        else:
            channels.append(ch)
    for ch in closed:
        labels = {d.what: d.label for d in closed_specs[ch.id].deadlines}
        for d in ch.deadlines:
            if d.bars and d.expired:
                ctx.caution(Caution("channel_closed", N_("The period for “{channel}” ran out on {day} ({what})."),
                                    channel=ch.id, citation=d.basis,
                                    params={"channel": Msg(closed_specs[ch.id].label), "day": d.last_day.isoformat(),
                                            "what": Msg(labels.get(d.what, d.label))}))
    barring_open = any(spec.bars for spec in k.channels if spec.id in {c.id for c in channels})
    if closed and not barring_open:
        carried = tuple(d for ch in closed for d in ch.deadlines if d.bars)
        for spec in k.fallback:
            if ctx.when(spec.when):
                channels.append(_build(ctx, spec, carried if spec.carry_expired else ()))
    if k.split and norm.get("accuses_official") is True:
        channels.append(_build(ctx, rules.discipline))
        ctx.caution(Caution("split_matter", N_(
            "Split matter: the accusation against an official goes to the discipline inspection and supervision organ "
            "beside the matter's own channel."), channel="discipline"))
    aid = _legal_aid(ctx)
    if aid is not None:
        channels.append(aid)
        urgent = [d for ch in channels for d in ch.deadlines
                  if not d.expired and d.kind == "open" and (d.last_day - today).days < rules.legal_aid["urgent_days"]]
        if urgent:
            urgent_cites = ctx.cite(rules.legal_aid_urgent, "legal_aid")
            ctx.caution(Caution("legal_aid_urgent", N_(
                "Fewer than 7 days remain before {day}: the legal aid centre may give aid first and check later."),
                channel="legal_aid", citation=urgent_cites[0] if urgent_cites else None,
                params={"day": min(d.last_day for d in urgent).isoformat()}))

    for w in k.warnings:
        if ctx.when(w.when):
            ctx.caution(Caution(w.code, w.message, status=w.status))
    if group_size > rules.group_threshold:
        group_cites = ctx.cites(rules.group_cites, None)
        ctx.caution(Caution("group_representatives", N_(
            "Collective visit of {n} people: they must choose representatives, at most {max}."),
            citation=group_cites[0] if group_cites else None, params={"n": group_size, "max": rules.group_threshold}))
    label_ids = {d.what: d.label for spec in (*k.channels, *k.fallback) for d in spec.deadlines}
    for ch in channels:
        for d in ch.deadlines:
            if d.expired and not d.bars and d.kind == "open":
                ctx.caution(Caution("deadline_expired", N_(
                    "The period “{what}” ended on {day}; never present it as open. Interruption or suspension, if any, is for the deciding body."),
                    channel=ch.id, citation=d.basis,
                    params={"what": Msg(label_ids.get(d.what, d.label)), "day": d.last_day.isoformat()}))
            if not d.calendar_certain:
                ctx.caution(Caution("calendar_uncertain", N_(
                    "The last day {day} lies outside the holiday calendar; it was computed on weekends and the statutory holidays alone, "
                    "without that year's bridging or adjusted working days."),
                    channel=ch.id, params={"day": d.last_day.isoformat()}))
    seen: set[str] = set()
    all_cites = [c for ch in channels for c in (*ch.citations, *(d.basis for d in ch.deadlines if d.basis),
                                                   *(x for n in ch.notes for x in n.citations))]
    for c in all_cites:
        if c.status != "V" and c.ref not in seen:
            seen.add(c.ref)
            msg = {"V2": N_("{ref} comes from a secondary source; check the official text before printing."),
                   "M": N_("{ref} is known only from memory; it is shown to staff as unconfirmed and never printed."),
                   "J": N_("{ref} is used as a judgment call; it is shown to staff as unconfirmed and never printed.")}[c.status]
            ctx.caution(Caution("citation_status", msg, status=c.status, citation=c, params={"ref": c.ref}))
    for name in ctx.missing:
        if name in rules.facts:
            q = k.questions.get(name, {}).get("question", rules.facts[name].question)
            ctx.caution(Caution("missing_fact", N_("Not yet answered: {question} The result may change once it is known."),
                                fact=name, params={"question": Msg(q)}))

    versions: dict[str, list[str]] = {}
    for c in all_cites + [w.citation for w in ctx.cautions if w.citation]:
        versions.setdefault(c.instrument, [])
        if c.version not in versions[c.instrument]:
            versions[c.instrument].append(c.version)
    reg = rules.regulations[regime]
    return Classification(received, group_size, kind, norm, (reg["instrument"], reg["version"]), tuple(channels),
                          tuple(ctx.cautions), today, rules.version, rules.digest, rules.catalogue.digest, cal.digest,
                          tuple(sorted(cal.years)), rules.organs.version,
                          {k2: tuple(v) for k2, v in sorted(versions.items())})


def classify_document(doc: Mapping, today: date | None = None) -> dict:
    """`{"received_on", "group_size", "matter": {"kind", "facts"}}` -> the classification as a JSON-ready dict."""
    if not isinstance(doc, Mapping):
        raise fail("", LABEL_DOCUMENT, N_("must be a JSON object"))
    if "received_on" not in doc:
        raise fail("received_on", LABEL_RECEIVED_ON, N_("is required"))
    matter = doc.get("matter")
    if not isinstance(matter, Mapping):
        raise fail("matter", LABEL_MATTER, N_("must be an object with kind and facts"))
    kind = matter.get("kind")
    if not isinstance(kind, str):
        raise fail("matter.kind", LABEL_KIND, N_("is required"))
    group_size = doc.get("group_size", 1)
    return classify(doc["received_on"], group_size, kind, matter.get("facts"), today).to_dict()
