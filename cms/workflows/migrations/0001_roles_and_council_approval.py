"""Create the role groups and the "Council approval" workflow that gates publishing.

Wagtail's own default "Moderators"/"Editors" groups and its "Moderators approval"
workflow are replaced, so there is exactly one approval route and one set of roles.
"""

from django.db import migrations

ADMIN = "Council admins"
MODERATOR = "Council moderators"
ORG_EDITOR = "Organisation editors"
SIGNPOSTERS = ["Local Area Coordinators", "Contact officers"]

ALL_PAGE_PERMS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
MODERATOR_PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
REFERENCE_DATA_MODELS = ["taxonomy", "taxonomyterm", "area"]


def model_permissions(Permission, app_label, models, actions):
    return Permission.objects.filter(
        content_type__app_label=app_label,
        codename__in=[f"{a}_{m}" for a in actions for m in models],
    )


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; we need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore.Collection")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root = Page.objects.get(depth=1)
    root_collection = Collection.objects.filter(depth=1).first()

    admin, _ = Group.objects.get_or_create(name=ADMIN)
    moderator, _ = Group.objects.get_or_create(name=MODERATOR)
    org_editor, _ = Group.objects.get_or_create(name=ORG_EDITOR)
    signposters = [Group.objects.get_or_create(name=name)[0] for name in SIGNPOSTERS]

    for group in (admin, moderator, org_editor, *signposters):
        group.permissions.add(access_admin)

    # Council admins manage everything: pages, reference data, users, settings.
    admin.permissions.add(
        *model_permissions(Permission, "directory", REFERENCE_DATA_MODELS, ["add", "change", "delete", "view"]),
        *Permission.objects.filter(content_type__app_label="auth", codename__in=[
            "add_user", "change_user", "delete_user", "view_user", "change_group", "view_group", "add_group",
        ]),
        *Permission.objects.filter(content_type__app_label="home", codename__in=["change_sitebranding", "view_sitebranding"]),
        *Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=[
            "add_workflow", "change_workflow", "delete_workflow", "add_task", "change_task", "delete_task",
        ]),
    )
    # Moderators approve listings and keep categories and areas tidy.
    moderator.permissions.add(
        *model_permissions(Permission, "directory", REFERENCE_DATA_MODELS, ["add", "change", "view"]),
    )
    for group, codenames in ((admin, ALL_PAGE_PERMS), (moderator, MODERATOR_PAGE_PERMS)):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    if root_collection is not None:
        for group, actions in ((admin, ["add", "change", "choose", "delete"]), (moderator, ["add", "choose"]), (org_editor, ["add", "choose"])):
            for action in actions:
                for model in ("image", "document"):
                    perm = Permission.objects.filter(codename=f"{action}_{model}").first()
                    if perm:
                        GroupCollectionPermission.objects.get_or_create(
                            group=group, collection=root_collection, permission=perm
                        )

    # One approval route for the whole tree.
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="Council moderator approval", defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([moderator])
    workflow, _ = Workflow.objects.get_or_create(name="Council approval", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    Workflow.objects.exclude(pk=workflow.pk).update(active=False)
    GroupApprovalTask.objects.exclude(pk=task.pk).update(active=False)
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("home", "0002_create_homepage"),
        ("directory", "0002_seed_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
