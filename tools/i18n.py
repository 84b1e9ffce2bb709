#!/usr/bin/env python3
"""The translation catalog: extract, update, check.

    python tools/i18n.py extract   # xinfang_desk/**.py, ui/*.ui and the rule data -> resources/i18n/xinfang_desk.pot
    python tools/i18n.py update    # extract, then merge into resources/i18n/zh_CN/LC_MESSAGES/xinfang_desk.po
    python tools/i18n.py check     # exit 1 if a msgid in the tree lacks a zh_CN translation, a translation is
                                   # fuzzy, or its {placeholders} differ from the msgid's (CI runs this)
    python tools/i18n.py missing   # print the untranslated msgids (one per line) for the translator
    python tools/i18n.py merge FILE.po  # fill untranslated zh_CN entries from FILE.po (never overwrites)

The channel engine passes English msgids from its data files through `_()` / `translate()`: the channel and
deadline labels, warning and note messages, assumptions and the fact questions of
resources/rules/rules.json and resources/rules/facts.json (keys in RULE_MSGID_KEYS). They are extracted into
the same catalog, so the clerk's screen and the printed notice show them in Chinese.

msgids are English; the app reads the .po at run time with Babel, so no .mo is built or committed.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the qtui extractor named in babel.cfg

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

DOMAIN = "xinfang_desk"
LANGS = ("zh_CN",)
I18N_DIR = ROOT / "resources" / "i18n"
POT = I18N_DIR / f"{DOMAIN}.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_": None}
# JSON keys whose string values the engine (xinfang_desk/statutes/{rules,facts,engine}.py) translates
RULE_MSGID_KEYS = frozenset({"label", "message", "assumption", "waiver_label", "question"})
RULE_FILES = ("resources/rules/rules.json", "resources/rules/facts.json")
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}")


def po_path(lang: str) -> Path:
    return I18N_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    cat = Catalog(project="xinfang-desk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if filename.startswith("xinfang_desk/gui/forms/"):
            continue
        cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for rel in RULE_FILES:
        for message, lineno in extract_rule_msgids(ROOT / rel):
            cat.add(message, None, [(rel, lineno)])
    return cat


def extract_rule_msgids(path: Path) -> list[tuple[str, int]]:
    """(msgid, line) for every string under a RULE_MSGID_KEYS key anywhere in a rule data file."""
    import json

    text = path.read_text(encoding="utf-8")
    found: list[tuple[str, int]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in RULE_MSGID_KEYS and isinstance(v, str) and v.strip():
                    pos = text.find(json.dumps(v, ensure_ascii=False))
                    found.append((v, text.count("\n", 0, max(pos, 0)) + 1))
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(text))
    return found


def merge(source: Path, lang: str = "zh_CN") -> int:
    """Take translations from another .po for msgids of the template that are still untranslated here."""
    template = extract()
    po = load_po(lang)
    po.update(template, no_fuzzy_matching=True)
    with open(source, "rb") as fh:
        other = read_po(fh, locale=lang)
    taken = 0
    for msg in template:
        if not msg.id:
            continue
        mine = po.get(msg.id, context=msg.context)
        theirs = other.get(msg.id, context=msg.context)
        if mine is not None and (not mine.string or mine.fuzzy) and theirs is not None and theirs.string \
                and not theirs.fuzzy:
            mine.string = theirs.string
            mine.flags.discard("fuzzy")
            taken += 1
    save_po(lang, po)
    print(f"{lang}: {taken} translations taken from {source}; {len(untranslated(template, po))} still untranslated")
    return 0


def write_pot(cat: Catalog) -> None:
    POT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, cat, width=120, omit_header=False, sort_output=True)
    POT.write_bytes(buf.getvalue())


def load_po(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="xinfang-desk", charset="utf-8")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang)


def save_po(lang: str, cat: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, cat, width=120, sort_output=True, ignore_obsolete=True)
    path.write_bytes(buf.getvalue())


def update() -> int:
    template = extract()
    write_pot(template)
    for lang in LANGS:
        po = load_po(lang)
        po.update(template, no_fuzzy_matching=True)
        save_po(lang, po)
        missing = untranslated(template, po)
        print(f"{lang}: {len(template)} msgids, {len(missing)} untranslated -> {po_path(lang).relative_to(ROOT)}")
    return 0


def untranslated(template: Catalog, po: Catalog) -> list[str]:
    out = []
    for msg in template:
        if not msg.id:
            continue
        tr = po.get(msg.id, context=msg.context)
        if tr is None or not tr.string or tr.fuzzy:
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def placeholder_problems(po: Catalog) -> list[str]:
    out = []
    for msg in po:
        if not msg.id or not msg.string or not isinstance(msg.id, str):
            continue
        want = set(PLACEHOLDER.findall(msg.id))
        got = set(PLACEHOLDER.findall(str(msg.string)))
        if want != got:
            out.append(f"{msg.id!r}: placeholders {sorted(want)} but translation has {sorted(got)}")
    return out


def check() -> int:
    template = extract()
    bad = 0
    for lang in LANGS:
        po = load_po(lang)
        missing = untranslated(template, po)
        for m in missing:
            print(f"{lang}: untranslated: {m!r}", file=sys.stderr)
        probs = placeholder_problems(po)
        for p in probs:
            print(f"{lang}: {p}", file=sys.stderr)
        bad += len(missing) + len(probs)
        print(f"{lang}: {len(template)} msgids, {len(missing)} untranslated, {len(probs)} placeholder problems")
    if bad:
        print("run: python tools/i18n.py update, translate, and commit the .po", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["extract", "update", "check", "missing", "merge"])
    ap.add_argument("source", nargs="?", help="merge: the .po file to take translations from")
    args = ap.parse_args(argv)
    if args.command == "merge":
        if not args.source:
            ap.error("merge needs the .po file to take translations from")
        return merge(Path(args.source))
    if args.command == "extract":
        cat = extract()
        write_pot(cat)
        print(f"{len(cat)} msgids -> {POT.relative_to(ROOT)}")
        return 0
    if args.command == "update":
        return update()
    if args.command == "missing":
        for m in untranslated(extract(), load_po("zh_CN")):
            print(m.replace("\n", "\\n"))
        return 0
    return check()


if __name__ == "__main__":
    raise SystemExit(main())
