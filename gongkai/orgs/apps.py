from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.orgs"
    verbose_name = "机关"
    default_auto_field = "django.db.models.BigAutoField"
