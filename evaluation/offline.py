"""Listing records straight from a warm spaces CSV, without a database.

Used by the evaluation and the benchmark. Each row goes through the importer's own
``prepare_row`` (the same cleaning, schedule parsing and categorising as a real
import) and then ``features.record_from_import``, so the features match what
``build_recommender`` derives from imported pages. Categories come from the seed
taxonomy rather than the database.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from directory.categorise import Categoriser
from importers.records import SkipRecord
from importers.sources.warm_spaces.rows import prepare_row
from recommender.features import ListingRecord, record_from_import


def seed_categoriser() -> Categoriser:
    return Categoriser.from_seed()


def optional_gazetteer() -> Any:
    """The gazetteer when its store is built; rows with their own points work without it."""
    from geography.gazetteer import GazetteerUnavailable, get_gazetteer

    try:
        return get_gazetteer()
    except GazetteerUnavailable:
        return None


def records_from_csv(
    path: Path, *, gazetteer: Any = None, limit: int | None = None
) -> tuple[list[ListingRecord], list[dict[str, str]]]:
    """(records, the raw rows they came from) for every importable row."""
    categoriser = seed_categoriser()
    records: list[ListingRecord] = []
    rows: list[dict[str, str]] = []
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if limit is not None and len(records) >= limit:
                break
            clean = {k: v or "" for k, v in row.items() if k}
            try:
                listing = prepare_row(clean, number, gazetteer, categoriser)
            except SkipRecord:
                continue
            records.append(record_from_import(listing))
            rows.append(clean)
    return records, rows
