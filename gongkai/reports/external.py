"""Figures that live in other government systems, entered per org and year with their source.

行政许可/处罚/强制 decisions, 收费金额, 行权平台 figures, hotline volumes, mailbox letters …
are facts of systems Gongkai does not run (issue 4 §2). Staff enter them by form
(``set_figure``) or XLSX (``import_xlsx``, all or nothing); every one keeps its source note
and every change is audited. Proactive-disclosure counts (规章, 规范性文件, published items)
are entered here too until the catalog app records them itself.
"""

import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.orgs.models import Org, User
from gongkai.reports.models import ExternalFigure
from gongkai.reports.tables import Figure

# key → (中文名称, 单位). Order is the order of the XLSX template.
FIGURES: dict[str, tuple[str, str]] = {
    # 表二 (RPT-8), 2021 format; the 处理决定数量 rows serve the 2019 format as well.
    "t2.rules.made": ("规章·本年制发件数", "件"),
    "t2.rules.repealed": ("规章·本年废止件数", "件"),
    "t2.rules.in_force": ("规章·现行有效件数", "件"),
    "t2.normative.made": ("行政规范性文件·本年制发件数", "件"),
    "t2.normative.repealed": ("行政规范性文件·本年废止件数", "件"),
    "t2.normative.in_force": ("行政规范性文件·现行有效件数", "件"),
    "t2.licensing.decisions": ("行政许可·本年处理决定数量", "件"),
    "t2.penalty.decisions": ("行政处罚·本年处理决定数量", "件"),
    "t2.coercion.decisions": ("行政强制·本年处理决定数量", "件"),
    "t2.fees.amount": ("行政事业性收费·本年收费金额", "万元"),
    # 表二 (RPT-13), 2019 trial format.
    "t2_2019.rules.new_made": ("规章·本年新制作数量", "件"),
    "t2_2019.rules.new_published": ("规章·本年新公开数量", "件"),
    "t2_2019.rules.total_public": ("规章·对外公开总数量", "件"),
    "t2_2019.normative.new_made": ("规范性文件·本年新制作数量", "件"),
    "t2_2019.normative.new_published": ("规范性文件·本年新公开数量", "件"),
    "t2_2019.normative.total_public": ("规范性文件·对外公开总数量", "件"),
    "t2_2019.licensing.prev_items": ("行政许可·上一年项目数量", "项"),
    "t2_2019.licensing.change": ("行政许可·本年增/减", "项"),
    "t2_2019.other_services.prev_items": ("其他对外管理服务事项·上一年项目数量", "项"),
    "t2_2019.other_services.change": ("其他对外管理服务事项·本年增/减", "项"),
    "t2_2019.other_services.decisions": ("其他对外管理服务事项·处理决定数量", "件"),
    "t2_2019.penalty.prev_items": ("行政处罚·上一年项目数量", "项"),
    "t2_2019.penalty.change": ("行政处罚·本年增/减", "项"),
    "t2_2019.coercion.prev_items": ("行政强制·上一年项目数量", "项"),
    "t2_2019.coercion.change": ("行政强制·本年增/减", "项"),
    "t2_2019.fees.prev_items": ("行政事业性收费·上一年项目数量", "项"),
    "t2_2019.fees.change": ("行政事业性收费·本年增/减", "项"),
    "t2_2019.procurement.count": ("政府集中采购·采购项目数量", "项"),
    "t2_2019.procurement.amount": ("政府集中采购·采购总金额", "万元"),
    # Proactive disclosure by the seed's categories (RPT-23), until the catalog counts them.
    "published.total": ("主动公开政府信息数", "条"),
    "published.overview": ("概况信息", "条"),
    "published.plans": ("计划总结信息", "条"),
    "published.normative": ("规范性文件信息", "条"),
    "published.news": ("工作动态信息", "条"),
    "published.personnel": ("公选公招、人事任免、公务员考录等人事信息", "条"),
    "published.finance": ("财政信息", "条"),
    "published.enforcement": ("行政执法信息", "条"),
    "published.other": ("其他信息", "条"),
    "portal.visits": ("政务网站全年访问量", "万次"),
    "portal.disclosure_visits": ("政务公开栏访问量", "万人次"),
    "english.items": ("英文网站加载译文信息", "条"),
    "newmedia.posts": ("政务微信、微博发布政务资讯、服务信息", "条"),
    "newmedia.activities": ("其中：重大活动、政务工作类", "条"),
    "newmedia.policy": ("其中：新政宣传、政策解读类", "条"),
    "newmedia.progress": ("其中：工作进展、经验交流类", "条"),
    "provincial.submitted": ("向省政府网站报送信息", "条"),
    "provincial.adopted": ("被省政府网站采用信息", "条"),
    "corrections.closed": ("网民纠错意见审核办结", "件"),
    "bulletins.issues": ("刊发政务要情", "期"),
    "gazette.issues": ("编发政府公报", "期"),
    # Interaction (MBX), until the interaction app records letters and calls.
    "mailbox.letters": ("书记市长信箱接收信件", "件"),
    "mailbox.replies": ("书记市长信箱回复来信", "件"),
    "hotline.calls": ("市长公开电话受理", "万件"),
    "hotline.closed_rate": ("市长公开电话办结率", "%"),
    "hotline.satisfaction": ("市长公开电话满意率", "%"),
    "npc.suggestions": ("办理人大建议", "件"),
    "npc.closed": ("人大建议办结", "件"),
    "cppcc.proposals": ("办理政协提案", "件"),
    "cppcc.closed": ("政协提案办结", "件"),
    # Websites (MON), until the monitor app keeps the registry.
    "websites.total": ("政府网站", "家"),
    "websites.city_portal": ("其中：市级门户网站", "家"),
    "websites.city_departments": ("其中：市级部门网站", "家"),
    "websites.county_portals": ("其中：县市区门户网站", "家"),
    # Random inspections (RND), until the inspections app keeps the lists.
    "inspection.items": ("随机抽查事项清单", "项"),
    # 行权平台 and the provincial service platform.
    "power.items": ("行权事项总数", "项"),
    "power.online": ("行权事项网上运行", "项"),
    "power.online_rate": ("行权事项网上运行率", "%"),
    "claimed.total": ("认领行政权力事项和公共服务事项", "项"),
    "claimed.licensing": ("其中：行政许可", "项"),
    "claimed.other_power": ("其中：行政处罚等9类行政权力", "项"),
    "claimed.public_service": ("其中：公共服务", "项"),
}

# Figures that may go down from one year to the next (RPT-13 本年增/减).
SIGNED = frozenset(key for key in FIGURES if key.endswith(".change"))
# Whole numbers only; 万件, 万元, % and the like may have decimals.
WHOLE_UNITS = frozenset({"件", "条", "项", "家", "期", "个", "次", "人次"})
PLACES = 4  # RPT-19: 万元 with at most 4 decimals; the column's scale


def is_additive(key: str) -> bool:
    """Rates are not added up over a subtree (RPT-27); counts and amounts are."""
    return FIGURES[key][1] != "%"


class FigureInvalid(Exception):
    """``errors`` maps field names to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


class ExternalImportError(Exception):
    """An XLSX import that wrote nothing; ``errors`` are line-numbered Chinese messages."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- Values -----------------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def parse_value(raw) -> Decimal:
    """A number as typed or stored in a cell: full-width digits and thousands separators pass.

    Raises ``ValueError`` with a Chinese message for anything else (never a silent 0).
    """
    if isinstance(raw, bool):
        raise ValueError("数值不是数字")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = str(raw).strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"“{raw}”不是数字")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern rules it out
        raise ValueError(f"“{raw}”不是数字") from error


def value_errors(key: str, value: Decimal) -> str | None:
    unit = FIGURES[key][1]
    if value < 0 and key not in SIGNED:
        return "数值不能为负数"
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        return f"单位为“{unit}”的数值应为整数"
    if -value.normalize().as_tuple().exponent > PLACES:
        return f"数值最多保留{PLACES}位小数"
    if abs(value) >= Decimal(10) ** (18 - PLACES):
        return "数值过大"
    return None


def plain(value: Decimal) -> int | Decimal:
    """An int for whole numbers, else the Decimal without trailing zeros (20.3700 → 20.37)."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


# --- Service -------------------------------------------------------------------------------------


def _errors(org: Org | None, year, key: str, value, source: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if org is None:
        errors["org"] = "请选择机关"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "年度应为2000至2100之间的四位数字"
    if key not in FIGURES:
        errors["key"] = f"未知的指标代码“{key}”"
    elif isinstance(value, Decimal) and (problem := value_errors(key, value)):
        errors["value"] = problem
    if not source.strip():
        errors["source"] = "请写明数据来源（系统名称、统计口径或文件）"
    elif len(source.strip()) > 300:
        errors["source"] = "来源说明不能超过300字"
    return errors


@transaction.atomic
def set_figure(
    org: Org,
    year: int,
    key: str,
    value,
    *,
    source: str,
    by: User | None,
    at: datetime | None = None,
) -> ExternalFigure:
    """Enter or correct one figure (``FIGURES[key]``) of ``org`` for ``year``, with its source.

    Raises ``FigureInvalid``. Entering what is already stored changes nothing and writes no
    audit entry.
    """
    try:
        value = parse_value(value)
    except ValueError as error:
        raise FigureInvalid({"value": str(error)}) from error
    errors = _errors(org, year, key, value, source)
    if errors:
        raise FigureInvalid(errors)
    source = source.strip()
    figure = ExternalFigure.objects.select_for_update().filter(org=org, year=year, key=key).first()
    old = figure.value if figure else None
    if figure and figure.value == value and figure.source == source:
        return figure
    if figure is None:
        figure = ExternalFigure(org=org, year=year, key=key)
    figure.value, figure.unit, figure.source = value, FIGURES[key][1], source
    figure.entered_by, figure.entered_at = by, at or timezone.now()
    figure.save()
    record(
        "reports.set_figure",
        actor=by,
        obj=figure,
        summary={
            "org": org.pk,
            "year": year,
            "key": key,
            "old": str(plain(old)) if old is not None else None,
            "new": str(plain(value)),
            "source": source,
        },
    )
    return figure


@transaction.atomic
def remove_figure(org: Org, year: int, key: str, *, by: User | None) -> bool:
    """Delete one figure (entered by mistake); returns whether there was one."""
    figure = ExternalFigure.objects.select_for_update().filter(org=org, year=year, key=key).first()
    if figure is None:
        return False
    record(
        "reports.remove_figure",
        actor=by,
        obj=figure,
        summary={"org": org.pk, "year": year, "key": key, "old": str(plain(figure.value))},
    )
    figure.delete()
    return True


# --- Reading for a report ----------------------------------------------------------------------------


def figures(orgs: QuerySet[Org], year: int, *, root: Org) -> dict[str, Figure]:
    """The external figures of ``orgs`` for ``year``, consolidated (RPT-27). One query.

    Counts and amounts are added up over the orgs. A rate (unit %) is never added: it is
    the value entered for ``root``, or the single value entered in the subtree, else left
    out. The source note is the one note, or says how many orgs entered the figure.
    """
    rows = (
        ExternalFigure.objects.filter(org__in=orgs, year=year)
        .values("key")
        .annotate(
            total=Sum("value"),
            n=Count("id"),
            root_value=Max("value", filter=Q(org=root)),
            any_value=Max("value"),
            first=Min("source"),
            last=Max("source"),
        )
        .order_by()
    )
    found: dict[str, Figure] = {}
    for row in rows:
        key = row["key"]
        if key not in FIGURES:
            continue
        label, unit = FIGURES[key]
        if is_additive(key):
            value = row["total"]
        elif row["root_value"] is not None:
            value = row["root_value"]
        elif row["n"] == 1:
            value = row["any_value"]
        else:
            continue
        source = row["first"] if row["first"] == row["last"] else f"{row['n']}个机关填报，来源各异"
        found[key] = Figure(key, label, plain(Decimal(value)), unit, source)
    return {key: found[key] for key in FIGURES if key in found}


# --- XLSX ------------------------------------------------------------------------------------------

HEADERS = ("机关", "年度", "指标代码", "指标名称", "数值", "单位", "来源说明")
REQUIRED_HEADERS = ("机关", "年度", "数值", "来源说明")
SHEET = "外部数据"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def template_xlsx(*, org: Org | None = None, year: int | None = None) -> bytes:
    """A blank XLSX to fill in: one row per known figure, with its code, name and unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for key, (label, unit) in FIGURES.items():
        sheet.append([org.name if org else None, year, key, label, None, unit, None])
    for column, width in zip("ABCDEFG", (28, 8, 34, 40, 14, 8, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    for line in (
        "填写“数值”和“来源说明”两列；未填数值的行不导入（不按0处理）。",
        "“机关”填机关全称（或唯一的简称），“年度”填四位数字。",
        "“指标代码”与“指标名称”任填其一即可；“单位”如填写，须与模板一致。",
        "“来源说明”写明数据所在系统、统计口径或文件，例如“市行权平台2017年度统计”。",
        "导入时逐行检查，任何一行有错则全部不导入，并列出出错的行号。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _org_lookup() -> tuple[dict[str, Org], dict[str, list[Org]]]:
    orgs = list(Org.objects.all())
    by_short: dict[str, list[Org]] = {}
    for org in orgs:
        if org.short_name:
            by_short.setdefault(org.short_name, []).append(org)
    return {org.name: org for org in orgs}, by_short


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _read_rows(file) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ExternalImportError([f"无法读取XLSX文件：{error.__class__.__name__}"]) from error
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise ExternalImportError(["第1行：文件为空，缺少表头"])
    columns = {_text(name): i for i, name in enumerate(rows[0]) if _text(name)}
    missing = [name for name in REQUIRED_HEADERS if name not in columns]
    if "指标代码" not in columns and "指标名称" not in columns:
        missing.append("指标代码")
    if missing:
        raise ExternalImportError([f"第1行：缺少“{name}”列" for name in missing])
    return columns, list(enumerate(rows[1:], start=2))


def import_xlsx(file, *, by: User | None, allowed: QuerySet[Org] | None = None) -> ImportResult:
    """Import figures from an XLSX laid out like ``template_xlsx``: all rows or none.

    Rows without a value are skipped (not entered is not zero). ``allowed`` limits the orgs a
    row may name (staff: their subtree). Raises ``ExternalImportError`` listing every bad row
    by its line number; then nothing is written.
    """
    columns, rows = _read_rows(file)
    by_name, by_short = _org_lookup()
    allowed_ids = None if allowed is None else set(allowed.values_list("pk", flat=True))
    by_label = {label: key for key, (label, _) in FIGURES.items()}
    errors: list[str] = []
    seen: dict[tuple[int, int, str], int] = {}
    good: list[tuple[Org, int, str, Decimal, str]] = []

    def cell(row: tuple, name: str):
        i = columns.get(name)
        return row[i] if i is not None and i < len(row) else None

    for line, row in rows:
        raw_value = cell(row, "数值")
        if all(_text(v) == "" for v in row) or _text(raw_value) == "":
            continue
        problems: list[str] = []
        name = _text(cell(row, "机关"))
        org = by_name.get(name)
        if org is None and len(by_short.get(name, [])) == 1:
            org = by_short[name][0]
        if not name:
            problems.append("未填机关")
        elif org is None:
            problems.append(f"机关“{name}”不存在")
        elif allowed_ids is not None and org.pk not in allowed_ids:
            problems.append(f"无权填报机关“{name}”的数据（仅限本机关及下级机关）")
        try:
            year = int(parse_value(cell(row, "年度")))
            if not 2000 <= year <= 2100:
                raise ValueError
        except (ValueError, TypeError):
            year = None
            problems.append(f"年度“{_text(cell(row, '年度'))}”应为四位数字")
        key = _text(cell(row, "指标代码")) or by_label.get(_text(cell(row, "指标名称")), "")
        if key not in FIGURES:
            shown = _text(cell(row, "指标代码")) or _text(cell(row, "指标名称"))
            problems.append(f"未知的指标“{shown}”")
        try:
            value = parse_value(raw_value)
        except ValueError as error:
            value = None
            problems.append(f"数值{error}")
        if key in FIGURES and value is not None and (problem := value_errors(key, value)):
            problems.append(problem)
        unit = _text(cell(row, "单位"))
        if key in FIGURES and unit and unit != FIGURES[key][1]:
            problems.append(f"单位应为“{FIGURES[key][1]}”，表中为“{unit}”")
        source = _text(cell(row, "来源说明"))
        if not source:
            problems.append("未填来源说明")
        elif len(source) > 300:
            problems.append("来源说明不能超过300字")
        if org is not None and year is not None and key in FIGURES:
            first = seen.setdefault((org.pk, year, key), line)
            if first != line:
                problems.append(f"与第{first}行重复（同一机关、年度、指标）")
        if problems:
            errors.append(f"第{line}行：" + "；".join(problems))
        else:
            good.append((org, year, key, value, source))
    if errors:
        raise ExternalImportError(errors)
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (f.org_id, f.year, f.key): (f.value, f.source)
            for f in ExternalFigure.objects.filter(
                org__in=[org for org, *_ in good], year__in={year for _, year, *_ in good}
            )
        }
        for org, year, key, value, source in good:
            before = existing.get((org.pk, year, key))
            if before == (value, source):
                unchanged += 1
                continue
            set_figure(org, year, key, value, source=source, by=by)
            created, updated = (created + 1, updated) if before is None else (created, updated + 1)
        record(
            "reports.import_external",
            actor=by,
            summary={"created": created, "updated": updated, "unchanged": unchanged},
        )
    return ImportResult(created, updated, unchanged)
