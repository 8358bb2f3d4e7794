#!/usr/bin/env bash
# Restores a backup made by backup.sh: the database and the media folder.
# Usage: scripts/restore.sh BACKUP_FOLDER [--force]      (make restore BACKUP=folder [CONFIRM=1])
# Refuses to overwrite a database that has tables or a media folder that has files unless
# --force (or CONFIRM=1) is given. Same variables as backup.sh.
set -euo pipefail
source_dir="${1:-}"
[ -n "$source_dir" ] && [ -d "$source_dir" ] && source_dir="$(cd "$source_dir" && pwd)"
cd "$(dirname "$0")/.."
source scripts/backup-common.sh

force="${CONFIRM:-0}"
[ "${2:-}" = "--force" ] && force=1
if [ -z "$source_dir" ] || [ ! -f "$source_dir/media.tar" ]; then
  echo "restore: usage: scripts/restore.sh BACKUP_FOLDER [--force] (a folder made by backup.sh)" >&2
  exit 2
fi

if [ "${COMPOSE:-0}" = "1" ]; then
  tables="$(docker compose exec -T db psql -U digest -d digest -tAc \
    "select count(*) from information_schema.tables where table_schema = 'public'")"
  files="$(docker compose exec -T web find /app/media -mindepth 1 -print -quit)"
else
  case "$(db_kind)" in
    postgresql)
      tables="$("$(pg_tool psql)" --dbname="$DATABASE_URL" -tAc \
        "select count(*) from information_schema.tables where table_schema = 'public'")" ;;
    sqlite)
      tables="$("$PYTHON" -c 'import os, sqlite3, sys
path = sys.argv[1]
print(sqlite3.connect(path).execute("select count(*) from sqlite_master where type = ?", ("table",)).fetchone()[0] if os.path.exists(path) else 0)' "$(sqlite_path)")" ;;
  esac
  files="$(find "$MEDIA_ROOT" -mindepth 1 -print -quit 2>/dev/null || true)"
fi

if [ "$force" != "1" ] && { [ "${tables// /}" != "0" ] || [ -n "$files" ]; }; then
  echo "restore: the database or the media folder is not empty; nothing was changed." \
       "Run again with --force (make restore CONFIRM=1) to replace them." >&2
  exit 1
fi

echo "restore: from $source_dir"
if [ "${COMPOSE:-0}" = "1" ]; then
  docker compose exec -T db pg_restore -U digest -d digest --clean --if-exists --no-owner \
    --exit-on-error <"$source_dir/database.dump"
  docker compose exec -T web sh -c 'find /app/media -mindepth 1 -delete && tar -C /app/media -xf -' \
    <"$source_dir/media.tar"
else
  case "$(db_kind)" in
    postgresql)
      "$(pg_tool pg_restore)" --clean --if-exists --no-owner --no-privileges --exit-on-error \
        --single-transaction --dbname="$DATABASE_URL" "$source_dir/database.dump" ;;
    sqlite)
      "$PYTHON" -c 'import sqlite3, sys
with sqlite3.connect(sys.argv[2]) as target:
    sqlite3.connect(sys.argv[1]).backup(target)' "$source_dir/database.sqlite3" "$(sqlite_path)" ;;
  esac
  mkdir -p "$MEDIA_ROOT"
  find "$MEDIA_ROOT" -mindepth 1 -delete
  tar -C "$MEDIA_ROOT" -xf "$source_dir/media.tar"
fi
# Pages cached before the restore show content that is no longer there.
if [ "${COMPOSE:-0}" = "1" ]; then
  docker compose exec -T web python manage.py clear_page_cache
else
  "$PYTHON" manage.py clear_page_cache
fi
echo "restore: done"
