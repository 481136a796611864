import io
from datetime import date

from docx import Document

from gongkai.applications import letters, services
from gongkai.applications.admin import LetterWordingForm
from gongkai.applications.enums import Action, ConsultationKind, Decision
from gongkai.applications.models import LetterWording


def _partial(app, by, today):
    return services.act(
        app,
        Action.DECIDE,
        by=by,
        today=today,
        decision=Decision.PARTIAL,
        text="现通过电子邮件向你提供安置方案全文。",
        withheld=[
            {
                "what": "被安置人身份证号码",
                "ground": Decision.DENY_THIRD_PARTY,
                "basis": "《条例》第十五条",
            }
        ],
    )


def test_actions_issue_numbered_letters_in_order(submit, dept_staff):
    app = submit().application
    app = services.act(
        app,
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 2),
        items="请写明所涉村组名称",
        respond_by=date(2021, 3, 16),
    )
    app = services.act(
        app,
        Action.RECEIVE_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 5),
        received_on=date(2021, 3, 5),
    )
    _partial(app, dept_staff, date(2021, 3, 10))

    issued = [(letter.kind, letter.number, letter.issued_on) for letter in app.letters.all()]
    assert issued == [
        ("receipt", "市自然资源和规划局公收〔2021〕1号", date(2021, 3, 1)),
        ("correction", "市自然资源和规划局公补〔2021〕1号", date(2021, 3, 2)),
        ("reply_partial", "市自然资源和规划局公复〔2021〕1号", date(2021, 3, 10)),
    ]


def test_partial_reply_says_what_was_withheld_why_and_the_remedies(submit, dept_staff):
    app = _partial(submit().application, dept_staff, date(2021, 3, 10))

    content = letters.content_of(app.letters.get(kind="reply_partial"))

    assert content.title == "绵阳市自然资源和规划局\n政府信息公开申请答复书"
    assert content.addressee == "张三"
    body = "".join(content.paragraphs)
    assert (
        "对不予公开的部分，根据《条例》第十五条的规定不予公开，理由是：被安置人身份证号码属于“保护第三方合法权益”的情形"
        in body
    )
    assert "现通过电子邮件向你提供安置方案全文。" in body
    assert content.paragraphs[-1] == (
        "如不服本答复，可以自收到本答复书之日起60日内向绵阳市人民政府申请行政复议，"
        "或者在6个月内依法向有管辖权的人民法院提起行政诉讼。"
    )
    assert "510703199001011237" not in str(app.letters.get(kind="reply_partial").content)


def test_consultation_letter_goes_to_the_third_party_without_the_applicants_name(
    submit, dept_staff
):
    app = services.act(
        submit().application,
        Action.START_CONSULTATION,
        by=dept_staff,
        today=date(2021, 3, 5),
        kind=ConsultationKind.THIRD_PARTY,
        party="绵阳某置业有限公司",
        sent_on=date(2021, 3, 5),
    )

    letter = app.letters.get(kind="consultation")

    assert (letter.public_to_applicant, letter.content["addressee"]) == (
        False,
        "绵阳某置业有限公司",
    )
    assert "张三" not in str(letter.content)
    assert "2021年3月26日前" in "".join(letter.content["paragraphs"])


def test_office_wording_is_used_and_a_later_edit_leaves_issued_letters_alone(
    submit, dept_staff, city
):
    LetterWording.objects.create(
        org=city,
        kind="correction",
        title="补正通知",
        body="{{申请人}}：请补充{{补正事项}}。\n\n请于{{补正期限}}前补正。",
    )
    app = services.act(
        submit().application,
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 2),
        items="村组名称",
        respond_by=date(2021, 3, 16),
    )
    LetterWording.objects.filter(kind="correction").update(body="改过的措辞")

    assert app.letters.get(kind="correction").content["paragraphs"] == [
        "张三：请补充村组名称。",
        "请于2021年3月16日前补正。",
    ]


def test_wording_form_refuses_placeholders_outside_the_whitelist(city):
    form = LetterWordingForm(
        data={
            "org": city.pk,
            "kind": "correction",
            "title": "补正",
            "body": "{{身份证号码}} {% load x %}",
        }
    )

    assert form.is_valid() is False
    assert len(form.errors["body"]) == 2


def test_render_reads_back_as_docx_and_pdf(submit):
    letter = submit().application.letters.get(kind="receipt")

    docx, docx_type, docx_name = letters.render(letter, "docx")
    pdf, pdf_type, pdf_name = letters.render(letter, "pdf")

    text = [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.text.strip()]
    assert text[:3] == [
        "绵阳市自然资源和规划局",
        "政府信息公开申请登记回执",
        "市自然资源和规划局公收〔2021〕1号",
    ]
    assert docx_name == "YSQ2021000001-receipt.docx"
    assert docx_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (pdf[:5], pdf_type, pdf_name) == (
        b"%PDF-",
        "application/pdf",
        "YSQ2021000001-receipt.pdf",
    )
