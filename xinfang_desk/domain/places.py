"""The district's towns and street offices (镇街), offered first when a clerk types an address.

Kept as data in resources/towns.json (the shipped names are fictional placeholders for the office to
replace). Matching uses the name, full pinyin and pinyin initials, like the matter-kind picker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from xinfang_desk.paths import resource


@dataclass(frozen=True)
class Town:
    name: str
    search_keys: tuple[str, ...]  # name, full pinyin, initials (lower-case)

    def matches(self, query: str) -> bool:
        q = query.strip().lower()
        return bool(q) and any(k.startswith(q) for k in self.search_keys)


@cache
def towns() -> tuple[Town, ...]:
    from pypinyin import Style, lazy_pinyin

    data = json.loads(resource("towns.json").read_text(encoding="utf-8"))
    out = []
    for name in data["towns"]:
        full = "".join(lazy_pinyin(name, errors="ignore")).lower()
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        out.append(Town(name, (name.lower(), full, initials)))
    return tuple(out)


def search_towns(query: str) -> list[Town]:
    return [t for t in towns() if t.matches(query)]
