"""The demo's sessions (issue 9): weekly leader receptions with lawyers rotated across three firms, daily duty
lawyers at the hall, outreach to four towns on solar and lunar market days, and bookings of demo visits
(one leader reception full, with a waiting list). All people are fictional."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.services.context import Actor
from xinfang_desk.services.scheduling import PersonInput, PlanInput

PEOPLE = (
    PersonInput("lead-wang", "王建国", "leader", title="副区长"),
    PersonInput("lead-li", "李秀英", "leader", title="区委常委、政法委书记"),
    PersonInput("lead-zhang", "张卫东", "leader", title="区信访局局长"),
    PersonInput("law-liu", "刘明", "lawyer", organisation="青溪正和律师事务所",
                specialties=("labour.dispute", "labour.wage_arrears", "labour.work_injury", "social_insurance"),
                phone="13912345678", conflicts=(("", "", "青溪某建材有限公司"),)),
    PersonInput("law-chen", "陈静", "lawyer", organisation="青溪正和律师事务所",
                specialties=("civil.dispute", "civil.sector", "litigation.in_court")),
    PersonInput("law-zhou", "周涛", "lawyer", organisation="锦江明理律师事务所",
                specialties=("land.contract", "expropriation.compensation", "collective.distribution", "land.ownership")),
    PersonInput("law-huang", "黄丽", "lawyer", organisation="锦江明理律师事务所",
                specialties=("admin.act", "admin.duty", "gov_info", "state_compensation")),
    PersonInput("law-he", "何志强", "lawyer", organisation="东岳天平律师事务所",
                specialties=("labour.dispute", "personnel.dispute", "civil.dispute")),
    PersonInput("lw-wu", "吴芳", "legal_worker", organisation="柳城镇法律服务所", specialties=("land.contract", "village.affairs")),
    PersonInput("med-zheng", "郑海燕", "mediator", organisation="区人民调解委员会", specialties=("civil.dispute", "public_order")),
    PersonInput("staff-sun", "孙丽", "staff"),
    PersonInput("staff-zhao", "赵磊", "staff"),
)
HALL_LAWYERS = ("law-liu", "law-chen", "law-zhou", "law-huang", "law-he")


def demo_plans(today: dt.date, weeks: int = 8) -> tuple[PlanInput, ...]:
    start = today - dt.timedelta(days=today.weekday())  # this week's Monday: the week view has something to show
    end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    return (
        PlanInput("demo-leader-wed", "leader_reception", "09:00", "11:30", 6, start, end, ("lead-wang", *HALL_LAWYERS),
                  weekdays=(3,), rotate_lawyers=1),
        PlanInput("demo-leader-fri", "leader_reception", "09:00", "11:30", 6, start, end,
                  ("lead-zhang", *HALL_LAWYERS, "med-zheng"), weekdays=(5,), rotate_lawyers=2),
        PlanInput("demo-duty", "lawyer_duty", "13:30", "17:00", 8, start, end, HALL_LAWYERS, weekdays=(1, 2, 3, 4, 5),
                  rotate_lawyers=1),
        PlanInput("demo-out-liucheng", "outreach", "08:30", "11:30", 10, start, end, ("staff-sun", "lw-wu"),
                  place="柳城镇便民服务中心", town="柳城镇", market_calendar="solar", market_days=(1, 4, 7), skip_weekends=True),
        PlanInput("demo-out-shiqiao", "outreach", "08:30", "11:30", 10, start, end, ("lead-li", "med-zheng"),
                  town="石桥镇", market_calendar="lunar", market_days=(2, 5, 8)),
        PlanInput("demo-out-baihe", "outreach", "14:00", "16:30", 8, start, end, ("staff-zhao",),
                  town="白鹤镇", market_calendar="solar", market_days=(3, 6, 9), skip_weekends=True),
        PlanInput("demo-out-longtan", "outreach", "08:30", "11:30", 8, start, end, ("staff-zhao",),
                  town="龙潭镇", market_calendar="lunar", market_days=(1, 4, 7)),
    )


def fill_demo_sessions(services: Any, admin: Actor, clerk: Actor, query_codes: list[str], today: dt.date) -> dict[str, int]:
    """Plans, the lawyer account linked to 刘明, and bookings: most into their best proposal, and the next
    leader reception filled to capacity with two visits waiting."""
    sch = services.scheduling
    res = sch.apply_plan(admin, PEOPLE, demo_plans(today))
    try:
        sch.link_user(admin, "law-liu", "lawyer")
    except ValidationFailed:
        pass  # no lawyer account in this database
    booked = 0
    leader = sorted((s for s in res.created if s.type == "leader_reception" and s.day > today), key=lambda s: (s.day, s.start))
    codes = list(query_codes)
    if leader:
        first = leader[0]
        for code in codes[: first.capacity + 2]:
            try:
                sch.book(clerk, code, first.id, today=today)
                booked += 1
            except ValidationFailed:
                continue
        codes = codes[first.capacity + 2:]
    for code in codes[:30]:
        props = sch.proposals(clerk, code, today=today + dt.timedelta(days=1))
        for p in props:
            if p.session.bookings < p.session.capacity:
                try:
                    sch.book(clerk, code, p.session.id, today=today)
                    booked += 1
                    break
                except ValidationFailed:
                    continue
    return {"sessions": len(res.created), "bookings": booked}
