"""Proactively disclosed items and what hangs off them (issue 5; PUB, SEC, CAT, IDX, INT)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.enums import (
    Art20,
    Attribute,
    Channel,
    Conclusion,
    DocKind,
    JobStatus,
    Legacy,
    NewMediaKind,
    SeriesKind,
    Status,
    Validity,
)


class CatalogNode(models.Model):
    """CAT-1/CAT-2: one entry of an org's standard catalog, a tree of any depth.

    ``path`` is the materialized path of node ids ("/3/9/"); ``level`` is 1 for 一级事项.
    Items are filed under leaves only.
    """

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="catalog_nodes"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("事项"), max_length=200)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit = models.CharField(_("公开时限"), max_length=200, blank=True)
    time_limit_kind = models.CharField(max_length=32, blank=True)  # CAT-4 structured
    time_limit_n = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(_("公开主体"), max_length=200, blank=True)
    channels = models.CharField(_("公开渠道和载体"), max_length=400, blank=True)
    audience = models.CharField(_("公开对象"), max_length=100, blank=True)
    mode = models.CharField(_("公开方式"), max_length=100, blank=True)
    tier = models.CharField(_("公开层级"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("目录节点")
        verbose_name_plural = _("目录节点")
        ordering = ["org_id", "path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "parent", "name"], name="catalog_node_unique")
        ]

    def __str__(self) -> str:
        return self.name


class IndexSequence(models.Model):
    """IDX-2: the serial of an org's index numbers in one year."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="index_seq_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class Item(models.Model):
    """One piece of government information with the metadata of IDX-4."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="items"
    )
    node = models.ForeignKey(
        CatalogNode,
        verbose_name=_("目录分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    index_no = models.CharField(_("索引号"), max_length=80, blank=True, db_index=True)
    title = models.CharField(_("信息名称"), max_length=300)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    formed_on = models.DateField(_("成文日期"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    subject = models.CharField(_("主题分类"), max_length=100, blank=True)
    attribute = models.CharField(
        _("公开属性"), max_length=16, choices=Attribute.choices, default=Attribute.ACTIVE
    )
    withheld_reason = models.CharField(_("不予公开理由"), max_length=300, blank=True)
    # PUB-7: the last periodic review of a 不予公开 item (or the decision to withhold it)
    withheld_reviewed_on = models.DateField(_("不予公开复核日期"), null=True, blank=True)
    kind = models.CharField(
        _("文件类型"), max_length=16, choices=DocKind.choices, default=DocKind.OTHER
    )
    validity = models.CharField(
        _("有效性"), max_length=16, choices=Validity.choices, default="", blank=True
    )
    effective_on = models.DateField(_("实施日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    legacy_category = models.CharField(
        _("信息类别"), max_length=16, choices=Legacy.choices, default=Legacy.OTHER
    )
    art20 = models.PositiveSmallIntegerField(
        _("第二十条项目"), choices=Art20.choices, default=Art20.OTHER
    )
    summary = models.TextField(_("内容概述"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    body_html = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(editable=False, blank=True)
    title_en = models.CharField(_("英文标题"), max_length=300, blank=True)
    summary_en = models.TextField(_("英文摘要"), blank=True)
    policy = models.ForeignKey(
        "self",
        verbose_name=_("解读的政策文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    interpretation_form = models.CharField(_("解读形式"), max_length=20, blank=True)
    waiver_reason = models.CharField(_("无解读发布理由"), max_length=300, blank=True)  # INT-2
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="catalog_items"
    )
    findings = models.JSONField(default=list, blank=True)  # SEC-4 last scan, masked
    scanned_at = models.DateTimeField(null=True, blank=True)
    publish_due = models.DateField(_("应公开日期"), null=True, blank=True)  # PUB-3
    late = models.BooleanField(_("超时公开"), default=False)
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_on"]),
            models.Index(fields=["org", "number"]),
            # The annual report's per-org counts and table 二 (bench report: 5.5 s → 0.02 s an
            # org on SQLite with 1M items).
            models.Index(fields=["org", "status", "published_on"]),
            models.Index(fields=["kind", "org"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["index_no"], condition=~models.Q(index_no=""), name="item_index_no_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.WITHDRAWN) and bool(self.published_on)

    @property
    def needs_interpretation(self) -> bool:
        """INT-3: 规章 and 行政规范性文件 must be interpreted."""
        return self.kind in (DocKind.RULE, DocKind.NORMATIVE)


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    data = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    extraction_failed = models.BooleanField(_("未能提取文本"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Review(models.Model):
    """SEC-3: one review decision, kept forever."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices)
    reason = models.TextField(_("理由 / 依据"), blank=True)
    override_reason = models.TextField(_("带提示发布理由"), blank=True)
    open_findings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.conclusion}"


class Distribution(models.Model):
    """PUB-4: an item went out on a channel on a day."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="distributions")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=NewMediaKind.choices, blank=True, default="")
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "channel"], name="distribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.channel}"


class ProvincialSubmission(models.Model):
    """An item sent up to the provincial portal; ``adopted`` None until it answers."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="submissions")
    submitted_on = models.DateField()
    adopted = models.BooleanField(null=True)
    decided_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.submitted_on}"


class Issue(models.Model):
    """One numbered issue of 政府公报 or 政务要情."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="issues")
    series = models.CharField(max_length=16, choices=SeriesKind.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    items = models.ManyToManyField(Item, blank=True, related_name="issues")

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "series", "year", "number"], name="issue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}-{self.number}"


class Visit(models.Model):
    """Page views of a day per column (and item); no visitor address is stored at all."""

    day = models.DateField()
    column = models.CharField(max_length=40)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE)
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)  # distinct daily-salted visitor hashes

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "column", "item"], name="visit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.column}"


class VisitorDay(models.Model):
    """Daily-salted hash of a visitor, to count 人次 once per column a day; purged after a day."""

    day = models.DateField()
    column = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "column", "digest"], name="visitor_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.column}"


class ImportJob(models.Model):
    """A bulk import of items (issue 5 §9): resumable by file digest, all or nothing."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT)
    filename = models.CharField(max_length=200)
    digest = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.RUNNING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    data = models.BinaryField(null=True, blank=True)  # the uploaded file, until the job is done
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
