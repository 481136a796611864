"""``gongkai workdays …``: working-day arithmetic and calendar import.

Exit status: 0 done; 1 the calendar cannot answer (a year without data, CAL-3) or the
import was refused; 2 bad input (a malformed date, a negative count).
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from gongkai.workdays import rules, services
from gongkai.workdays.enums import DayType
from gongkai.workdays.models import CalendarYear
from gongkai.workdays.rules import CalendarYearMissing
from gongkai.workdays.sources import CalendarImportError

USAGE_ERROR = 2
NO_ANSWER = 1


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD：“{text}” / expected YYYY-MM-DD", returncode=USAGE_ERROR
        ) from None


def parse_count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise CommandError(
            f"工作日数应为不小于0的整数：“{text}” / expected a whole number ≥ 0",
            returncode=USAGE_ERROR,
        )
    return int(text)


def parse_pause(text: str) -> rules.Pause:
    begin, sep, end = text.partition("~")
    if not sep:
        raise CommandError(
            f"暂停区间应为 开始日~结束日（结束日可空）：“{text}” / expected BEGIN~[END]",
            returncode=USAGE_ERROR,
        )
    pause = (parse_date(begin), parse_date(end) if end else None)
    if pause[1] is not None and pause[1] < pause[0]:
        raise CommandError(f"暂停结束日早于开始日：“{text}”", returncode=USAGE_ERROR)
    return pause


class Command(BaseCommand):
    help = (
        "工作日计算与节假日数据（CAL-1…CAL-9）/ "
        "working-day arithmetic and the holiday calendar. "
        "退出码 exit status: 0 成功 ok; 1 缺少年度数据或导入被拒 no data / import refused; "
        "2 输入有误 bad input"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True, metavar="子命令 verb")
        add = sub.add_parser(
            "add",
            help="收到日后第N个工作日（期限届满日，CAL-5）/ the N-th working day after DATE",
        )
        add.add_argument("start", metavar="DATE", help="收到日 YYYY-MM-DD / receipt date")
        add.add_argument("n", metavar="N", help="工作日数 / number of working days")
        add.add_argument(
            "--explain", action="store_true", help="逐日列出计算过程 / print the day-by-day trace"
        )
        add.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="BEGIN~END",
            help="不计入期限的暂停区间，可重复；END 留空表示尚未结束（CAL-7）/ "
            "a paused interval, repeatable; empty END = still paused",
        )
        count = sub.add_parser(
            "count", help="(START, END] 内的工作日数 / working days in (START, END]"
        )
        count.add_argument("start", metavar="START")
        count.add_argument("end", metavar="END")
        check = sub.add_parser(
            "check", help="某日是否工作日及原因 / is DATE a working day, and why"
        )
        check.add_argument("day", metavar="DATE")
        load = sub.add_parser(
            "load",
            help="从 chinesecalendar 载入 2004–2026 年（已有年份不覆盖）/ "
            "load years from chinesecalendar (existing years are kept)",
        )
        load.add_argument(
            "--year", type=int, action="append", help="只载入某年，可重复 / only this year"
        )
        load.add_argument(
            "--overwrite", action="store_true", help="覆盖已有年份 / replace years already loaded"
        )
        imp = sub.add_parser(
            "import",
            help="导入一年的节假日通知文件（格式见 gongkai/workdays/sources.py）/ "
            "import one year's notice file",
        )
        imp.add_argument("file", metavar="FILE")
        imp.add_argument(
            "--patch",
            action="store_true",
            help="补丁：只增改文件所列日期，保留该年其他日期 / only add or change the listed days",
        )
        sub.add_parser("years", help="已录入的年份及来源 / loaded years and their sources")

    def handle(self, *args, verb, **options):
        try:
            getattr(self, f"do_{verb}")(**options)
        except CalendarYearMissing as missing:
            raise CommandError(str(missing), returncode=NO_ANSWER) from None
        except CalendarImportError as refused:
            raise CommandError(str(refused), returncode=NO_ANSWER) from None

    def do_add(self, *, start, n, explain, pause, **options):
        start, n = parse_date(start), parse_count(n)
        pauses = [parse_pause(text) for text in pause]
        calendar = services.load_calendar()
        due = rules.deadline(start, n, calendar, pauses)
        if explain:
            steps = rules.explain(start, n, calendar, pauses)
            for line in rules.render_explanation(start, n, steps, pauses):
                self.stdout.write(line)
        self.stdout.write(str(due) if due else "期限待定（暂停尚未结束）")

    def do_count(self, *, start, end, **options):
        start, end = parse_date(start), parse_date(end)
        if end < start:
            raise CommandError(f"结束日 {end} 早于开始日 {start}", returncode=USAGE_ERROR)
        self.stdout.write(str(rules.count_workdays(start, end, services.load_calendar())))

    def do_check(self, *, day, **options):
        day = parse_date(day)
        step = rules.describe(day, services.load_calendar())
        verdict = "工作日" if step.counted else "休息日"
        reason = "" if step.kind == DayType.WORKDAY else f"，{step.label}"
        self.stdout.write(f"{day}（{step.weekday}）：{verdict}{reason}")

    def do_load(self, *, year, overwrite, **options):
        change = services.load_from_package(year, overwrite=overwrite)
        self.report(change)
        if change.skipped:
            years = "、".join(map(str, change.skipped))
            self.stdout.write(f"已有、未覆盖：{years}（需要时加 --overwrite）")

    def do_import(self, *, file, patch, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}", returncode=USAGE_ERROR)
        self.report(services.import_notice(path, replace=not patch))

    def do_years(self, **options):
        for row in CalendarYear.objects.annotate(day_count=Count("days")).order_by("year"):
            loaded = timezone.localtime(row.loaded_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{row.year}\t{row.day_count}天\t{loaded}\t{row.source}")

    def report(self, change: services.CalendarChange) -> None:
        if change.is_empty:
            self.stdout.write("没有变化。")
            return
        for label, years in (("新增", change.created), ("更新", change.updated)):
            if years:
                self.stdout.write(f"{label}年份：{'、'.join(map(str, years))}")
        self.stdout.write(
            f"日期：新增{change.added}，修改{change.changed}，删除{change.removed}；"
            f"受影响年份：{'、'.join(map(str, sorted(change.years))) or '无'}"
        )
