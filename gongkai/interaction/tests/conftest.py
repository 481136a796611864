from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongkai.interaction import services
from gongkai.interaction.enums import Category, Channel
from gongkai.interaction.models import Mailbox
from gongkai.workdays.services import load_from_package

SHANGHAI = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "510703199001011237"
MOBILE = "13800001234"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2024, 2027))


@pytest.fixture
def mailbox(calendar, city):
    return Mailbox.objects.create(name="市长信箱", org=city)


def letter_data(**overrides) -> dict:
    data = {
        "category": Category.CONSULT,
        "subject": "关于小区停车位的咨询",
        "content": "我叫李四，身份证号510703199001011237，手机13912345678，请问停车位何时开放？",
        "writer_name": "李四",
        "contact": MOBILE,
        "may_publish": True,
    }
    return {**data, **overrides}


@pytest.fixture
def write(mailbox):
    """A web letter to the 市长信箱 (default: 2025-03-03 10:00)."""

    def write_(when=None, channel=Channel.WEB, by=None, address="", **overrides):
        return services.submit(
            mailbox,
            letter_data(**overrides),
            channel=channel,
            by=by,
            at=when or at(2025, 3, 3, 10, 0),
            address=address,
        )

    return write_


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Counters and spent challenges in this process's memory: the shared file cache is
    cleared by any other test run on the machine."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai-interaction-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()
