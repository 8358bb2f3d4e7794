from django.db import migrations

from digestsite.richtext import sanitize_html


def canonical_bios(apps, schema_editor):
    """Store every biography as `sanitize_html` now writes it, so that the editor's
    re-serialisation of an unchanged biography compares equal."""
    Person = apps.get_model("people", "Person")
    for pk, bio in Person.objects.order_by("pk").values_list("pk", "bio").iterator(2000):
        canonical = sanitize_html(bio)
        if canonical != bio:
            Person.objects.filter(pk=pk).update(bio=canonical)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_search"),
    ]

    operations = [
        migrations.RunPython(canonical_bios, migrations.RunPython.noop, elidable=True),
    ]
