"""A new lexicon version whenever its inputs change: a concept, one of its phrases or
categories, or a category's name or synonyms. Each process's cached search lexicon
compares the version before every search (``search.backends.lexicon``), so an edit in
the admin takes effect at once in every web worker, after commit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F


def bump(**kwargs: Any) -> None:
    from vocabulary.models import LexiconState

    if not LexiconState.objects.filter(pk=1).update(version=F("version") + 1):
        LexiconState.objects.get_or_create(pk=1, defaults={"version": 1})


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from directory.models import TaxonomyTerm
    from vocabulary.models import Concept, ConceptPhrase

    for model in (Concept, ConceptPhrase, TaxonomyTerm):
        name = model._meta.label_lower
        post_save.connect(bump, sender=model, dispatch_uid=f"vocabulary-save-{name}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"vocabulary-delete-{name}")
    m2m_changed.connect(
        bump, sender=Concept.taxonomy_terms.through, dispatch_uid="vocabulary-concept-terms"
    )
