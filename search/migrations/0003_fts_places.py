"""SQLite: rebuild the FTS5 table with a ``places`` column (geographic cell and
area-code tokens, see ``search.backends.database.geocells``).

The index is derived data: this empties it on SQLite, so run
``manage.py rebuild_search_index`` afterwards. PostgreSQL is unaffected.
"""

from django.db import migrations

FTS_TABLE = "search_listing_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "title, summary, description, keywords, organisation, places, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for name in ("IndexedLocation", "IndexedCoverage", "IndexedCategory", "IndexedListing"):
        apps.get_model("search", name).objects.all().delete()


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "title, summary, description, keywords, organisation, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for name in ("IndexedLocation", "IndexedCoverage", "IndexedCategory", "IndexedListing"):
        apps.get_model("search", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]
    operations = [migrations.RunPython(forwards, backwards)]
