"""A need's phrases live on its concept only (one place to edit them).

Every phrase a need's own keywords held that its concept (the concept whose slug is
the need's code) does not have yet is added to the concept as a listing-say phrase,
creating the concept if there is none; then the need's keywords are cleared. Nothing
anyone wrote is lost, and the lexicon's version moves on so every process rereads it.
"""

import re

from django.db import migrations, models

SEPARATORS = re.compile(r"[,;\n]+")


def move_need_keywords(apps, schema_editor):
    need_model = apps.get_model("recommender", "NeedMapping")
    concept_model = apps.get_model("vocabulary", "Concept")
    phrase_model = apps.get_model("vocabulary", "ConceptPhrase")
    state_model = apps.get_model("vocabulary", "LexiconState")
    moved = False
    for need in need_model.objects.filter(kind="need").exclude(keywords=""):
        concept = concept_model.objects.filter(slug=need.code).first()
        if concept is None:
            concept = concept_model.objects.create(name=need.label, slug=need.code, kind="need")
        phrases = phrase_model.objects.filter(concept=concept)
        known = {p.text.casefold() for p in phrases}
        order = max((p.sort_order or 0 for p in phrases), default=0)
        for item in SEPARATORS.split(need.keywords):
            text = " ".join(item.split())
            if text and text.casefold() not in known:
                order += 1
                phrase_model.objects.create(
                    concept=concept, text=text[:200], side="listings", sort_order=order
                )
                known.add(text.casefold())
        need.keywords = ""
        need.save(update_fields=["keywords"])
        moved = True
    if moved and not state_model.objects.filter(pk=1).exists():
        state_model.objects.create(pk=1, version=1)
    elif moved:
        state = state_model.objects.get(pk=1)
        state.version += 1
        state.save(update_fields=["version"])


class Migration(migrations.Migration):
    dependencies = [
        ("recommender", "0004_keyword_phrases"),
        ("vocabulary", "0002_seed_concepts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="needmapping",
            name="keywords",
            field=models.TextField(
                blank=True,
                help_text="Interests only: words and phrases people and listings use for this, separated by commas, e.g. “knitting, sewing, craft group”. A listing matches a phrase only when it has all of its words together. A need’s phrases are edited once, on its concept under Concepts (the concept whose identifier is this need’s code), and serve search too.",
            ),
        ),
        migrations.RunPython(move_need_keywords, migrations.RunPython.noop),
    ]
