"""Full-text postings beside ``search_entry``, in the database's own machinery.

SQLite: a contentless FTS5 table over pre-computed bigram tokens (``ascii`` tokenizer: it
splits at spaces and keeps every non-ASCII character), ranked by bm25 with the title ×10.
PostgreSQL: a table of tsvectors with a GIN index.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='', tokenize='ascii')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 4000)",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES = [
    "CREATE TABLE search_pg ("
    " id bigint PRIMARY KEY,"
    " tsv tsvector NOT NULL, lossy boolean NOT NULL DEFAULT false)",
    "CREATE INDEX search_pg_tsv ON search_pg USING gin (tsv)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_pg"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
