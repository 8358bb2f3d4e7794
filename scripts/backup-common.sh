# Shared by backup.sh and restore.sh: where the database and media are, and the tools.
PYTHON="${PYTHON:-$(command -v python3)}"
MEDIA_ROOT="${DJANGO_MEDIA_ROOT:-media}"

db_kind() {
  case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*) echo postgresql ;;
    ""|sqlite://*) echo sqlite ;;
    *) echo "backup: unsupported DATABASE_URL scheme: ${DATABASE_URL%%:*}" >&2; exit 2 ;;
  esac
}

sqlite_path() {  # the database file, exactly as the settings resolve it
  "$PYTHON" -c 'import os, sys
import dj_database_url
url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.abspath("db.sqlite3")
print(dj_database_url.parse(url)["NAME"])'
}

pg_tool() {  # pg_dump, pg_restore or psql: PG_BIN, else the server's binaries, else PATH
  local dir
  for dir in "${PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/$1" ]; then echo "$dir/$1"; return; fi
  done
  command -v "$1" || { echo "backup: $1 not found (apt-get install postgresql-client)" >&2; exit 2; }
}
