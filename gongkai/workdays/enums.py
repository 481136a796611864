from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What a State Council notice says about one date (CAL-1, CAL-2)."""

    HOLIDAY = "holiday", _("放假")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class DayType(models.TextChoices):
    """How the calendar sees one date when it explains a count (CAL-1)."""

    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")
