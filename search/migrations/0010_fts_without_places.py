"""SQLite: the FTS5 table without its ``places`` column.

Searches near a place no longer ask FTS5 for geographic tokens (the snapshot finds
the listings near the place, and each word's matches come from a cached bitmap), so
the column only cost index time and space. The text columns are copied across, so
the index keeps working without a rebuild. PostgreSQL is unaffected.
"""

from django.db import migrations

FTS_TABLE = "search_listing_fts"
TEXT = "title, summary, description, keywords, organisation"
TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"


def rebuild(schema_editor, columns: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    new = f"{FTS_TABLE}_new"
    schema_editor.execute(f"DROP TABLE IF EXISTS {new}")
    schema_editor.execute(f"CREATE VIRTUAL TABLE {new} USING fts5({columns}, {TOKENIZE})")
    schema_editor.execute(
        f"INSERT INTO {new} (rowid, {TEXT}) SELECT rowid, {TEXT} FROM {FTS_TABLE}"
    )
    schema_editor.execute(f"DROP TABLE {FTS_TABLE}")
    schema_editor.execute(f"ALTER TABLE {new} RENAME TO {FTS_TABLE}")


def forwards(apps, schema_editor):
    rebuild(schema_editor, TEXT)


def backwards(apps, schema_editor):
    # The place tokens are not restored: rebuild the index after going back.
    rebuild(schema_editor, f"{TEXT}, places")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_drop_rank_text")]
    operations = [migrations.RunPython(forwards, backwards)]
