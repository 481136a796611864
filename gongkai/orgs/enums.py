from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Administrative level of an organization's government."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class Kind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("部门")
    OFFICE = "office", _("派出机构")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("公开办管理员")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    HANDLER = "handler", _("承办人")
    REVIEWER = "reviewer", _("审核人")
