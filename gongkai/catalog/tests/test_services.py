"""Drafting, review and publication (SEC-3, SEC-4, IDX-1..4, PUB-3, INT-2)."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai import search
from gongkai.audit.models import Entry
from gongkai.catalog import services
from gongkai.catalog.models import Item
from gongkai.catalog.tests.conftest import ID_NUMBER, fields
from gongkai.search.api import Query


def test_sec3_story_scan_return_mask_publish(draft, dept_staff, reviewer, calendar):
    item = draft(body_html=f"<p>征收户张三，身份证号{ID_NUMBER}，补偿款已发放。</p>")
    services.submit(item, actor=dept_staff)
    item.refresh_from_db()
    assert item.status == "in_review"
    assert [(f["where"], f["kind"], f["masked"]) for f in item.findings] == [
        ("正文", "id_number", "5107**********1237")
    ]
    with pytest.raises(services.ItemInvalid) as refused:
        services.review(item, reviewer=reviewer, conclusion="publishable")
    assert set(refused.value.errors) == {"override_reason"}

    services.review(item, reviewer=reviewer, conclusion="returned", reason="请遮蔽身份证号")
    assert item.status == "returned"
    services.save_draft(
        {"body_html": "<p>征收户张三，身份证号5107**********1237，补偿款已发放。</p>"},
        actor=dept_staff,
        item=item,
    )
    services.submit(item, actor=dept_staff)
    assert item.findings == []
    services.review(item, reviewer=reviewer, conclusion="publishable", today=date(2026, 3, 2))

    item.refresh_from_db()
    assert item.status == "published"
    assert item.published_on == date(2026, 3, 2)
    assert item.index_no == f"{item.org.pk:09d}/2026-00001"
    assert [r.conclusion for r in item.reviews.all()] == ["returned", "publishable"]
    assert list(
        Entry.objects.filter(object_id=str(item.pk), object_type="catalog.item")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "catalog.draft",
        "catalog.submit",
        "catalog.review",
        "catalog.edit",
        "catalog.submit",
        "catalog.review",
    ]
    assert [h.id for h in search.search(Query(text="补偿")).hits] == [item.pk]
    assert [h.id for h in search.search(Query(text="绵自然资规〔2026〕1号")).hits] == [item.pk]


def test_sec3_author_cannot_review_own_item(draft, dept_staff, calendar):
    item = draft()
    services.submit(item, actor=dept_staff)
    with pytest.raises(services.ItemInvalid) as refused:
        services.review(item, reviewer=dept_staff, conclusion="publishable")
    assert "不得为起草人" in refused.value.errors["reviewer"]


def test_sec4_override_with_reason_is_logged(draft, dept_staff, reviewer, calendar):
    item = draft(body_html="<p>联系人手机13800001234</p>")
    services.submit(item, actor=dept_staff)
    services.review(
        item, reviewer=reviewer, conclusion="publishable", override_reason="工作电话，可公开"
    )
    assert item.status == "published"
    review = item.reviews.get()
    assert (review.open_findings, review.override_reason) == (1, "工作电话，可公开")
    entry = Entry.objects.filter(action="catalog.review").latest("seq")
    assert entry.summary["override_reason"] == "工作电话，可公开"


def test_sec1_referral_waits_for_the_authority(draft, dept_staff, reviewer, calendar):
    item = draft()
    services.submit(item, actor=dept_staff)
    services.review(item, reviewer=reviewer, conclusion="refer", reason="涉及征地数据，报保密局")
    assert item.status == "referred"
    with pytest.raises(services.ItemInvalid):
        services.review(item, reviewer=reviewer, conclusion="publishable")
    services.decide_referral(item, actor=reviewer, publishable=True, reason="保密局：可以公开")
    services.review(item, reviewer=reviewer, conclusion="publishable")
    assert item.status == "published"


def test_int2_normative_needs_interpretation_or_reason(draft, dept_staff, reviewer, calendar):
    policy = draft(kind="normative")
    services.submit(policy, actor=dept_staff)
    with pytest.raises(services.ItemInvalid) as refused:
        services.review(policy, reviewer=reviewer, conclusion="publishable")
    assert set(refused.value.errors) == {"waiver_reason"}

    interp = draft(
        title="《绵阳市国有土地上房屋征收补偿办法》政策解读",
        number="",
        kind="interpretation",
        policy=policy.pk,
        legacy_category="other",
    )
    services.submit(interp, actor=dept_staff)
    services.review(interp, reviewer=reviewer, conclusion="publishable")
    assert interp.status == "approved"  # waits for its policy (INT-2 同步发布)

    services.review(policy, reviewer=reviewer, conclusion="publishable", today=date(2026, 3, 2))
    interp.refresh_from_db()
    assert (policy.status, interp.status) == ("published", "published")
    assert (policy.validity, interp.published_on) == ("valid", date(2026, 3, 2))


@pytest.mark.parametrize(
    ("formed_on", "published_on", "due", "late"),
    [
        # PUB-3: 20 working days; 2026-02-28 (Sat) is a make-up workday (CAL-1).
        ("2026-02-24", date(2026, 3, 23), date(2026, 3, 23), False),
        ("2026-02-24", date(2026, 3, 24), date(2026, 3, 23), True),
        # Across the spring festival (02-15..02-23 off, 02-14 and 02-28 worked).
        ("2026-02-10", date(2026, 3, 16), date(2026, 3, 16), False),
        ("2026-02-10", date(2026, 3, 17), date(2026, 3, 16), True),
    ],
)
def test_pub3_publication_clock(published, formed_on, published_on, due, late):
    item = published(formed_on=formed_on, today=published_on)
    assert (item.publish_due, item.late) == (due, late)


def test_pub3_clock_without_calendar_data_is_pending(published):
    item = published(formed_on="2026-12-20", today=date(2026, 12, 21))
    assert (item.publish_due, item.late) == (None, False)


def test_idx1_index_numbers_are_serial_per_org_and_year(published):
    first = published(number="A〔2026〕1号")
    second = published(number="A〔2026〕2号")
    older = published(number="A〔2025〕9号", formed_on="2025-12-30")
    code = f"{first.org.pk:09d}"
    assert [first.index_no, second.index_no, older.index_no] == [
        f"{code}/2026-00001",
        f"{code}/2026-00002",
        f"{code}/2025-00001",
    ]


def test_idx3_template_is_configurable(published, settings, dept):
    settings.GONGKAI_INDEX_TEMPLATE = "{org_code}-{year}-{serial:06d}"
    dept.credit_code = "11510700008409286L"
    dept.save()
    assert published().index_no == "11510700008409286L-2026-000001"


def test_duplicate_number_is_refused_naming_the_existing_item(published, draft):
    existing = published()
    with pytest.raises(services.ItemInvalid) as refused:
        draft()
    assert refused.value.errors == {
        "number": f"文号“绵自然资规〔2026〕1号”已被本机关信息“{existing.title}”（编号 {existing.pk}）使用"
    }


def test_same_number_in_another_org_is_fine(published, other_dept_staff, other_dept):
    published()
    item = services.save_draft(fields(), actor=other_dept_staff)
    assert item.org == other_dept


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"formed_on": "2026-13-01"}, "formed_on", "成文日期：日期不存在：“2026-13-01”"),
        ({"formed_on": "去年"}, "formed_on", "成文日期：日期格式不正确：“去年”，应为 YYYY-MM-DD"),
        ({"formed_on": ""}, "formed_on", "成文日期必填"),
        (
            {"published_on": "2026-02-01"},
            "published_on",
            "发布日期 2026-02-01 早于成文日期 2026-02-24",
        ),
        (
            {"repealed_on": "2026-01-01", "kind": "normative"},
            "repealed_on",
            "废止日期 2026-01-01 早于成文日期 2026-02-24",
        ),
        ({"title": ""}, "title", "信息名称必填"),
    ],
)
def test_bad_dates_are_refused_with_the_field_named(draft, overrides, field, message):
    with pytest.raises(services.ItemInvalid) as refused:
        draft(**overrides)
    assert refused.value.errors == {field: message}


def test_repeal_before_formed_is_refused_and_valid_repeal_keeps_the_page(
    published, reviewer, client
):
    item = published(kind="normative")
    with pytest.raises(services.ItemInvalid) as refused:
        services.repeal(item, actor=reviewer, repealed_on="2026-01-31")
    assert refused.value.errors == {"repealed_on": "废止日期 2026-01-31 早于成文日期 2026-02-24"}
    services.repeal(item, actor=reviewer, repealed_on="2026-06-30", reason="被新办法替代")
    page = client.get(f"/xxgk/item/{item.pk}/")
    assert page.status_code == 200
    assert "已废止（2026-06-30）" in page.content.decode()


def test_withdrawal_keeps_history_and_answers_withdrawn(published, reviewer, client):
    item = published()
    services.withdraw(item, actor=reviewer, reason="内容有误", today=date(2026, 3, 5))
    assert search.search(Query(text="拆迁")).total == 0
    page = client.get(f"/xxgk/item/{item.pk}/")
    assert page.status_code == 410
    assert "已撤回（2026-03-05）" in page.content.decode()
    assert Item.objects.get(pk=item.pk).index_no == item.index_no


def test_attachment_that_fails_extraction_is_published_and_flagged(
    dept_staff, leaf, reviewer, calendar
):
    item = services.save_draft(
        fields(node=leaf.pk),
        actor=dept_staff,
        files=[
            ("补偿标准.pdf", b"not a pdf at all"),
            ("名单.txt", "联系人手机13800001234".encode()),
        ],
    )
    failed, text = item.attachments.all()
    assert (failed.extraction_failed, text.extraction_failed) == (True, False)
    services.submit(item, actor=dept_staff)
    assert [(f["where"], f["kind"]) for f in item.findings] == [("附件：名单.txt", "mobile")]


def test_staff_act_only_within_their_subtree(draft, other_dept_staff):
    item = draft()
    with pytest.raises(services.ItemInvalid):
        services.save_draft({"title": "改"}, actor=other_dept_staff, item=item)
    assert not services.may_review(other_dept_staff, item)


def test_node_must_be_a_leaf(dept_staff, leaf):
    with pytest.raises(services.ItemInvalid) as refused:
        services.save_draft(fields(node=leaf.parent_id), actor=dept_staff)
    assert refused.value.errors == {
        "node": "“法定主动公开内容”不是末级目录，信息须挂在末级目录下（CAT-2）"
    }


def test_scan_report_finds_what_slipped_through(published, reviewer):
    clean = published(number="A1")
    leaked = published(number="A2", body_html="<p>电话13800001234</p>", override="x")
    rows = services.scan_report(Item.objects.all())
    assert [(item.pk, [f["kind"] for f in found]) for item, found in rows] == [
        (leaked.pk, ["mobile"])
    ]
    assert clean.pk != leaked.pk


def test_int6_coverage_per_year(published, draft, dept_staff, reviewer, dept, client):
    from gongkai.catalog.queries import interpretation_coverage
    from gongkai.orgs.queries import subtree

    interpreted = draft(kind="normative", number="N1")
    services.submit(interpreted, actor=dept_staff)
    interp = draft(kind="interpretation", number="", policy=interpreted.pk, title="解读")
    services.submit(interp, actor=dept_staff)
    services.review(interp, reviewer=reviewer, conclusion="publishable")
    services.review(
        interpreted, reviewer=reviewer, conclusion="publishable", today=date(2026, 3, 2)
    )
    published(kind="normative", number="N2")
    published(kind="rule", number="R1")
    assert interpretation_coverage(subtree(dept), 2026) == {
        "year": 2026,
        "total": 3,
        "interpreted": 1,
        "percent": Decimal("33.3"),
        "by_form": [("未注明", 1)],
    }
    assert interpretation_coverage(subtree(dept), 2025)["percent"] is None
    client.force_login(dept_staff)
    page = client.get("/desk/catalog/", {"year": 2026}).content.decode()
    assert "2026年解读覆盖率：1/3（33.3%）" in page


# --- PUB-7: periodic review of 不予公开 items ----------------------------------------------------


@pytest.mark.parametrize(
    ("last_review", "due"),
    [
        (None, True),  # never reviewed
        (date(2025, 3, 2), True),  # exactly 365 days before 2026-03-02
        (date(2025, 3, 3), False),  # 364 days
        (date(2026, 1, 1), False),
    ],
)
def test_pub_7_withheld_items_are_due_a_year_after_their_last_review(draft, last_review, due):
    item = draft(attribute="withheld", withheld_reason="涉及国家秘密")
    Item.objects.filter(pk=item.pk).update(withheld_reviewed_on=last_review)
    draft(title="另一条主动公开信息", number="")  # not withheld: never due
    found = services.withheld_due(Item.objects.all(), today=date(2026, 3, 2))
    assert list(found) == ([item] if due else [])


def test_pub_7_withholding_in_review_counts_as_the_first_assessment(
    draft, dept_staff, reviewer, calendar
):
    item = services.submit(draft(), actor=dept_staff)
    services.review(
        item, reviewer=reviewer, conclusion="not_publishable", reason="涉及商业秘密",
        today=date(2026, 3, 2),
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.attribute, item.withheld_reviewed_on) == ("withheld", date(2026, 3, 2))
    assert not services.withheld_due(Item.objects.all(), today=date(2027, 3, 1)).exists()
    assert services.withheld_due(Item.objects.all(), today=date(2027, 3, 2)).exists()


def test_pub_7_review_keeps_or_releases_and_is_audited(draft, reviewer, dept_staff):
    kept, released = draft(attribute="withheld", withheld_reason="旧理由"), draft(
        title="可以公开的信息", number="绵自然资规〔2026〕2号",
        attribute="withheld", withheld_reason="过程性信息",
    )  # fmt: skip
    with pytest.raises(services.ItemInvalid) as refused:
        services.review_withheld(kept, actor=reviewer, keep=True, reason="  ")
    assert "reason" in refused.value.errors
    with pytest.raises(services.ItemInvalid):  # the author is not a reviewer
        services.review_withheld(kept, actor=dept_staff, keep=True, reason="仍涉密")
    day = date(2026, 6, 1)
    services.review_withheld(kept, actor=reviewer, keep=True, reason="仍属国家秘密", today=day)
    services.review_withheld(released, actor=reviewer, keep=False, reason="已办结", today=day)
    kept.refresh_from_db()
    released.refresh_from_db()
    assert (kept.attribute, kept.withheld_reason, kept.withheld_reviewed_on) == (
        "withheld", "仍属国家秘密", day,
    )  # fmt: skip
    assert (released.attribute, released.withheld_reason, released.status) == (
        "active",
        "",
        "draft",
    )
    events = Entry.objects.filter(action="catalog.withheld_review").order_by("pk")
    assert [(e.summary["keep"], e.summary["reason"]) for e in events] == [
        (True, "仍属国家秘密"), (False, "已办结"),
    ]  # fmt: skip
    with pytest.raises(services.ItemInvalid) as again:  # no longer withheld
        services.review_withheld(released, actor=reviewer, keep=False, reason="再次")
    assert "attribute" in again.value.errors


def test_pub_7_desk_page_lists_the_subtree_and_records_a_review(
    draft, reviewer, other_dept_staff, client
):
    item = draft(attribute="withheld", withheld_reason="涉及个人隐私")
    client.force_login(reviewer)
    page = client.get("/desk/catalog/withheld/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="withheld-{item.pk}"' in html and "1 条到期待复核" in html
    response = client.post(
        f"/desk/catalog/{item.pk}/withheld-review/", {"keep": "1", "reason": "仍涉及个人隐私"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withheld_reason == "仍涉及个人隐私" and item.withheld_reviewed_on is not None
    assert "0 条到期待复核" in client.get("/desk/catalog/withheld/").content.decode()
    client.force_login(other_dept_staff)  # another department: neither listed nor reviewable
    assert f"withheld-{item.pk}" not in client.get("/desk/catalog/withheld/").content.decode()
    assert (
        client.post(f"/desk/catalog/{item.pk}/withheld-review/", {"keep": "0"}).status_code == 404
    )


def test_int5_interpretations_are_counted_by_form(published, dept, dept_staff, client):
    from gongkai.catalog.queries import interpretation_coverage
    from gongkai.orgs.queries import subtree

    policy = published(kind="normative", number="N1")
    for i, form in enumerate(["图表图解", "视频", "图表图解", ""]):
        published(
            kind="interpretation", number="", policy=policy.pk, title=f"解读{i}",
            interpretation_form=form,
        )  # fmt: skip
    assert interpretation_coverage(subtree(dept), 2026)["by_form"] == [
        ("图表图解", 2), ("未注明", 1), ("视频", 1),
    ]  # fmt: skip
    client.force_login(dept_staff)
    page = client.get("/desk/catalog/", {"year": 2026}).content.decode()
    assert "解读形式：图表图解 2、未注明 1、视频 1" in page
    form = client.get("/desk/catalog/new/").content.decode()
    assert 'list="interpretation-forms"' in form and '<option value="动漫">' in form
