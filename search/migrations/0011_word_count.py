"""Each indexed listing's BM25 length, for the words part of ``search.ranking``.

Existing rows are counted from the text already in the index, so no rebuild is
needed; a row that is written again counts itself (``store._listing``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

BATCH = 2000


def count_words(apps: Any, schema_editor: Any) -> None:
    from directory.bm25 import analyse
    from search.documents import WORDS_FIELDS, words_text

    listing = apps.get_model("search", "IndexedListing")
    rows = listing.objects.using(schema_editor.connection.alias).only("page_id", *WORDS_FIELDS)
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.word_count = len(analyse(words_text(*(getattr(row, f) for f in WORDS_FIELDS))))
        batch.append(row)
        if len(batch) >= BATCH:
            listing.objects.using(schema_editor.connection.alias).bulk_update(batch, ["word_count"])
            batch = []
    if batch:
        listing.objects.using(schema_editor.connection.alias).bulk_update(batch, ["word_count"])


class Migration(migrations.Migration):
    dependencies = [("search", "0010_fts_without_places")]

    operations = [
        migrations.AddField(
            model_name="indexedlisting",
            name="word_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
