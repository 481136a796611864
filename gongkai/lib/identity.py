"""National identifiers and how to show them without revealing them.

No domain words here: the applications app, the catalog's sensitive-data scan and the
interaction app all check and mask the same numbers.
"""

import re
from datetime import date

# GB 11643-1999: weights of the 17 body digits, and the check character for sum % 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def resident_id_check(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id_error(number: str) -> str | None:
    """Return None for a valid 18-digit 居民身份证号码, else what is wrong, in Chinese."""
    number = number.strip().upper()
    if not _ID_SHAPE.match(number):
        return "身份证号码应为18位：17位数字加1位数字或X"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"身份证号码中的出生日期 {number[6:14]} 不存在"
    if born.year < 1900:
        return f"身份证号码中的出生日期 {number[6:14]} 不合理"
    expected = resident_id_check(number[:17])
    if number[17] != expected:
        return f"身份证号码校验位错误：应为{expected}，实为{number[17]}"
    return None


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    """``5107**********1234``: keep the ends, star the middle (never fewer than 1 star)."""
    value = value.strip()
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    middle = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * middle + value[len(value) - keep_end :]


def mask_id(number: str) -> str:
    return mask_middle(number, keep_start=4, keep_end=4)


def mask_phone(number: str) -> str:
    digits = number.strip()
    if MOBILE.match(digits):
        return mask_middle(digits, keep_start=3, keep_end=4)
    return mask_middle(digits, keep_start=2, keep_end=2)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: what a public page may say of a person, if anything."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""
