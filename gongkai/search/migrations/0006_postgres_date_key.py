"""PostgreSQL: the postings get the date key of ``SqliteBackend.key`` (``k``, ascending =
newest first) with a B-tree, so "newest first" without filters reads ``search_pg`` alone; and
a partial index on the lossy documents, so a query can tell in one probe that there are none
and leave out their recheck (``PostgresBackend``). SQLite: nothing to do."""

from django.db import migrations

ID_MASK = (1 << 32) - 1
DAY_MAX = 3652059  # date.max.toordinal()

FORWARD = [
    "ALTER TABLE search_pg ADD COLUMN k bigint",
    "UPDATE search_pg p SET k = ((%d - (e.published - date '0001-01-01' + 1))::bigint << 32)"
    " | (%d - e.id) FROM search_entry e WHERE e.id = p.id" % (DAY_MAX, ID_MASK),
    "ALTER TABLE search_pg ALTER COLUMN k SET NOT NULL",
    "CREATE INDEX search_pg_k ON search_pg (k)",
    "CREATE INDEX search_pg_lossy ON search_pg (id) WHERE lossy",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_pg_lossy",
    "DROP INDEX IF EXISTS search_pg_k",
    "ALTER TABLE search_pg DROP COLUMN IF EXISTS k",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_newest_first_keys")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
