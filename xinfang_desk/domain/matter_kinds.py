"""The matter-kind vocabulary (matter-kinds.md), kept as data in resources/matter_kinds.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property

from xinfang_desk.i18n import language
from xinfang_desk.paths import resource

CHANNELS = ("visit", "letter", "phone", "online")
CHANNEL_LABELS_ZH = {"visit": "来访", "letter": "来信", "phone": "来电", "online": "网上"}
CHANNEL_LABELS_EN = {"visit": "In person", "letter": "Letter", "phone": "Phone", "online": "Online"}


def channel_label(code: str) -> str:
    return (CHANNEL_LABELS_EN if language() == "en" else CHANNEL_LABELS_ZH).get(code, code)


@dataclass(frozen=True)
class MatterKind:
    code: str
    label_zh: str
    label_en: str
    rows: str

    @cached_property
    def search_keys(self) -> tuple[str, ...]:
        """Lower-case: code, label, full pinyin, initials. Computed on first use: pypinyin (0.25 s with its phrase
        dictionary) is imported only when a kind is searched, not when the rule set or a command needs the kinds."""
        from pypinyin import Style, lazy_pinyin

        full = "".join(lazy_pinyin(self.label_zh, errors="ignore"))
        initials = "".join(lazy_pinyin(self.label_zh, style=Style.FIRST_LETTER, errors="ignore"))
        return (self.code.lower(), self.label_zh.lower(), self.label_en.lower(), full, initials)

    def label(self) -> str:
        return self.label_en if language() == "en" else self.label_zh

    def matches(self, query: str) -> bool:
        q = query.strip().lower()
        return not q or any(q in k for k in self.search_keys)


@cache
def all_kinds() -> tuple[MatterKind, ...]:
    data = json.loads(resource("matter_kinds.json").read_text(encoding="utf-8"))
    return tuple(MatterKind(k["code"], k["label_zh"], k["label_en"], k["rows"]) for k in data["kinds"])


@cache
def kinds_by_code() -> dict[str, MatterKind]:
    return {k.code: k for k in all_kinds()}


def is_kind(code: str) -> bool:
    return code in kinds_by_code()


def search_kinds(query: str) -> list[MatterKind]:
    return [k for k in all_kinds() if k.matches(query)]


@cache
def decision_labels() -> dict[str, str]:
    data = json.loads(resource("matter_kinds.json").read_text(encoding="utf-8"))
    return {d["code"]: d["label_zh"] for d in data["decisions"]}
