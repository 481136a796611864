from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.portal"
    verbose_name = "门户"
    default_auto_field = "django.db.models.BigAutoField"
