"""Editors and Publishers create, revoke and see preview links for outside reviewers;
Publishers may also delete them."""

from django.db import migrations

PREVIEW_LINK = ["add_previewlink", "change_previewlink", "view_previewlink"]
ROLES = {"Editor": PREVIEW_LINK, "Publisher": [*PREVIEW_LINK, "delete_previewlink"]}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("digests")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="digests", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="digests", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0013_item_anchor"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
