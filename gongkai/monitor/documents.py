"""Rectification notices (整改通知书, DOCX) and the supervisor's workbook (XLSX)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.monitor.models import Run, Site

TITLE_FONT = "Noto Serif CJK SC"  # the CJK fonts the server has (fonts-noto-cjk)
BODY_FONT = "Noto Serif CJK SC"


def _fonts(element, font: str) -> None:
    """Set Latin and East-Asian fonts explicitly: Word ignores CJK text otherwise."""
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)


def _para(doc, text: str, *, size=16, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    _fonts(run._r, TITLE_FONT if bold else BODY_FONT)
    return paragraph


def rectification_notice(site: Site, run: Run, *, today: date, days: int = 15) -> bytes:
    """整改通知书 for a site's latest run: the vetoes and findings with their evidence."""
    doc = Document()
    _fonts(doc.styles["Normal"].element, BODY_FONT)
    _para(doc, "政府网站整改通知书", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"{site.org.name}：")
    verdict = (
        f"单项否决（{'、'.join(run.veto)}），判定为不合格" if run.veto else f"得分{run.score}分"
    )
    _para(
        doc,
        f"经{run.point.year}年{run.point.month}月{run.point.day}日监测，你单位主办的"
        f"“{site.name}”（{site.url}）{verdict}。现将发现的问题通知如下，请于收到本通知之日起"
        f"{days}日内完成整改，并将整改情况书面报送。",
        indent=True,
    )
    findings = [f for f in run.findings.all() if not f.dismissed and f.kind != "notice"]
    findings += [f for f in run.findings.all() if not f.dismissed and f.kind == "notice"]
    for number, finding in enumerate(findings[:60], start=1):
        _para(doc, f"{number}. 〔{finding.rule}〕{finding.detail}（{finding.url}）", indent=True)
    if not findings:
        _para(doc, "本次监测未发现问题。", indent=True)
    _para(doc, f"{today.year}年{today.month}月{today.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


HEADERS = (
    "网站名称",
    "首页网址",
    "主办单位",
    "网站类型",
    "状态",
    "监测时间点",
    "指标体系",
    "得分",
    "单项否决",
    "睡眠/僵尸",
    "可用性失败率",
    "未更新栏目数",
    "空白栏目数",
)


def supervisor_workbook(sites: list[Site], latest: dict[int, Run]) -> bytes:
    """One row per site with its latest judgement (the supervisor's export)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "网站检查结果"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for site in sites:
        run = latest.get(site.pk)
        sheet.append(
            [
                site.name,
                site.url,
                site.org.name,
                site.get_site_type_display(),
                site.get_status_display(),
                run.point if run else None,
                run.indicators if run else "",
                float(run.score) if run and run.score is not None else None,
                "、".join(run.veto) if run else "",
                run.get_flag_display() if run and run.flag else "",
                run.availability.get("percent", "") if run else "",
                len(run.stale_columns) if run else None,
                len(run.blank_columns) if run else None,
            ]
        )
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLM", (28, 30, 28, 12, 8, 12, 10, 8, 14, 10, 12, 12, 10), strict=False
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
