"""Encryption of personal data at rest, and blind indexes to find equal values.

The key comes from settings (``GONGKAI_FIELD_KEY``, else derived from the secret key) and
never sits in the row. Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) gives
authenticated ciphertext; the blind index is an HMAC so equal ID numbers can be matched
(fee counting per applicant, duplicates) without decrypting anything.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _keys(material: str) -> tuple[Fernet, bytes]:
    encryption = hashlib.sha256(b"gongkai-field-encryption\0" + material.encode()).digest()
    index = hashlib.sha256(b"gongkai-blind-index\0" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(encryption)), index


def _material() -> str:
    return settings.GONGKAI_FIELD_KEY or settings.SECRET_KEY


def encrypt(value: str) -> str:
    """Ciphertext as text; the empty string stays empty (nothing to hide)."""
    if not value:
        return ""
    return _keys(_material())[0].encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys(_material())[0].decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ValueError("无法解密：字段密钥与加密时不同（GONGKAI_FIELD_KEY）") from error


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalized value; '' for an empty value."""
    normalized = "".join(value.split()).upper()
    if not normalized:
        return ""
    return hmac.new(_keys(_material())[1], normalized.encode("utf-8"), hashlib.sha256).hexdigest()
