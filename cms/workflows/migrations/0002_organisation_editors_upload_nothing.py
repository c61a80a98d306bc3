"""Organisation editors may no longer add or choose documents and images.

Wagtail serves a document (and an image's renditions) as soon as it is uploaded,
whatever the page it is meant for; an editor's upload was therefore public before
any council approval. Editors have no field that needs a document, and a logo is
set by a moderator, so the simplest safe rule is that editors upload nothing.
"""

from django.db import migrations

ORG_EDITOR = "Organisation editors"
MEDIA_PERMISSIONS = [
    f"{action}_{model}"
    for action in ("add", "change", "choose", "delete")
    for model in ("image", "document")
]


def remove_media_permissions(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name=ORG_EDITOR, permission__codename__in=MEDIA_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cms_workflows", "0001_roles_and_council_approval")]

    operations = [migrations.RunPython(remove_media_permissions, migrations.RunPython.noop)]
