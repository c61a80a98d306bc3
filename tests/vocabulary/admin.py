"""The POST body Wagtail's snippet editor expects for a Concept, with phrases added."""

from __future__ import annotations

from typing import Any

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from vocabulary.models import Concept


def concept_edit_form(concept: Concept, add: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """The edit form for ``concept`` as stored, plus ``add``: (text, side) phrases."""
    rows: list[dict[str, Any]] = [
        {"id": p.pk, "text": p.text, "side": p.side} for p in concept.phrases.all()
    ]
    rows += [{"text": text, "side": side} for text, side in add]
    data: dict[str, Any] = nested_form_data(
        {
            "name": concept.name,
            "slug": concept.slug,
            "kind": concept.kind,
            "description": concept.description,
            "phrases": inline_formset(rows),
        }
    )
    data["taxonomy_terms"] = [t.pk for t in concept.taxonomy_terms.all()]
    return data
