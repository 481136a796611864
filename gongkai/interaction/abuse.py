"""Abuse control for the public letter form, with no outside service (issue 7 §5).

- A challenge: a server-side arithmetic question written in Chinese numerals ("七加五等于几？"),
  carried in a signed, timestamped token; each token is good for one answer.
- Rate limits per network address and per contact, over a sliding window, counted from the
  letters themselves (so they survive restarts and need no cache).
- A block list (``BlockedSender``) of contacts and addresses.

A letter over a limit or from a blocked sender is **held**, not dropped: it is saved, the
writer gets a receipt, and staff see it under "暂存待核" and may release it.
"""

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.core.cache import cache

MAX_CONTENT = 5000
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
}
ADDRESS_LIMIT = (5, timedelta(hours=1))  # letters per address per window
CONTACT_LIMIT = (3, timedelta(days=1))  # letters per contact per window
CHALLENGE_SECONDS = 60 * 60
DIGITS = "零一二三四五六七八九十"
_SALT = "gongkai.interaction.challenge"
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript\s*:", re.IGNORECASE)


def has_markup(text: str) -> bool:
    """HTML tags or a ``javascript:`` URL in a letter's text (refused, never stored)."""
    return bool(_MARKUP.search(text or ""))


def attachments_error(files) -> str | None:
    if len(files) > MAX_FILES:
        return f"附件最多{MAX_FILES}个"
    for name, _type, data in files:
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in FILE_TYPES:
            return f"附件“{name}”的格式不支持，请上传 PDF、JPG、PNG、DOCX 或 TXT 文件"
        if len(data) > MAX_FILE_BYTES:
            return f"附件“{name}”超过{MAX_FILE_BYTES // 1024 // 1024}MB，请压缩后上传"
        if not data:
            return f"附件“{name}”是空文件"
    return None


# --- Challenge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals: 七, 十二, 二十, 三十五."""
    if n <= 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def new_challenge(rng: random.Random | None = None) -> Challenge:
    rng = rng or random.SystemRandom()
    a, b = rng.randint(2, 20), rng.randint(2, 9)
    if rng.random() < 0.5:
        question, answer = f"{chinese_number(a)}加{chinese_number(b)}等于几？", a + b
    else:
        a = max(a, b + 1)
        question, answer = f"{chinese_number(a)}减{chinese_number(b)}等于几？", a - b
    nonce = rng.getrandbits(48)
    token = signing.TimestampSigner(salt=_SALT).sign_object({"a": answer, "n": nonce})
    return Challenge(question, token)


def challenge_error(token: str, answer: str) -> str | None:
    """None when the answer is right, the token genuine, fresh and not used before."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token or "", max_age=CHALLENGE_SECONDS
        )
    except signing.SignatureExpired:
        return "验证问题已过期，请回答新的问题"
    except signing.BadSignature:
        return "验证问题无效，请回答新的问题"
    if (answer or "").strip() != str(payload["a"]):
        return "验证问题回答不正确，请用阿拉伯数字作答"
    key = "gk-mbx-challenge:" + hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(key, 1, CHALLENGE_SECONDS):
        return "验证问题已使用过，请回答新的问题"
    return None


# --- Holding -----------------------------------------------------------------------------


def hold_reason(contact_index: str, address_index: str, at: datetime) -> str:
    """Why a web letter is held for review, or "" (block list first, then the rate limits)."""
    from gongkai.interaction.models import BlockedSender, Letter

    for kind, value in (("contact", contact_index), ("address", address_index)):
        if value and BlockedSender.objects.filter(kind=kind, value_index=value).exists():
            return "联系方式在屏蔽名单中" if kind == "contact" else "网络地址在屏蔽名单中"
    for field, value, (limit, window), label in (
        ("address_index", address_index, ADDRESS_LIMIT, "同一网络地址"),
        ("contact_index", contact_index, CONTACT_LIMIT, "同一联系方式"),
    ):
        if not value:
            continue
        recent = Letter.objects.filter(
            **{field: value}, received_at__gt=at - window, received_at__lte=at
        ).count()
        if recent >= limit:
            hours = int(window.total_seconds() // 3600)
            return f"{label}{hours}小时内来信超过{limit}封"
    return ""
