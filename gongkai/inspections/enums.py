"""Choices of the inspections app: English values, Chinese labels (RULES.zh.md §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Importance(models.TextChoices):
    """RND-1: 重点检查事项 have no upper ratio; 一般检查事项 are strictly limited."""

    KEY = "key", _("重点检查事项")
    GENERAL = "general", _("一般检查事项")


class RiskLevel(models.TextChoices):
    """RND-2, RND-6: entities with complaints or abnormal records are drawn more often."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class Weighting(models.TextChoices):
    """RND-4: 不定向 uniform draw, or weighted by the published risk table."""

    UNIFORM = "uniform", _("等概率")
    RISK = "risk", _("按风险加权")


class DrawStatus(models.TextChoices):
    DRAWN = "drawn", _("已抽取")
    CLOSED = "closed", _("已结束")


class Outcome(models.TextChoices):
    """RND-8: what an inspection found."""

    NONE = "none", _("未发现问题")
    PROBLEMS = "problems", _("发现问题")
    RECTIFY = "rectify", _("责令整改")
    CASE = "case", _("立案查处")
