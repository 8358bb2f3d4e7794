"""Item anchors become random and stored (they were `item-<id>`, which counted unpublished
items); items that existed keep their old anchor as `legacy_anchor`, so old links still work."""

from django.db import migrations, models

import digests.models


def fill_anchors(apps, schema_editor):
    Item = apps.get_model("digests", "Item")
    taken = set()
    for item in Item.objects.only("pk").iterator():
        anchor = digests.models.new_item_anchor()
        while anchor in taken:
            anchor = digests.models.new_item_anchor()
        taken.add(anchor)
        Item.objects.filter(pk=item.pk).update(anchor=anchor, legacy_anchor=f"item-{item.pk}")


class Migration(migrations.Migration):
    dependencies = [("digests", "0012_canonical_item_bodies")]

    operations = [
        migrations.AddField(
            model_name="item",
            name="anchor",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="item",
            name="legacy_anchor",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="The anchor links used before anchors were random (item-<id>), for "
                "items that existed then; those links keep working.",
                max_length=30,
            ),
        ),
        migrations.RunPython(fill_anchors, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="item",
            name="anchor",
            field=models.CharField(
                default=digests.models.new_item_anchor,
                editable=False,
                help_text="The item's place in its digest page (#anchor): random, so it says "
                "nothing about other items; kept for good across edits and re-imports.",
                max_length=20,
                unique=True,
            ),
        ),
    ]
