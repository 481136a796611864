from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.workdays.enums import DayKind
from gongkai.workdays.rules import weekday_name
from gongkai.workdays.sources import belongs_to_notice


class CalendarYear(models.Model):
    """One year's State Council holiday notice as loaded (CAL-2).

    A year is known to the calendar only when it has a row (CAL-3).
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("来源"), max_length=300, help_text=_("通知文号或文件名，如“国办发明电〔2026〕X号”")
    )
    loaded_at = models.DateTimeField(_("最近更新"))

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class SpecialDay(models.Model):
    """A date the notice of ``year`` makes a holiday (放假) or a 调休 working day (上班).

    ``year`` is the notice, not always ``date.year``: the 元旦 span of a notice can
    start in December of the year before (CAL-2).
    """

    date = models.DateField(_("日期"), unique=True)
    year = models.ForeignKey(
        CalendarYear, verbose_name=_("所属年度通知"), on_delete=models.CASCADE, related_name="days"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True, help_text=_("如“春节”"))

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日与调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        """The checks of ``sources.notice_problems``, for the admin form."""
        errors = {}
        try:
            notice_year = self.year.year
        except CalendarYear.DoesNotExist:
            notice_year = None
        if self.date and notice_year and not belongs_to_notice(self.date, notice_year):
            errors["date"] = _("日期不在该年度通知的范围内（该年及上一年12月）")
        if self.date and self.kind == DayKind.MAKEUP_WORKDAY and self.date.weekday() < 5:
            errors["kind"] = _("%(day)s是%(weekday)s，不是周末，不能安排为调休上班") % {
                "day": self.date,
                "weekday": weekday_name(self.date),
            }
        if errors:
            raise ValidationError(errors)


class Revision(models.Model):
    """One row whose token changes with every committed calendar change.

    Each process caches its ``WorkCalendar`` under the token it read, so a change made by
    another worker (or a rolled-back one) is noticed on the next ``load_calendar()``.
    """

    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return self.token
