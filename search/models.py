"""Storage for the database search backend: a denormalised copy of each live listing.

Rows are written only through ``search.backends.database.store.index_writer`` (from
``ListingDocument``s) and never edited by hand. ``page_id`` is the ServicePage id
but deliberately not a foreign key: the index may briefly hold a page being
deleted, and the benchmark fills these tables without creating pages.

Full text lives in the FTS5 virtual table ``search_listing_fts`` on SQLite (created
by migration 0001, rowid = page_id) and in ``search_vector`` (GIN-indexed) on
PostgreSQL; ``search_vector`` is unused on SQLite.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

FLAG_FREE = 1
FLAG_IN_PERSON = 2
FLAG_ONLINE = 4
FLAG_PHONE = 8
FLAG_WHEELCHAIR = 16
FLAG_HEARING_LOOP = 32
FLAG_ACCESSIBLE_TOILET = 64
FLAG_PARKING = 128
FLAG_NATIONAL = 256
FLAG_TEMPORARILY_CLOSED = 512


class IndexedListing(models.Model):
    page_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    organisation = models.CharField(max_length=255, blank=True)
    #: Category names, their ancestors' names and the terms' synonyms.
    keywords = models.TextField(blank=True)
    #: Space-separated taxonomy codes including ancestors (facet counting).
    categories = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    temporarily_closed = models.BooleanField(default=False)
    is_free = models.BooleanField(default=False)
    min_age = models.PositiveSmallIntegerField(null=True)
    max_age = models.PositiveSmallIntegerField(null=True)
    in_person = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    by_phone = models.BooleanField(default=False)
    wheelchair = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    parking = models.BooleanField(default=False)
    #: Bit d set when there is any opening on weekday d (Monday = bit 0): a SQL prefilter.
    open_days = models.PositiveSmallIntegerField(default=0)
    #: [[day, opens_min, closes_min, ordinal|null, valid_from|null, valid_to|null], ...]
    slots = models.JSONField(default=list)
    #: [[name, postcode, lat, lon], ...] for "nearest venue" without another query.
    venues = models.JSONField(default=list)
    last_verified_on = models.DateField(null=True)
    #: FLAG_* bits of the booleans above, so searches fetch one integer per row.
    flags = models.PositiveIntegerField(default=0)
    #: How many BM25 words (``directory.bm25.analyse``) its ``WORDS_FIELDS`` hold:
    #: the length the words part of ``search.ranking`` normalises by.
    word_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "indexed listing"

    def __str__(self) -> str:
        return self.title


class IndexedLocation(models.Model):
    """One venue point; the (lat, lon) index serves the bounding-box prefilter."""

    listing = models.ForeignKey(IndexedListing, on_delete=models.CASCADE, related_name="points")
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        # Covering (listing last), so the bounding-box scan never reads the table.
        indexes = [models.Index(fields=["lat", "lon", "listing"], name="search_loc_box")]

    def __str__(self) -> str:
        return f"{self.lat:.5f}, {self.lon:.5f}"


class IndexedCoverage(models.Model):
    """An area a listing covers: a GSS code, or a radius round a base."""

    listing = models.ForeignKey(IndexedListing, on_delete=models.CASCADE, related_name="coverages")
    area_code = models.CharField(max_length=9, blank=True, db_index=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    radius_miles = models.FloatField(null=True)

    def __str__(self) -> str:
        return self.area_code or f"{self.radius_miles} miles of {self.lat}, {self.lon}"


class IndexedWord(models.Model):
    """Vocabulary for typo correction. Only grows between rebuilds (harmless: a
    correction to a word no listing still uses simply finds nothing)."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.word


class IndexState(models.Model):
    """A single row whose ``generation`` changes (to a random value) with every index
    write that inserts or deletes anything, so each process knows when its cached
    snapshot and vocabulary are stale."""

    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.generation}"


# The outbox and the change log live with the code that writes and reads them;
# imported so Django sees them.
from search.changelog import IndexChange  # noqa: E402, F401
from search.outbox import ListingOutbox  # noqa: E402, F401
