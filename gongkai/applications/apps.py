from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.applications"
    verbose_name = _("依申请公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gongkai.applications import receivers  # noqa: F401  (calendar_changed)
