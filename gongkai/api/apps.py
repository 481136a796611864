from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.api"
    verbose_name = "接口"
    default_auto_field = "django.db.models.BigAutoField"
