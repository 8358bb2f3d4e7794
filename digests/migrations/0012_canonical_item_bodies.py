from django.db import migrations

from digestsite.richtext import sanitize_html


def canonical_bodies(apps, schema_editor):
    """Store every item body as `sanitize_html` now writes it (whitespace between blocks
    dropped), so that the editor's re-serialisation of an unchanged body compares equal. The
    linked HTML is left as it is: it renders the same and is rewritten at the next save."""
    Item = apps.get_model("digests", "Item")
    for pk, body in Item.objects.order_by("pk").values_list("pk", "body").iterator(2000):
        canonical = sanitize_html(body)
        if canonical != body:
            Item.objects.filter(pk=pk).update(body=canonical)


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0011_pending_changes"),
    ]

    operations = [
        migrations.RunPython(canonical_bodies, migrations.RunPython.noop, elidable=True),
    ]
