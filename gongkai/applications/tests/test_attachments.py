import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications.attachments import AttachmentRefused, open_for, store
from gongkai.applications.models import Attachment
from gongkai.audit.models import Entry

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
OFD = zipped("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml")
PLAIN_ZIP = zipped("notes.txt")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def app(submit, media):
    return submit().application


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    (
        ("申请书.pdf", PDF, "application/pdf"),
        ("身份证.JPG", JPEG, "image/jpeg"),
        ("身份证背面.jpeg", JPEG, "image/jpeg"),
        ("委托书.png", PNG, "image/png"),
        (
            "补正材料.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("电子公文.ofd", OFD, "application/ofd"),
    ),
)
def test_store_accepts_each_format_and_records_what_the_content_is(
    app, media, name, content, content_type
):
    # The browser's claim is deliberately wrong: only the content counts.
    attachment = store(app, upload(name, content, "application/octet-stream"))

    assert (attachment.name, attachment.content_type, attachment.size, attachment.sha256) == (
        name,
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert (Path(media) / attachment.path).read_bytes() == content


def test_store_keeps_the_file_under_a_generated_name_by_year_and_hash(app, media):
    attachment = store(app, upload("张三身份证.pdf", PDF))

    parts = Path(attachment.path).parts
    assert parts[:3] == ("attachments", "2021", hashlib.sha256(PDF).hexdigest()[:2])
    assert "张三" not in attachment.path
    assert parts[3].endswith(".pdf") and len(parts[3]) == len("0" * 32 + ".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    (
        ("setup.pdf", EXE, "附件“setup.pdf”的内容不是PDF文件"),
        ("page.pdf", HTML, "附件“page.pdf”的内容不是PDF文件"),
        ("report.pdf", DOCX, "附件“report.pdf”的内容不是PDF文件"),
        ("photo.png", JPEG, "附件“photo.png”的内容不是PNG图片文件"),
        ("photo.jpg", PNG, "附件“photo.jpg”的内容不是JPEG图片文件"),
        ("letter.docx", PLAIN_ZIP, "附件“letter.docx”的内容不是DOCX文件"),
        ("letter.docx", OFD, "附件“letter.docx”的内容不是DOCX文件"),
        ("公文.ofd", DOCX, "附件“公文.ofd”的内容不是OFD文件"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "附件“broken.docx”的内容不是DOCX文件"),
        ("empty.pdf", b"", "附件“empty.pdf”是空文件"),
        (
            "setup.exe",
            EXE,
            "附件“setup.exe”的类型不受支持：只接受PDF、JPEG图片、PNG图片、DOCX、OFD文件",
        ),
        (
            "page.html",
            HTML,
            "附件“page.html”的类型不受支持：只接受PDF、JPEG图片、PNG图片、DOCX、OFD文件",
        ),
        (
            "noextension",
            PDF,
            "附件“noextension”的类型不受支持：只接受PDF、JPEG图片、PNG图片、DOCX、OFD文件",
        ),
    ),
)
def test_store_refuses_content_that_is_not_what_the_name_says(app, media, name, content, message):
    with pytest.raises(AttachmentRefused) as refused:
        store(app, upload(name, content))

    assert str(refused.value) == message
    assert Attachment.objects.count() == 0
    assert Entry.objects.filter(action="applications.attachment_store").count() == 0
    assert [p for p in Path(media).rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("extra_bytes", "stored"),
    (
        (0, True),  # exactly the limit
        (1, False),
    ),
)
def test_store_caps_the_size_by_the_setting(app, media, settings, extra_bytes, stored):
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1
    content = PDF + b"0" * (1024 * 1024 - len(PDF) + extra_bytes)

    if stored:
        assert store(app, upload("big.pdf", content)).size == 1024 * 1024
    else:
        with pytest.raises(AttachmentRefused) as refused:
            store(app, upload("big.pdf", content))
        assert str(refused.value) == "附件“big.pdf”超过1MB的大小上限"
        assert Attachment.objects.count() == 0


def test_store_counts_the_bytes_that_arrive_not_the_declared_size(app, media, settings):
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1
    lying = upload("big.pdf", PDF + b"0" * (1024 * 1024))
    lying.size = 10

    with pytest.raises(AttachmentRefused, match="超过1MB的大小上限"):
        store(app, lying)

    assert [p for p in Path(media).rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("sent_name", "shown_name"),
    (
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/etc/cron.d/evil.pdf", "evil.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
    ),
)
def test_store_a_path_in_the_name_goes_nowhere(app, media, tmp_path, sent_name, shown_name):
    attachment = store(app, upload(sent_name, PDF))

    on_disk = (Path(media) / attachment.path).resolve()
    assert attachment.name == shown_name
    assert on_disk.is_relative_to(Path(media).resolve() / "attachments")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [on_disk]


def test_store_audit_entry_names_type_and_size_but_not_the_file(app, media, dept_staff):
    attachment = store(app, upload("张三身份证.jpg", JPEG), by=dept_staff)

    entry = Entry.objects.get(action="applications.attachment_store")
    assert (entry.actor, entry.object_id) == ("dept_staff", str(app.pk))
    assert entry.summary == {
        "number": app.number,
        "attachment": attachment.pk,
        "type": "jpeg",
        "size": len(JPEG),
        "sha256": hashlib.sha256(JPEG).hexdigest(),
    }


def test_open_for_gives_the_file_to_staff_who_see_the_application(
    app, media, dept_staff, city_office
):
    attachment = store(app, upload("申请书.pdf", PDF))

    for user in (dept_staff, city_office):
        with open_for(attachment, user) as f:
            assert f.read() == PDF
    assert list(
        Entry.objects.filter(action="applications.attachment_open").values_list("actor", flat=True)
    ) == ["dept_staff", "city_office"]


def test_open_for_refuses_everyone_else(app, media, other_dept_staff, applicant):
    attachment = store(app, upload("申请书.pdf", PDF))
    app.account = applicant  # even the applicant's own account: staff only
    app.save()

    for outsider in (other_dept_staff, applicant):
        with pytest.raises(PermissionError, match="无权查看该附件"):
            open_for(attachment, outsider)
    assert Entry.objects.filter(action="applications.attachment_open").count() == 0


def test_open_for_refuses_a_stored_path_outside_the_attachments_folder(app, media, dept_staff):
    attachment = store(app, upload("申请书.pdf", PDF))
    attachment.path = "../secret-key"

    with pytest.raises(PermissionError, match="附件路径无效"):
        open_for(attachment, dept_staff)
