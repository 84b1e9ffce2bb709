"""A matter's progress (办理进度) as a state machine over append-only events.

States follow 信访工作条例 (2022) ch. 4 and 信访条例 (2005) ch. 4: a matter is registered (登记), then within
15 days the office gives written notice of the channel (告知), transfers it (转送) or assigns it (交办) to
the organ with power to handle it, or the organ accepts it (受理) — or it is not accepted (不予受理). An
accepted matter is answered (答复, with the reply date); the visitor may ask the next level up for a review
(复查) of the answer and then for a recheck (复核) of the review; after the recheck the matter is final
(信访工作条例 36(3)). Closed (办结) ends it.

The history is replayed in the order the acts happened (`occurred_on`, then when they were recorded), so
events recorded at two windows while offline merge into one history: an event that is not a legal step in
the merged order is kept (nothing is dropped) and marked as out of order for a supervisor to check.

The office's own duties are tracked against the state: each has the article that sets it and a period
that the deadline engine turns into a last day. Stdlib only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

REGISTERED = "registered"
NOTIFIED = "notified"
TRANSFERRED = "transferred"
ASSIGNED = "assigned"
ACCEPTED = "accepted"
EXTENDED = "extended"
NOT_ACCEPTED = "not_accepted"
REPLIED = "replied"
REVIEW = "review"
RECHECK = "recheck"
CLOSED = "closed"

STATES = (REGISTERED, NOTIFIED, TRANSFERRED, ASSIGNED, ACCEPTED, EXTENDED, NOT_ACCEPTED, REPLIED, REVIEW, RECHECK,
          CLOSED)
RECORDABLE = STATES[1:]  # "registered" is the visit itself

# Chinese labels for screens and paper (official terms; the GUI and printouts use these directly).
STATE_LABELS_ZH = {
    REGISTERED: "已登记", NOTIFIED: "已告知", TRANSFERRED: "已转送", ASSIGNED: "已交办", ACCEPTED: "已受理",
    EXTENDED: "已延期", NOT_ACCEPTED: "不予受理", REPLIED: "已答复", REVIEW: "复查中", RECHECK: "复核中", CLOSED: "已办结",
}
# What the act was, for a history line ("2026年11月3日 转送 区人力资源和社会保障局").
ACT_LABELS_ZH = {
    REGISTERED: "登记", NOTIFIED: "书面告知", TRANSFERRED: "转送", ASSIGNED: "交办", ACCEPTED: "受理",
    EXTENDED: "延长办理期限", NOT_ACCEPTED: "不予受理", REPLIED: "答复", REVIEW: "请求复查", RECHECK: "请求复核", CLOSED: "办结",
}

# Which acts need an organ (who it went to / who acts) and which a document.
NEEDS_ORGAN = frozenset({TRANSFERRED, ASSIGNED, ACCEPTED, REVIEW, RECHECK})
NEEDS_DOCUMENT = frozenset({REPLIED})
NEEDS_REASON = frozenset({NOT_ACCEPTED, EXTENDED})  # 信访工作条例 34: 告知信访人延期理由

_DISPOSALS = (NOTIFIED, TRANSFERRED, ASSIGNED, ACCEPTED, NOT_ACCEPTED, CLOSED)
_NEXT: dict[str, frozenset[str]] = {
    REGISTERED: frozenset(_DISPOSALS),
    NOTIFIED: frozenset({TRANSFERRED, ASSIGNED, ACCEPTED, NOT_ACCEPTED, CLOSED}),
    TRANSFERRED: frozenset({ACCEPTED, NOT_ACCEPTED, REPLIED, CLOSED}),
    ASSIGNED: frozenset({ACCEPTED, NOT_ACCEPTED, REPLIED, CLOSED}),
    ACCEPTED: frozenset({EXTENDED, REPLIED, CLOSED}),
    EXTENDED: frozenset({REPLIED, CLOSED}),  # once: the 60 days extended by at most 30 (art. 34)
    REPLIED: frozenset({REVIEW, RECHECK, CLOSED}),  # which of review/recheck depends on the level
    REVIEW: frozenset({REPLIED, CLOSED}),  # the review opinion is a reply at level 1
    RECHECK: frozenset({REPLIED, CLOSED}),  # the recheck opinion is a reply at level 2
    NOT_ACCEPTED: frozenset(),
    CLOSED: frozenset(),
}

# Reasons a step is refused (codes; the words are chosen where they are shown).
R_UNKNOWN_STATE = "unknown_state"
R_FINAL = "final_state"  # closed / not accepted: nothing follows
R_NOT_NEXT = "not_a_next_step"
R_REVIEW_LEVEL = "review_only_after_first_reply"
R_RECHECK_LEVEL = "recheck_only_after_review_reply"
R_AFTER_RECHECK = "nothing_after_recheck_reply"  # 信访工作条例 36(3): 不再受理
R_BEFORE_RECEIPT = "before_received"
R_BEFORE_PREVIOUS = "before_previous_step"



@dataclass(frozen=True)
class StepRefused:
    code: str
    state: str
    target: str


@dataclass(frozen=True)
class Position:
    """Where a matter stands: the state, since when, the level (0 first handling, 1 review, 2 recheck), and
    the day the office's running period started (differs from `since` only after an extension)."""

    state: str
    since: dt.date
    level: int = 0
    started: dt.date | None = None

    @property
    def period_start(self) -> dt.date:
        return self.started or self.since


def check_step(pos: Position, target: str, on: dt.date) -> StepRefused | None:
    """None when `target` on day `on` is a legal next step from `pos`, else why not."""
    if target not in RECORDABLE:
        return StepRefused(R_UNKNOWN_STATE, pos.state, target)
    if pos.state in (CLOSED, NOT_ACCEPTED):
        return StepRefused(R_FINAL, pos.state, target)
    if target not in _NEXT[pos.state]:
        return StepRefused(R_NOT_NEXT, pos.state, target)
    if target == REVIEW and pos.level != 0:
        return StepRefused(R_AFTER_RECHECK if pos.level >= 2 else R_REVIEW_LEVEL, pos.state, target)
    if target == RECHECK:
        if pos.level == 0:
            return StepRefused(R_RECHECK_LEVEL, pos.state, target)
        if pos.level >= 2:
            return StepRefused(R_AFTER_RECHECK, pos.state, target)
    if on < pos.since:
        return StepRefused(R_BEFORE_RECEIPT if pos.state == REGISTERED else R_BEFORE_PREVIOUS, pos.state, target)
    return None


def advance(pos: Position, target: str, on: dt.date) -> Position:
    level = pos.level
    if target == REVIEW:
        level = 1
    elif target == RECHECK:
        level = 2
    started = pos.period_start if target == EXTENDED else on  # the extension lengthens the running period
    return Position(target, on, level, started)


@dataclass(frozen=True)
class Step:
    """One recorded event as the replay sees it."""

    event_id: str
    state: str
    occurred_on: dt.date
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Replayed:
    position: Position
    applied: tuple[str, ...]  # event ids that moved the matter, in order
    out_of_order: tuple[tuple[str, StepRefused], ...]  # kept in the history, did not move the matter


def order_key(step: Step) -> tuple[dt.date, dt.datetime, str]:
    return (step.occurred_on, step.recorded_at, step.event_id)


def replay(received_on: dt.date, steps: Iterable[Step]) -> Replayed:
    """The one history of a matter, whatever order the events arrived in."""
    pos = Position(REGISTERED, received_on, 0)
    applied: list[str] = []
    bad: list[tuple[str, StepRefused]] = []
    for st in sorted(steps, key=order_key):
        why = check_step(pos, st.state, st.occurred_on)
        if why is None:
            pos = advance(pos, st.state, st.occurred_on)
            applied.append(st.event_id)
        else:
            bad.append((st.event_id, why))
    return Replayed(pos, tuple(applied), tuple(bad))


# -- the office's own duties ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DutyRule:
    code: str
    label_zh: str  # what must be done
    period: str  # for the deadline engine: 15d, 60d, …
    instrument: str
    version: str
    article: int
    paragraph: int | None = None


# Periods and articles from statutes.md §1 (信访工作条例 22, 34, 35, 36; 信访条例 21, 33, 34, 35), by the
# regulation in force on the day the matter was received.
_DUTIES: dict[str, dict[tuple[str, int], DutyRule]] = {
    "2022": {
        (REGISTERED, 0): DutyRule("dispose", "登记后转送、交办或告知", "15d", "信访工作条例", "2022", 22),
        (ACCEPTED, 0): DutyRule("reply", "受理后办结答复", "60d", "信访工作条例", "2022", 34),
        (EXTENDED, 0): DutyRule("reply", "受理后办结答复（已延长30日）", "90d", "信访工作条例", "2022", 34),
        (REVIEW, 1): DutyRule("review", "提出复查意见并书面答复", "30d", "信访工作条例", "2022", 35),
        (RECHECK, 2): DutyRule("recheck", "提出复核意见", "30d", "信访工作条例", "2022", 36, 1),
    },
    "2005": {
        (REGISTERED, 0): DutyRule("dispose", "登记后转送、交办或告知", "15d", "信访条例", "2005", 21),
        (ACCEPTED, 0): DutyRule("reply", "受理后办结答复", "60d", "信访条例", "2005", 33),
        (EXTENDED, 0): DutyRule("reply", "受理后办结答复（已延长30日）", "90d", "信访条例", "2005", 33),
        (REVIEW, 1): DutyRule("review", "提出复查意见并书面答复", "30d", "信访条例", "2005", 34),
        (RECHECK, 2): DutyRule("recheck", "提出复核意见", "30d", "信访条例", "2005", 35, 1),
    },
}
NEW_REGULATION_FROM = dt.date(2022, 5, 1)


def regulation_for(received_on: dt.date) -> str:
    return "2022" if received_on >= NEW_REGULATION_FROM else "2005"


def duty_for(pos: Position, received_on: dt.date) -> DutyRule | None:
    """The office's duty that runs in this position, or None (nothing pending on the office)."""
    return _DUTIES[regulation_for(received_on)].get((pos.state, pos.level))


def duty_rules() -> Sequence[DutyRule]:
    return [r for table in _DUTIES.values() for r in table.values()]


def duty_window(today: dt.date, soon_days: int = 3) -> tuple[dt.date, dt.date]:
    """(today, today + soon_days): a duty with its last day before `today` is overdue, up to the second
    day it is due soon."""
    return today, today + dt.timedelta(days=soon_days)
