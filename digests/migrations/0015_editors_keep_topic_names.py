"""Editors no longer rename or re-address topics: a topic's name and address show on every
published page that carries it, so only Publishers change them. Editors still add topics
to what they write."""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="taggit", codename="change_tag")
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor:
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label="taggit", codename="change_tag")
        )


class Migration(migrations.Migration):
    dependencies = [("digests", "0014_preview_link_roles")]

    operations = [migrations.RunPython(revoke, grant)]
