"""The statute catalogue: instruments, their versions in force by date, and articles quoted verbatim.

Data lives in resources/statutes/instruments/*.json (built from statutes.md and laws/ by
`tools/build_catalogue.py`, a developer tool outside the package). Each article carries the status given in statutes.md:

* V  — read verbatim from a repository law text;
* V2 — from a secondary web source: printable, but staff should check the official text;
* M  — from memory, not found in any source;
* J  — a judgment call.

M and J texts are never printable as quotations: the loader refuses any entry that claims otherwise, and
`quote()` returns `printable=False` for them (and for whole-document references without text).
`load_catalogue()` is a pure function of the parsed documents so that the catalogue can later be fed from
the database by the admin's statute-update screen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from xinfang_desk.paths import resource
from xinfang_desk.statutes.textparse import article_heading, render

STATUSES = ("V", "V2", "J", "M")  # in order of increasing doubt
UNPRINTABLE = frozenset({"M", "J"})


class CatalogueError(ValueError):
    """The catalogue (or a rule that cites it) is inconsistent."""


def worst_status(*statuses: str | None) -> str:
    """The most doubtful of several statuses (V < V2 < J < M)."""
    return max((s for s in statuses if s), key=STATUSES.index, default="V")


@dataclass(frozen=True)
class Paragraph:
    text: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    number: int
    heading: str | None
    paragraphs: tuple[Paragraph, ...] | None  # None: no text (known only from memory)
    status: str
    printable: bool
    source: str
    note: str | None = None

    def has(self, paragraph: int | None = None, item: int | None = None) -> bool:
        if paragraph is None:
            return item is None
        if self.paragraphs is None:
            return False
        if not 1 <= paragraph <= len(self.paragraphs):
            return False
        return item is None or 1 <= item <= len(self.paragraphs[paragraph - 1].items)

    def text(self, paragraph: int | None = None, item: int | None = None) -> str | None:
        """Verbatim text of the whole article, one paragraph (款) or one item (项)."""
        if self.paragraphs is None or self.heading is None:
            return None
        if paragraph is None:
            return render(self.heading, [{"text": p.text, "items": list(p.items)} for p in self.paragraphs])
        para = self.paragraphs[paragraph - 1]
        if item is None:
            return "\n".join((para.text, *para.items)) if para.items else para.text
        return para.items[item - 1]


@dataclass(frozen=True)
class Version:
    instrument: str
    version: str
    issued_by: str
    document: str
    effective_from: date
    effective_to: date | None
    date_status: str
    status: str  # status of a reference to the document as a whole
    articles: Mapping[int, Article]
    note: str | None = None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Instrument:
    name: str
    full_title: str
    renumbered: bool
    versions: tuple[Version, ...]  # sorted by effective_from


@dataclass(frozen=True)
class Quote:
    instrument: str
    version: str
    article: int | None
    paragraph: int | None
    item: int | None
    heading: str | None
    text: str | None
    status: str
    printable: bool


class Catalogue:
    def __init__(self, instruments: Mapping[str, Instrument], digest: str) -> None:
        self.instruments = dict(instruments)
        self.digest = digest

    def instrument(self, name: str) -> Instrument:
        try:
            return self.instruments[name]
        except KeyError:
            raise CatalogueError(f"instrument {name!r} is not in the catalogue") from None

    def version(self, instrument: str, version: str) -> Version:
        for v in self.instrument(instrument).versions:
            if v.version == version:
                return v
        raise CatalogueError(f"{instrument} has no version {version!r}")

    def version_in_force(self, instrument: str, on_date: date) -> Version | None:
        """The version in force on a date, or None when the catalogue has none for that date."""
        for v in self.instrument(instrument).versions:
            if v.in_force(on_date):
                return v
        return None

    def quote(self, instrument: str, version: str, article: int | None = None,
              paragraph: int | None = None, item: int | None = None) -> Quote:
        """Text and status of an article, paragraph or item; `printable` is False for M and J."""
        ver = self.version(instrument, version)
        if article is None:
            if paragraph is not None or item is not None:
                raise CatalogueError("a paragraph or item needs an article")
            return Quote(instrument, version, None, None, None, None, None, ver.status, False)
        art = ver.articles.get(article)
        if art is None or not art.has(paragraph, item):
            raise CatalogueError(f"{instrument} ({version}) has no article {article}"
                                 f"{'' if paragraph is None else f' paragraph {paragraph}'}"
                                 f"{'' if item is None else f' item {item}'}")
        text = art.text(paragraph, item)
        return Quote(instrument, version, article, paragraph, item, art.heading, text, art.status,
                     art.printable and text is not None)


def _parse_date(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CatalogueError(f"{what}: bad date {value!r}") from None


def _article(inst: str, ver: str, a: Mapping) -> Article:
    number = int(a["number"])
    status = a.get("status", "V")
    where = f"{inst} ({ver}) art. {number}"
    if status not in STATUSES:
        raise CatalogueError(f"{where}: unknown status {status!r}")
    printable = bool(a.get("printable", status not in UNPRINTABLE))
    if printable and status in UNPRINTABLE:
        raise CatalogueError(f"{where}: status {status} may not be printable")
    paragraphs = None
    if a.get("paragraphs") is not None:
        paragraphs = tuple(Paragraph(p["text"], tuple(p.get("items", ()))) for p in a["paragraphs"])
        if a.get("heading") != article_heading(number):
            raise CatalogueError(f"{where}: heading {a.get('heading')!r} does not match the number")
        if not paragraphs or any(not p.text and not p.items for p in paragraphs):
            raise CatalogueError(f"{where}: empty text")
    elif printable:
        raise CatalogueError(f"{where}: printable article without text")
    return Article(number, a.get("heading"), paragraphs, status, printable, a.get("source", ""), a.get("note"))


def load_catalogue(docs: Iterable[Mapping]) -> Catalogue:
    """Build and check a catalogue from instrument documents (as in resources/statutes/instruments/)."""
    instruments: dict[str, Instrument] = {}
    h = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d["instrument"]):
        name = doc["instrument"]
        if name in instruments:
            raise CatalogueError(f"instrument {name!r} given twice")
        h.update(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode())
        versions = []
        for v in doc["versions"]:
            frm = _parse_date(v["effective_from"], f"{name} {v['version']}")
            to = _parse_date(v.get("effective_to"), f"{name} {v['version']}")
            if frm is None or (to is not None and to < frm):
                raise CatalogueError(f"{name} {v['version']}: effective dates out of order")
            status = v.get("status", "V")
            if status not in STATUSES:
                raise CatalogueError(f"{name} {v['version']}: unknown status {status!r}")
            arts: dict[int, Article] = {}
            for a in v.get("articles", []):
                art = _article(name, v["version"], a)
                if art.number in arts:
                    raise CatalogueError(f"{name} {v['version']}: article {art.number} given twice")
                arts[art.number] = art
            versions.append(Version(name, v["version"], v.get("issued_by", ""), v.get("document", ""), frm, to,
                                    v.get("date_status", "V"), status, arts, v.get("note")))
        versions.sort(key=lambda x: x.effective_from)
        if len({v.version for v in versions}) != len(versions):
            raise CatalogueError(f"{name}: duplicate version labels")
        for a, b in zip(versions, versions[1:], strict=False):
            if a.effective_to is None or a.effective_to >= b.effective_from:
                raise CatalogueError(f"{name}: versions {a.version} and {b.version} overlap")
        instruments[name] = Instrument(name, doc.get("full_title", name), bool(doc.get("renumbered")), tuple(versions))
    return Catalogue(instruments, h.hexdigest()[:16])


def catalogue_documents() -> list[dict]:
    folder = resource("statutes", "instruments")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped in resources/statutes/instruments/."""
    return load_catalogue(catalogue_documents())


def quote(instrument: str, version: str, article: int | None = None,
          paragraph: int | None = None, item: int | None = None) -> Quote:
    """`Catalogue.quote` on the shipped catalogue."""
    return default_catalogue().quote(instrument, version, article, paragraph, item)


def version_in_force(instrument: str, on_date: date) -> Version | None:
    """`Catalogue.version_in_force` on the shipped catalogue."""
    return default_catalogue().version_in_force(instrument, on_date)
