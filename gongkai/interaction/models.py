from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.interaction.enums import Category, Channel, Satisfaction, Status
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

    class Meta:
        verbose_name = _("信箱")
        verbose_name_plural = _("信箱")

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
