"""Full-text storage that depends on the database vendor.

SQLite: an FTS5 virtual table (rowid = IndexedListing.page_id) with the Porter
stemmer and accent folding. PostgreSQL: a GIN index on the tsvector column. Each
vendor skips the other's step, so one migration history serves both.
"""

from django.db import migrations

FTS_TABLE = "search_listing_fts"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, summary, description, keywords, organisation, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_listing_vector_gin "
            "ON search_indexedlisting USING GIN (search_vector)"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_listing_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
