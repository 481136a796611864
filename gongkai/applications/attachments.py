"""Files applicants send with an application: sniffed, capped, stored privately, opened by staff.

The type is read from the content, never from the name or the browser's content type; the
name's extension must agree with it. Files live under ``MEDIA_ROOT/attachments`` (outside
the web root) with a generated name, so the applicant's file name never reaches the disk.

Why no library: on PyPI, ``filetype`` (last release 2022) and ``puremagic`` recognise DOCX
by looking for ``word/`` in the first bytes of the zip, which both misses valid files whose
first entry is something else and takes some plain zips for DOCX (filetype issue #171,
puremagic issue #3); ``python-magic`` needs the system libmagic and does the same. None of
them knows OFD (GB/T 33190, a zip with ``OFD.xml`` at its root). Five formats need three
magic numbers and one look at a zip's directory, so we sniff them here.
"""

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from gongkai.applications import queries
from gongkai.applications.models import Application, Attachment
from gongkai.applications.services import local_date
from gongkai.audit.services import record

FOLDER = "attachments"
CHUNK = 64 * 1024
NAME_MAX = 200  # Attachment.name


class AttachmentRefused(Exception):
    """The file is not accepted; the message says why, in Chinese, naming the file."""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str  # as the refusal message names it: “…的内容不是PDF文件”
    content_type: str
    extensions: tuple[str, ...]


KINDS = (
    FileKind("pdf", "PDF", "application/pdf", (".pdf",)),
    FileKind("jpeg", "JPEG图片", "image/jpeg", (".jpg", ".jpeg")),
    FileKind("png", "PNG图片", "image/png", (".png",)),
    FileKind(
        "docx",
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    FileKind("ofd", "OFD", "application/ofd", (".ofd",)),
)
BY_CODE = {kind.code: kind for kind in KINDS}
BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ACCEPTED = "、".join(kind.label for kind in KINDS)


def sniff(path: Path) -> FileKind | None:
    """The kind the file's content shows, or None when it is none of the five.

    Zips are judged by their central directory only: nothing is decompressed, so a zip
    bomb costs nothing here.
    """
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF-"):
        return BY_CODE["pdf"]
    if head.startswith(b"\xff\xd8\xff"):
        return BY_CODE["jpeg"]
    if head == b"\x89PNG\r\n\x1a\n":
        return BY_CODE["png"]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return BY_CODE["docx"]
        if "OFD.xml" in names:
            return BY_CODE["ofd"]
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str) -> str:
    """The last part of what the browser sent, without control characters, at most 200 long.

    Only ever shown and logged nowhere; the file on disk has a generated name.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > NAME_MAX:
        _stem, dot, ext = name.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 10 else ""
        name = name[: NAME_MAX - len(keep)] + keep
    return name or "未命名"


def max_bytes() -> int:
    return settings.GONGKAI_ATTACHMENT_MAX_MB * 1024 * 1024


def _root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _receive(uploaded, into: Path, *, name: str, limit: int) -> tuple[int, str]:
    """Copy the upload to ``into`` chunk by chunk; refuse as soon as it passes ``limit``."""
    digest, size = hashlib.sha256(), 0
    chunks = (
        uploaded.chunks(CHUNK)
        if hasattr(uploaded, "chunks")
        else iter(lambda: uploaded.read(CHUNK), b"")
    )
    with into.open("xb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:  # the declared size may lie: count what actually arrives
                raise AttachmentRefused(
                    f"附件“{name}”超过{settings.GONGKAI_ATTACHMENT_MAX_MB}MB的大小上限"
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def store(app: Application, uploaded, *, by=None) -> Attachment:
    """Check and keep one uploaded file of ``app``; raise ``AttachmentRefused`` otherwise.

    ``uploaded`` is a Django ``UploadedFile`` (or anything with ``name`` and ``read``).
    Accepted: PDF, JPEG, PNG, DOCX, OFD, whose content matches the name's extension.
    Nothing is written when the file is refused. The file goes to
    ``attachments/<year the application arrived>/<sha256[:2]>/<random>.<ext>``: filed with
    its application, and no clock read here.
    """
    name = display_name(getattr(uploaded, "name", ""))
    expected = BY_EXTENSION.get(os.path.splitext(name)[1].lower())
    if expected is None:
        raise AttachmentRefused(f"附件“{name}”的类型不受支持：只接受{ACCEPTED}文件")
    limit = max_bytes()
    if (getattr(uploaded, "size", None) or 0) > limit:
        raise AttachmentRefused(f"附件“{name}”超过{settings.GONGKAI_ATTACHMENT_MAX_MB}MB的大小上限")
    root = _root()
    year = local_date(app.arrived_at).year
    token = secrets.token_hex(16)
    incoming = root / FOLDER / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    temp = incoming / f"{token}.part"
    try:
        size, sha256 = _receive(uploaded, temp, name=name, limit=limit)
        if size == 0:
            raise AttachmentRefused(f"附件“{name}”是空文件")
        found = sniff(temp)
        if found != expected:
            raise AttachmentRefused(f"附件“{name}”的内容不是{expected.label}文件")
        relative = Path(FOLDER) / str(year) / sha256[:2] / f"{token}{expected.extensions[0]}"
        final = root / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    final.chmod(0o640)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                application=app,
                name=name,
                content_type=expected.content_type,
                size=size,
                sha256=sha256,
                path=relative.as_posix(),
            )
            # The file name is left out on purpose: applicants name files after themselves
            # (张三身份证.jpg), and the audit log can never be redacted.
            record(
                "applications.attachment_store",
                actor=by,
                obj=app,
                summary={
                    "number": app.number,
                    "attachment": attachment.pk,
                    "type": expected.code,
                    "size": size,
                    "sha256": sha256,
                },
            )
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return attachment


def may_open(attachment: Attachment, user) -> bool:
    """Staff who can see the application; nobody else (not even the applicant's account)."""
    return queries.visible_to(user).filter(pk=attachment.application_id).exists()


def path_of(attachment: Attachment) -> Path:
    """Where the file is; refuses a stored path that would lead outside ``MEDIA_ROOT``."""
    root = _root()
    path = (root / attachment.path).resolve()
    if not path.is_relative_to(root / FOLDER):
        raise PermissionError("附件路径无效")
    return path


def open_for(attachment: Attachment, user) -> BinaryIO:
    """The file opened for reading, for a user allowed to see it; every opening is logged.

    Serve it with ``FileResponse(f, as_attachment=True, filename=attachment.name,
    content_type=attachment.content_type)`` and ``X-Content-Type-Options: nosniff``.
    Raises ``PermissionError`` for anyone else.
    """
    if not may_open(attachment, user):
        raise PermissionError("无权查看该附件")
    f = path_of(attachment).open("rb")
    record(
        "applications.attachment_open",
        actor=user,
        obj=attachment.application,
        summary={"number": attachment.application.number, "attachment": attachment.pk},
    )
    return f
