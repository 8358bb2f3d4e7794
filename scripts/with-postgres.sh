#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on a free loopback port, with
# DATABASE_URL pointing at it, and removes the cluster whatever happens.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (PG_SHARED_BUFFERS: the server's shared_buffers)
# PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` system user.
set -euo pipefail

pg_bin="${PG_BIN:-}"
if [ -z "$pg_bin" ]; then
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then pg_bin="$candidate"; break; fi
  done
fi
if [ -z "$pg_bin" ] && command -v pg_config >/dev/null 2>&1; then
  pg_bin="$(pg_config --bindir)"
fi
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries found (initdb). Install Debian's" \
       "'postgresql' package (apt-get install postgresql) or set PG_BIN." >&2
  exit 2
fi

as_owner=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_owner=(runuser -u postgres --)
fi

workdir="$(mktemp -d /tmp/digest-pg.XXXXXX)"
chmod 755 "$workdir"
[ ${#as_owner[@]} -gt 0 ] && chown postgres "$workdir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

cleanup() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 2; }
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=${PG_SHARED_BUFFERS:-128MB}" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 2; }

echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
