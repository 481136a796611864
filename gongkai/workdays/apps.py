from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.workdays"
    verbose_name = "工作日历"
    default_auto_field = "django.db.models.BigAutoField"
