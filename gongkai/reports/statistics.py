"""A year's statistics as aggregate queries over the facts (REQ-28, REQ-29, REQ-30, RPT-27).

Nothing is counted as it happens: every number is a ``GROUP BY`` over the records for an
org set and a year, at build time (DESIGN.md principle 1). ``collect`` runs a fixed
number of queries whatever the number of rows; the rest of this module turns its result
into the national tables (``tables_for``) and the figures of the reports (``figures_for``).

Year attribution (REQ-28):

- 新收 = 收到申请之日 in the year. An arrival still awaiting confirmation has no
  收到申请之日 and is not counted anywhere (REQ-5, REQ-7).
- 本年度办理结果 = closed in the year: ``closed_on`` is the day the reply was delivered
  (``DELIVER`` sets ``replied_on = closed_on``) or the day of withdrawal or abandonment.
  A decision made but not yet delivered is still open.
- 结转下年度 = received by 12-31 and not closed by 12-31; 上年结转 is the same for the
  year before, so RPT-17 (一 + 二 = 三(七) + 四) holds by construction.
- A transferred application counts only at the org that holds it now: the transfer
  service moves ``Application.org`` to the receiving org (RPT-27).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from gongkai.applications.enums import Channel, Decision
from gongkai.applications.models import Application, FeeNotice
from gongkai.applications.rules import TABLE3_ROW
from gongkai.orgs.models import Org
from gongkai.orgs.queries import subtree
from gongkai.reports import external, recorded
from gongkai.reports.tables import (
    T2_2021,
    T3_PARTS,
    T4_COLUMNS,
    T4_GROUPS,
    Figure,
    Number,
    Scope,
    Style,
    Tables,
    t3_result_rows,
    t3_rows,
)

# RPT-13: table 二 of the 2019 trial format, in the shape of ``tables.T2_2021``.
# (Belongs in ``tables.py`` beside T2_2021; kept here until that file takes it.)
T2_2019: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "第二十条第（一）项",
        "rules",
        "规章",
        (
            ("new_made", "本年新制作数量"),
            ("new_published", "本年新公开数量"),
            ("total_public", "对外公开总数量"),
        ),
    ),
    (
        "第二十条第（一）项",
        "normative",
        "规范性文件",
        (
            ("new_made", "本年新制作数量"),
            ("new_published", "本年新公开数量"),
            ("total_public", "对外公开总数量"),
        ),
    ),
    *(
        (
            section,
            row,
            label,
            (
                ("prev_items", "上一年项目数量"),
                ("change", "本年增/减"),
                ("decisions", "处理决定数量"),
            ),
        )
        for section, row, label in (
            ("第二十条第（五）项", "licensing", "行政许可"),
            ("第二十条第（五）项", "other_services", "其他对外管理服务事项"),
            ("第二十条第（六）项", "penalty", "行政处罚"),
            ("第二十条第（六）项", "coercion", "行政强制"),
        )
    ),
    (
        "第二十条第（八）项",
        "fees",
        "行政事业性收费",
        (("prev_items", "上一年项目数量"), ("change", "本年增/减")),
    ),
    (
        "第二十条第（九）项",
        "procurement",
        "政府集中采购",
        (("count", "采购项目数量"), ("amount", "采购总金额")),
    ),
)

# REQ-4: the seed's four channels; e-mail is 网络在线填报 (the seed's online system was not open yet).
LEGACY_CHANNELS: tuple[tuple[str, str, tuple[Channel, ...]], ...] = (
    ("in_person", "当面申请", (Channel.IN_PERSON,)),
    ("online", "网络在线填报申请", (Channel.ONLINE, Channel.EMAIL)),
    ("post", "信函邮寄申请", (Channel.POST_SIGNED, Channel.POST_PLAIN)),
    ("fax", "传真申请", (Channel.FAX,)),
    ("other", "其他方式申请", (Channel.OTHER,)),
)

# REQ-26 (统计口径 from memory, verify): the pre-2019 reply types, from the REQ-17 outcomes.
# ``denied`` is the sum of its four ``denied.*`` parts.
LEGACY_REPLIES: tuple[tuple[str, str, tuple[Decision, ...]], ...] = (
    ("already_public", "属于已主动公开范围数", (Decision.ALREADY_PUBLIC,)),
    ("granted", "同意公开答复数", (Decision.GRANT,)),
    ("partial", "同意部分公开答复数", (Decision.PARTIAL,)),
    ("denied.state_secret", "不同意公开答复数·涉及国家秘密", (Decision.DENY_STATE_SECRET,)),
    (
        "denied.third_party",
        "不同意公开答复数·涉及商业秘密、个人隐私",
        (Decision.DENY_THIRD_PARTY,),
    ),
    (
        "denied.security",
        "不同意公开答复数·危及国家安全、公共安全、经济安全和社会稳定",
        (Decision.DENY_SECURITY_STABILITY,),
    ),
    (
        "denied.other",
        "不同意公开答复数·法律法规规定的其他情形",
        (
            Decision.DENY_LAW_PROHIBITS,
            Decision.DENY_INTERNAL_AFFAIRS,
            Decision.DENY_PROCESS_INFO,
            Decision.DENY_ENFORCEMENT_FILE,
            Decision.NEEDS_CREATION,
        ),
    ),
    ("not_responsible", "不属于本行政机关公开数", (Decision.NOT_RESPONSIBLE,)),
    ("not_exist", "申请信息不存在数", (Decision.NOT_HELD,)),
    (
        "amend",
        "告知作出更改补充数",
        (Decision.STILL_UNCLEAR, Decision.ABANDONED_NO_CORRECTION),
    ),
    (
        "other_route",
        "告知通过其他途径办理数",
        (
            Decision.SPECIAL_ACCESS_ROUTE,
            Decision.PETITION_NOT_APPLICATION,
            Decision.PUBLICATION_REQUEST,
        ),
    ),
    (
        "other",
        "其他情形（重复申请、撤回、逾期未缴费等）",
        (
            Decision.REPEATED,
            Decision.EXCESSIVE_UNREASONABLE,
            Decision.CONFIRM_OR_REISSUE,
            Decision.ABANDONED_NO_PAYMENT,
            Decision.OTHER,
        ),
    ),
)

# appeals.table_four's group keys → tables.T4_GROUPS keys.
T4_FROM_APPEALS = {
    "reconsideration": "reconsideration",
    "litigation_direct": "direct",
    "litigation_after_reconsideration": "after",
}


def scope_orgs(org: Org, scope: Scope | str) -> QuerySet[Org]:
    """RPT-27: the org alone, or the org and everything below it."""
    return subtree(org) if scope == Scope.SUBTREE else Org.objects.filter(pk=org.pk)


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def received(orgs: QuerySet[Org]) -> QuerySet[Application]:
    """Applications of ``orgs`` that have a 收到申请之日 (confirmed arrivals only)."""
    return Application.objects.filter(org__in=orgs, received_on__isnull=False)


@dataclass
class Statistics:
    """What ``collect`` found; plain values, ready for ``tables_for`` and ``figures_for``."""

    year: int
    balance: dict[str, dict[str, int]]  # 一/二/四 → applicant kind → count
    results: dict[str, dict[str, int]]  # outcome → applicant kind → count (closed in year)
    channels: dict[str, int]  # Channel value → received in year
    topics: list[tuple[str, str, int]]  # (code, name, count) received in year, most first
    timeliness: dict[str, int]  # REQ-30 of the replies delivered in the year
    fees: Decimal  # paid in the year, 元
    t4: dict[str, dict[str, int]]  # tables.T4_GROUPS keys
    external: dict[str, Figure] = field(default_factory=dict)


def _balance_and_results(
    orgs: QuerySet[Org], year: int
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """One query: per (applicant kind, outcome) the 新收, 上年结转, 结转下年度 and closed counts."""
    start, end = _bounds(year)
    before = start - timedelta(days=1)
    alive = Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    rows = (
        received(orgs)
        .filter(alive)
        .values("applicant_kind", "outcome")
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=start)),
            carried_in=Count(
                "pk",
                filter=Q(received_on__lte=before)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=before)),
            ),
            carried_out=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
            closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        )
        .order_by()
    )
    balance = {row: dict.fromkeys(T3_PARTS, 0) for row in ("一", "二", "四")}
    results: dict[str, dict[str, int]] = {}
    for row in rows:
        kind = row["applicant_kind"] if row["applicant_kind"] in T3_PARTS else "other_org"
        balance["一"][kind] += row["new"]
        balance["二"][kind] += row["carried_in"]
        balance["四"][kind] += row["carried_out"]
        if row["closed"]:
            outcome = row["outcome"] or Decision.OTHER  # a closed application always has one
            results.setdefault(outcome, dict.fromkeys(T3_PARTS, 0))[kind] += row["closed"]
    return balance, results


def _channels(orgs: QuerySet[Org], year: int) -> dict[str, int]:
    start, end = _bounds(year)
    rows = (
        received(orgs)
        .filter(received_on__gte=start, received_on__lte=end)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(Channel.values, 0)
    for row in rows:
        counts[row["channel"]] = counts.get(row["channel"], 0) + row["n"]
    return counts


def _topics(orgs: QuerySet[Org], year: int) -> list[tuple[str, str, int]]:
    start, end = _bounds(year)
    rows = (
        received(orgs)
        .filter(received_on__gte=start, received_on__lte=end, topic__isnull=False)
        .values("topic__code", "topic__name", "topic__sort")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__sort", "topic__code")
    )
    return [(row["topic__code"], row["topic__name"], row["n"]) for row in rows]


def _timeliness(orgs: QuerySet[Org], year: int) -> dict[str, int]:
    """REQ-30 in SQL, the same rule as ``applications.rules.timeliness`` for each reply."""
    start, end = _bounds(year)
    known = Q(base_due_date__isnull=False, due_date__isnull=False)
    counts = (
        received(orgs)
        .filter(replied_on__gte=start, replied_on__lte=end)
        .aggregate(
            replied=Count("pk"),
            known=Count("pk", filter=known),
            on_time=Count("pk", filter=known & Q(replied_on__lte=F("base_due_date"))),
            extended=Count(
                "pk",
                filter=known
                & Q(
                    replied_on__gt=F("base_due_date"),
                    extension_days__gt=0,
                    replied_on__lte=F("due_date"),
                ),
            ),
        )
    )
    return {
        "replied": counts["replied"],
        "on_time": counts["on_time"],
        "extended": counts["extended"],
        "overdue": counts["known"] - counts["on_time"] - counts["extended"],
        "untimed": counts["replied"] - counts["known"],  # 期限待定 when replied
    }


def _fees(orgs: QuerySet[Org], year: int) -> Decimal:
    start, end = _bounds(year)
    total = FeeNotice.objects.filter(
        application__org__in=orgs, paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _table_four(orgs: QuerySet[Org], year: int) -> dict[str, dict[str, int]]:
    from gongkai.applications.appeals import table_four

    counts = table_four(orgs, year)
    return {
        ours: {column: int(counts[theirs][column]) for column, _ in T4_COLUMNS}
        for theirs, ours in T4_FROM_APPEALS.items()
    }


def collect(orgs: QuerySet[Org], year: int, *, root: Org) -> Statistics:
    """Every statistic of ``year`` over ``orgs`` (``root`` is the org the report is for).

    Seven queries whatever the number of applications.
    """
    balance, results = _balance_and_results(orgs, year)
    return Statistics(
        year=year,
        balance=balance,
        results=results,
        channels=_channels(orgs, year),
        topics=_topics(orgs, year),
        timeliness=_timeliness(orgs, year),
        fees=_fees(orgs, year),
        t4=_table_four(orgs, year),
        external=recorded.merge(
            external.figures(orgs, year, root=root), recorded.recorded(orgs, year, root=root)
        ),
    )


# --- Tables (RPT-8…RPT-14) -------------------------------------------------------------------


def _row(counts: dict[str, int]) -> dict[str, int]:
    cells = {kind: counts.get(kind, 0) for kind in T3_PARTS}
    return cells | {"total": sum(cells.values())}


def table_three(stats: Statistics, style: Style) -> dict[str, dict[str, int]]:
    """Table 三 with every numbered row of ``style`` and its 总计 column and row."""
    by_row: dict[str, dict[str, int]] = {}
    for outcome, counts in stats.results.items():
        row = TABLE3_ROW[Decision(outcome)]
        if style == Style.F2019 and row.startswith("三(六)"):
            row = "三(六)"  # RPT-14: one row in the trial format
        target = by_row.setdefault(row, dict.fromkeys(T3_PARTS, 0))
        for kind, n in counts.items():
            target[kind] += n
    t3: dict[str, dict[str, int]] = {}
    for key, _, _, numbers in t3_rows(style):
        if numbers and key not in ("三(七)",):
            t3[key] = _row(stats.balance[key] if key in stats.balance else by_row.get(key, {}))
    t3["三(七)"] = _row(
        {kind: sum(t3[row][kind] for row in t3_result_rows(style)) for kind in T3_PARTS}
    )
    order = [key for key, _, _, numbers in t3_rows(style) if numbers]
    return {key: t3[key] for key in order}


def t2_key(style: Style, row: str, column: str) -> str:
    """The ``external.FIGURES`` key that fills a cell of table 二."""
    if style == Style.F2019 and column != "decisions":
        return f"t2_2019.{row}.{column}"
    if style == Style.F2019 and row == "other_services":
        return "t2_2019.other_services.decisions"
    return f"t2.{row}.{column}"


def t2_layout(style: Style) -> tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]:
    return T2_2019 if style == Style.F2019 else T2_2021


def table_two(figures: dict[str, Figure], style: Style) -> dict[str, dict[str, Number]]:
    """Table 二 from the external figures; a figure nobody entered stays None, never 0."""
    t2: dict[str, dict[str, Number]] = {}
    for _, row, _, columns in t2_layout(style):
        cells = t2.setdefault(row, {})
        for column, _ in columns:
            figure = figures.get(t2_key(style, row, column))
            cells[column] = figure.value if figure else None
    return t2


def tables_for(stats: Statistics, style: Style) -> Tables:
    """The national tables of ``style``; the legacy report has none (its figures say it all)."""
    if style == Style.LEGACY:
        return Tables(style=style)
    return Tables(
        style=style,
        t2=table_two(stats.external, style),
        t3=table_three(stats, style),
        t4={group: dict(stats.t4[group]) for group, _ in T4_GROUPS},
    )


# --- Figures (RPT-23 and the summaries of every format) ---------------------------------------------


def _sum_outcomes(results: dict[str, dict[str, int]], decisions: Iterable[Decision]) -> int:
    return sum(sum(results.get(d, {}).values()) for d in decisions)


def figures_for(stats: Statistics) -> list[Figure]:
    """The counted figures of every format, then the external ones (with their sources)."""
    out: list[Figure] = []

    def add(key: str, label: str, value: Number, unit: str = "件") -> None:
        out.append(Figure(key, label, value, unit))

    add("applications.total", "受理政府信息公开申请", sum(stats.balance["一"].values()))
    for key, label, channels in LEGACY_CHANNELS:
        add(f"applications.channel.{key}", label, sum(stats.channels.get(c, 0) for c in channels))
    add("applications.carried_in", "上年结转政府信息公开申请", sum(stats.balance["二"].values()))
    add("applications.carried_out", "结转下年度继续办理", sum(stats.balance["四"].values()))
    for code, name, n in stats.topics:
        add(f"applications.topic.{code}", name, n)
    closed = sum(sum(counts.values()) for counts in stats.results.values())
    t = stats.timeliness
    add("applications.closed", "申请办结数", closed)
    add("applications.on_time", "按时办结数", t["on_time"])
    add("applications.extended", "延期办结数", t["extended"])
    add("applications.overdue", "超期办结数", t["overdue"])
    add("applications.untimed", "期限待定的办结数", t["untimed"])
    add("applications.not_replied", "撤回、视为放弃等终结数", closed - t["replied"])
    for key, label, decisions in LEGACY_REPLIES:
        add(f"replies.{key}", label, _sum_outcomes(stats.results, decisions))
    add("fees.collected", "依申请公开信息收取的费用", external.plain(stats.fees), "元")
    groups = {
        "reconsideration": ("行政复议", ("reconsideration",)),
        "litigation": ("行政诉讼", ("direct", "after")),
    }
    for name, (label, parts) in groups.items():
        for column, column_label in T4_COLUMNS:
            value = sum(stats.t4[g][column] for g in parts)
            add(f"{name}.{column}", f"{label}·{column_label}", value)
    return out + list(stats.external.values())
