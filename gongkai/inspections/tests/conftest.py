from datetime import date

import pytest

from gongkai.inspections.enums import Importance, RiskLevel
from gongkai.inspections.models import Entity, InspectionItem, Inspector
from gongkai.orgs.rules import credit_code_with_check

ON = date(2026, 3, 2)
RISKS = (RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)


def code(i: int) -> str:
    """A valid 统一社会信用代码 for made-up enterprise number i (工商, 企业, 绵阳市涪城区)."""
    return credit_code_with_check(f"91510703{i:09d}")


@pytest.fixture
def item(dept):
    return InspectionItem.objects.create(
        org=dept,
        name="测绘资质单位监督检查",
        legal_basis="《中华人民共和国测绘法》第三十八条",
        object_type="测绘资质单位",
        method="现场检查",
        importance=Importance.GENERAL,
    )


@pytest.fixture
def registry(dept, other_dept):
    """2,000 entities and 40 inspectors of dept: #0 and #1 expired, #2 conflicted with 10."""
    Entity.objects.bulk_create(
        Entity(
            name=f"绵阳市测试企业{i:04d}有限公司",
            credit_code=code(i),
            legal_rep=f"法人{i}",
            address=f"涪城区测试路{i}号",
            industry="测绘",
            area="涪城区",
            risk_level=RISKS[i % 4],
        )
        for i in range(2000)
    )
    Inspector.objects.bulk_create(
        Inspector(
            org=dept,
            name=f"检查员{i:02d}",
            certificate=f"51070{i:05d}",
            valid_until=date(2025, 12, 31) if i < 2 else date(2028, 12, 31),
            field="自然资源",
            conflicts=[code(j) for j in range(10)] if i == 2 else [],
        )
        for i in range(40)
    )
    # Another department's inspector is outside the item's org subtree: never frozen.
    Inspector.objects.create(
        org=other_dept, name="外单位", certificate="5199900000", valid_until=date(2028, 12, 31)
    )
