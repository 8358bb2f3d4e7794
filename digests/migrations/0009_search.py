import django.contrib.postgres.search
from django.db import migrations, models

from digestsite.richtext import html_to_text

MARKS = {0x02: None, 0x03: None}


def fill_search_text(apps, schema_editor):
    Item = apps.get_model("digests", "Item")
    db = schema_editor.connection.alias
    items = list(Item.objects.using(db).only("body"))
    for item in items:
        item.search_text = html_to_text(item.body).translate(MARKS)
    Item.objects.using(db).bulk_update(items, ["search_text"], batch_size=500)


def index_items(apps, schema_editor):
    """The weighted search vector and its GIN index (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE digests_item SET search_vector = "
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B')"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS digests_item_search_vector_gin "
        "ON digests_item USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS digests_item_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0008_image_renditions"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_text",
            field=models.TextField(
                blank=True, editable=False, help_text="The body as plain text, for search."
            ),
        ),
        migrations.AddField(
            model_name="item",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Title (weight A) and text (weight B) for full-text search; "
                "PostgreSQL only.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(index_items, drop_index),
    ]
