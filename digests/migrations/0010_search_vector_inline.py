from django.db import migrations

# PostgreSQL moves the largest values of a row over 2 kB out of line (TOAST). An item's row is
# about 4 kB, and its search vector (1.3 kB) went out of line: testing the newest items for a
# frequent word read four pages per item, 40 ms per search at 100,000 items. With storage MAIN
# the vector stays in the row and the texts, which pages read only 20 or 50 at a time, move
# out instead.
INLINE = "ALTER TABLE digests_item ALTER COLUMN search_vector SET STORAGE MAIN"
OUT_OF_LINE = "ALTER TABLE digests_item ALTER COLUMN search_vector SET STORAGE EXTENDED"
# A new value is stored anew; the same one would keep its out-of-line copy.
RESTORE = (
    "UPDATE digests_item SET search_vector = search_vector || ''::tsvector "
    "WHERE search_vector IS NOT NULL"
)


def keep_vectors_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INLINE)
        schema_editor.execute(RESTORE)


def let_vectors_out(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OUT_OF_LINE)


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0009_search"),
    ]

    operations = [
        migrations.RunPython(keep_vectors_inline, let_vectors_out, elidable=False),
    ]
