"""Bulk fictional visits written with Core inserts (not the service): a 2,000-visit day for the daily-log
test and benchmark, 1,000,000 visits for the search benchmark. Rows look like the service's: people with
valid ID numbers and mobile phones, matters of every kind, a classification with its channel decisions,
some collective visits and repeats, addresses in the district's towns."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert

from xinfang_desk.persistence.models import Classification, Matter, Person, Visit, VisitPerson

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉志海燕红梅庆文斌晓东小德凤春淑珍永婷浩然子涵梓萱宇轩欣怡佳琪"
REGIONS = ("510112", "510104", "510116", "510121", "510113")
TOWNS = ("青溪街道", "东岳街道", "柳城镇", "石桥镇", "白鹤镇", "龙潭镇", "黄桷镇", "新店镇")
# (kind, decisions) as the engine classifies them without facts
KINDS = (("labour.wage_arrears", ("statutory_channel",)), ("suggestion", ("transfer",)),
         ("accusation.official", ("transfer_discipline",)), ("litigation.in_court", ("transfer_political_legal",)),
         ("civil.dispute", ("statutory_channel",)), ("expropriation.compensation", ("statutory_channel",)),
         ("intake.wrong_level", ("proper_level",)), ("review.disagree_reply", ("review",)),
         ("social_insurance", ("statutory_channel",)), ("request.district_dept", ("transfer",)),
         ("gov_info", ("statutory_channel",)), ("village.affairs", ("statutory_channel", "transfer")))
WINDOWS = ("BN01", "BN02", "BN03")


def check_digit(body17: str) -> str:
    weights = [(2 ** (17 - i)) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def fake_id(rng: random.Random) -> str:
    body = f"{rng.choice(REGIONS)}{rng.randint(1940, 2006)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def rows(day0: dt.date, n: int, *, days: int = 1, seed: int = 1, collective_every: int = 97,
         repeat_every: int = 13) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Batches of rows for n visits spread evenly over `days` days from day0 (query codes unique)."""
    rng = random.Random(seed)
    now = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    seq: dict[tuple[str, dt.date], int] = {}
    batch: dict[str, list[dict[str, Any]]] = {"people": [], "visits": [], "visit_people": [], "matters": [], "classifications": []}
    last_person: dict[str, Any] | None = None
    last_kind, last_decisions, last_vid = "", ("",), None
    for i in range(n):
        day = day0 + dt.timedelta(days=i * days // n)
        window = WINDOWS[i % 3]
        seq[(window, day)] = k = seq.get((window, day), 0) + 1
        minute = 8 * 60 + 30 + (i % max(1, n // days)) * 510 // max(1, n // days)  # 08:30 … 17:00 local
        at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)
        repeat = bool(repeat_every) and i % repeat_every == 5 and last_person is not None
        kind, decisions = KINDS[i % len(KINDS)] if not repeat else (last_kind, last_decisions)
        if repeat:
            p = last_person
        else:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            p = {"id": _uid(rng), "name": name, "name_key": name, "name_pinyin": "", "name_initials": "",
                 "id_number": fake_id(rng), "gender": rng.choice("MF"), "birth_date": None,
                 "phone": f"+86139{rng.randrange(10**8):08d}", "address": f"{rng.choice(TOWNS)}{rng.randrange(1, 300)}号",
                 "version": 1, "updated_at": now, "window_code": window, "operator_id": None, "created_at": now}
            batch["people"].append(p)
        vid, mid = _uid(rng), _uid(rng)
        collective = bool(collective_every) and i % collective_every == 7
        batch["visits"].append({"id": vid, "query_code": f"{window}-{day:%Y%m%d}-{k:04d}", "received_at": at,
                                "received_on": day, "channel": ("visit", "visit", "letter", "phone", "online")[i % 5],
                                "group_size": 9 if collective else 1, "group_name": "某小区业主" if collective else "",
                                "corrects_id": None, "window_code": window, "operator_id": None, "created_at": now})
        batch["visit_people"].append({"id": _uid(rng), "visit_id": vid, "person_id": p["id"],
                                      "role": "representative" if collective else "visitor", "position": 0})
        batch["matters"].append({"id": mid, "visit_id": vid, "kind": kind, "facts": {}, "summary": "事项摘要",
                                 "demands": "诉求", "respondent": "某单位", "repeat_key": f"{i:032x}",
                                 "repeat_of_visit_id": last_vid if repeat else None, "status": "registered",
                                 "window_code": window, "operator_id": None, "created_at": now})
        batch["classifications"].append({
            "id": _uid(rng), "matter_id": mid, "visit_id": vid,
            "input": {"received_on": day.isoformat(), "kind": kind}, "ruleset_version": "bulk",
            "result": {"channels": [{"decision": d} for d in decisions]}, "statute_versions": {}, "overridden": False,
            "override_reason": "", "proposed": None, "corrects_id": None, "window_code": window, "operator_id": None,
            "created_at": now})
        last_person, last_kind, last_decisions, last_vid = p, kind, decisions, vid
        if len(batch["visits"]) >= 20_000:
            yield batch
            batch = {k: [] for k in batch}
    if batch["visits"]:
        yield batch


def fill(conn: Any, day0: dt.date, n: int, **kw: Any) -> None:
    for b in rows(day0, n, **kw):
        for model, key in ((Person, "people"), (Visit, "visits"), (VisitPerson, "visit_people"), (Matter, "matters"),
                           (Classification, "classifications")):
            if b[key]:
                conn.execute(insert(model.__table__), b[key])

