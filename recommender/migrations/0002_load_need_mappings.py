from django.db import migrations


def load(apps, schema_editor):
    from recommender.needs import load_need_mappings

    load_need_mappings(
        apps.get_model("recommender", "NeedMapping"),
        apps.get_model("directory", "TaxonomyTerm"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommender", "0001_initial"),
        ("directory", "0002_seed_taxonomy"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
