"""Seed the concept lexicon, and let council admins and moderators edit it.

The hand-written core (``vocabulary/seed_core.py``) is enriched from the LGA Services
List and Open Eligibility in ``DIRECTORY_SHARED_DATA`` when they are there, and from
the self-assessment's needs; without the shared data the core alone is loaded.
Concepts that already exist (by slug) are left as staff edited them.
"""

from django.conf import settings
from django.db import migrations

ADMIN = "Council admins"
MODERATOR = "Council moderators"
MODELS = ("concept",)


def seed(apps, schema_editor):
    from vocabulary.seed import load_concepts

    load_concepts(
        apps.get_model("vocabulary", "Concept"),
        apps.get_model("vocabulary", "ConceptPhrase"),
        apps.get_model("directory", "TaxonomyTerm"),
        getattr(settings, "DIRECTORY_SHARED_DATA", None),
    )
    apps.get_model("vocabulary", "LexiconState").objects.get_or_create(pk=1)


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; the groups need them now.
    config = apps.get_app_config("vocabulary")
    config.models_module = True
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    actions = {ADMIN: ("add", "change", "delete", "view"), MODERATOR: ("add", "change", "view")}
    for name, allowed in actions.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="vocabulary",
                    codename__in=[f"{a}_{m}" for a in allowed for m in MODELS],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("vocabulary", "0001_initial"),
        ("directory", "0005_more_kinds_of_provision"),
        ("cms_workflows", "0001_roles_and_council_approval"),
    ]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
