"""Choices of the monitor app: English values, Chinese labels (RULES.zh.md §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteType(models.TextChoices):
    """MON-1."""

    PORTAL = "portal", _("政府门户网站")
    DEPARTMENT = "department", _("部门网站")
    SPECIAL = "special", _("专项网站")


class SiteStatus(models.TextChoices):
    """MON-1."""

    RUNNING = "running", _("运行")
    RECTIFYING = "rectifying", _("整改")
    CLOSED = "closed", _("关停")
    MERGED = "merged", _("整合下线")


class ColumnKind(models.TextChoices):
    """MON-3."""

    NEWS = "NEWS", _("动态、要闻类")
    NOTICE_POLICY = "NOTICE_POLICY", _("通知公告、政策文件类")
    PERSONNEL_PLAN = "PERSONNEL_PLAN", _("人事、规划计划类")
    CONSULT = "CONSULT", _("政务咨询类")
    SURVEY = "SURVEY", _("调查征集类")
    INTERVIEW = "INTERVIEW", _("在线访谈类")
    PETITION = "PETITION", _("网上信访")
    DISCIPLINE = "DISCIPLINE", _("纪检举报")
    SERVICE = "SERVICE", _("办事服务")
    OTHER = "OTHER", _("其他")


class FindingKind(models.TextChoices):
    VETO = "veto", _("单项否决")
    DEDUCTION = "deduction", _("扣分")
    NOTICE = "notice", _("提示（需人工核查）")


class SiteFlag(models.TextChoices):
    """MON-22."""

    NONE = "", _("无")
    SLEEPING = "SLEEPING", _("睡眠网站")
    ZOMBIE = "ZOMBIE", _("僵尸网站")


class TicketStatus(models.TextChoices):
    """MON-18."""

    RECEIVED = "received", _("已收到")
    ASSIGNED = "assigned", _("已转办")
    FIXED = "fixed", _("已改正")
    NOT_AN_ERROR = "not_an_error", _("经核实非错误")
    REVIEWED = "reviewed", _("已审核")
    REPLIED = "replied", _("已答复")
