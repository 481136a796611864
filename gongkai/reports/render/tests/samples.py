"""Hand-made reports for renderer tests: a 2021-format report with T-RPT-1's numbers, and a
legacy one. Plain dataclasses — no database."""

from decimal import Decimal

from gongkai.reports.tables import (
    SECTIONS_2021,
    SECTIONS_LEGACY,
    T3_COLUMNS,
    AnnualReport,
    Figure,
    Scope,
    Section,
    Style,
    Tables,
    t3_rows,
)

# T-RPT-1 (RULES §9): 自然人 新收10 结转2 …; 商业企业 新收3 …; every other cell 0.
T_RPT_1 = {
    "一": {"person": 10, "commercial": 3},
    "二": {"person": 2},
    "三(一)": {"person": 5, "commercial": 2},
    "三(二)": {"person": 1},
    "三(三)4": {"person": 1},
    "三(四)1": {"person": 2},
    "三(五)2": {"person": 1},
    "三(六)1": {"person": 1},
    "三(七)": {"person": 11, "commercial": 2},
    "四": {"person": 1, "commercial": 1},
}


def table3(cells: dict, style: Style = Style.F2021) -> dict:
    t3 = {}
    for key, _, _, numbers in t3_rows(style):
        if numbers:
            row = {col: cells.get(key, {}).get(col, 0) for col, _ in T3_COLUMNS if col != "total"}
            t3[key] = row | {"total": sum(row.values())}
    return t3


def report_2021(**overrides) -> AnnualReport:
    tables = Tables(
        style=Style.F2021,
        t2={
            "rules": {"made": 0, "repealed": 0, "in_force": 3},
            "normative": {"made": 4, "repealed": 1, "in_force": 27},
            "licensing": {"decisions": 1520},
            "penalty": {"decisions": 86},
            "coercion": {"decisions": 0},
            "fees": {"amount": Decimal("12.3456")},
        },
        t3=table3(T_RPT_1),
        t4={
            "reconsideration": {
                "maintained": 1,
                "corrected": 0,
                "other": 0,
                "pending": 1,
                "total": 2,
            },
            "direct": {"maintained": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
            "after": {"maintained": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        },
    )
    sections = [Section(title) for title in SECTIONS_2021]
    sections[0].paragraphs = [
        "2021年，市自然资源和规划局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "（一）主动公开。全年主动公开政府信息1234条。",
    ]
    sections[2].paragraphs = ["本年新收政府信息公开申请13件，上年结转2件。"]
    sections[4].paragraphs = ["一是公开内容还不够全面；二是解读形式较为单一。"]
    sections[5].paragraphs = ["本年度未收取信息处理费。"]
    report = AnnualReport(
        org_name="绵阳市自然资源和规划局",
        year=2021,
        style=Style.F2021,
        scope=Scope.SELF,
        title="绵阳市自然资源和规划局2021年政府信息公开工作年度报告",
        preamble=[
            "本报告根据《中华人民共和国政府信息公开条例》编制。",
            "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。",
        ],
        sections=sections,
        tables=tables,
        figures=[
            Figure("applications.channel.in_person", "当面申请", 6),
            Figure("applications.channel.online", "网络申请", 5),
            Figure("applications.channel.letter", "信函申请", 2),
            Figure("trend.received.2019", "2019年新收申请", 9),
            Figure("trend.received.2020", "2020年新收申请", 12),
        ],
        issuer="绵阳市自然资源和规划局",
        published_on="2022-01-20",
    )
    for key, value in overrides.items():
        setattr(report, key, value)
    return report


def report_legacy() -> AnnualReport:
    sections = [Section(title) for title in SECTIONS_LEGACY]
    sections[0].paragraphs = ["2017年，全市各级各部门认真贯彻落实《条例》。"]
    sections[2].paragraphs = ["全年共受理政府信息公开申请456件。"]
    return AnnualReport(
        org_name="绵阳市人民政府",
        year=2017,
        style=Style.LEGACY,
        scope=Scope.SUBTREE,
        title="绵阳市2017年政府信息公开工作年度报告",
        preamble=["本报告由绵阳市人民政府办公室编制。"],
        sections=sections,
        tables=Tables(style=Style.LEGACY),
        figures=[
            Figure("proactive.total", "主动公开政府信息数", 327899, "条"),
            Figure("applications.received", "收到申请数", 456),
            Figure("applications.channel.in_person", "当面申请数", 272),
            Figure("applications.channel.online", "网络申请数", 122),
            Figure("applications.channel.letter", "信函申请数", 59),
            Figure("applications.channel.fax", "传真申请数", 3),
            Figure("reconsideration.total", "行政复议数量", 51),
            Figure("fees.total", "依申请公开信息收取的费用", Decimal("0"), "万元"),
        ],
        issuer="绵阳市人民政府办公室",
        published_on="2018-03-15",
    )
