"""The organ directory: where the notice sends the visitor (name, address, phone, hours).

The shipped resources/organs.json holds fictional placeholders marked `confirmed: false` for the office to
confirm; generic entries (`generic: true`) name a type of organ ("有管辖权的人民法院") rather than a local
address. `load_organs()` is a pure function of a dict so the lead's DB-backed admin screen can feed it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from xinfang_desk.paths import resource


class OrganDirectoryError(ValueError):
    pass


@dataclass(frozen=True)
class Organ:
    key: str
    name: str
    address: str | None
    phone: str | None
    hours: str | None
    confirmed: bool
    generic: bool = False
    note: str | None = None


@dataclass(frozen=True)
class OrganDirectory:
    version: str
    organs: Mapping[str, Organ]

    def get(self, key: str) -> Organ:
        try:
            return self.organs[key]
        except KeyError:
            raise OrganDirectoryError(f"organ {key!r} is not in the directory") from None

    def __contains__(self, key: object) -> bool:
        return key in self.organs


def load_organs(data: Mapping) -> OrganDirectory:
    """Build the directory from {"version": str, "organs": [{"key","name","address","phone","hours","confirmed"}]}."""
    organs: dict[str, Organ] = {}
    for o in data.get("organs", []):
        key, name = o.get("key"), o.get("name")
        if not key or not isinstance(key, str) or not name or not isinstance(name, str):
            raise OrganDirectoryError(f"organ entry without key or name: {o!r}")
        if key in organs:
            raise OrganDirectoryError(f"organ {key!r} given twice")
        organs[key] = Organ(key, name, o.get("address"), o.get("phone"), o.get("hours"), bool(o.get("confirmed", False)),
                            bool(o.get("generic", False)), o.get("note"))
    return OrganDirectory(str(data.get("version", "")), organs)


@cache
def default_organs() -> OrganDirectory:
    """The directory shipped in resources/organs.json."""
    return load_organs(json.loads(resource("organs.json").read_text(encoding="utf-8")))
