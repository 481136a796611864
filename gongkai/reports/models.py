"""Facts the reports app owns: figures from other systems, and reports with their history.

A report's figures are computed from the records when it is built and stored frozen in
``Report.data`` (``serialize.to_json`` of an ``AnnualReport``); nothing here is a running
counter (DESIGN.md principle 1). Every change goes through ``services`` / ``external``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Org
from gongkai.reports.tables import Scope, Style


class ExternalFigure(models.Model):
    """A figure that lives in another government system, entered per org and year with its source.

    The known keys, their labels and units are ``external.FIGURES``.
    """

    org = models.ForeignKey(
        Org, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="external_figures"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("指标代码"), max_length=60)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=12)
    source = models.CharField(_("来源说明"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("外部数据")
        verbose_name_plural = _("外部数据")
        ordering = ["org__path", "year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "key"], name="external_figure_unique")
        ]
        indexes = [models.Index(fields=["year", "key"])]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.key}={self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class Report(models.Model):
    """One revision of an org's annual report: draft → reviewed → published (issue 4 §5).

    ``data`` is the frozen ``AnnualReport``; ``narrative`` is what staff wrote, by section
    title. A published revision never changes; a correction is a new revision.
    """

    org = models.ForeignKey(
        Org, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    style = models.CharField(_("格式"), max_length=8, choices=[(s.value, s.value) for s in Style])
    scope = models.CharField(_("口径"), max_length=8, choices=[(s.value, s.value) for s in Scope])
    revision = models.PositiveSmallIntegerField(_("修订版次"), default=1)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    rounding = models.CharField(_("百分比取舍"), max_length=12, default="half_up")
    data = models.JSONField(_("报告数据"), default=dict)
    narrative = models.JSONField(_("正文"), default=dict, blank=True)
    edits = models.JSONField(_("手工修改"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["org__path", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "style", "scope", "revision"], name="report_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.style}/{self.scope} 第{self.revision}版"


class Acceptance(models.Model):
    """A finding staff accepted, with the reason, so the report may be published anyway."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="acceptances")
    finding_key = models.CharField(_("问题编号"), max_length=16)
    rule = models.CharField(_("规则"), max_length=16)
    message = models.CharField(_("问题"), max_length=300)
    reason = models.TextField(_("理由"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("已确认的问题")
        verbose_name_plural = _("已确认的问题")
        constraints = [
            models.UniqueConstraint(fields=["report", "finding_key"], name="acceptance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.rule} {self.finding_key}"
