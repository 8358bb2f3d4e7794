"""The newsroom's roles as groups: Editor (write, never publish) and Publisher (also publish,
unpublish and delete digests)."""

from django.db import migrations

WRITE = ["add", "change", "view"]
EDITOR = {
    ("digests", "digest"): WRITE,
    ("digests", "section"): [*WRITE, "delete"],
    ("digests", "item"): [*WRITE, "delete"],
    ("digests", "socialmetric"): [*WRITE, "delete"],
    ("digests", "mention"): [*WRITE, "delete"],
    ("people", "person"): WRITE,
    ("people", "organization"): WRITE,
    ("people", "alias"): [*WRITE, "delete"],
    ("people", "affiliation"): [*WRITE, "delete"],
    ("people", "personlink"): [*WRITE, "delete"],
    ("taggit", "tag"): WRITE,
}
PUBLISHER_EXTRA = [("digests", "publish_digest"), ("digests", "delete_digest")]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    editor_permissions = [
        permission(app_label, f"{action}_{model}")
        for (app_label, model), actions in EDITOR.items()
        for action in actions
    ]
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*editor_permissions)
    publisher, _ = Group.objects.get_or_create(name="Publisher")
    publisher.permissions.add(
        *editor_permissions, *(permission(app, codename) for app, codename in PUBLISHER_EXTRA)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0004_published_time_message"),
        ("people", "0002_registry_tracking"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
