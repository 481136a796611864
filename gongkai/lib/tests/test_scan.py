"""SEC-4: the sensitive-data scan, one table per rule, true and false positives each."""

import pytest

from gongkai.lib.scan import Finding, mask_text, scan_text


def found(text):
    return [(f.kind, text[f.start : f.end], f.masked) for f in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        # GB 11643: valid birth date and check digit
        (
            "身份证号510102199003071234。",
            [("id_number", "510102199003071234", "5101**********1234")],
        ),
        ("11010519491231002X", [("id_number", "11010519491231002X", "1101**********002X")]),
        ("11010519491231002x", [("id_number", "11010519491231002x", "1101**********002X")]),
        ("440304200002291236", [("id_number", "440304200002291236", "4403**********1236")]),
        # full-width digits match; offsets stay on the original text
        (
            "号码：５１０１０２１９９００３０７１２３４",
            [("id_number", "５１０１０２１９９００３０７１２３４", "5101**********1234")],
        ),
        # wrong check digit, impossible birth date: not an ID number
        ("文号510102199003071230", []),
        ("510102199002301233", []),
        # inside a longer run of digits or letters
        ("A510102199003071234", []),
        ("5101021990030712345", []),
        # 15-digit first-generation numbers: only after an ID cue, with a valid date
        ("身份证号510102900307123", [("id_number", "510102900307123", "5101*******7123")]),
        ("编号510102900307123", []),
        ("身份证号510102901307123", []),
    ),
)
def test_scan_id_number_follows_gb_11643(text, expected):
    assert [f for f in found(text) if f[0] == "id_number"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("电话13812345678", [("mobile", "13812345678", "138****5678")]),
        ("电话 138 1234 5678 。", [("mobile", "138 1234 5678", "138****5678")]),
        ("电话138-1234-5678", [("mobile", "138-1234-5678", "138****5678")]),
        ("+86 19912345678", [("mobile", "+86 19912345678", "199****5678")]),
        ("008613912345678", [("mobile", "008613912345678", "139****5678")]),
        ("１３８１２３４５６７８", [("mobile", "１３８１２３４５６７８", "138****5678")]),
        # second digit 0–2 is no mobile prefix
        ("12812345678", []),
        # inside a longer run of digits
        ("13812345678901", []),
        ("913812345678", []),
        # a fixed line with area code
        ("电话0816-2345678", []),
    ),
)
def test_scan_mobile_is_eleven_digits_starting_13_to_19(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("卡号6222021234567890128", [("bank_card", "6222021234567890128", "6222***********0128")]),
        ("卡号6217 0012 3456 7893", [("bank_card", "6217 0012 3456 7893", "6217********7893")]),
        ("卡号6217-0012-3456-7893", [("bank_card", "6217-0012-3456-7893", "6217********7893")]),
        # Luhn fails
        ("卡号6217001234567894", []),
        # 15 digits is too short, 20 too long
        ("621700123456789", []),
        ("62220212345678901284", []),
        # a valid ID number is never also a bank card
        ("510102199003071234", [("id_number", "510102199003071234", "5101**********1234")]),
    ),
)
def test_scan_bank_card_is_16_to_19_digits_passing_luhn(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("代码91510703MA62B1234D", [("credit_code", "91510703MA62B1234D", "9151**********234D")]),
        ("11510700008507890D", [("credit_code", "11510700008507890D", "1151**********890D")]),
        # wrong check character
        ("91510703MA62B1234E", []),
        # lower case is not a credit code
        ("91510703ma62b1234d", []),
        # inside a longer code
        ("X91510703MA62B1234D", []),
    ),
)
def test_scan_credit_code_follows_gb_32100(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("邮箱zhang.san@example.com。", [("email", "zhang.san@example.com", "z***@example.com")]),
        (
            "a_b+c@mail.my-city.gov.cn",
            [("email", "a_b+c@mail.my-city.gov.cn", "a***@mail.my-city.gov.cn")],
        ),
        ("foo@bar", []),
        ("@example.com", []),
    ),
)
def test_scan_email(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        # road + number + dwelling part
        (
            "家住涪城区临园路东段45号富乐山庄12幢3单元402室。",
            [
                (
                    "address",
                    "涪城区临园路东段45号富乐山庄12幢3单元402室",
                    "涪城区临园路东段**号富乐山庄**幢*单元***室",
                )
            ],
        ),
        ("住址为长江路12号3-2-501", [("address", "长江路12号3-2-501", "长江路**号*-*-***")]),
        ("剑南路二段3号6楼", [("address", "剑南路二段3号6楼", "剑南路二段*号*楼")]),
        # estate + building + unit/room
        ("阳光花园5栋1单元302", [("address", "阳光花园5栋1单元302", "阳光花园*栋*单元***")]),
        # an office with a room number is listed too: the rule cannot tell a home from an office
        (
            "天府大道1700号环球中心1201室",
            [("address", "天府大道1700号环球中心1201室", "天府大道****号环球中心****室")],
        ),
        # a bare road and number is an office or shop address
        ("办公地址：绵阳市涪城区锦城大道366号", []),
        ("长江路12号，邮编621000", []),
        # a building without road or estate
        ("综合楼3楼会议室", []),
    ),
)
def test_scan_address_needs_road_and_dwelling_part(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("绝密", ["绝密"]),
        ("机密文件", ["机密"]),
        ("本文件属秘密", ["秘密"]),
        ("秘密★1年", ["秘密★1年"]),
        ("机密★长期", ["机密★长期"]),
        ("绝密 ★ 十年", ["绝密 ★ 十年"]),
        ("秘密★１０年", ["秘密★１０年"]),
        ("内部资料 注意保存", ["内部资料"]),
        ("内部文件", ["内部文件"]),
        ("仅供内部参考", ["仅供内部参考"]),
        ("【内部】\n正文", ["内部"]),
        ("标题\n内部\n", ["内部"]),
        # legal terms and ordinary words
        ("保守国家秘密", []),
        ("不得公开涉及商业秘密的信息", []),
        ("保守工作秘密", []),
        ("保守秘密", []),
        ("加强内部控制和内部审计", []),
        ("机关内部管理", []),
    ),
)
def test_scan_marking_words(text, expected):
    assert [f[1] for f in found(text) if f[0] == "marking"] == expected


def test_scan_returns_findings_sorted_and_not_overlapping():
    text = (
        "张三，身份证号510102199003071234，手机 +86 138-1234-5678，"
        "卡号 6217 0012 3456 7893，住长江路12号3栋2单元501室。秘密★1年"
    )

    findings = scan_text(text)

    assert [(f.kind, f.start, f.end) for f in findings] == [
        ("id_number", 7, 25),
        ("mobile", 29, 46),
        ("bank_card", 50, 69),
        ("address", 71, 86),
        ("marking", 87, 92),
    ]
    assert findings[0] == Finding("id_number", 7, 25, "5101**********1234", "居民身份证号码")


def test_mask_text_replaces_each_finding_and_keeps_markings():
    text = "秘密★1年\n联系人电话１３８１２３４５６７８，身份证510102199003071234。"

    assert mask_text(text) == "秘密★1年\n联系人电话138****5678，身份证5101**********1234。"


def test_mask_text_uses_the_findings_given():
    text = "电话13812345678，邮箱a@b.cn"
    only_phone = [f for f in scan_text(text) if f.kind == "mobile"]

    assert mask_text(text, only_phone) == "电话138****5678，邮箱a@b.cn"


def test_scan_text_of_clean_text_is_empty():
    assert scan_text("绵阳市2017年政府信息公开工作年度报告，共收到申请456件。") == []
