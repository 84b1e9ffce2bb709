"""The matter-kind vocabulary (matter-kinds.md), kept as data in resources/matter_kinds.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

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
    search_keys: tuple[str, ...]  # lower-case: code, label, full pinyin, initials

    def label(self) -> str:
        return self.label_en if language() == "en" else self.label_zh

    def matches(self, query: str) -> bool:
        q = query.strip().lower()
        return not q or any(q in k for k in self.search_keys)


@cache
def all_kinds() -> tuple[MatterKind, ...]:
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: not on the path to the log-in window

    data = json.loads(resource("matter_kinds.json").read_text(encoding="utf-8"))
    out = []
    for k in data["kinds"]:
        zh = k["label_zh"]
        full = "".join(lazy_pinyin(zh, errors="ignore"))
        initials = "".join(lazy_pinyin(zh, style=Style.FIRST_LETTER, errors="ignore"))
        keys = (k["code"].lower(), zh.lower(), k["label_en"].lower(), full, initials)
        out.append(MatterKind(k["code"], zh, k["label_en"], k["rows"], keys))
    return tuple(out)


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
