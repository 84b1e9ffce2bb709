"""Reference data edited by an admin: the organ directory and the holiday calendar.

Both start from the defaults shipped in resources/ (organs marked for the office to confirm; the State
Council holiday schedules 2021–2026) and are kept in the local database, where an admin edits them (and,
with sync, the centre distributes them). The channel engine reads them from here, so an update takes
effect for the next classification; stored classifications keep what they were computed with."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from xinfang_desk.domain.errors import NotFound, fail
from xinfang_desk.domain.text import check_text
from xinfang_desk.i18n import N_
from xinfang_desk.paths import resource
from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import CalendarYear, Organ, Setting
from xinfang_desk.persistence.types import utcnow
from xinfang_desk.services.access import reads, writes
from xinfang_desk.services.context import Actor
from xinfang_desk.services.recording import audit, record_change, require

ORGAN_FIELDS = ("name", "address", "phone", "hours")


@dataclass(frozen=True)
class OrganDTO:
    key: str
    name: str
    address: str
    phone: str
    hours: str
    confirmed: bool
    version: int


_calendar_lock = threading.Lock()
_calendar_cache: dict[str, Any] = {}


def calendar_from_session(s: Any) -> Any:
    """Build (or reuse) the HolidayCalendar from the calendar_years rows visible to this session."""
    from xinfang_desk.statutes.calendar import load_calendar

    bind = s.get_bind()
    count, latest = s.execute(select(func.count(), func.max(CalendarYear.updated_at))).one()
    key = f"{bind.url}|{count}|{latest}"
    with _calendar_lock:
        if key in _calendar_cache:
            return _calendar_cache[key]
    if not count:  # an empty table (never seeded): the shipped calendar
        from xinfang_desk.statutes.calendar import default_calendar

        return default_calendar()
    cal = load_calendar([row.data for row in s.scalars(select(CalendarYear))])
    with _calendar_lock:
        _calendar_cache.clear()
        _calendar_cache[key] = cal
    return cal


class ReferenceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @writes
    def ensure_defaults(self) -> None:
        """Seed an empty directory and calendar from resources/ (`Services` calls this when its one plain query
        at the open finds either empty; each is checked again inside the transaction)."""
        with self.db.transaction() as s:
            if not s.scalar(select(func.count()).select_from(Organ)):
                data = json.loads(resource("organs.json").read_text(encoding="utf-8"))
                for o in data["organs"]:
                    s.add(Organ(key=o["key"], name=o["name"], address=o.get("address") or "", phone=o.get("phone") or "",
                                hours=o.get("hours") or "", confirmed=bool(o.get("confirmed", False))))
            if not s.scalar(select(func.count()).select_from(CalendarYear)):
                for p in sorted(resource("calendar").glob("*.json")):
                    doc = json.loads(p.read_text(encoding="utf-8"))
                    s.add(CalendarYear(year=int(doc["year"]), data=doc))

    # -- organs ----------------------------------------------------------------------------------------
    @reads
    def organs(self) -> list[OrganDTO]:
        with self.db.session() as s:
            return [OrganDTO(o.key, o.name, o.address, o.phone, o.hours, o.confirmed, o.version)
                    for o in s.scalars(select(Organ).order_by(Organ.key))]

    @writes
    def update_organ(self, actor: Actor, key: str, *, confirmed: bool | None = None, **fields: str) -> OrganDTO:
        require(self.db, actor, N_("manage windows, organs and settings"))
        for name, value in fields.items():
            if name not in ORGAN_FIELDS:
                raise fail(name, N_("Organ"), N_("is not a field of an organ"))
            check_text(value, name, N_("Organ"), max_len=300, required=(name == "name"), multiline=False)
        with self.db.transaction() as s:
            o = s.get(Organ, key)
            if o is None:
                raise NotFound(key)
            base = o.version
            for name, value in fields.items():
                setattr(o, name, value)
            if confirmed is not None:
                o.confirmed = confirmed
            o.version = base + 1
            o.updated_at = utcnow()
            o.updated_by = actor.user_id
            record_change(s, actor, o, op="update", base_version=base)
            audit(s, actor, "organ.update", "organs", key, fields=sorted(fields), confirmed=confirmed)
            return OrganDTO(o.key, o.name, o.address, o.phone, o.hours, o.confirmed, o.version)

    # -- calendar --------------------------------------------------------------------------------------
    @reads
    def calendar(self) -> Any:
        """The holiday calendar from the database (cached until a year changes)."""
        with self.db.session() as s:
            return calendar_from_session(s)

    @reads
    def calendar_years(self) -> list[int]:
        with self.db.session() as s:
            return list(s.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))

    @writes
    def import_calendar_year(self, actor: Actor, doc: dict[str, Any]) -> int:
        """Add or replace one year from the State Council's schedule (same JSON shape as resources/calendar)."""
        from xinfang_desk.statutes.calendar import CalendarError, load_calendar

        require(self.db, actor, N_("manage windows, organs and settings"))
        try:
            year = int(doc["year"])
            load_calendar([doc])  # refuses overlapping or malformed ranges
            for d in [h["from"] for h in doc.get("holidays", [])] + list(doc.get("workdays", [])):
                if not str(d).startswith(f"{year}-") and not str(d).startswith(f"{year + 1}-"):
                    raise CalendarError(f"{d} is not in {year}")
        except (KeyError, TypeError, ValueError) as e:
            raise fail("calendar", N_("Holiday calendar"), N_("is not a valid year schedule: {err}"), err=str(e)) from None
        with self.db.transaction() as s:
            row = s.get(CalendarYear, year)
            if row is None:
                row = CalendarYear(year=year, data=doc, updated_by=actor.user_id)
                s.add(row)
            else:
                row.data, row.updated_at, row.updated_by = doc, utcnow(), actor.user_id
            record_change(s, actor, row, op="update")
            audit(s, actor, "calendar.import", "calendar_years", str(year), year=year)
        return year

    # -- the office (本单位): its name on every notice and the words in the seal area -----------------------
    @reads
    def office(self) -> tuple[str, str]:
        """(issuing office, seal text) as printed on notices."""
        from xinfang_desk.services.notices import DEFAULT_OFFICE

        with self.db.session() as s:
            name, seal = s.get(Setting, "issuing_office"), s.get(Setting, "seal_text")
            return (str(name.value) if name and name.value else DEFAULT_OFFICE,
                    str(seal.value) if seal and seal.value else "印章处")

    @writes
    def set_office(self, actor: Actor, name: str, seal_text: str) -> tuple[str, str]:
        """The office's name (发文机关署名) and the seal text; both required, one line, printable."""
        from xinfang_desk.printing import fonts

        require(self.db, actor, N_("manage windows, organs and settings"))
        check_text(name, "issuing_office", N_("Name of the office"), max_len=60, required=True, multiline=False)
        check_text(seal_text, "seal_text", N_("Seal text"), max_len=20, required=True, multiline=False)
        for value, field, label in ((name, "issuing_office", N_("Name of the office")),
                                    (seal_text, "seal_text", N_("Seal text"))):
            try:
                fonts.check_printable(value.strip(), field)
            except Exception as e:  # noqa: BLE001 - a character no shipped font can print
                raise fail(field, label, N_("contains a character that cannot be printed: {err}"), err=str(e)) from None
        with self.db.transaction() as s:
            for key, value in (("issuing_office", name.strip()), ("seal_text", seal_text.strip())):
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
            audit(s, actor, "office.update", "settings", "issuing_office", name=name.strip(), seal_text=seal_text.strip())
        return name.strip(), seal_text.strip()

    # -- the district's towns and street offices (镇街), offered first in the address field -------------------
    @reads
    def towns(self) -> list[str]:
        """The office's list once an admin saved one, else the shipped placeholders."""
        from xinfang_desk.domain.places import towns

        with self.db.session() as s:
            row = s.get(Setting, "towns")
            if row is not None and isinstance(row.value, list) and row.value:
                return [str(n) for n in row.value]
        return [t.name for t in towns()]

    @writes
    def set_towns(self, actor: Actor, names: list[str]) -> list[str]:
        """One name per entry (blank lines dropped); each one line of at most 30 characters, no repeats."""
        require(self.db, actor, N_("manage windows, organs and settings"))
        clean = [n.strip() for n in names if n and n.strip()]
        if not clean:
            raise fail("towns", N_("Towns and street offices"), N_("list at least one town"))
        if len(clean) > 200:
            raise fail("towns", N_("Towns and street offices"), N_("at most {max} towns"), max=200)
        seen: set[str] = set()
        for i, n in enumerate(clean):
            check_text(n, f"towns[{i}]", N_("Towns and street offices"), max_len=30, required=True, multiline=False)
            if n in seen:
                raise fail(f"towns[{i}]", N_("Towns and street offices"), N_("{name} is listed twice"), name=n)
            seen.add(n)
        with self.db.transaction() as s:
            row = s.get(Setting, "towns")
            if row is None:
                s.add(Setting(key="towns", value=clean))
            else:
                row.value = clean
            audit(s, actor, "towns.update", "settings", "towns", count=len(clean))
        return clean
