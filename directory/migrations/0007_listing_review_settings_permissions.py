"""Council admins edit the review interval and grace period (Settings › Listing reviews),
as they edit the council's branding; moderators only see the dashboard's figures."""

from django.db import migrations

ADMIN = "Council admins"
CODENAMES = ["change_listingreviewsettings", "view_listingreviewsettings"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; this one needs them now.
    config = apps.get_app_config("directory")
    config.models_module = True
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    admin = Group.objects.filter(name=ADMIN).first()
    if admin is not None:
        admin.permissions.add(
            *Permission.objects.filter(content_type__app_label="directory", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    admin = Group.objects.filter(name=ADMIN).first()
    if admin is not None:
        admin.permissions.remove(
            *Permission.objects.filter(content_type__app_label="directory", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_listing_review_settings"),
        ("cms_workflows", "0001_roles_and_council_approval"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
