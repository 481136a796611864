from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.monitor"
    verbose_name = _("网站监测")
    default_auto_field = "django.db.models.BigAutoField"
