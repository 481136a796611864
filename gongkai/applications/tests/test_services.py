from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from gongkai.applications import queries, services
from gongkai.applications.enums import (
    Action,
    Channel,
    ConsultationKind,
    Decision,
    FeeMethod,
    Regime,
    Stage,
    Timeliness,
)
from gongkai.applications.models import Application
from gongkai.applications.rules import TransitionRefused
from gongkai.applications.services import ActionInvalid
from gongkai.applications.tests.conftest import ID_NUMBER, at
from gongkai.audit.models import Entry
from gongkai.audit.services import verify
from gongkai.workdays.services import delete_years, load_from_package


def test_submit_in_person_starts_the_clock_on_the_day(submit):
    app = submit().application

    assert (app.number, app.stage, app.received_on, app.regime) == (
        "YSQ2021000001",
        Stage.RECEIVED,
        date(2021, 3, 1),
        Regime.R2019,
    )
    assert (app.base_due_date, app.due_date) == (date(2021, 3, 29), date(2021, 3, 29))
    assert app.due_trace[-1] == "期限届满日：2021-03-29（星期一）"
    assert app.topic.code == "land_expropriation"


def test_submit_online_waits_for_confirmation_and_runs_no_clock(submit):
    app = submit(Channel.ONLINE).application

    assert (app.stage, app.received_on, app.due_date) == (Stage.PENDING_CONFIRMATION, None, None)
    assert app.due_trace == ["尚未确认收到申请，期限未起算（REQ-5、REQ-7）"]


def test_submit_numbers_count_up_within_a_year(submit):
    numbers = [submit(description=f"第{n}件").application.number for n in range(3)]

    assert numbers == ["YSQ2021000001", "YSQ2021000002", "YSQ2021000003"]


def test_submit_stores_personal_numbers_encrypted_and_masked(submit):
    app = submit().application

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Application._meta.db_table} WHERE id = %s", [app.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert ID_NUMBER not in row
    assert "13800001234" not in row
    assert (app.id_number_masked, app.phone_masked) == ("5107**********1237", "138****1234")


def test_submit_audit_entry_holds_no_personal_data(submit):
    app = submit().application

    entry = Entry.objects.get(action="applications.submit")
    assert entry.summary == {
        "number": app.number,
        "channel": "in_person",
        "org": app.org_id,
        "stage": "received",
        "duplicate_of": None,
    }


def test_submit_marks_a_probable_duplicate_and_keeps_both(submit):
    first = submit(arrived_at=at(2021, 3, 1, 9, 0)).application
    second = submit(arrived_at=at(2021, 3, 1, 9, 5)).application
    later = submit(arrived_at=at(2021, 3, 1, 11, 0)).application

    assert second.probable_duplicate_of == first
    assert later.probable_duplicate_of is None
    assert Application.objects.count() == 3


def test_query_code_matches_only_its_application(submit):
    submitted = submit()

    assert services.code_matches(submitted.application, submitted.query_code.lower()) is True
    assert services.code_matches(submitted.application, "WRONG123") is False


def test_the_issue_scenario_correction_extension_partial(submit, dept_staff, office_head):
    """Online → confirmed → assigned → 补正 → corrected → extended → 部分公开 → delivered."""
    app = submit(Channel.ONLINE, arrived_at=at(2021, 2, 26, 20, 0)).application

    app = services.act(
        app, Action.CONFIRM, by=dept_staff, today=date(2021, 3, 1), at=at(2021, 3, 1, 9), via="电话"
    )
    assert (app.received_on, app.due_date) == (date(2021, 3, 1), date(2021, 3, 29))

    app = services.act(
        app, Action.ASSIGN, by=office_head, today=date(2021, 3, 1), handler=dept_staff
    )
    app = services.act(
        app,
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 5),
        items="请写明所涉村组名称",
        respond_by=date(2021, 3, 19),
    )
    assert app.stage == Stage.AWAITING_CORRECTION
    assert app.corrections.get().late_notice is False  # due by 2021-03-10 (T-CAL-9)

    app = services.act(
        app,
        Action.RECEIVE_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 15),
        received_on=date(2021, 3, 15),
    )
    assert (app.stage, app.clock_start, app.due_date) == (
        Stage.RECEIVED,
        date(2021, 3, 15),
        date(2021, 4, 13),
    )

    app = services.act(
        app,
        Action.EXTEND,
        by=office_head,
        today=date(2021, 4, 12),
        days=20,
        reason="涉及档案检索，需要调阅",
        approved_by="李主任",
        approved_on=date(2021, 4, 12),
        notified_via="电子邮件",
    )
    # 2021-04-25 (Sun) and 05-08 (Sat) are 调休 working days; 05-03…05-05 are 劳动节
    assert (app.base_due_date, app.due_date) == (date(2021, 4, 13), date(2021, 5, 12))

    app = services.act(
        app,
        Action.DECIDE,
        by=dept_staff,
        today=date(2021, 4, 20),
        decision=Decision.PARTIAL,
        text="提供安置方案全文",
        withheld=[
            {
                "what": "被安置人身份证号码",
                "ground": Decision.DENY_THIRD_PARTY,
                "basis": "《条例》第十五条",
            }
        ],
    )
    app = services.act(
        app, Action.DELIVER, by=dept_staff, today=date(2021, 4, 21), delivered_on=date(2021, 4, 21)
    )

    assert (app.stage, app.outcome, app.replied_on) == (
        Stage.REPLIED,
        Decision.PARTIAL,
        date(2021, 4, 21),
    )
    assert queries.timeliness(app) == Timeliness.EXTENDED_ON_TIME
    entries = Entry.objects.filter(object_type="applications.application", object_id=str(app.pk))
    assert list(entries.values_list("action", flat=True)) == [
        "applications.submit",
        "applications.confirm",
        "applications.assign",
        "applications.request_correction",
        "applications.receive_correction",
        "applications.extend",
        "applications.decide",
        "applications.deliver",
    ]
    assert verify() is None


def test_act_refuses_a_move_not_in_the_list_and_changes_nothing(submit, dept_staff):
    app = submit().application

    with pytest.raises(TransitionRefused, match="当前状态为“办理中”，不能“送达答复”"):
        services.act(
            app,
            Action.DELIVER,
            by=dept_staff,
            today=date(2021, 3, 2),
            delivered_on=date(2021, 3, 2),
        )

    app.refresh_from_db()
    assert app.stage == Stage.RECEIVED
    assert Entry.objects.filter(action="applications.deliver").count() == 0


def test_act_refuses_a_second_extension(submit, office_head):
    app = submit().application
    extend = {
        "days": 10,
        "reason": "检索",
        "approved_by": "李主任",
        "approved_on": date(2021, 3, 2),
        "notified_via": "电话",
    }
    services.act(app, Action.EXTEND, by=office_head, today=date(2021, 3, 2), **extend)

    with pytest.raises(TransitionRefused, match="每件申请只能延期一次"):
        services.act(app, Action.EXTEND, by=office_head, today=date(2021, 3, 3), **extend)


def test_extension_needs_the_office_head(submit, dept_staff):
    app = submit().application

    with pytest.raises(ActionInvalid) as invalid:
        services.act(
            app,
            Action.EXTEND,
            by=dept_staff,
            today=date(2021, 3, 2),
            days=10,
            reason="检索",
            approved_by="李主任",
            approved_on=date(2021, 3, 2),
            notified_via="电话",
        )

    assert invalid.value.errors == {
        "approved_by": "延期须经政府信息公开工作机构负责人同意（REQ-9）"
    }


def test_a_deny_decision_cannot_be_saved_without_basis(submit, dept_staff):
    app = submit().application

    with pytest.raises(ActionInvalid) as invalid:
        services.act(
            app,
            Action.DECIDE,
            by=dept_staff,
            today=date(2021, 3, 2),
            decision=Decision.DENY_STATE_SECRET,
        )

    assert set(invalid.value.errors) == {"basis", "reason"}
    app.refresh_from_db()
    assert (app.stage, app.outcome) == (Stage.RECEIVED, "")


def test_third_party_consultation_pauses_the_clock(submit, dept_staff):
    app = submit().application
    app = services.act(
        app,
        Action.START_CONSULTATION,
        by=dept_staff,
        today=date(2021, 3, 5),
        kind=ConsultationKind.THIRD_PARTY,
        party="某公司",
        sent_on=date(2021, 3, 5),
    )
    consultation = app.consultations.get()
    assert consultation.reply_due == date(2021, 3, 26)

    app = services.act(
        app,
        Action.END_CONSULTATION,
        by=dept_staff,
        today=date(2021, 3, 19),
        consultation=consultation,
        answered_on=date(2021, 3, 19),
        opinion="不同意公开",
    )

    assert (app.stage, app.due_date) == (Stage.RECEIVED, date(2021, 4, 13))  # T-CAL-8


def test_fee_by_count_charges_the_eleventh_application_of_a_month(submit, dept_staff, office_head):
    apps = [
        submit(arrived_at=at(2021, 3, 1 + n, 10), description=f"第{n}件").application
        for n in range(11)
    ]

    app = services.act(
        apps[-1],
        Action.FEE_NOTICE,
        by=dept_staff,
        today=date(2021, 3, 12),
        method=FeeMethod.BY_COUNT,
        approved_by="李主任",
        delivered_on=date(2021, 3, 12),
    )

    assert (app.stage, app.fee.k_in_month, app.fee.amount, app.fee.pay_by) == (
        Stage.AWAITING_FEE,
        11,
        Decimal(100),
        date(2021, 4, 12),
    )
    with pytest.raises(ActionInvalid, match="应收金额为0元"):
        services.act(
            apps[0],
            Action.FEE_NOTICE,
            by=dept_staff,
            today=date(2021, 3, 12),
            method=FeeMethod.BY_COUNT,
            approved_by="李主任",
            delivered_on=date(2021, 3, 12),
        )


def test_no_fee_under_the_2019_regime_before_2021(submit, dept_staff):
    app = submit(arrived_at=at(2020, 6, 1, 10)).application

    with pytest.raises(TransitionRefused, match="不得收取信息处理费"):
        services.act(
            app,
            Action.FEE_NOTICE,
            by=dept_staff,
            today=date(2020, 6, 2),
            method=FeeMethod.BY_PAGES,
            pages=40,
            approved_by="李主任",
            delivered_on=date(2020, 6, 2),
        )


def test_unpaid_fee_is_abandoned_only_after_20_working_days(submit, dept_staff):
    app = submit(arrived_at=at(2021, 4, 1, 10)).application
    services.act(
        app,
        Action.FEE_NOTICE,
        by=dept_staff,
        today=date(2021, 4, 1),
        method=FeeMethod.BY_PAGES,
        pages=120,
        approved_by="李主任",
        delivered_on=date(2021, 4, 1),
    )

    with pytest.raises(TransitionRefused, match="缴费期限（2021-04-29）尚未届满"):
        services.act(app, Action.ABANDON_NO_PAYMENT, by=dept_staff, today=date(2021, 4, 29))
    app = services.act(app, Action.ABANDON_NO_PAYMENT, by=dept_staff, today=date(2021, 4, 30))

    assert (app.stage, app.outcome, app.closed_on) == (
        Stage.CLOSED,
        Decision.ABANDONED_NO_PAYMENT,
        date(2021, 4, 30),
    )


def test_only_the_assigned_handler_sees_personal_data_and_the_look_is_logged(
    submit, dept_staff, office_head, other_dept_staff
):
    app = submit().application
    services.act(app, Action.ASSIGN, by=office_head, today=date(2021, 3, 1), handler=dept_staff)
    app.refresh_from_db()

    assert services.reveal(app, by=dept_staff)["id_number"] == ID_NUMBER
    assert Entry.objects.filter(action="applications.reveal_personal_data").count() == 1
    for outsider in (office_head, other_dept_staff):
        with pytest.raises(PermissionError):
            services.reveal(app, by=outsider)


def test_visible_to_is_the_org_subtree(
    submit, city_office, dept_staff, other_dept_staff, applicant
):
    app = submit().application

    assert list(queries.visible_to(city_office)) == [app]
    assert list(queries.visible_to(dept_staff)) == [app]
    assert list(queries.visible_to(other_dept_staff)) == []
    assert list(queries.visible_to(applicant)) == []


def test_overdue_is_derived_from_the_deadline(submit):
    submit()
    qs = Application.objects.all()

    assert queries.overdue(qs, on=date(2021, 3, 29)).count() == 0
    assert queries.overdue(qs, on=date(2021, 3, 30)).count() == 1


def test_a_deadline_into_a_year_without_data_is_pending_and_recomputed_on_import(
    submit, city_office, django_capture_on_commit_callbacks
):
    city_office.email = "office@example.com"
    city_office.save()
    delete_years([2022])

    app = submit(arrived_at=at(2021, 12, 20, 10)).application
    assert (app.due_date, app.due_pending_year) == (None, 2022)
    assert queries.deadline_pending(Application.objects.all()).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        load_from_package(years=[2022])

    app.refresh_from_db()
    assert (app.due_date, app.due_pending_year) == (date(2022, 1, 18), None)
    assert Entry.objects.filter(action="applications.recompute_deadlines").count() == 1


def test_alert_goes_to_the_office_when_an_action_makes_a_deadline_pending(
    submit, city_office, office_head
):
    city_office.email = "office@example.com"
    city_office.save()
    delete_years([2022])
    app = submit(arrived_at=at(2021, 11, 22, 10)).application
    assert app.due_pending_year is None

    services.act(
        app,
        Action.EXTEND,
        by=office_head,
        today=date(2021, 12, 1),
        days=20,
        reason="检索",
        approved_by="李主任",
        approved_on=date(2021, 12, 1),
        notified_via="电话",
    )

    assert [m.to for m in mail.outbox] == [["office@example.com"]]
    assert mail.outbox[0].subject == f"期限待定：申请{app.number}缺少2022年节假日数据"


def test_only_staff_of_the_org_in_an_acting_role_may_act(submit, other_dept_staff, dept):
    from gongkai.orgs.enums import Role
    from gongkai.orgs.models import User

    reviewer = User.objects.create_user(
        username="reviewer", password="x", org=dept, role=Role.REVIEWER
    )
    app = submit().application

    for outsider in (other_dept_staff, reviewer):
        with pytest.raises(ActionInvalid) as invalid:
            services.act(app, Action.WITHDRAW, by=outsider, today=date(2021, 3, 2))
        assert list(invalid.value.errors) == ["by"]
    app.refresh_from_db()
    assert app.stage == Stage.RECEIVED


def test_awaiting_correction_has_no_deadline_and_is_never_overdue(submit, dept_staff):
    app = services.act(
        submit().application,
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 2),
        items="村组名称",
        respond_by=date(2021, 3, 30),
    )

    assert (app.due_date, app.due_trace) == (
        None,
        ["待申请人补正：答复期限自收到补正之日起重新计算（REQ-10）"],
    )
    assert queries.overdue(Application.objects.all(), on=date(2021, 4, 30)).count() == 0
