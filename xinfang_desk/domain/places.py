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


def make_towns(names: list[str] | tuple[str, ...]) -> tuple[Town, ...]:
    """Town entries with their search keys (name, full pinyin, initials) for the names given."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for name in names:
        full = "".join(lazy_pinyin(name, errors="ignore")).lower()
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        out.append(Town(name, (name.lower(), full, initials)))
    return tuple(out)


@cache
def towns() -> tuple[Town, ...]:
    """The shipped list (resources/towns.json); the office's own list, once an admin saved one, is kept in the
    local settings (services.reference.towns)."""
    data = json.loads(resource("towns.json").read_text(encoding="utf-8"))
    return make_towns(data["towns"])


def search_towns(query: str) -> list[Town]:
    return [t for t in towns() if t.matches(query)]
