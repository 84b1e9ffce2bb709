"""Bad input for every text field: the Big List of Naughty Strings plus the Chinese catalogue of
reliability-anchors.md §4.

The Chinese catalogue is generated here from code points (``chr(0x...)``) so that no invisible, bidi or
unusual character sits in a source file. ``blns.txt`` is the vendored copy in ``tests/data/`` (byte-identical to
the project's ``shared/data/blns.txt``, checked by tests/unit/test_test_data.py); formerly read from ``shared/``, which CI keeps beside
it. A missing file is an error, never a silent skip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BLNS_PATH = Path(__file__).resolve().parent / "data" / "blns.txt"  # vendored; see tests/data/README.md

MIDDLE_DOT = chr(0x00B7)
DOT_LOOKALIKES = {
    "katakana middle dot U+30FB": chr(0x30FB),
    "bullet U+2022": chr(0x2022),
    "fullwidth full stop U+FF0E": chr(0xFF0E),
    "hyphenation point U+2027": chr(0x2027),
    "greek ano teleia U+0387": chr(0x0387),
    "dot operator U+22C5": chr(0x22C5),
    "halfwidth katakana middle dot U+FF65": chr(0xFF65),
    "full stop U+002E": ".",
}
INVISIBLES = {
    "ideographic space U+3000": chr(0x3000),
    "no-break space U+00A0": chr(0x00A0),
    "zero width space U+200B": chr(0x200B),
    "zero width joiner U+200D": chr(0x200D),
    "byte order mark U+FEFF": chr(0xFEFF),
}
BIDI = {f"bidi U+{cp:04X}": chr(cp) for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}

JI = chr(0x20BB7)  # 𠮷, beyond the BMP, common in names
YAN = chr(0x4DAE)  # 䶮, CJK Ext A (刘䶮)
EXT_B_FIRST = chr(0x20000)
EXT_BOUNDARIES = [chr(cp) for cp in (0x20000, 0x20BB7, 0x2A6DF, 0x2A700, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1,
                                      0x2CEB0, 0x2EBE0, 0x30000, 0x3134A)]
EXT_H = chr(0x31350)  # unassigned in Python 3.11's Unicode 14 tables
GB18030_2022_LEVEL1 = "".join(chr(cp) for cp in (*range(0x9FA6, 0x9FB4), *range(0x9FBC, 0x9FF0)))
REMAPPED_2022 = "".join(chr(cp) for cp in range(0x9FB4, 0x9FBC))
VERTICAL_FORMS = "".join(chr(cp) for cp in range(0xFE10, 0xFE1A))
COMPAT_IDEOGRAPHS = chr(0xF900) + chr(0xFA10) + chr(0xFA11)
IVS = chr(0x845B) + chr(0xE0100), chr(0x845B) + chr(0xE0101)
LONE_SURROGATE = chr(0xD800)


@dataclass(frozen=True)
class Case:
    label: str
    value: str


# -- the Big List of Naughty Strings ----------------------------------------------------------------------
@cache
def blns_lines() -> tuple[str, ...]:
    """Every test string of blns.txt (comments and blank separator lines dropped), exactly as in the file.

    Lines are split on LF only: some strings hold U+2028, U+2029 or U+0085, which `str.splitlines` would
    treat as line ends.
    """
    if not BLNS_PATH.is_file():
        raise FileNotFoundError(
            f"{BLNS_PATH} is missing: the naughty-string tests need tests/data/blns.txt"
        )
    raw = BLNS_PATH.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    out = tuple(line for line in lines if line and not line.startswith("#"))
    if len(out) < 500:
        raise RuntimeError(f"{BLNS_PATH} holds only {len(out)} strings; expected about 516")
    return out


# -- the Chinese catalogue ---------------------------------------------------------------------------------
def chinese_text_cases() -> list[Case]:
    """Free-text strings (names, addresses, summaries, respondents, search boxes)."""
    cases = [
        Case("GB 18030-2022 level-1 additions", GB18030_2022_LEVEL1),
        Case("2005->2022 remapped U+9FB4..U+9FBB", REMAPPED_2022),
        Case("vertical forms U+FE10..U+FE19", VERTICAL_FORMS),
        Case("Ext A 刘䶮", "刘" + YAN),
        Case("Ext B 𠮷", JI + "祥"),
        Case("U+20000", EXT_B_FIRST + "明"),
        Case("Ext B..G boundaries", "".join(EXT_BOUNDARIES)),
        Case("Ext H U+31350", "张" + EXT_H),
        Case("compatibility ideographs", "金" + COMPAT_IDEOGRAPHS),
        Case("IVS E0100", "张" + IVS[0]),
        Case("IVS E0101", "张" + IVS[1]),
        Case("middle dot name", "阿依古丽" + MIDDLE_DOT + "买买提"),
        Case("25 hanzi", "欧" * 25),
        Case("50 code points beyond the BMP", JI * 50),
        Case("50 chars with dots", ("买买提" + MIDDLE_DOT) * 12 + "艾力"),
        Case("leading space", " 张三"),
        Case("trailing space", "张三 "),
        Case("U+0000", "张" + chr(0) + "三"),
        Case("lone surrogate", "张" + LONE_SURROGATE + "三"),
        Case("CRLF", "第一行" + chr(13) + chr(10) + "第二行"),
        Case("LF", "第一行" + chr(10) + "第二行"),
        Case("CR", "第一行" + chr(13) + "第二行"),
        Case("formula", "=cmd|' /C calc'!A0"),
        Case("pdf operator", ") Tj /JavaScript"),
        Case("unbalanced paren", "("),
        Case("html img", '<img src="file:///etc/passwd">'),
        Case("format string", "%n%s{0}"),
        Case("sql", "张三'); DROP TABLE people;--"),
        Case("noncharacter U+FFFE", "张" + chr(0xFFFE)),
        Case("private use U+E81E", "张" + chr(0xE81E)),
        Case("fullwidth digits", "".join(chr(0xFF10 + d) for d in (1, 2, 3))),
        Case("tab", "张" + chr(9) + "三"),
    ]
    for label, ch in DOT_LOOKALIKES.items():
        cases.append(Case(f"look-alike {label}", "买买提" + ch + "艾力"))
    for label, ch in INVISIBLES.items():
        cases.append(Case(f"invisible {label}", "张" + ch + "三"))
        cases.append(Case(f"only {label}", ch))
    for label, ch in BIDI.items():
        cases.append(Case(label, "张三" + ch + "李四"))
    return cases


def huge_texts() -> list[Case]:
    """100 KB, 1 MB and 10 MB of grievance text (made when asked)."""
    unit = "反映拖欠工资问题，" + JI
    return [Case(f"{n} bytes", (unit * (n // len(unit.encode()) + 1))) for n in (100_000, 1_000_000, 10_000_000)]


# -- names -------------------------------------------------------------------------------------------------
def good_names() -> list[Case]:
    return [
        Case("𠮷", JI + "祥"),
        Case("䶮", "刘" + YAN),
        Case("U+20000", EXT_B_FIRST + "明"),
        Case("middle dot", "阿依古丽" + MIDDLE_DOT + "买买提"),
        Case("compatibility ideographs kept", "金" + COMPAT_IDEOGRAPHS),
        Case("IVS kept", "张" + IVS[0] + "明"),
        Case("GB 18030-2022 level 1", "张" + chr(0x9FA6)),
        Case("50 code points", JI * 50),
        Case("Latin with one space", "John Smith"),
    ]


def bad_names() -> list[Case]:
    cases = [Case(f"look-alike {k}", "买买提" + v + "艾力") for k, v in DOT_LOOKALIKES.items()]
    cases += [Case(f"invisible {k}", "张" + v + "三") for k, v in INVISIBLES.items() if v != chr(0x00A0)]
    cases += [
        Case("no-break space inside", "张" + chr(0x00A0) + "三"),
        Case("leading space", " 张三"),
        Case("trailing ideographic space", "张三" + chr(0x3000)),
        Case("leading dot", MIDDLE_DOT + "张三"),
        Case("trailing dot", "张三" + MIDDLE_DOT),
        Case("double dot", "张" + MIDDLE_DOT + MIDDLE_DOT + "三"),
        Case("51 code points", JI * 51),
        Case("digits", "张3"),
        Case("U+0000", "张" + chr(0) + "三"),
        Case("RLO", "张" + chr(0x202E) + "三"),
        Case("newline", "张" + chr(10) + "三"),
        Case("html", "<b>张三</b>"),
    ]
    return cases


# -- resident ID numbers -----------------------------------------------------------------------------------
VALID_ID = "11010519491231002X"  # GB 11643 example
VALID_ID_2 = "440524188001010014"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else (chr(0xFF38) if c == "X" else c) for c in text)


def check_digit(body17: str) -> str:
    weights = [(2 ** (17 - i)) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def make_id(region: str, birth: str, seq: str = "123") -> str:
    body = region + birth + seq
    return body + check_digit(body)


def wrong_check(number: str) -> str:
    """The same number with a check character that does not match (±1)."""
    alphabet = "0123456789X"
    return number[:17] + alphabet[(alphabet.index(number[17]) + 1) % 11]


def accepted_id_spellings() -> list[Case]:
    """Ways a clerk (or an input method) types VALID_ID; each must be stored as VALID_ID."""
    return [
        Case("lower-case x", VALID_ID.lower()),
        Case("fullwidth digits and Ｘ", fullwidth(VALID_ID)),
        Case("fullwidth digits, lower x", fullwidth(VALID_ID[:17]) + "x"),
        Case("spaces", "110105 19491231 002X"),
        Case("hyphens", "110105-19491231-002X"),
        Case("ideographic spaces", "110105" + chr(0x3000) + "19491231" + chr(0x3000) + "002X"),
        Case("surrounding spaces", "  " + VALID_ID + " "),
    ]


def refused_ids(today: dt.date) -> list[tuple[Case, str]]:
    """(case, problem keyword in English msgid) pairs."""
    future = today + dt.timedelta(days=30)
    return [
        (Case("check digit +1", wrong_check(VALID_ID)), "check digit"),
        (Case("check digit +1 (2)", wrong_check(VALID_ID_2)), "check digit"),
        (Case("20230229", make_id("110105", "20230229")), "birth date"),
        (Case("19000229", make_id("110105", "19000229")), "birth date"),
        (Case("future birth date", make_id("110105", f"{future:%Y%m%d}")), "birth date"),
        (Case("month 13", make_id("110105", "19881301")), "birth date"),
        (Case("region 000000", make_id("000000", "19800101")), "region code"),
        (Case("17 digits", VALID_ID[:17]), "18 characters"),
        (Case("19 digits", VALID_ID[:17] + "12"), "18 characters"),
        (Case("letter inside", VALID_ID[:5] + "A" + VALID_ID[6:]), "only digits"),
    ]


# -- phones, dates -----------------------------------------------------------------------------------------
def phone_cases() -> list[tuple[Case, str | None]]:
    """(input, expected E.164 or None when refused)."""
    return [
        (Case("mobile", "13812345678"), "+8613812345678"),
        (Case("+86 mobile", "+86 138 1234 5678"), "+8613812345678"),
        (Case("0086 mobile", "008613812345678"), "+8613812345678"),
        (Case("fullwidth mobile", fullwidth("13812345678")), "+8613812345678"),
        (Case("Beijing landline", "010-12345678"), "+861012345678"),
        (Case("Shenzhen landline", "0755-12345678"), "+8675512345678"),
        (Case("too short", "1381234"), None),
        (Case("letters", "abc"), None),
    ]


NONEXISTENT_LOCAL_TIME = "1988-04-17T02:30:00"  # DST gap in Asia/Shanghai
BAD_DATES = ["0000-00-00", "2023-02-29", "2026-13-01", "2026-1-1", "20261127", "", "tomorrow", "2026-11-27T10:00"]
