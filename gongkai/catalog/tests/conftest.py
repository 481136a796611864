from datetime import date

import pytest

from gongkai.catalog import services, tree
from gongkai.orgs.enums import Role
from gongkai.orgs.models import User
from gongkai.workdays.services import load_from_package

# A valid 居民身份证号码 (GB 11643 check digit) for a made-up person.
ID_NUMBER = "510703199001011237"


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2016, 2027))


@pytest.fixture
def reviewer(dept):
    """审核人 of 自然资源和规划局."""
    return User.objects.create_user(
        username="dept_reviewer", password="Gongkai-test-2026", org=dept, role=Role.REVIEWER
    )


@pytest.fixture
def leaf(dept):
    root = tree.create_node(dept, "法定主动公开内容")
    return tree.create_node(dept, "政策文件", root)


def fields(**overrides) -> dict:
    data = {
        "title": "绵阳市国有土地上房屋征收补偿办法",
        "number": "绵自然资规〔2026〕1号",
        "formed_on": "2026-02-24",
        "subject": "城乡建设、环境保护\\城乡建设",
        "kind": "other",
        "legacy_category": "normative",
        "art20": "1",
        "body_html": "<p>为规范拆迁补偿工作，制定本办法。</p>",
    }
    return {**data, **overrides}


@pytest.fixture
def draft(dept_staff, leaf):
    def draft_(**overrides):
        return services.save_draft(fields(node=leaf.pk, **overrides), actor=dept_staff)

    return draft_


@pytest.fixture
def published(draft, dept_staff, reviewer, calendar):
    """Draft, submit and publish an item on ``today`` (default 2026-03-02)."""

    def published_(today=date(2026, 3, 2), override="", **overrides):
        item = draft(**overrides)
        services.submit(item, actor=dept_staff)
        return services.review(
            item,
            reviewer=reviewer,
            conclusion="publishable",
            waiver_reason="先行发布" if item.needs_interpretation else "",
            override_reason=override,
            today=today,
        )

    return published_
