from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from people.spelling import search_key, skeleton

TRIGRAM_INDEXES = {
    "people_alias_search_key_trgm": "search_key",
    "people_alias_search_skeleton_trgm": "search_skeleton",
}


def fill_search_keys(apps, schema_editor):
    Alias = apps.get_model("people", "Alias")
    aliases = list(Alias.objects.using(schema_editor.connection.alias).only("text"))
    for alias in aliases:
        alias.search_key = search_key(alias.text)[:400]
        alias.search_skeleton = skeleton(alias.search_key)[:400]
    Alias.objects.using(schema_editor.connection.alias).bulk_update(
        aliases, ["search_key", "search_skeleton"], batch_size=1000
    )


def create_trigram_indexes(apps, schema_editor):
    """GIN trigram indexes for near spellings and substring matches (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_alias USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_redirects"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="alias",
            name="search_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="The name in one Latin spelling, for search (see people.spelling).",
                max_length=400,
            ),
        ),
        migrations.AddField(
            model_name="alias",
            name="search_skeleton",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The consonants of the search key, for spellings that sound alike.",
                max_length=400,
            ),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
