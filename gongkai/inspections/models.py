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
    listed_on = models.DateField(_("列入清单日期"), null=True, blank=True)
    withdrawn_on = models.DateField(
        _("移出清单日期"), null=True, blank=True, help_text=_("法律法规修订后不再检查的事项")
    )

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
    size = models.CharField(_("规模"), max_length=50, blank=True)
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


class RegistryChange(models.Model):
    """RND-2/3 history: the values a registry row had before each change (append only).

    A past draw's frozen inputs stay explainable: each change since is listed with who
    made it, when, and what the row said before.
    """

    class Kind(models.TextChoices):
        ENTITY = "entity", _("检查对象")
        INSPECTOR = "inspector", _("执法检查人员")

    kind = models.CharField(_("名录"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("统一社会信用代码或执法证号"), max_length=40, db_index=True)
    before = models.JSONField(_("变更前"), null=True, help_text=_("新建时为空"))
    after = models.JSONField(_("变更后"))
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("名录变更记录")
        verbose_name_plural = _("名录变更记录")
        ordering = ["kind", "key", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class Plan(models.Model):
    """RND-9: a department's annual plan of inspection batches."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("制定机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    filed_on = models.DateField(_("报上级备案日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度抽查计划")
        verbose_name_plural = _("年度抽查计划")
        ordering = ["-year", "org", "pk"]

    def __str__(self) -> str:
        return self.title


class Batch(models.Model):
    """RND-9/10: one batch of a plan: item, scope, sample, dates, joint departments."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="batches"
    )
    item = models.ForeignKey(
        InspectionItem, verbose_name=_("抽查事项"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("批次名称"), max_length=200)
    scope = models.JSONField(
        _("抽取范围"),
        default=dict,
        blank=True,
        help_text=_("定向抽查条件：industry、area、size、risk_level，空为不定向"),
    )
    sample_size = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    ratio = models.DecimalField(
        _("抽取比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    inspectors_per_entity = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    weighting = models.CharField(
        _("抽取方式"), max_length=16, choices=Weighting.choices, default=Weighting.UNIFORM
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    joint_orgs = models.ManyToManyField(
        "orgs.Org",
        verbose_name=_("联合抽查部门"),
        blank=True,
        related_name="+",
        help_text=_("跨部门联合抽查：这些部门的执法人员一并参与选派"),
    )

    class Meta:
        verbose_name = _("抽查批次")
        verbose_name_plural = _("抽查批次")
        ordering = ["plan", "starts_on", "pk"]

    def __str__(self) -> str:
        return self.name

    SCOPE_LABELS = {
        "industry": _("行业"),
        "area": _("区域"),
        "size": _("规模"),
        "risk_level": _("风险等级"),
    }

    def scope_display(self) -> str:
        """“行业：批发和零售业；区域：涪城区”, or 不定向."""
        if not self.scope:
            return str(_("不定向"))
        parts = []
        for key, values in self.scope.items():
            values = [values] if isinstance(values, str) else values
            parts.append(f"{self.SCOPE_LABELS.get(key, key)}：{'、'.join(values)}")
        return "；".join(parts)


class Draw(models.Model):
    """RND-4…7: one reproducible draw. ``inputs`` is the frozen snapshot; never edited."""

    item = models.ForeignKey(
        InspectionItem, verbose_name=_("抽查事项"), on_delete=models.PROTECT, related_name="draws"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("抽查批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draws",
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
    drawn_on = models.DateField(
        _("抽取日期"),
        null=True,
        help_text=_("名录冻结之日：执法证有效期按此日判断，年度统计按此日计"),
    )
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


class Recusal(models.Model):
    """RND-5: an inspector recused after the draw, replaced by the next in the reserve order."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("抽取结果"), on_delete=models.CASCADE, related_name="recusals"
    )
    certificate = models.CharField(_("回避人员执法证号"), max_length=40)
    replacement = models.CharField(_("替补人员执法证号"), max_length=40)
    reason = models.CharField(_("回避理由"), max_length=200)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回避记录")
        verbose_name_plural = _("回避记录")
        ordering = ["assignment", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.replacement}"


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
    due = models.DateField(_("公示期限"), null=True, blank=True, help_text=_("空为期限待定"))
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
