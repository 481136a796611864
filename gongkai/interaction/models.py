from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.interaction.enums import (
    Category,
    Channel,
    Opinion,
    ProposalKind,
    Satisfaction,
    Status,
)
from gongkai.interaction.rules import ACCEPT_WORKDAYS, REPLY_WORKDAYS


class Mailbox(models.Model):
    """A leader or department mailbox (书记信箱, 市长信箱, …) with its own clocks (MBX-2)."""

    name = models.CharField(_("名称"), max_length=100)
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="mailboxes", verbose_name=_("所属机关")
    )
    accept_workdays = models.PositiveSmallIntegerField(
        _("受理时限（工作日）"), default=ACCEPT_WORKDAYS
    )
    reply_workdays = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), default=REPLY_WORKDAYS
    )
    active = models.BooleanField(_("启用"), default=True)
    leader = models.BooleanField(
        _("书记市长信箱"), default=False, help_text=_("计入年报“书记市长信箱”统计（MBX-1）")
    )
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("信箱")
        verbose_name_plural = _("信箱")
        ordering = ["sort", "pk"]

    def __str__(self):
        return self.name


class Letter(models.Model):
    mailbox = models.ForeignKey(Mailbox, models.PROTECT, related_name="letters")
    number = models.CharField(_("编号"), max_length=30, unique=True)
    channel = models.CharField(_("来信渠道"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    # The writer: name and contact encrypted; masked copies for screens; a blind index
    # to find duplicates without decrypting.
    writer_name = models.TextField(_("姓名（加密）"), blank=True)
    writer_name_masked = models.CharField(_("姓名"), max_length=40, blank=True)
    contact = models.TextField(_("联系方式（加密）"), blank=True)
    contact_masked = models.CharField(_("联系方式"), max_length=80, blank=True)
    contact_index = models.CharField(max_length=64, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, blank=True)
    may_publish = models.BooleanField(_("同意公开"), default=False)
    received_at = models.DateTimeField(_("收信时间"))
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    valid = models.BooleanField(_("有效留言"), null=True)  # None while 待受理 (MBX-3)
    refusal_reason = models.CharField(_("不予受理理由"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    is_test = models.BooleanField(_("测试件"), default=False)
    assigned_org = models.ForeignKey(
        "orgs.Org", models.PROTECT, null=True, blank=True, related_name="assigned_letters"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(_("答复"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    handling_workdays = models.PositiveIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    published_subject = models.CharField(max_length=200, blank=True)
    published_question = models.TextField(blank=True)
    published_answer = models.TextField(blank=True)
    code_index = models.CharField(max_length=64, blank=True)  # the writer's secret code
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    # Abuse control: a held letter waits for staff to release it; it is never dropped.
    held = models.BooleanField(_("暂存待核"), default=False)
    held_reason = models.CharField(_("暂存原因"), max_length=200, blank=True)
    address_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["received_at", "pk"]

    def __str__(self):
        return self.number


class Transfer(models.Model):
    """One 转办 of a letter to an org, and its bounce if the org sent it back."""

    letter = models.ForeignKey(Letter, models.CASCADE, related_name="transfers")
    to_org = models.ForeignKey("orgs.Org", models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("转办意见"), max_length=500, blank=True)
    by = models.CharField(max_length=150)
    at = models.DateTimeField()
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    bounced_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.letter} → {self.to_org}"


class LetterAttachment(models.Model):
    """A file sent with a letter, kept in the database with the letter (durable together)."""

    letter = models.ForeignKey(Letter, models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    def __str__(self):
        return self.name


class BlockedSender(models.Model):
    """A contact or address whose letters are held for review (never silently dropped)."""

    kind = models.CharField(
        _("类型"), max_length=10, choices=[("contact", _("联系方式")), ("address", _("网络地址"))]
    )
    value_index = models.CharField(max_length=64)
    value_masked = models.CharField(_("对象"), max_length=80)
    reason = models.CharField(_("原因"), max_length=200)
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value_index"], name="interaction_block_once")
        ]

    def __str__(self):
        return self.value_masked


class HotlineMapping(models.Model):
    """Which column of a 12345/市长公开电话 export holds which field; remembered by name."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    columns = models.JSONField(_("列对应"), default=dict)  # field -> column header

    def __str__(self):
        return self.name


class HotlineCall(models.Model):
    """One call record imported from the hotline system (MBX-6)."""

    org = models.ForeignKey("orgs.Org", models.PROTECT, related_name="+")
    number = models.CharField(_("工单编号"), max_length=40)
    received_on = models.DateField(_("受理日期"))
    category = models.CharField(_("类别"), max_length=40, blank=True)
    closed = models.BooleanField(_("已办结"), default=False)
    visited = models.BooleanField(_("已回访"), default=False)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    batch = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="interaction_call_once")
        ]
        indexes = [models.Index(fields=["org", "received_on"])]

    def __str__(self):
        return self.number


class Proposal(models.Model):
    """A 人大代表建议 or 政协委员提案 handled by the government (MBX-5)."""

    kind = models.CharField(_("类型"), max_length=10, choices=ProposalKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(_("编号"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    proposers = models.CharField(_("代表/委员"), max_length=300)
    lead_org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    co_orgs = models.ManyToManyField(
        "orgs.Org", blank=True, related_name="+", verbose_name=_("协办单位")
    )
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("答复期限"))
    reply = models.TextField(_("答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    opinion = models.CharField(
        _("代表/委员意见"), max_length=20, choices=Opinion.choices, blank=True
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    reply_published = models.BooleanField(_("答复已公开"), default=False)

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")
        ordering = ["kind", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"], name="interaction_proposal_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"
