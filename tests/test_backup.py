"""`make backup` / `make restore` on PostgreSQL: the round trip loses nothing.

Runs in `make test-postgres` (skipped on SQLite). The restore goes into a database of its own,
so the test database the other tests use is never touched.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from digests.models import Digest, Item, Mention, Section
from people.models import Person
from tests.factories import make_digest, make_item, make_person, make_section

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def database_url(name):
    s = connection.settings_dict
    credentials = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST']}:{s['PORT']}/{name}"


def run(script, *args, **env):
    return subprocess.run(
        ["/bin/bash", f"scripts/{script}", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
    )


def rows(cursor, model):
    columns = ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields)
    cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} ORDER BY 1")  # noqa: S608
    return cursor.fetchall()


def back_up(tmp_path, media):
    """Back up the test database and `media` with scripts/backup.sh; the backup's folder."""
    backup = run(
        "backup.sh",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        DJANGO_MEDIA_ROOT=str(media),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    assert backup.returncode == 0, backup.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


@pytest.fixture
def spare_database():
    name = connection.settings_dict["NAME"] + "_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_gives_back_every_row_and_file(tmp_path, spare_database):
    """After a disaster the newsroom gets back its digests, people, mentions and images,
    byte for byte, from the folder `make backup` wrote."""
    make_person("Pavel Latushka")
    digest = make_digest(title="Backed-up digest")
    make_item(make_section(digest, title="Meetings"), body="<p>Pavel Latushka spoke.</p>")
    media = tmp_path / "media"
    (media / "editor").mkdir(parents=True)
    image = bytes(range(256)) * 40
    (media / "editor" / "photo.jpg").write_bytes(image)

    folder = back_up(tmp_path, media)
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar"}

    restored_media = tmp_path / "restored-media"
    target = {
        "DATABASE_URL": database_url(spare_database),
        "DJANGO_MEDIA_ROOT": str(restored_media),
    }
    restore = run("restore.sh", str(folder), **target)
    assert restore.returncode == 0, restore.stderr

    original = psycopg2.connect(database_url(connection.settings_dict["NAME"]))
    copy = psycopg2.connect(target["DATABASE_URL"])
    try:
        for model in (Digest, Section, Item, Person, Mention):
            assert rows(copy.cursor(), model) == rows(original.cursor(), model), model.__name__
        assert rows(copy.cursor(), Mention)  # the linker's work came back too
    finally:
        original.close()
        copy.close()
    assert (restored_media / "editor" / "photo.jpg").read_bytes() == image


def test_restore_refuses_to_overwrite_without_force(tmp_path, spare_database):
    """Restoring over a live site needs an explicit --force; without it nothing changes."""
    media = tmp_path / "media"
    media.mkdir()
    folder = back_up(tmp_path, media)
    target = {"DATABASE_URL": database_url(spare_database), "DJANGO_MEDIA_ROOT": str(media)}
    assert run("restore.sh", str(folder), **target).returncode == 0
    make_digest(title="Written after the backup")  # in the original; the copy is now in use
    (media / "new.jpg").write_bytes(b"new")

    refused = run("restore.sh", str(folder), **target)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert (media / "new.jpg").exists()

    forced = run("restore.sh", str(folder), "--force", **target)
    assert forced.returncode == 0, forced.stderr
    assert not (media / "new.jpg").exists()
