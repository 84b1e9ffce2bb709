"""The Chinese forms of numbers and dates printed on paper and shown as text (GB/T 9704-2012), without reportlab:
the text of a progress slip on the command line needs them, not the PDF machinery."""

from __future__ import annotations

from datetime import date, datetime

from xinfang_desk.domain.localtime import LOCAL_TZ

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 35 → 三十五, 105 → 一百零五, 110 → 一百一十 (article numbers)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out = ""
    rest = n
    zero = False
    for value, name in units:
        d, rest = divmod(rest, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _DIGITS[rest]
    return out


def local(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("aware datetime required")
    return dt.astimezone(LOCAL_TZ)


def as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return local(value).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def cn_date(value: date | datetime | str) -> str:
    """GB/T 9704-2012: ``2026年11月27日`` — Arabic numerals, no leading zeros."""
    d = as_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(dt: datetime) -> str:
    t = local(dt)
    return f"{cn_date(t)} {t.hour:02d}:{t.minute:02d}"
