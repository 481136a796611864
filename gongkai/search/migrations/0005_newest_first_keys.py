"""SQLite: the FTS rowid (date key) now grows into the past, so "newest first" walks the
postings in ascending order, FTS5's cheaper direction (``SqliteBackend`` docstring): the
postings are rebuilt from ``search_entry``. PostgreSQL keeps no date key: nothing to do.
Backwards: rebuilt again with whatever key the code then has."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from gongkai.search.backends import SqliteBackend

    if schema_editor.connection.vendor == "sqlite":
        SqliteBackend().rebuild()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_punctuation_tokens")]

    operations = [migrations.RunPython(rebuild, rebuild)]
