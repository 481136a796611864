from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.lists"
    verbose_name = _("公开清单")
    default_auto_field = "django.db.models.BigAutoField"
