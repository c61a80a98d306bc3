"""Adds the seed taxonomy's newer kinds of provision (pharmacies, GP surgeries, care
homes, community meals, families, employment...) to existing installs.

Only terms that are missing are created: a term the council already has (by code)
is left exactly as staff edited it.
"""

from django.db import migrations


def add_missing_terms(apps, schema_editor):
    from directory.taxonomy_seed import TAXONOMY_NAME, TAXONOMY_SLUG, iter_seed_terms

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        slug=TAXONOMY_SLUG, defaults={"name": TAXONOMY_NAME, "version": "1"}
    )
    by_code = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    for item, parent in iter_seed_terms():
        if item.code in by_code:
            continue
        by_code[item.code] = TaxonomyTerm.objects.create(
            taxonomy=taxonomy,
            code=item.code,
            name=item.name,
            lga_service_id=item.lga_id,
            synonyms=item.synonyms,
            parent=by_code.get(parent.code) if parent else None,
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_source_external_id_unique")]
    operations = [migrations.RunPython(add_missing_terms, migrations.RunPython.noop)]
