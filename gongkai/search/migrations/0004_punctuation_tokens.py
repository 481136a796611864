"""Tokens now keep punctuation inside runs (``text.tokens``: 0816-2222222, 绵府发〔2017〕12号,
PM2.5 are phrases of bigrams, no recheck): the postings are rebuilt from ``search_entry``
on both databases. Backwards: rebuilt again with whatever tokens the code then has."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from gongkai.search.backends import PostgresBackend, SqliteBackend

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        SqliteBackend().rebuild()
    elif vendor == "postgresql":
        PostgresBackend().rebuild()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_tokens")]

    operations = [migrations.RunPython(rebuild, rebuild)]
