"""Facts of disclosure on request: what arrived, when, what was done, what was decided.

Statistics are queries over these rows (DESIGN.md principle 1). ``due_date`` and its
trace are stored so lists can filter on them, and are recomputed by the service whenever
a fact or the calendar changes; *overdue* is never stored (``queries.overdue``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.applications.enums import (
    AppealKind,
    AppealOutcome,
    ApplicantKind,
    Channel,
    ConsultationKind,
    Decision,
    Delivery,
    FeeMethod,
    FormWanted,
    IdType,
    Regime,
    Stage,
)
from gongkai.orgs.models import Org


class Topic(models.Model):
    """What applications are about (土地征收, 行政执法 …): a list the office configures."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    keywords = models.TextField(
        _("关键词"), blank=True, help_text=_("以空格或逗号分隔，用于自动建议")
    )
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("申请事项分类")
        verbose_name_plural = _("申请事项分类")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", " ").replace(",", " ").split() if k]


class NumberSequence(models.Model):
    """The last tracking number issued in a year (an identifier sequence, not a statistic)."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Application(models.Model):
    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    code_hash = models.CharField(max_length=64, editable=False)
    org = models.ForeignKey(
        Org, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="applications"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网上申请账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_applications",
    )

    # How and when it arrived (REQ-4…REQ-7).
    channel = models.CharField(_("申请渠道"), max_length=16, choices=Channel.choices)
    oral = models.BooleanField(_("口头申请代填"), default=False)
    arrived_at = models.DateTimeField(_("到达时间"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_via = models.CharField(_("确认方式"), max_length=40, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True, db_index=True)
    regime = models.CharField(_("适用条例"), max_length=4, choices=Regime.choices)

    # Who applies (REQ-3, REQ-29). Personal numbers are encrypted; masks are for lists.
    applicant_kind = models.CharField(_("申请人类别"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, blank=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=32, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address_enc = models.TextField(blank=True, editable=False)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    agent_name = models.CharField(_("代理人"), max_length=50, blank=True)
    agent_id_enc = models.TextField(blank=True, editable=False)
    agent_id_masked = models.CharField(_("代理人证件号码"), max_length=32, blank=True)

    # What is sought and how (REQ-3).
    description = models.TextField(_("所需信息的内容描述"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    purpose = models.TextField(_("用途"), blank=True)  # asked only under 2007 ("三需要")
    form_wanted = models.CharField(
        _("信息的指定提供形式"), max_length=16, choices=FormWanted.choices
    )
    delivery = models.CharField(_("获取信息的方式"), max_length=16, choices=Delivery.choices)
    topic = models.ForeignKey(
        Topic, verbose_name=_("事项分类"), null=True, blank=True, on_delete=models.SET_NULL
    )
    topic_confirmed = models.BooleanField(_("分类已确认"), default=False)
    probable_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Where it stands (REQ-31). Stage and outcome are separate.
    stage = models.CharField(_("办理状态"), max_length=24, choices=Stage.choices, db_index=True)
    clock_start = models.DateField(_("答复期限起算日"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    custom_due = models.DateField(_("另定答复期限"), null=True, blank=True)  # REQ-13
    base_due_date = models.DateField(_("法定答复期限"), null=True, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_pending_year = models.PositiveIntegerField(
        _("期限待定（缺少日历年份）"), null=True, blank=True
    )
    due_trace = models.JSONField(_("期限计算过程"), default=list, blank=True)

    outcome = models.CharField(_("办理结果"), max_length=32, choices=Decision.choices, blank=True)
    outcome_basis = models.TextField(_("法律依据"), blank=True)
    outcome_reason = models.TextField(_("理由"), blank=True)
    outcome_text = models.TextField(_("答复内容"), blank=True)
    withheld = models.JSONField(_("不予公开部分"), default=list, blank=True)
    checked_no_duty = models.BooleanField(_("已核对无应当公开之规定"), default=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    replied_on = models.DateField(_("答复送达日期"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("终结日期"), null=True, blank=True, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-arrived_at", "-pk"]
        indexes = [
            models.Index(fields=["org", "stage"]),
            models.Index(fields=["applicant_key", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.number


class Correction(models.Model):
    """A 补正 notice and the correction that answered it (REQ-10)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="corrections"
    )
    notified_on = models.DateField(_("告知日期"))
    items = models.TextField(_("需要补正的事项"))
    respond_by = models.DateField(_("补正期限"))
    late_notice = models.BooleanField(_("补正告知超期"), default=False)
    received_on = models.DateField(_("收到补正日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正")
        verbose_name_plural = _("补正")
        ordering = ["notified_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} 补正 {self.notified_on}"


class Consultation(models.Model):
    """A consultation of a third party or another agency; its time does not count (REQ-12/14)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("征求对象类别"), max_length=16, choices=ConsultationKind.choices)
    party = models.CharField(_("征求对象"), max_length=100)
    sent_on = models.DateField(_("送达日期"))
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("收回日期"), null=True, blank=True)
    opinion = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} 征求{self.party}"


class Extension(models.Model):
    """The one extension an application may have (REQ-9)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延期理由"))
    approved_by = models.CharField(_("批准人（工作机构负责人）"), max_length=50)
    approved_on = models.DateField(_("批准日期"))
    notified_on = models.DateField(_("告知日期"))
    notified_via = models.CharField(_("告知方式"), max_length=40)

    class Meta:
        verbose_name = _("延期答复")
        verbose_name_plural = _("延期答复")

    def __str__(self) -> str:
        return f"{self.application} 延长{self.days}个工作日"


class FeeNotice(models.Model):
    """A fee notice and its payment (FEE-2…FEE-7)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="fee")
    method = models.CharField(_("计收方式"), max_length=16, choices=FeeMethod.choices)
    k_in_month = models.PositiveIntegerField(_("当月第几件"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    approved_by = models.CharField(_("批准人"), max_length=50)
    delivered_on = models.DateField(_("通知送达日期"))
    pay_by = models.DateField(_("缴费期限"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")

    def __str__(self) -> str:
        return f"{self.application} ¥{self.amount}"


class Transfer(models.Model):
    """A move of an application from one org to another (转办)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transfers")
    from_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("转办日期"))
    reason = models.TextField(_("转办理由"), blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")

    def __str__(self) -> str:
        return f"{self.application} → {self.to_org}"


class Attachment(models.Model):
    """A file an applicant sent; stored under MEDIA_ROOT (outside the web root), never public."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A notice issued to the applicant or a third party, frozen as issued."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书种类"), max_length=32)
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=100)
    content = models.JSONField(_("内容"))
    issued_on = models.DateField(_("日期"))
    public_to_applicant = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class LetterSequence(models.Model):
    """The last 文号 issued per org, kind code and year (an identifier sequence, not a statistic)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "code", "year"], name="letter_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.code} {self.year}: {self.last}"


class LetterWording(models.Model):
    """The office's wording of a kind of letter; placeholders only from a whitelist."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("文书种类"), max_length=32)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["org", "kind"], name="letter_wording_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Appeal(models.Model):
    """A reconsideration, lawsuit or complaint about disclosure work (LIT-1, LIT-2)."""

    kind = models.CharField(_("类别"), max_length=16, choices=AppealKind.choices)
    application = models.ForeignKey(
        Application,
        verbose_name=_("原申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    org = models.ForeignKey(
        Org, verbose_name=_("被申请人/被告"), on_delete=models.PROTECT, related_name="appeals"
    )
    body = models.CharField(_("复议机关/法院"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=60, blank=True)
    filed_on = models.DateField(_("收案日期"))
    closed_on = models.DateField(_("审结日期"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_detail = models.CharField(_("结果说明"), max_length=200, blank=True)
    after_reconsideration = models.BooleanField(_("复议后起诉"), default=False)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("复议、诉讼与投诉")
        verbose_name_plural = _("复议、诉讼与投诉")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"
