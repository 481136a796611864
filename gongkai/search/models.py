from django.db import models


class Entry(models.Model):
    """One indexed document: the fields to filter and show, and its normalised text.

    ``id`` is the catalog item's primary key (the index mirrors the catalog, one row per
    published item), always given, never generated; an auto field only so that on SQLite it
    is the rowid (``INTEGER PRIMARY KEY``): one B-tree lookup per id instead of two. ``text`` is ``text.searchable(...)``: what LIKE scans and what the
    full-text backends recheck against. The full-text postings live beside this table
    (``search_fts`` on SQLite, ``search_pg`` on PostgreSQL; see migrations).
    """

    id = models.BigAutoField(primary_key=True)
    org_id = models.BigIntegerField()
    org_path = models.CharField(max_length=255)
    category = models.CharField(max_length=64, blank=True)
    year = models.IntegerField()
    validity = models.CharField(max_length=32, blank=True)
    published = models.DateField()
    title = models.TextField()
    number = models.CharField(max_length=128, blank=True)
    index_no = models.CharField(max_length=128, blank=True)
    body = models.TextField(blank=True)
    text = models.TextField()
    ntitle = models.TextField()  # normalised title (title hits weigh more in LIKE ranking)

    class Meta:
        indexes = [
            models.Index(fields=["published", "id"], name="search_entry_published"),
            models.Index(fields=["org_path"], name="search_entry_org_path"),
            models.Index(fields=["category"], name="search_entry_category"),
            models.Index(fields=["year"], name="search_entry_year"),
        ]

    def __str__(self):
        return self.title
