"""Find personal and sensitive data in a text before it is published (SEC-4).

``scan_text`` returns findings sorted by position, never overlapping; each carries a masked
preview so a reviewer can see *what* was found without the screen repeating it. Offsets are
character offsets (0-based, end exclusive) into the text as given: full-width digits and
letters (１３８…, Ｘ) are matched as their ASCII forms, and the mapping keeps one character
for one character, so offsets stay true.

The rules, and where they stop (each has a table of true and false positives in
``tests/test_scan.py``):

- ``id_number`` 居民身份证号码: 18 characters passing GB 11643 (valid birth date, check
  digit), not inside a longer run of digits or letters. A 15-digit first-generation number
  has no check digit, so it is flagged only when its birth date (19YYMMDD) is valid *and*
  the word 身份证/证件号/公民身份号码 stands within 12 characters before it.
- ``mobile`` 手机号码: 1[3-9] + 9 digits, optionally after +86/0086/86 and split 3-4-4 by
  spaces or dashes, not inside a longer run of digits.
- ``bank_card`` 银行卡号: 16–19 digits (optionally in groups of 4 split by spaces or
  dashes) passing the Luhn check and not a valid ID number. One random digit string in ten
  passes Luhn, so long order numbers can be flagged; the reviewer decides.
- ``credit_code`` 统一社会信用代码: 18 characters passing GB 32100 (registrar and kind codes,
  check character), via ``orgs.rules.credit_code_error``. An org's code is public data;
  it is listed because an individual business (个体工商户) code points at a person.
- ``email`` 电子邮箱.
- ``address`` 详细住址: a road/street/lane and house number (…路/街/巷/大道/胡同/弄 N号)
  followed by a dwelling part (N栋/幢/号楼/座, N单元, N楼/层, N室/户, or 3-2-501), or a
  housing estate (…小区/花园/家园/新村/公寓/苑) followed by building and room. A bare
  "…路N号" is an office or shop address and is *not* flagged; an office with a room number
  (…大厦1201室) is, so the reviewer sees it — the rule cannot tell a home from an office.
  The road name is taken as at most 8 Chinese characters before 路/街/… (a leading 家住/
  住在/住址/地址 is left out), so the preview may start a little early ("向东走长江路…").
- ``marking`` 密级标志: 绝密 always; 机密 and 秘密 unless they are part of a legal term
  (国家秘密, 商业秘密, 工作秘密, 技术秘密, 经营秘密, 军事秘密, 保守秘密),
  so "保守国家秘密" is not flagged but "秘密★1年" and "机密" are; any ★ marking
  (秘密★10年, 机密★长期) as one finding; 内部 only as a handling marking — 内部资料,
  内部文件, 内部材料, 内部使用, 内部发行, 内部传阅, 内部参阅, 内部参考, 内部刊物, 内部明电,
  仅供内部 — or alone on its line; 内部控制, 内部审计, 机关内部 are ordinary words.
"""

import re
from dataclasses import dataclass

from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.identity import mask_id, mask_middle, resident_id_error
from gongkai.orgs.rules import credit_code_error

__all__ = [
    "LABELS",
    "ExtractionFailed",
    "Finding",
    "extract_text",
    "mask_text",
    "scan_file",
    "scan_text",
]

LABELS = {
    "id_number": "居民身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "credit_code": "统一社会信用代码",
    "email": "电子邮箱",
    "address": "详细住址",
    "marking": "密级或内部标志",
}

# When two candidates overlap, the kind listed first wins (an ID number is never also a
# bank card; a mobile number inside an address stays a mobile number).
PRIORITY = ("id_number", "credit_code", "bank_card", "mobile", "email", "marking", "address")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    masked: str
    label: str


# Full-width ASCII (！ to ～) and the ideographic space, one character to one character.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise(text: str) -> str:
    """Full-width digits and letters as ASCII; same length as ``text``."""
    return text.translate(_FULL_WIDTH)


_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_ID15_CUE = re.compile(r"(身份证|证件号|身份号码)")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d])")
_CREDIT = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{18}(?![0-9A-Za-z])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
_NUM = r"(?:\d+|[一二三四五六七八九十]+)"
_DWELLING = (
    rf"(?:{_NUM}(?:栋|幢|号楼|座)|{_NUM}单元(?:\d+(?:室|户|号)?)?|\d+(?:楼|层)|\d+(?:室|户|号房)"
    r"|\d+-\d+(?:-\d+)?(?:室|号|户)?)"
)
_ADDRESS = re.compile(
    # road + house number + dwelling part(s)
    rf"[\u4e00-\u9fff]{{1,8}}(?:路|街|巷|大道|胡同|弄)(?:[东南西北中一二三四五六七八九十\d]{{1,3}}段)?\d+(?:-\d+)?号(?:院|附\d+号)?"
    rf"[\u4e00-\u9fff]{{0,10}}?"
    rf"(?:{_DWELLING}[ ]?)+"
    # or estate + building + (unit/floor/room)
    rf"|[\u4e00-\u9fff]{{2,10}}(?:小区|花园|家园|新村|公寓){_NUM}(?:栋|幢|号楼|座)"
    rf"(?:{_DWELLING}[ ]?)+"
)
_ADDRESS_CUE = re.compile(r"(?:家住|现住|住在|住址|居住在?|地址|住)[为是于在]?")
_STAR_MARKING = re.compile(
    r"(?:绝密|机密|秘密)\s*★\s*(?:(?:\d+|[一二三四五六七八九十]+)\s*(?:年|个月)|长期)?"
)
_SECRET_WORD = re.compile(r"绝密|机密|秘密")
_SECRET_TERMS = ("国家", "商业", "工作", "技术", "经营", "军事", "保守")
_INTERNAL = re.compile(
    r"仅供内部(?:使用|参考|参阅)?|内部(?:资料|文件|材料|使用|发行|传阅|参阅|参考|刊物|明电)"
    r"|(?m:^[ \t【\[（(]*内部[ \t】\]）)★]*$)"
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _id15_ok(number: str, before: str) -> bool:
    month, day = int(number[8:10]), int(number[10:12])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return bool(_ID15_CUE.search(before))


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _candidates(norm: str):
    for m in _ID18.finditer(norm):
        if resident_id_error(m.group()) is None:
            yield "id_number", m.start(), m.end(), mask_id(m.group().upper())
    for m in _ID15.finditer(norm):
        if _id15_ok(m.group(), norm[max(0, m.start() - 12) : m.start()]):
            yield "id_number", m.start(), m.end(), mask_id(m.group())
    for m in _CREDIT.finditer(norm):
        if credit_code_error(m.group()) is None:
            yield (
                "credit_code",
                m.start(),
                m.end(),
                mask_middle(m.group(), keep_start=4, keep_end=4),
            )
    for m in _CARD.finditer(norm):
        digits = _digits(m.group())
        if _luhn_ok(digits) and resident_id_error(digits) is not None:
            yield "bank_card", m.start(), m.end(), mask_middle(digits, keep_start=4, keep_end=4)
    for m in _MOBILE.finditer(norm):
        number = _digits(m.group())[-11:]
        yield "mobile", m.start(), m.end(), mask_middle(number, keep_start=3, keep_end=4)
    for m in _EMAIL.finditer(norm):
        yield "email", m.start(), m.end(), _mask_email(m.group())
    for m in _STAR_MARKING.finditer(norm):
        yield "marking", m.start(), m.end(), m.group()
    for m in _SECRET_WORD.finditer(norm):
        if norm[max(0, m.start() - 2) : m.start()] not in _SECRET_TERMS:
            yield "marking", m.start(), m.end(), m.group()
    for m in _INTERNAL.finditer(norm):
        word = m.group().strip(" \t【[（(】]）)★")
        offset = m.group().index(word)
        yield "marking", m.start() + offset, m.start() + offset + len(word), word
    for m in _ADDRESS.finditer(norm):
        cue = _ADDRESS_CUE.match(m.group())
        start = m.start() + (cue.end() if cue else 0)
        value = norm[start : m.end()].rstrip()
        yield "address", start, start + len(value), re.sub(r"\d", "*", value)


def scan_text(text: str) -> list[Finding]:
    """Findings in ``text``, sorted by start and never overlapping (SEC-4).

    Overlaps are settled by ``PRIORITY``, then by the longer span, then by the earlier start.
    """
    norm = normalise(text)
    rank = {kind: index for index, kind in enumerate(PRIORITY)}
    candidates = sorted(set(_candidates(norm)), key=lambda c: (rank[c[0]], c[1] - c[2], c[1]))
    taken: list[tuple[int, int]] = []
    findings = []
    for kind, start, end, masked in candidates:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        if kind == "marking":
            masked = text[start:end]
        findings.append(Finding(kind, start, end, masked, LABELS[kind]))
    return sorted(findings, key=lambda f: f.start)


def mask_text(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with each finding replaced by its masked form; marking words stay as they are."""
    if findings is None:
        findings = scan_text(text)
    parts = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        parts.append(text[position : finding.start])
        parts.append(
            text[finding.start : finding.end] if finding.kind == "marking" else finding.masked
        )
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def scan_file(filename: str, data: bytes) -> list[Finding]:
    """Findings in the text of an uploaded file; raises ``ExtractionFailed`` if unreadable."""
    return scan_text(extract_text(filename, data))
