"""A realistic, fictional demo week: three windows, about 200 visits over every matter kind, repeat
visits, a collective visit, one demo user per role. All names, numbers and places are invented; the ID
numbers are structurally valid (checksum, birth date, a real region code) but belong to nobody known."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select
from stdnum.cn import ric

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import DomainError
from xinfang_desk.i18n import N_, _
from xinfang_desk.persistence.models import Setting, Visit, Window
from xinfang_desk.services.auth import AuthService
from xinfang_desk.services.context import LOCAL_TZ, Actor, end_session
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

DEMO_USERS = (  # username, display name, role, password, window
    ("admin", "王敏", "admin", "Demo-Admin26", "BN01"),
    ("supervisor", "陈主任", "supervisor", "Super2026", "BN01"),
    ("clerk", "李娜", "clerk", "Clerk2026", "BN03"),
    ("clerk1", "赵磊", "clerk", "Clerk2026", "BN01"),
    ("clerk2", "孙丽", "clerk", "Clerk2026", "BN02"),
    ("lawyer", "刘律师", "lawyer", "Lawyer2026", "BN01"),
)
WINDOWS = (("BN01", "一号窗口"), ("BN02", "二号窗口"), ("BN03", "三号窗口"))
REGIONS = ("510112", "510104", "510116", "510121", "510113")  # address codes (real ones; people invented)
MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "180", "186", "187", "188", "189")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强海燕红梅国庆文斌晓东小红德明凤英春梅淑珍永红婷婷浩然子涵梓萱"
RARE_NAMES = ("𠮷祥", "刘䶮", "阿依古丽·买买提", "\U00020000明", "欧阳娜娜")

SUMMARIES: dict[str, tuple[str, str, str]] = {  # kind -> (summary, demands, respondent)
    "intake.wrong_level": ("未经区级处理，直接到市信访局反映小区停车问题，被引导回区接待", "解决小区停车难", "青溪街道办事处"),
    "intake.pending_elsewhere": ("反映的拆迁安置问题已由区住建局受理并在办理期限内，又来区信访局", "尽快安置", "区住房和城乡建设局"),
    "review.disagree_reply": ("对区城管局出具的信访处理意见不服", "请求复查", "区城市管理局"),
    "review.disagree_review": ("对复查意见不服", "请求复核", "区人民政府"),
    "review.after_recheck": ("复核意见已出具，仍以同一事实和理由反映", "重新处理", "区人民政府"),
    "review.challenge_petition_act": ("认为信访部门转送不当，要求撤销转送决定", "撤销转送", "区信访局"),
    "litigation.in_court": ("对区法院一审判决不服，认为事实认定错误", "改判", "区人民法院"),
    "litigation.concluded": ("民事案件已经再审驳回，仍要求重新审理", "重新审理", "区人民法院"),
    "crime.report": ("被人以投资为名骗走积蓄八万元，派出所未立案", "立案侦查、追回损失", "某投资咨询公司"),
    "public_order": ("邻居多次深夜噪音扰民并发生推搡", "依法处理", "邻居"),
    "admin.act": ("对区市场监管局作出的罚款决定不服", "撤销罚款决定", "区市场监督管理局"),
    "admin.duty": ("多次举报违法建筑，区城管局未予查处", "依法查处违建", "区城市管理局"),
    "labour.dispute": ("被公司口头辞退，未签劳动合同，未付经济补偿", "支付经济补偿和双倍工资", "青溪某建材有限公司"),
    "labour.wage_arrears": ("在工地务工三个月，包工头拖欠工资", "支付拖欠工资", "某建筑劳务公司"),
    "labour.work_injury": ("在车间作业时手部受伤，单位不申请工伤认定", "认定工伤", "某机械厂"),
    "social_insurance": ("单位未足额缴纳养老保险", "补缴社会保险", "某物流公司"),
    "personnel.dispute": ("事业单位解除聘用合同有异议", "恢复聘用", "区某事业单位"),
    "civil.dispute": ("借款到期后对方拒不归还", "归还借款", "熟人"),
    "civil.sector": ("交通事故对方保险公司拒赔", "赔偿医疗费和误工费", "某保险公司"),
    "land.contract": ("承包地被村民小组收回另行发包", "返还承包地", "石桥镇某村民小组"),
    "collective.distribution": ("出嫁女未获集体收益分配", "参与分配", "柳城镇某村股份经济合作社"),
    "land.ownership": ("两组之间林地权属争议", "确认权属", "白鹤镇某村"),
    "expropriation.compensation": ("对房屋征收补偿标准有异议", "提高补偿", "区人民政府"),
    "village.affairs": ("村务长期不公开，集体资金去向不明", "公开村务账目", "龙潭镇某村委会"),
    "state_compensation": ("被错误羁押后请求赔偿", "国家赔偿", "公安分局"),
    "gov_info": ("申请公开征地批复文件未获答复", "公开政府信息", "区自然资源局"),
    "hardship.assistance": ("家中老人患病，生活困难", "申请低保和临时救助", "黄桷镇人民政府"),
    "accusation.official": ("反映某村干部在低保评定中优亲厚友", "查处违纪违法", "某村党支部书记"),
    "accusation.appointment": ("反映某单位干部提拔程序不规范", "依规调查", "区某局"),
    "party.discipline_appeal": ("党员对所受党内警告处分不服", "撤销处分", "区纪委"),
    "supervision.sanction_appeal": ("公职人员对政务处分决定不服", "复审", "区监委"),
    "suggestion": ("建议在新店镇增设公交站点", "增设站点", "区交通运输局"),
    "other_branch": ("对区人大代表选举工作提出意见", "答复", "区人大常委会"),
    "request.district_dept": ("小区供水管网老化经常停水", "改造管网", "区水务局"),
    "request.lower_level": ("村道破损影响出行", "修复村道", "新店镇人民政府"),
    "request.outside_district": ("异地医保报销问题", "报销医疗费", "外区医疗保障局"),
}

KIND_FACTS: dict[str, Any] = {
    "admin.act": lambda d: {"act_known_on": (d - dt.timedelta(days=40)).isoformat(), "act_type": "other",
                            "respondent_level": "district_dept", "rights_notice_given": True},
    "labour.dispute": lambda d: {"employment_ended_on": (d - dt.timedelta(days=120)).isoformat(), "act_known_on": (d - dt.timedelta(days=120)).isoformat()},
    "labour.wage_arrears": lambda d: {"employment_ongoing": False, "employment_ended_on": (d - dt.timedelta(days=30)).isoformat(),
                                      "economic_hardship": True, "aid_waiver": "migrant_wages"},
    "labour.work_injury": lambda d: {"act_known_on": (d - dt.timedelta(days=60)).isoformat()},
    "review.disagree_reply": lambda d: {"reply_received_on": (d - dt.timedelta(days=10)).isoformat()},
    "review.disagree_review": lambda d: {"review_received_on": (d - dt.timedelta(days=45)).isoformat()},
    "litigation.in_court": lambda d: {"litigation_status": "judged", "judgment_served_on": (d - dt.timedelta(days=9)).isoformat()},
    "litigation.concluded": lambda d: {"litigation_status": "concluded"},
    "civil.dispute": lambda d: {"act_known_on": (d - dt.timedelta(days=400)).isoformat(), "economic_hardship": False},
    "intake.pending_elsewhere": lambda d: {"pending_with": "区住房和城乡建设局", "pending_since": (d - dt.timedelta(days=20)).isoformat()},
    "accusation.official": lambda d: {"accuses_official": True},
}


def _town_names() -> list[str]:
    from xinfang_desk.domain.places import towns

    return [t.name for t in towns()]


def _id_number(rng: random.Random, region: str, birth: dt.date, female: bool) -> str:
    seq = rng.randrange(0, 99) * 10 + (rng.choice((0, 2, 4, 6, 8)) if female else rng.choice((1, 3, 5, 7, 9)))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _person(rng: random.Random, name: str | None = None) -> PersonInput:
    female = rng.random() < 0.5
    birth = dt.date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
    name = name or rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return PersonInput(
        name=name,
        id_number=_id_number(rng, rng.choice(REGIONS), birth, female) if rng.random() < 0.9 else "",
        phone=f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}" if rng.random() < 0.85 else "",
        address=f"{rng.choice(_town_names())}{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
    )


def _working_days(end: dt.date, n: int) -> list[dt.date]:
    days: list[dt.date] = []
    d = end
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d -= dt.timedelta(days=1)
    return sorted(days)


def fill_demo(services: Any, seed: int = 20261127, visits: int = 200, today: dt.date | None = None) -> dict[str, Any]:
    """Fill an empty database (idempotent on a demo database; refuses a database with real data)."""
    db = services.db
    with db.session() as s:
        if s.get(Setting, "demo_loaded") is not None:
            return {"visits": s.scalar(select(func.count()).select_from(Visit)), "windows": [w for w, _n in WINDOWS],
                    "users": [u[0] for u in DEMO_USERS], "already": True}
        if (s.scalar(select(func.count()).select_from(Visit)) or 0) > 0:
            raise DomainError(_("This database already holds real visits; demo data goes into an empty database only."))
    rng = random.Random(seed)
    with db.transaction() as s:
        for code, name in WINDOWS:
            if s.get(Window, code) is None:
                s.add(Window(code=code, name=name, location="区信访接待大厅"))
    admin = None
    if services.auth.needs_first_run():
        services.auth.setup_first_admin(*DEMO_USERS[0][:2], DEMO_USERS[0][3])
    admin = services.auth.login(DEMO_USERS[0][0], DEMO_USERS[0][3])
    clerks: dict[str, Actor] = {}
    for username, display, role, password, window in DEMO_USERS[1:]:
        services.auth.create_demo_user(admin, username, display, role, password, home_window=window)
        if role == "clerk":  # each demo clerk logs in at their own window (a real session, as the services demand)
            clerks[window] = AuthService(db, window).login(username, password)
    today = today or dt.datetime.now(LOCAL_TZ).date()
    days = _working_days(today, 5)
    kinds = [k.code for k in matter_kinds.all_kinds()]
    people_pool: list[PersonInput] = [_person(rng) for _ in range(150)] + [_person(rng, n) for n in RARE_NAMES]
    history: list[tuple[PersonInput, MatterInput]] = []
    made = 0
    codes: list[str] = []
    plan: list[tuple[dt.date, int]] = []
    for i in range(visits):
        plan.append((days[i * len(days) // visits], i))
    collective_at = visits // 2
    people: tuple[PersonInput, ...]
    for day, i in plan:
        window = WINDOWS[i % 3][0]
        actor = clerks[window]
        minute = 8 * 60 + 30 + (i * 37) % (8 * 60)
        now = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), LOCAL_TZ).astimezone(dt.UTC)
        if history and rng.random() < 0.08:  # a repeat of an earlier matter
            person, matter = rng.choice(history)
            people, group_size, group_name = (person,), 1, ""
        elif i == collective_at:
            reps = tuple(PersonInput(p.name, p.id_number, p.phone, p.address, role="representative") for p in
                         (_person(rng) for _ in range(3)))
            people, group_size, group_name = reps, 12, "柳城镇某小区业主"
            matter = MatterInput("expropriation.compensation", "十二户业主对房屋征收补偿方案有异议，推选三名代表来访",
                                 "重新评估补偿标准", "区人民政府",
                                 {"act_known_on": (day - dt.timedelta(days=25)).isoformat(), "real_property": True})
        else:
            kind = kinds[i % len(kinds)] if i < len(kinds) else rng.choice(kinds)
            summary, demands, respondent = SUMMARIES[kind]
            facts = KIND_FACTS[kind](day) if kind in KIND_FACTS else {}
            person = rng.choice(people_pool)
            people, group_size, group_name = (person,), 1, ""
            matter = MatterInput(kind, summary, demands, respondent, facts)
            history.append((person, matter))
        channel = "visit" if rng.random() < 0.8 else rng.choice(("letter", "phone", "online"))
        codes.append(services.registration.register(actor, RegistrationInput(
            people=people, matter=matter, channel=channel, group_size=group_size, group_name=group_name,
            received_on=day,
        ), now=now).query_code)
        made += 1
    from xinfang_desk.services.demo_sessions import fill_demo_sessions

    fill_demo_sessions(services, admin, clerks["BN03"], codes[::-1], today)
    services.auth.logout(admin)
    for actor in clerks.values():
        end_session(actor)
    with db.transaction() as s:
        s.add(Setting(key="demo_loaded", value={"seed": seed, "visits": made, "at": today.isoformat()}))
    return {"visits": made, "windows": [w for w, _n in WINDOWS], "users": [u[0] for u in DEMO_USERS], "already": False}


__all__ = ["fill_demo", "DEMO_USERS", "N_"]
