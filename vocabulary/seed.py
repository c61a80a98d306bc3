"""The lexicon's starting point: the hand-written core (``seed_core``), enriched from
the LGA Services List and Open Eligibility (in ``DIRECTORY_SHARED_DATA/taxonomies``,
when present) and from the self-assessment's needs (``recommender/needs_seed.json``).

* an LGA service a concept lists (by LGSL id) adds its label as a listing-say phrase:
  it is the name councils publish that service under;
* an Open Eligibility situation or service it lists adds its title as a people-say
  phrase ("Grieving", "Help Pay for Gas"): it names a person's situation or need;
* a self-assessment need adds its keywords (words listings use, curated for the
  recommender) and its categories to the need concept of the same code.

Without the shared data the core alone is loaded. The data migration and the code
that runs without a database (the evaluation, the Elasticsearch request tests) both
read ``seed_concepts``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.taxonomy_seed import TAXONOMY_SLUG
from vocabulary.seed_core import CORE, CoreConcept

#: Read as a file, not imported: vocabulary sits below the recommender.
NEEDS_SEED = Path(__file__).resolve().parent.parent / "recommender" / "needs_seed.json"
LGA_FILE = Path("taxonomies") / "lga_services_list.csv"
OE_FILE = Path("taxonomies") / "open_eligibility_taxonomy_v2.csv"


@dataclass(frozen=True)
class ConceptSeed:
    slug: str
    kind: str
    name: str
    description: str
    people: tuple[str, ...]
    listings: tuple[str, ...]
    term_codes: tuple[str, ...]


def _phrases(text: str) -> list[str]:
    return [" ".join(item.split()) for item in text.split(",") if item.strip()]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())


def lga_labels(shared_dir: Path | None) -> dict[str, str]:
    """{LGSL id: label} of live services; empty when the file is absent."""
    rows = _read_csv(shared_dir, LGA_FILE)
    return {r["Identifier"]: r["Label"] for r in rows if r.get("Status", "Live") == "Live"}


def oe_titles(shared_dir: Path | None) -> dict[str, str]:
    """{Open Eligibility id: title}; empty when the file is absent."""
    return {r["id"]: r["title"] for r in _read_csv(shared_dir, OE_FILE)}


def _read_csv(shared_dir: Path | None, relative: Path) -> list[dict[str, str]]:
    if shared_dir is None:
        return []
    try:
        with (Path(shared_dir) / relative).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError:
        return []


def _needs() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(NEEDS_SEED.read_text(encoding="utf-8"))
    except OSError:
        return {}
    return {item["code"]: item for item in data.get("needs", ())}


def seed_concepts(shared_dir: Path | None = None) -> list[ConceptSeed]:
    """Every seed concept, enriched from whatever shared data ``shared_dir`` holds."""
    lga, oe, needs = lga_labels(shared_dir), oe_titles(shared_dir), _needs()
    return [_concept(core, lga, oe, needs) for core in CORE]


def _concept(
    core: CoreConcept, lga: dict[str, str], oe: dict[str, str], needs: dict[str, dict[str, Any]]
) -> ConceptSeed:
    people, listings = _phrases(core.people), _phrases(core.listings)
    terms = core.terms.split()
    sources = []
    for lgsl in core.lgsl.split():
        if lgsl in lga:
            listings.append(lga[lgsl])
            sources.append(f"LGA service {lgsl} ({lga[lgsl]})")
    for oe_id in core.oe.split():
        if oe_id in oe:
            people.append(oe[oe_id])
            sources.append(f"Open Eligibility {oe_id} ({oe[oe_id]})")
    need = needs.get(core.slug) if core.kind == "need" else None
    if need is not None:
        listings.extend(_phrases(need.get("keywords", "")))
        terms.extend(need.get("term_codes", ()))
        sources.append("the self-assessment need of the same code")
    return ConceptSeed(
        slug=core.slug,
        kind=core.kind,
        name=core.name,
        description=("Seeded from " + "; ".join(sources) + ".") if sources else "",
        people=_unique(people),
        listings=_unique(listings),
        term_codes=_unique(terms),
    )


def load_concepts(
    concept_model: Any, phrase_model: Any, term_model: Any, shared_dir: Path | None
) -> int:
    """Create each seed concept that is missing (by slug); return how many.

    Takes the model classes so the data migration can pass its historical models. A
    concept staff already have is left exactly as they edited it.
    """
    terms = {term.code: term for term in term_model.objects.filter(taxonomy__slug=TAXONOMY_SLUG)}
    existing = set(concept_model.objects.values_list("slug", flat=True))
    created = 0
    for seed in seed_concepts(shared_dir):
        if seed.slug in existing:
            continue
        concept = concept_model.objects.create(
            slug=seed.slug, kind=seed.kind, name=seed.name, description=seed.description
        )
        rows = [("people", text) for text in seed.people]
        rows += [("listings", text) for text in seed.listings]
        phrase_model.objects.bulk_create(
            phrase_model(concept=concept, text=text[:200], side=side, sort_order=order)
            for order, (side, text) in enumerate(rows)
        )
        # Through rows directly: a migration's historical model cannot commit a
        # parental many-to-many (modelcluster defers it to its own save()).
        through = concept_model.taxonomy_terms.through
        through.objects.bulk_create(
            through(concept_id=concept.pk, taxonomyterm_id=terms[code].pk)
            for code in seed.term_codes
            if code in terms
        )
        created += 1
    return created
