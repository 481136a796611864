from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.audit"
    verbose_name = "审计"
    default_auto_field = "django.db.models.BigAutoField"
