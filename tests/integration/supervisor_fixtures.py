"""A small realistic day (and the day before) registered through the services, for the supervisor's tests:
several kinds, towns, two windows, a collective visit, a repeat visit, ID numbers and phones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.naughty import make_id
from xinfang_desk.services.context import LOCAL_TZ
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

DAY = dt.date(2026, 11, 26)
KINDS = ("labour.wage_arrears", "suggestion", "accusation.official", "litigation.in_court", "civil.dispute",
         "expropriation.compensation")
TOWNS = ("龙潭镇", "青溪街道", "石桥镇")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LOCAL_TZ).astimezone(dt.UTC)


@dataclass
class Day:
    codes: list[str]
    ids: list[str]  # full ID numbers used
    phones: list[str]  # full phone numbers used (national)
    collective_code: str
    repeat_code: str
    other_day_codes: list[str]


def fill_day(sv, clerk, clerk2, n: int = 12) -> Day:
    codes, ids, phones = [], [], []
    for i in range(n):
        actor = clerk if i % 3 else clerk2
        rid = make_id("110105", f"19{60 + i:02d}0101", f"{100 + i:03d}")
        phone = f"139{i:04d}{5678 + i:04d}"
        ids.append(rid)
        phones.append(phone)
        inp = RegistrationInput(
            people=(PersonInput(name=f"张{'一二三四五六七八九十甲乙丙丁'[i]}", id_number=rid, phone=phone,
                                address=f"{TOWNS[i % 3]}{i + 1}号"),),
            matter=MatterInput(kind=KINDS[i % len(KINDS)], summary=f"事项{i}", demands=f"诉求{i}", respondent=f"单位{i}"),
            received_on=DAY,
        )
        codes.append(sv.registration.register(actor, inp, now=at(DAY, 9 + i // 4, (i * 7) % 60)).query_code)
    reps = tuple(PersonInput(name=n_, address="石桥镇幸福村", role="representative") for n_ in ("赵大", "钱二"))
    coll = sv.registration.register(clerk, RegistrationInput(
        people=reps, matter=MatterInput(kind="expropriation.compensation", summary="征收补偿", demands="提高补偿",
                                        respondent="石桥镇人民政府"),
        group_size=12, group_name="幸福村村民", received_on=DAY), now=at(DAY, 14)).query_code
    # a repeat: the first visitor again with the same matter
    rep = sv.registration.register(clerk, RegistrationInput(
        people=(PersonInput(name="张一", id_number=ids[0], phone=phones[0], address="龙潭镇1号"),),
        matter=MatterInput(kind=KINDS[0], summary="再次反映", demands="诉求0", respondent="单位0"), received_on=DAY),
        now=at(DAY, 15)).query_code
    other = [sv.registration.register(clerk, RegistrationInput(
        people=(PersonInput(name="李前日", address="青溪街道9号"),),
        matter=MatterInput(kind="suggestion", summary="前一日", demands="建议"), received_on=DAY - dt.timedelta(days=1)),
        now=at(DAY - dt.timedelta(days=1), 10)).query_code]
    return Day(codes + [coll, rep], ids, phones, coll, rep, other)
