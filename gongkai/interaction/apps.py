from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.interaction"
    verbose_name = _("互动交流")
    default_auto_field = "django.db.models.BigAutoField"
