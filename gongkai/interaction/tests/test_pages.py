"""The public mailbox pages and the staff desk, through Django's test client."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import Entry
from gongkai.interaction import abuse, services
from gongkai.interaction.enums import Satisfaction, Status
from gongkai.interaction.models import Letter
from gongkai.interaction.tests.conftest import at, letter_data

PASSWORD = "Gongkai-test-2026"
NUMBERS = {chinese: n for n, chinese in enumerate(abuse.DIGITS)}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2025, 3, 3, 10), tick=False)


def solve(question: str) -> str:
    """The answer to "七加五等于几？" / "十二减三等于几？" (the test plays the citizen)."""

    def value(text):
        if text == "十":
            return 10
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (NUMBERS[tens] if tens else 1) * 10 + (NUMBERS[ones] if ones else 0)
        return NUMBERS[text]

    m = re.match(r"(.+?)([加减])(.+?)等于几？", question)
    a, b = value(m[1]), value(m[3])
    return str(a + b if m[2] == "加" else a - b)


def form_for(client, mailbox):
    html = client.get(f"/mailbox/{mailbox.pk}/write/").content.decode()
    question = re.search(r'data-testid="question">(.*?)</span>', html)[1]
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    return {"token": token, "answer": solve(question)}


def post_letter(client, mailbox, **overrides):
    data = {**letter_data(), "may_publish": "on", **form_for(client, mailbox), **overrides}
    return client.post(f"/mailbox/{mailbox.pk}/write/", data)


def errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" id="id_\w+_error">(.*?)</p>', html)


@pytest.mark.parametrize(
    ("n", "text"), ((7, "七"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"))
)
def test_chinese_numbers_of_the_challenge(n, text):
    assert abuse.chinese_number(n) == text


def test_citizen_writes_gets_a_receipt_and_looks_the_letter_up(client, mailbox):
    response = post_letter(client, mailbox)
    assert response.status_code == 302 and response.url == "/mailbox/receipt/"

    html = client.get("/mailbox/receipt/").content.decode()
    number = re.search(r'data-testid="number">(.*?)<', html)[1]
    code = re.search(r'data-testid="code">(.*?)<', html)[1]
    html = client.post("/mailbox/status/", {"number": number, "code": code}).content.decode()

    assert Letter.objects.get().number == number
    assert 'data-testid="status">待受理<' in html
    assert "13800001234" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    (
        ({"answer": "999"}, "验证问题回答不正确，请用阿拉伯数字作答"),
        ({"token": "forged"}, "验证问题无效，请回答新的问题"),
        ({"contact": "1380000"}, "联系方式应为手机号码、固定电话或电子邮箱"),
        (
            {"content": "<script>alert(1)</script>"},
            "内容中不能包含网页代码或脚本（如 &lt;script&gt;），请删除后重新提交",
        ),
    ),
)
def test_bad_letters_are_refused_with_a_chinese_message(client, mailbox, overrides, message):
    html = post_letter(client, mailbox, **overrides).content.decode()

    assert message in errors(html)
    assert Letter.objects.count() == 0


def test_a_used_challenge_cannot_be_used_again(client, mailbox):
    answer = form_for(client, mailbox)
    post_letter(client, mailbox, **answer)
    html = post_letter(client, mailbox, **answer, subject="第二封").content.decode()

    assert "验证问题已使用过，请回答新的问题" in errors(html)
    assert Letter.objects.count() == 1


def test_oversized_attachment_is_refused(client, mailbox, settings):
    big = SimpleUploadedFile("照片.jpg", b"x" * (abuse.MAX_FILE_BYTES + 1), "image/jpeg")
    html = post_letter(client, mailbox, attachments=big).content.decode()

    assert "附件“照片.jpg”超过5MB，请压缩后上传" in errors(html)
    assert Letter.objects.count() == 0


def test_attachment_is_kept_with_the_letter(client, mailbox):
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    post_letter(client, mailbox, attachments=pdf)

    assert [(a.name, a.size) for a in Letter.objects.get().attachments.all()] == [("材料.pdf", 15)]


def test_sixth_letter_from_one_address_is_held_not_lost(client, mailbox, city_office):
    for i in range(6):
        post_letter(client, mailbox, contact=f"1380000{i:04d}", subject=f"第{i}封")

    letters = list(Letter.objects.order_by("pk"))
    assert [letter.held for letter in letters] == [False] * 5 + [True]
    assert letters[5].held_reason == "同一网络地址1小时内来信超过5封"

    client.force_login(city_office)
    html = client.get("/desk/mailbox/?view=held").content.decode()
    assert letters[5].number in html and letters[0].number not in html
    client.post(f"/desk/mailbox/{letters[5].number}/act/release/")
    assert Letter.objects.get(pk=letters[5].pk).held is False
    assert Entry.objects.filter(action="interaction.release").count() == 1


def test_blocked_contact_is_held(client, mailbox, city_office, write):
    first = write().letter
    services.block_sender(first, by=city_office, kind="contact", reason="恶意骚扰")

    post_letter(client, mailbox, subject="另一封", content="不同内容")

    held = Letter.objects.exclude(pk=first.pk).get()
    assert (held.held, held.held_reason) == (True, "联系方式在屏蔽名单中")


def test_staff_of_another_department_see_nothing(client, write, other_dept_staff):
    letter = write().letter
    client.force_login(other_dept_staff)

    assert letter.number not in client.get("/desk/mailbox/").content.decode()
    assert client.get(f"/desk/mailbox/{letter.number}/").status_code == 404


def test_desk_workflow_by_forms_then_rating_and_published_qa(
    client, write, city_office, dept, dept_staff
):
    submitted = write()
    number = submitted.letter.number
    client.force_login(city_office)
    client.post(f"/desk/mailbox/{number}/act/accept/")
    client.post(
        f"/desk/mailbox/{number}/act/transfer/", {"to_org": dept.pk, "handler": dept_staff.pk}
    )
    client.force_login(dept_staff)
    client.post(f"/desk/mailbox/{number}/act/take/")
    client.post(f"/desk/mailbox/{number}/act/draft/", {"text": "李四您好：4月开放。"})
    client.force_login(city_office)
    client.post(f"/desk/mailbox/{number}/act/approve/")
    client.post(f"/desk/mailbox/{number}/act/send/")
    client.post(f"/desk/mailbox/{number}/act/publish/")
    client.logout()
    client.post(
        "/mailbox/rate/",
        {"number": number, "code": submitted.code, "satisfaction": Satisfaction.SATISFIED},
    )

    letter = Letter.objects.get()
    assert (letter.status, letter.satisfaction) == (Status.PUBLISHED, Satisfaction.SATISFIED)
    html = client.get(f"/mailbox/qa/{number}/").content.decode()
    assert "身份证号5107**********1237，手机139****5678" in html
    assert "510703199001011237" not in html and "李四" not in html
    assert number in client.get("/mailbox/qa/").content.decode()


def test_desk_pages_render(client, write, city_office):
    write()
    client.force_login(city_office)
    for url in (
        "/desk/mailbox/",
        "/desk/mailbox/?view=overdue",
        "/desk/mailbox/new/",
        "/desk/mailbox/figures/?year=2025",
        "/desk/mailbox/blocked/",
        "/desk/hotline/",
        "/desk/proposals/",
        "/desk/proposals/new/",
        "/mailbox/",
    ):
        assert client.get(url).status_code == 200, url


def test_unpublished_letters_are_not_on_the_qa_pages(client, write, city_office):
    letter = services.accept(write().letter, by=city_office)

    assert client.get(f"/mailbox/qa/{letter.number}/").status_code == 404
    assert letter.number not in client.get("/mailbox/qa/").content.decode()


def test_wrong_codes_are_throttled(client, write):
    letter = write().letter
    for _ in range(10):
        client.post("/mailbox/status/", {"number": letter.number, "code": "WRONG"})

    html = client.post("/mailbox/status/", {"number": letter.number, "code": "X"}).content.decode()

    assert "错误次数过多，请15分钟后再试。" in html


def test_staff_download_of_an_attachment_is_audited(client, mailbox, city_office):
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    post_letter(client, mailbox, attachments=pdf)
    letter = Letter.objects.get()
    client.force_login(city_office)

    response = client.get(
        f"/desk/mailbox/{letter.number}/attachments/{letter.attachments.get().pk}/"
    )

    assert response.content == b"%PDF-1.4\n%%EOF\n"
    assert Entry.objects.filter(action="interaction.attachment_open").count() == 1
