"""The tables of the annual report, their labels verbatim, and the report object (RPT-6…RPT-14).

Plain data, no ORM: the builder (``statistics``) fills these from the records, the checker
(``checker``) fills them from a published report, and ``rules`` validates either the same
way. Row and column keys are stable ASCII-ish keys; labels are the national wording.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Style(StrEnum):
    """GEN-2: which format a report follows."""

    F2021 = "2021"  # 国办公开办函〔2021〕30号, reports for 2021 onwards
    F2019 = "2019"  # 国办公开办函〔2019〕60号 (试行), 2019 and 2020
    LEGACY = "legacy"  # 2008–2018: free text after Art. 32 of the 2007 regulations


class Scope(StrEnum):
    """RPT-27: the org itself, or the org and everything below it."""

    SELF = "self"
    SUBTREE = "subtree"


# --- Table 三 (RPT-9) ------------------------------------------------------------------------

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
T3_PARTS = tuple(key for key, _ in T3_COLUMNS if key != "total")
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (key, label, indent level, holds numbers) in printed order. Heading rows hold none.
T3_ROWS_2021: tuple[tuple[str, str, int, bool], ...] = (
    ("一", "一、本年新收政府信息公开申请数量", 0, True),
    ("二", "二、上年结转政府信息公开申请数量", 0, True),
    ("三", "三、本年度办理结果", 0, False),
    ("三(一)", "（一）予以公开", 1, True),
    ("三(二)", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, True),
    ("三(三)", "（三）不予公开", 1, False),
    ("三(三)1", "1.属于国家秘密", 2, True),
    ("三(三)2", "2.其他法律行政法规禁止公开", 2, True),
    ("三(三)3", "3.危及“三安全一稳定”", 2, True),
    ("三(三)4", "4.保护第三方合法权益", 2, True),
    ("三(三)5", "5.属于三类内部事务信息", 2, True),
    ("三(三)6", "6.属于四类过程性信息", 2, True),
    ("三(三)7", "7.属于行政执法案卷", 2, True),
    ("三(三)8", "8.属于行政查询事项", 2, True),
    ("三(四)", "（四）无法提供", 1, False),
    ("三(四)1", "1.本机关不掌握相关政府信息", 2, True),
    ("三(四)2", "2.没有现成信息需要另行制作", 2, True),
    ("三(四)3", "3.补正后申请内容仍不明确", 2, True),
    ("三(五)", "（五）不予处理", 1, False),
    ("三(五)1", "1.信访举报投诉类申请", 2, True),
    ("三(五)2", "2.重复申请", 2, True),
    ("三(五)3", "3.要求提供公开出版物", 2, True),
    ("三(五)4", "4.无正当理由大量反复申请", 2, True),
    ("三(五)5", "5.要求行政机关确认或重新出具已获取信息", 2, True),
    ("三(六)", "（六）其他处理", 1, False),
    ("三(六)1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2, True),
    (
        "三(六)2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        2,
        True,
    ),
    ("三(六)3", "3.其他", 2, True),
    ("三(七)", "（七）总计", 1, True),
    ("四", "四、结转下年度继续办理", 0, True),
)

# RPT-14: the 2019 trial format prints （六）其他处理 as one row with numbers.
T3_ROWS_2019: tuple[tuple[str, str, int, bool], ...] = tuple(
    (key, label, level, key == "三(六)" or numbers)
    for key, label, level, numbers in T3_ROWS_2021
    if not key.startswith("三(六)") or key == "三(六)"
)


def t3_rows(style: Style) -> tuple[tuple[str, str, int, bool], ...]:
    return T3_ROWS_2019 if style == Style.F2019 else T3_ROWS_2021


def t3_result_rows(style: Style) -> tuple[str, ...]:
    """RPT-16: the rows that add up to （七）总计."""
    return tuple(
        key
        for key, _, _, numbers in t3_rows(style)
        if numbers and key.startswith("三(") and key != "三(七)"
    )


# --- Table 四 (RPT-10) -------------------------------------------------------------------------

T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("direct", "行政诉讼·未经复议直接起诉"),
    ("after", "行政诉讼·复议后起诉"),
)
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("maintained", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

# --- Table 二 (RPT-8, RPT-13) ---------------------------------------------------------------------

# (section, row key, label, column keys with labels)
T2_2021: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "第二十条第（一）项",
        "rules",
        "规章",
        (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
    ),
    (
        "第二十条第（一）项",
        "normative",
        "行政规范性文件",
        (("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
    ),
    ("第二十条第（五）项", "licensing", "行政许可", (("decisions", "本年处理决定数量"),)),
    ("第二十条第（六）项", "penalty", "行政处罚", (("decisions", "本年处理决定数量"),)),
    ("第二十条第（六）项", "coercion", "行政强制", (("decisions", "本年处理决定数量"),)),
    ("第二十条第（八）项", "fees", "行政事业性收费", (("amount", "本年收费金额（单位：万元）"),)),
)

SECTIONS_2021 = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
SECTIONS_LEGACY = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、政府信息依申请公开情况",
    "四、政府信息公开收费及减免情况",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "六、存在的主要问题及整改措施",
)

Number = int | Decimal | None  # None: a cell that could not be read (never a silent 0)


@dataclass
class Tables:
    """Table 二, 三 and 四 of one report: ``t3[row][column]``, ``t4[group][column]``,
    ``t2[row][column]``. A missing key means the cell was not in the report."""

    style: Style
    t2: dict[str, dict[str, Number]] = field(default_factory=dict)
    t3: dict[str, dict[str, Number]] = field(default_factory=dict)
    t4: dict[str, dict[str, Number]] = field(default_factory=dict)


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """One figure of the legacy (pre-2019) report or of section texts, with where it came from."""

    key: str  # e.g. "applications.channel.in_person"
    label: str  # e.g. "当面申请"
    value: Number
    unit: str = "件"
    source: str = "records"  # "records" or the source note of an external figure


@dataclass
class AnnualReport:
    """Everything a report says, computed once and rendered many ways (STYLE habit 10)."""

    org_name: str
    year: int
    style: Style
    scope: Scope
    title: str
    preamble: list[str]
    sections: list[Section]
    tables: Tables
    figures: list[Figure] = field(default_factory=list)
    issuer: str = ""
    published_on: str = ""  # ISO date, set when published


@dataclass(frozen=True)
class Finding:
    """One problem a validator found (issue 4 §3): rule id, severity, where, stated vs expected."""

    rule: str
    severity: str  # "error" or "warning"
    message: str
    table: str = ""
    row: str = ""
    column: str = ""
    stated: str = ""
    expected: str = ""
    quote: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "stated": self.stated,
            "expected": self.expected,
            "quote": self.quote,
        }
