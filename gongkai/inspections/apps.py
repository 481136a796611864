from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "gongkai.inspections"
    verbose_name = _("双随机一公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gongkai.inspections import receivers  # noqa: F401  (calendar_changed)
