from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _drop_orphan_postings(using="default", **kwargs) -> None:
    """After ``flush`` (tests) the entries are gone but the FTS postings are not Django
    tables; with no entry left, clear the postings too (``flush`` sends post_migrate)."""
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "search_entry" not in tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_entry LIMIT 1")
        if cursor.fetchone():
            return
        if "search_fts" in tables:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        if "search_pg" in tables:
            cursor.execute("DELETE FROM search_pg")


class Config(AppConfig):
    name = "gongkai.search"
    verbose_name = _("全文检索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_drop_orphan_postings, sender=self)
