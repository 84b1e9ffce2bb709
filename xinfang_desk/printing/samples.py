"""A sample notice (a migrant worker's wage claim with legal aid), for tests, the benchmark and previews.

The quotes are verbatim from shared/reference/statutes.md (status V).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from xinfang_desk.printing.notice import NoticeData, NoticeVisitor, OrganInfo

ART27 = (
    "第二十七条 劳动争议申请仲裁的时效期间为一年。仲裁时效期间从当事人知道或者应当知道其权利被侵害之日起计算。\n"
    "前款规定的仲裁时效，因当事人一方向对方当事人主张权利，或者向有关部门请求权利救济，或者对方当事人同意履行义务而中断。"
    "从中断时起，仲裁时效期间重新计算。"
)

CLASSIFICATION: dict = {
    "regulation": {"instrument": "信访工作条例", "version": "2022"},
    "channels": [
        {
            "decision": "statutory_channel",
            "label": "劳动争议仲裁",
            "organ": "district.labour_arbitration",
            "citations": [
                {"instrument": "中华人民共和国劳动争议调解仲裁法", "version": "2008-05-01", "article": 27,
                 "paragraph": 1, "item": None, "status": "V", "text": ART27, "printable": True},
                {"instrument": "信访工作条例", "version": "2022", "article": 31, "paragraph": None, "item": 2,
                 "status": "V", "printable": True},
                {"instrument": "某某省劳动人事争议处理办法", "version": "2019", "article": 12, "paragraph": None,
                 "item": None, "status": "M", "text": "（未经核对的条文，不得引用）", "printable": False},
            ],
            "deadlines": [
                {"what": "劳动争议仲裁申请", "period": "一年", "from": "知道或者应当知道其权利被侵害之日",
                 "last_day": "2026-12-09", "expired": False, "calendar_certain": True},
            ],
        },
        {
            "decision": "legal_aid",
            "label": "法律援助",
            "organ": "district.legal_aid",
            "citations": [
                {"instrument": "中华人民共和国法律援助法", "version": "2022-01-01", "article": 31, "paragraph": None,
                 "item": None, "status": "V", "printable": True},
            ],
            "deadlines": [],
        },
    ],
    "warnings": ["群体访：代表人数不得超过5人（信访工作条例第二十条第三款）"],
}

ORGANS = {
    "district.labour_arbitration": OrganInfo(
        "某某区劳动人事争议仲裁委员会", "某某区人民路88号区人力资源和社会保障局三楼", "023-12345678", "工作日 9:00–12:00，13:30–17:00"
    ),
    "district.legal_aid": OrganInfo("某某区法律援助中心", "某某区公共法律服务中心一楼", "12348", "工作日 9:00–17:00"),
}


def sample_notice(**changes: object) -> NoticeData:
    data = NoticeData(
        query_code="BN03-20261127-0007",
        document_number="〔2026〕BN03-告字第0007号",
        received_at=datetime(2026, 11, 27, 1, 35, tzinfo=UTC),  # 09:35 in Asia/Shanghai
        window="BN03",
        operator="张三",
        visitors=(
            NoticeVisitor("王𠮷", "110105********002X", "138****5678"),
            NoticeVisitor("刘䶮", "500103********1234", "139****0001"),
            NoticeVisitor("买买提·艾力", "650102********3318", "—"),
        ),
        matter_kind_label="劳动争议",
        matter_summary="在某建筑工地务工，2025年12月起被拖欠工资共计38,600元，多次索要未果。",
        classification=CLASSIFICATION,
        organs=ORGANS,
        issuing_office="某某区人民政府信访局",
        printed_at=datetime(2026, 11, 27, 1, 52, tzinfo=UTC),
        document_id="0193f2a4-7b1c-7d2e-9f00-5a1b2c3d4e5f",
        rule_set_version="rules-2026.11",
        statute_version="statutes-2026.10",
    )
    return replace(data, **changes) if changes else data  # type: ignore[arg-type]
