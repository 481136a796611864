"""Facts of website monitoring: the registry, what probes and crawls saw, what was found,
netizen error reports, reposting times and spot-check draws (RULES.zh.md §9).

Scores and findings are stored per run because they are judgements at a monitoring point
(the rules and indicator sets change; a past run keeps what it said). Counts for reports
are queries over these rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.monitor.enums import (
    ColumnKind,
    FindingKind,
    SiteFlag,
    SiteStatus,
    SiteType,
    TicketStatus,
)
from gongkai.orgs.models import Org


class Site(models.Model):
    """MON-1: a government website and the org that runs it."""

    org = models.ForeignKey(
        Org, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(_("网站名称"), max_length=100)
    url = models.URLField(_("首页网址"), unique=True)
    site_type = models.CharField(_("网站类型"), max_length=16, choices=SiteType.choices)
    identifier = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp = models.CharField(_("ICP备案号"), max_length=40, blank=True)
    police_record = models.CharField(_("公安机关备案号"), max_length=40, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SiteStatus.choices, default=SiteStatus.RUNNING
    )
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    crawl_every_hours = models.PositiveIntegerField(_("采集周期（小时）"), default=24)
    has_services = models.BooleanField(_("有对外服务职能"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政府网站")
        verbose_name_plural = _("政府网站")
        ordering = ["org__path", "pk"]

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    """MON-3: a column (栏目) of a site; proposed from the navigation, confirmed by staff."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(_("栏目名称"), max_length=100)
    url = models.URLField(_("栏目网址"), max_length=500)
    kind = models.CharField(_("栏目类别"), max_length=16, choices=ColumnKind.choices)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    homepage = models.BooleanField(_("首页栏目"), default=False)
    historical = models.BooleanField(_("历史专题"), default=False)
    period_days = models.PositiveIntegerField(
        _("应更新周期（天）"), null=True, blank=True, help_text=_("空 = 按指标体系默认")
    )
    confirmed = models.BooleanField(_("已确认"), default=False)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["site", "level", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "url"], name="monitor_column_site_url")
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.name}"


class Probe(models.Model):
    """MON-4: one availability probe of a homepage."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probes")
    at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["site", "at"], name="monitor_probe_site_at")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'fail'}"


class Run(models.Model):
    """One check of one site at a monitoring point: the crawl's summary and its judgement."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="runs")
    started = models.DateTimeField()
    finished = models.DateTimeField()
    point = models.DateField(_("监测时间点"), db_index=True)
    indicators = models.CharField(max_length=20)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    veto = models.JSONField(default=list)
    flag = models.CharField(max_length=10, choices=SiteFlag.choices, blank=True, default="")
    availability = models.JSONField(default=dict)
    stale_columns = models.JSONField(default=list)
    blank_columns = models.JSONField(default=list)
    measures = models.JSONField(default=dict)
    pages_fetched = models.PositiveIntegerField(default=0)
    refused = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-point", "-started"]

    def __str__(self) -> str:
        return f"{self.site} @ {self.point}"

    @property
    def passed(self) -> bool | None:
        if self.veto:
            return False
        return None if self.score is None else self.score >= 60


class Finding(models.Model):
    """MON-7: one finding with its evidence."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=FindingKind.choices)
    url = models.URLField(max_length=1000)
    detail = models.TextField()
    evidence = models.JSONField(default=dict)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    key = models.CharField(max_length=600)
    dismissed = models.BooleanField(_("已排除（误报）"), default=False)

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return f"{self.rule} {self.url}"


class FalsePositive(models.Model):
    """A finding staff marked as wrong; later runs skip findings with the same key."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="false_positives")
    key = models.CharField(max_length=600)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="monitor_false_positive_key")
        ]

    def __str__(self) -> str:
        return self.key


class Lease(models.Model):
    """Who is crawling a site right now; claimed with a conditional UPDATE, expires."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="lease")
    holder = models.CharField(max_length=100, blank=True)
    expires = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.site_id}: {self.holder or '-'}"


class Ticket(models.Model):
    """MON-18: a netizen's error report (网民纠错) about a registered site."""

    code = models.CharField(_("查询码"), max_length=16, unique=True)
    site = models.ForeignKey(Site, verbose_name=_("网站"), on_delete=models.PROTECT)
    org = models.ForeignKey(
        Org, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="jiucuo"
    )
    page_url = models.URLField(_("出错网址"), max_length=1000)
    category = models.CharField(_("问题类型"), max_length=20)
    description = models.TextField(_("问题描述"))
    contact_enc = models.TextField(blank=True)
    contact_masked = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.RECEIVED
    )
    received_on = models.DateField(_("收到日期"), db_index=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    resolution = models.TextField(_("处理情况"), blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网民纠错")
        verbose_name_plural = _("网民纠错")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.code

    @property
    def on_time(self) -> bool | None:
        if self.replied_on is None or self.due_on is None:
            return None
        return self.replied_on <= self.due_on


class Repost(models.Model):
    """MON-19: an important higher-level item and when a portal reposted it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="reposts")
    title = models.CharField(_("标题"), max_length=200)
    source_url = models.URLField(_("原文网址"), max_length=1000)
    published_at = models.DateTimeField(_("原发布时间"))
    reposted_at = models.DateTimeField(_("转载时间"), null=True, blank=True)
    url = models.URLField(_("转载网址"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-published_at", "site"]

    def __str__(self) -> str:
        return self.title


class SpotCheck(models.Model):
    """MON-20: a quarterly draw of sites, reproducible from its recorded seed."""

    quarter = models.CharField(_("季度"), max_length=7)  # "2017Q4"
    root = models.ForeignKey(Org, on_delete=models.PROTECT)
    share = models.DecimalField(_("抽查比例"), max_digits=4, decimal_places=2)
    seed = models.CharField(max_length=64)
    input_hash = models.CharField(max_length=64)
    population = models.JSONField(default=list)  # the frozen input, by primary key
    site_ids = models.JSONField(default=list)
    drawn_at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.quarter} ({self.root_id})"
