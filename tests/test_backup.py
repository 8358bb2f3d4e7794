"""`make backup` / `make restore`: the round trip loses nothing (PostgreSQL), backups are
private, and a restore retires the page cache (SQLite, in files of their own).

The PostgreSQL tests run in `make test-postgres` (skipped on SQLite). The restore goes into a
database of its own, so the test database the other tests use is never touched.
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

pytestmark = pytest.mark.django_db(transaction=True)
needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


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


@needs_postgres
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


@needs_postgres
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


@pytest.fixture
def sqlite_site(tmp_path):
    """A migrated SQLite site in files of its own, with its own file page cache: the variables
    the scripts and `manage.py` run under."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "DJANGO_SECRET_KEY": "backup-test-not-secret",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SETTINGS_MODULE": "digestsite.settings",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "photo.jpg").write_bytes(b"not really a photo")
    (tmp_path / "media" / "photo.jpg").chmod(0o644)
    return env


def test_backups_are_readable_by_their_owner_only(tmp_path, sqlite_site):
    """A backup holds staff sessions and two-factor secrets: other accounts on the machine
    cannot read it."""
    result = run("backup.sh", **sqlite_site)
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert folder.stat().st_mode & 0o777 == 0o700
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["database.sqlite3", "media.tar"]
    for file in files:
        assert file.stat().st_mode & 0o777 == 0o600, file.name


def test_restore_retires_pages_cached_before_it(tmp_path, sqlite_site):
    """After a restore readers see the restored content at once, not pages cached before it."""
    from django.core.cache.backends.filebased import FileBasedCache

    from digestsite.cache import GENERATION_KEY

    result = run("backup.sh", **sqlite_site)
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    page_cache = FileBasedCache(sqlite_site["DJANGO_CACHE_DIR"], {})
    page_cache.set(GENERATION_KEY, 5, timeout=None)
    result = run("restore.sh", str(folder), "--force", **sqlite_site)
    assert result.returncode == 0, result.stderr
    assert page_cache.get(GENERATION_KEY) not in (None, 5)
    assert "page cache" in result.stdout
    # The restored uploads stay readable by the web server, whatever the backup's own modes.
    assert (tmp_path / "media" / "photo.jpg").stat().st_mode & 0o777 == 0o644
