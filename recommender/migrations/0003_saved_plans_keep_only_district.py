"""Saved plans made before this release kept the full postcode and free text: trim them."""

from django.db import migrations


def trim_saved_answers(apps, schema_editor):
    from recommender.models import answers_to_keep

    SavedPlan = apps.get_model("recommender", "SavedPlan")
    for plan in SavedPlan.objects.all().iterator():
        plan.answers = answers_to_keep(plan.answers or {})
        plan.save(update_fields=["answers"])


class Migration(migrations.Migration):
    dependencies = [("recommender", "0002_load_need_mappings")]

    operations = [migrations.RunPython(trim_saved_answers, migrations.RunPython.noop)]
