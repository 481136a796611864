from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongkai.applications import services
from gongkai.applications.enums import ApplicantKind, Channel, Delivery, FormWanted, IdType
from gongkai.orgs.enums import Role
from gongkai.orgs.models import User
from gongkai.workdays.services import load_from_package

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A valid 居民身份证号码 (GB 11643 check digit) for a made-up person.
ID_NUMBER = "510703199001011237"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2016, 2027))


@pytest.fixture
def office_head(dept):
    """部门管理员 of 自然资源和规划局: approves extensions and fees."""
    return User.objects.create_user(
        username="dept_head", password="Gongkai-test-2026", org=dept, role=Role.DEPT_ADMIN
    )


def person(**overrides) -> dict:
    data = {
        "applicant_kind": ApplicantKind.PERSON,
        "applicant_name": "张三",
        "id_type": IdType.RESIDENT_ID,
        "id_number": ID_NUMBER,
        "phone": "13800001234",
        "email": "zhangsan@example.com",
        "address": "绵阳市涪城区临园路1号",
        "postcode": "621000",
        "description": "请公开本村2020年征地补偿安置方案",
        "document_number": "",
        "form_wanted": FormWanted.ELECTRONIC,
        "delivery": Delivery.EMAIL,
    }
    return {**data, **overrides}


@pytest.fixture
def submit(calendar, dept):
    """Register an application at 自然资源和规划局 (default: in person on 2021-03-01)."""

    def submit_(channel=Channel.IN_PERSON, arrived_at=None, **overrides):
        return services.submit(
            person(**overrides),
            org=dept,
            channel=channel,
            arrived_at=arrived_at or at(2021, 3, 1, 9),
        )

    return submit_
