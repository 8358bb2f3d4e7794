#!/usr/bin/env bash
# Backs up the database and the uploaded media into a new timestamped folder:
#   $BACKUP_DIR/YYYYmmdd-HHMMSS/{database.dump|database.sqlite3, media.tar}
# Usage: scripts/backup.sh            (make backup)
#   DATABASE_URL        the database (default: SQLite db.sqlite3, as in the settings)
#   DJANGO_MEDIA_ROOT   the media folder (default: ./media)
#   BACKUP_DIR          where backups go (default: ./backups)
#   COMPOSE=1           back up the Compose services instead (`docker compose exec`)
# PostgreSQL is dumped with pg_dump in custom format; SQLite with SQLite's online backup.
set -euo pipefail
umask 077  # the owner only: a backup holds sessions and two-factor secrets (README "Backups")
cd "$(dirname "$0")/.."
source scripts/backup-common.sh

target="${BACKUP_DIR:-backups}/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$target"
chmod 700 "$target"
echo "backup: into $target"

if [ "${COMPOSE:-0}" = "1" ]; then
  docker compose exec -T db pg_dump -U digest -d digest --format=custom >"$target/database.dump"
  docker compose exec -T web tar -C /app/media -cf - . >"$target/media.tar"
else
  case "$(db_kind)" in
    postgresql)
      "$(pg_tool pg_dump)" --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
        --file="$target/database.dump"
      ;;
    sqlite)
      "$PYTHON" -c 'import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with sqlite3.connect(sys.argv[2]) as copy:
    source.backup(copy)' "$(sqlite_path)" "$target/database.sqlite3"
      ;;
  esac
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -cf "$target/media.tar" .
fi
echo "backup: done: $(ls "$target" | tr '\n' ' ')"
