from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.bench"
    verbose_name = "性能测试"
    default_auto_field = "django.db.models.BigAutoField"
