from django.db import migrations

import digestsite.images


def make_renditions(apps, schema_editor):
    """Renditions for images saved before renditions existed (an unreadable file is left to
    its fallback: the original image)."""
    for model_name, field in (("Digest", "cover_image"), ("Item", "image")):
        model = apps.get_model("digests", model_name)
        target = "cover_renditions" if field == "cover_image" else "image_renditions"
        for obj in model.objects.exclude(**{field: ""}).only("pk", field).iterator():
            try:
                renditions = digestsite.images.make_renditions(getattr(obj, field))
            except OSError:
                continue
            model.objects.filter(pk=obj.pk).update(**{target: renditions})


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0007_preview_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="digest",
            name="cover_renditions",
            field=digestsite.images.RenditionsField(source="cover_image"),
        ),
        migrations.AddField(
            model_name="item",
            name="image_renditions",
            field=digestsite.images.RenditionsField(source="image"),
        ),
        migrations.RunPython(make_renditions, migrations.RunPython.noop, elidable=True),
    ]
