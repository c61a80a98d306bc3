"""Categorisation precision and recall on hand-labelled listings from the shared data.

    python -m evaluation.categorisation [--show-errors]

Each labelled listing (``categorisation_sample.json``; how it was labelled:
``CATEGORISATION.md``) is read again from its source file and categorised the way
its importer does it (``directory.categorise`` on the listing's name and
description, and for ORUK services the feed's own categories first), from the seed
taxonomy, without a database. Reported as micro precision and recall over
(listing, category) pairs, for the development half, the held-out half, both, and each source:

* strict: the most specific categories, exactly as stored on a listing;
* with ancestors: each side's categories plus their parents (a "lunch club" label
  met by "social groups" counts for the parent only).

``warm-spaces`` is left out of both sides: the warm spaces importer gives it to
every row by source, so it would only flatter the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

SAMPLE = Path(__file__).with_name("categorisation_sample.json")
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8
LEFT_OUT = frozenset({"warm-spaces"})
WARM_SPACES_FILE = "listings/warm_spaces_uk.csv"
ORUK_FILES = {"oruk:north_lincolnshire_v1": "oruk/north_lincolnshire_v1.json"}


@dataclass
class Counts:
    true_positive: int = 0
    predicted: int = 0
    labelled: int = 0

    def add(self, predicted: set[str], labelled: set[str]) -> None:
        self.true_positive += len(predicted & labelled)
        self.predicted += len(predicted)
        self.labelled += len(labelled)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.labelled if self.labelled else 1.0


def shared_data() -> Path:
    import django
    from django.conf import settings

    django.setup()
    return Path(settings.DIRECTORY_SHARED_DATA)


def listing_texts(data: Path, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """(source, external id) → (title, description, feed terms), read from the files."""
    from importers.parsing.text import clean_text
    from importers.sources.oruk.mapping import feed_terms

    wanted = set(wanted)
    found: dict[tuple[str, str], Any] = {}
    with (data / WARM_SPACES_FILE).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            key = ("warm_spaces_uk", row["id"])
            if key in wanted:
                found[key] = (row["title"], row["description"], [])
    for source, name in ORUK_FILES.items():
        for service in json.loads((data / name).read_text(encoding="utf-8")):
            key = (source, str(service.get("id")))
            if key in wanted:
                title = clean_text(service.get("name"))
                found[key] = (title, clean_text(service.get("description")), feed_terms(service))
    return found


def with_ancestors(codes: set[str], parents: dict[str, str | None]) -> set[str]:
    closed: set[str] = set()
    for code in codes:
        while code and code not in closed:
            closed.add(code)
            code = parents.get(code) or ""
    return closed


def evaluate(show_errors: bool = False) -> dict[str, dict[str, Counts]]:
    from directory.categorise import Categoriser
    from directory.taxonomy_seed import iter_seed_terms

    listings = json.loads(SAMPLE.read_text(encoding="utf-8"))["listings"]
    texts = listing_texts(shared_data(), ((x["source"], x["external_id"]) for x in listings))
    parents = {item.code: (p.code if p else None) for item, p in iter_seed_terms()}
    categoriser = Categoriser.from_seed()
    results = {
        half: {"strict": Counts(), "with ancestors": Counts()}
        for half in ("develop", "holdout", "all")
    }
    for source in sorted({x["source"] for x in listings}):
        results[source] = {"strict": Counts(), "with ancestors": Counts()}
    for item in listings:
        key = (item["source"], item["external_id"])
        if key not in texts:
            raise SystemExit(f"{key} is no longer in the shared data")
        title, description, feed = texts[key]
        predicted = set(categoriser.codes_for(title, description, feed_terms=feed)) - LEFT_OUT
        labelled = set(item["categories"]) - LEFT_OUT
        for half in (item["half"], "all", item["source"]):
            results[half]["strict"].add(predicted, labelled)
            results[half]["with ancestors"].add(
                with_ancestors(predicted, parents), with_ancestors(labelled, parents)
            )
        if show_errors and predicted != labelled:
            print(
                f"{item['half']:8} {title[:50]!r}: extra {sorted(predicted - labelled)}, "
                f"missed {sorted(labelled - predicted)}"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    results = evaluate(args.show_errors)
    listings = len(json.loads(SAMPLE.read_text(encoding="utf-8"))["listings"])
    print(f"Categorisation on {listings} hand-labelled listings (micro precision / recall)")
    for half, by_kind in results.items():
        for kind, counts in by_kind.items():
            print(
                f"  {half:26} {kind:15} precision {counts.precision:.3f}  "
                f"recall {counts.recall:.3f}  ({counts.true_positive} right of "
                f"{counts.predicted} given, {counts.labelled} labelled)"
            )
    strict = results["all"]["strict"]
    met = strict.precision >= TARGET_PRECISION and strict.recall >= TARGET_RECALL
    print(
        f"Target (strict, all): precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}: "
        + ("met" if met else "NOT met")
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
