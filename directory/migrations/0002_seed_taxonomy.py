from django.db import migrations


def seed(apps, schema_editor):
    from directory.taxonomy_seed import (
        TAXONOMY_NAME,
        TAXONOMY_SLUG,
        iter_seed_terms,
    )

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        slug=TAXONOMY_SLUG, defaults={"name": TAXONOMY_NAME, "version": "1"}
    )
    by_code = {}
    for item, parent in iter_seed_terms():
        by_code[item.code], _ = TaxonomyTerm.objects.update_or_create(
            taxonomy=taxonomy,
            code=item.code,
            defaults={
                "name": item.name,
                "lga_service_id": item.lga_id,
                "synonyms": item.synonyms,
                "parent": by_code[parent.code] if parent else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
