"""Needs and interests as the recommender sees them, from the database or the seed file.

The seed file (``needs_seed.json``) is the starting point; council staff edit the
``NeedMapping`` rows afterwards, and the live site reads the rows. The evaluation
reads the seed file directly so it runs without a database.

A need's phrases are the listing-say phrases of the concept of the same code in the
concept lexicon (``vocabulary``), the one search expands queries with: edited once, in
the admin's Concepts, they serve both search and suggestions. An interest (no concept)
keeps its own keywords.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vocabulary.lexicon import concepts_from_db, concepts_from_seed, need_phrases

SEED_PATH = Path(__file__).resolve().parent / "needs_seed.json"
#: Keyword phrases are separated by commas, semicolons or new lines.
_SEPARATORS = re.compile(r"[,;\n]+")


def split_phrases(keywords: str) -> list[str]:
    """'hot meal, food bank' -> ['hot meal', 'food bank'] (blank items dropped)."""
    return [" ".join(item.split()) for item in _SEPARATORS.split(keywords) if item.strip()]


@dataclass(frozen=True)
class NeedSpec:
    """A need or an interest: its words and the category codes that serve it."""

    code: str
    label: str
    reason: str
    term_codes: tuple[str, ...]
    keywords: str
    kind: str = "need"
    #: The phrases of the need's concept in the lexicon (people say and listings say).
    concept_phrases: tuple[str, ...] = ()

    @property
    def phrases(self) -> list[str]:
        """A need's concept phrases, or an interest's keywords as phrases (comma-
        separated), each matched only as a whole."""
        own = self.concept_phrases if self.kind == "need" else split_phrases(self.keywords)
        seen: dict[str, str] = {}
        for phrase in own:
            seen.setdefault(phrase.casefold(), phrase)
        return list(seen.values())

    @property
    def short_label(self) -> str:
        """'gardening' from 'Gardening', for 'Mentions gardening'."""
        return self.label[:1].lower() + self.label[1:]


def read_seed(path: Path = SEED_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def specs_from_seed(path: Path = SEED_PATH) -> tuple[list[NeedSpec], list[NeedSpec]]:
    """(needs, interests) straight from the seed file."""
    data = read_seed(path)
    shared = need_phrases(concepts_from_seed())
    needs = [_spec(item, "need", shared.get(item["code"], ())) for item in data["needs"]]
    interests = [_spec(item, "interest") for item in data["interests"]]
    return needs, interests


def _spec(item: dict[str, Any], kind: str, concept_phrases: tuple[str, ...] = ()) -> NeedSpec:
    return NeedSpec(
        code=item["code"],
        label=item["label"],
        reason=item.get("reason", ""),
        term_codes=tuple(item.get("term_codes", ())),
        keywords=item.get("keywords", ""),
        kind=kind,
        concept_phrases=concept_phrases,
    )


def specs_from_db() -> tuple[list[NeedSpec], list[NeedSpec]]:
    """(needs, interests) as council staff have edited them; the seed if the table is empty."""
    from recommender.models import MappingKind, NeedMapping

    rows = list(NeedMapping.objects.prefetch_related("taxonomy_terms"))
    if not rows:
        return specs_from_seed()
    shared = need_phrases(concepts_from_db())
    needs: list[NeedSpec] = []
    interests: list[NeedSpec] = []
    for row in rows:
        spec = NeedSpec(
            code=row.code,
            label=row.label,
            reason=row.reason,
            term_codes=tuple(sorted(term.code for term in row.taxonomy_terms.all())),
            keywords=row.keywords,
            kind=row.kind,
            concept_phrases=shared.get(row.code, ()) if row.kind == MappingKind.NEED else (),
        )
        (needs if row.kind == MappingKind.NEED else interests).append(spec)
    return needs, interests


def load_need_mappings(need_model: Any, term_model: Any, path: Path = SEED_PATH) -> int:
    """Create or update a NeedMapping per seed entry; return how many were created.

    Takes the model classes so the data migration can pass its historical models.
    Idempotent: keyed on ``code``. Running it again resets seeded rows to the file,
    so the command asks before overwriting staff edits (see load_need_mappings).
    """
    data = read_seed(path)
    terms = {term.code: term for term in term_model.objects.all()}
    created_count = 0
    for kind, key in (("need", "needs"), ("interest", "interests")):
        for order, item in enumerate(data[key]):
            mapping, created = need_model.objects.update_or_create(
                code=item["code"],
                defaults={
                    "kind": kind,
                    "label": item["label"],
                    "reason": item.get("reason", ""),
                    # A need's words are its concept's (``vocabulary.seed`` puts the
                    # seed's there); only an interest keeps its own.
                    "keywords": item.get("keywords", "") if kind == "interest" else "",
                    "sort_order": order,
                },
            )
            created_count += int(created)
            mapping.taxonomy_terms.set(
                [terms[code] for code in item.get("term_codes", ()) if code in terms]
            )
    return created_count
