"""SQLite: the FTS5 table gets a ``meta`` column of filter tokens (org paths, category, year,
validity; weight 0 in bm25), so filters are FTS5 terms. Rebuilt from ``search_entry``."""

from django.db import migrations

SQLITE = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, meta, content='', tokenize='ascii')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 0.0)')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 4000)",
]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='', tokenize='ascii')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 4000)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE:
        schema_editor.execute(sql)
    from gongkai.search.backends import SqliteBackend

    SqliteBackend().rebuild()  # the postings of existing entries, with the current tokens


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACK:
            schema_editor.execute(sql)  # empty: reindex after going back


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postings")]

    operations = [migrations.RunPython(forward, backward)]
