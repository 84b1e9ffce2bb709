"""The district's towns and street offices (镇街), offered first when a clerk types an address.

Kept as data in resources/towns.json (the shipped names are fictional placeholders for the office to
replace). Matching uses the name, full pinyin and pinyin initials, like the matter-kind picker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property

from xinfang_desk.paths import resource


@dataclass(frozen=True)
class Town:
    name: str

    @cached_property
    def search_keys(self) -> tuple[str, ...]:
        """Name, full pinyin, initials (lower-case). Computed on first use: pypinyin (0.25 s with its phrase
        dictionary) is imported when a town is searched, not when an address is only matched by name."""
        from pypinyin import Style, lazy_pinyin

        full = "".join(lazy_pinyin(self.name, errors="ignore")).lower()
        initials = "".join(lazy_pinyin(self.name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        return (self.name.lower(), full, initials)

    def matches(self, query: str) -> bool:
        q = query.strip().lower()
        return bool(q) and any(k.startswith(q) for k in self.search_keys)


def make_towns(names: list[str] | tuple[str, ...]) -> tuple[Town, ...]:
    """Town entries for the names given (their search keys are made when first searched)."""
    return tuple(Town(name) for name in names)


@cache
def towns() -> tuple[Town, ...]:
    """The shipped list (resources/towns.json); the office's own list, once an admin saved one, is kept in the
    local settings (services.reference.towns)."""
    data = json.loads(resource("towns.json").read_text(encoding="utf-8"))
    return make_towns(data["towns"])


def search_towns(query: str) -> list[Town]:
    return [t for t in towns() if t.matches(query)]
