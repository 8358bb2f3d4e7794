from django.db import migrations

from digestsite.richtext import drop_foreign_images, sanitize_html


def drop_images_from_elsewhere(apps, schema_editor):
    """Bodies stored before images were kept only from the site's own media lose the others,
    in the source and in the linked HTML readers get (its mention links stay)."""
    Item = apps.get_model("digests", "Item")
    rows = Item.objects.filter(body__contains="<img").order_by("pk")
    for pk, body, body_html in rows.values_list("pk", "body", "body_html").iterator(2000):
        clean_body, clean_html = sanitize_html(body), drop_foreign_images(body_html)
        if (clean_body, clean_html) != (body, body_html):
            Item.objects.filter(pk=pk).update(body=clean_body, body_html=clean_html)


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0015_editors_keep_topic_names"),
    ]

    operations = [
        migrations.RunPython(drop_images_from_elsewhere, migrations.RunPython.noop, elidable=True),
    ]
