from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.inspections.enums import DrawStatus, Importance, Outcome, RiskLevel, Weighting


class InspectionItem(models.Model):
    """RND-1: one entry of a department's published 随机抽查事项清单."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("抽查事项"), max_length=200)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    object_type = models.CharField(_("检查对象"), max_length=100, blank=True)
    method = models.CharField(_("检查方式"), max_length=100, blank=True)
    importance = models.CharField(
        _("事项类别"), max_length=16, choices=Importance.choices, default=Importance.GENERAL
    )
    ratio = models.DecimalField(
        _("抽查比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    frequency = models.CharField(_("抽查频次"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项")
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """RND-2: a market entity (or other inspected object) in the registry."""

    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_rep = models.CharField(_("法定代表人"), max_length=50, blank=True)
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    area = models.CharField(_("区域"), max_length=100, blank=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    risk_marks = models.CharField(_("风险标记"), max_length=200, blank=True)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("对应机关"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("检查对象本身是机关时填写，其人员回避"),
    )
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        ordering = ["credit_code"]

    def __str__(self) -> str:
        return self.name


class Inspector(models.Model):
    """RND-3: a law-enforcement inspector with certificate and declared conflicts."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate = models.CharField(_("执法证号"), max_length=40, unique=True)
    valid_until = models.DateField(_("执法证有效期至"))
    field = models.CharField(_("执法领域"), max_length=100, blank=True)
    conflicts = models.JSONField(
        _("利害关系"), default=list, blank=True, help_text=_("已申报存在利害关系的统一社会信用代码")
    )
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员")
        ordering = ["certificate"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate}）"

    def eligible_on(self, day: date) -> bool:
        return self.active and self.valid_until >= day


class Draw(models.Model):
    """RND-4…7: one reproducible draw. ``inputs`` is the frozen snapshot; never edited."""

    item = models.ForeignKey(
        InspectionItem, verbose_name=_("抽查事项"), on_delete=models.PROTECT, related_name="draws"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    sample_size = models.PositiveIntegerField(_("抽取数量"))
    inspectors_per_entity = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    weighting = models.CharField(
        _("抽取方式"), max_length=16, choices=Weighting.choices, default=Weighting.UNIFORM
    )
    public_random = models.CharField(_("公开随机数"), max_length=200)
    inputs = models.JSONField(_("冻结输入"))
    inputs_hash = models.CharField(_("输入哈希"), max_length=64)
    seed = models.CharField(_("随机种子"), max_length=64)
    algorithm = models.CharField(_("算法版本"), max_length=40)
    result = models.JSONField(_("抽取结果"))
    status = models.CharField(
        _("状态"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.DRAWN
    )

    class Meta:
        verbose_name = _("抽取批次")
        verbose_name_plural = _("抽取批次")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.item} #{self.pk}"


class Assignment(models.Model):
    """One drawn entity with its inspectors and the reserve order for recusals."""

    draw = models.ForeignKey(
        Draw, verbose_name=_("抽取批次"), on_delete=models.CASCADE, related_name="assignments"
    )
    position = models.PositiveIntegerField(_("抽中顺序"))
    entity = models.ForeignKey(
        Entity, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(Inspector, verbose_name=_("检查人员"), related_name="+")
    reserve = models.JSONField(_("替补顺序"), default=list, help_text=_("执法证号，按顺序"))

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "entity"], name="assignment_unique_entity")
        ]

    def __str__(self) -> str:
        return f"{self.draw} · {self.entity}"


class InspectionResult(models.Model):
    """RND-8: the outcome for one drawn entity and when it was published."""

    draw = models.ForeignKey(
        Draw, verbose_name=_("抽取批次"), on_delete=models.PROTECT, related_name="results"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("检查结果"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("说明"), blank=True)
    finished_on = models.DateField(_("检查结束日"))
    entered_on = models.DateField(_("录入日"))
    due = models.DateField(_("公示期限"))
    published_on = models.DateField(_("公示日"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["draw", "entity"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "entity"], name="inspection_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entity}：{self.get_outcome_display()}"
