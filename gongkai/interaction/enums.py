"""Choices of the interaction app: English values, Chinese labels (RULES.zh.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("网上留言")
    POST = "post", _("来信")
    PHONE = "phone", _("来电")


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    """MBX-2: 受理 → 转办 → 办理 → 答复（审核后）→ 公开."""

    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    TRANSFERRING = "transferring", _("转办中")
    HANDLING = "handling", _("办理中")
    REVIEWING = "reviewing", _("待审核")
    REPLIED = "replied", _("已答复")
    PUBLISHED = "published", _("已公开")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", _("不予受理")
    TRANSFER = "transfer", _("转办")
    BOUNCE = "bounce", _("退回转办")
    TAKE = "take", _("签收办理")
    DRAFT = "draft", _("起草答复")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    SEND = "send", _("发送答复")
    PUBLISH = "publish", _("公开答复")
    RATE = "rate", _("评价")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ProposalKind(models.TextChoices):
    NPC = "npc", _("人大代表建议")
    CPPCC = "cppcc", _("政协委员提案")


class Opinion(models.TextChoices):
    """The proposer's opinion of the reply (MBX-5)."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
