from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.search"
    verbose_name = _("全文检索")
    default_auto_field = "django.db.models.BigAutoField"
