from django.db import migrations

from digestsite.richtext import sanitize_html


def drop_images_from_elsewhere(apps, schema_editor):
    """Biographies stored before images were kept only from the site's own media lose the
    others."""
    Person = apps.get_model("people", "Person")
    rows = Person.objects.filter(bio__contains="<img").order_by("pk")
    for pk, bio in rows.values_list("pk", "bio").iterator(2000):
        clean = sanitize_html(bio)
        if clean != bio:
            Person.objects.filter(pk=pk).update(bio=clean)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_canonical_bios"),
    ]

    operations = [
        migrations.RunPython(drop_images_from_elsewhere, migrations.RunPython.noop, elidable=True),
    ]
