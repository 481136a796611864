from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    """The public lists of PUB-9; the four 收费目录清单 are those of the seed report."""

    POWER = "power", _("权责清单")
    FEE_ADMIN = "fee_admin", _("行政事业性收费目录清单")
    FEE_ENTERPRISE = "fee_enterprise", _("涉企行政事业性收费目录清单")
    FEE_FUND = "fee_fund", _("政府性基金收费目录清单")
    FEE_SERVICE = "fee_service", _("涉企经营服务性收费目录清单")
    INSPECTION = "inspection", _("随机抽查事项清单")
    CERTIFICATE = "certificate", _("证明事项清单")


class Change(models.TextChoices):
    """What happened to an entry in this year's version (PUB-9)."""

    RETAINED = "retained", _("保留")
    ADDED = "added", _("新增")
    CANCELLED = "cancelled", _("取消")
    MERGED = "merged", _("合并")
    DELEGATED = "delegated", _("下放")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


# 权责清单 categories (事项类别); the first three feed the 2019 表二 rows (RPT-13).
POWER_CATEGORIES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
)
