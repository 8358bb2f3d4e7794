#!/bin/sh
# Container start: bring the database schema up to date, then run the command (gunicorn).
# With several web containers set DJANGO_MIGRATE_ON_START=0 on all but one.
set -eu
if [ "${DJANGO_MIGRATE_ON_START:-1}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec "$@"
