#!/usr/bin/env bash
# Serves the site with production settings (gunicorn, DEBUG off, whitenoise) on a free loopback
# port, over a throwaway database holding the demo content and the imported sample digest, and
# runs webcheck (HTML validity, axe-core, console errors, security headers) over one page of
# each public type, with screenshots at 390 and 1280 px in test-artifacts/webcheck/. The main
# reader pages (home, a digest, a person, an organization, search, figures, topics) must also
# score at least WEBCHECK_LH_MIN in Lighthouse's mobile run (default perf 95, a11y, best
# practices and SEO 100). Extra arguments go to webcheck.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
work="$(mktemp -d /tmp/digest-webcheck.XXXXXX)"
shots="${WEBCHECK_SCREENSHOTS:-test-artifacts/webcheck}"
lh_min="${WEBCHECK_LH_MIN:-perf:95,a11y:100,bp:100,seo:100}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="webcheck-$(date +%s)-not-secret" \
  DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 \
  DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0 \
  DATABASE_URL="sqlite:///$work/db.sqlite3" DJANGO_STATIC_ROOT="$work/static" \
  DJANGO_MEDIA_ROOT="$work/media"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

if [ ! -x .webcheck/webcheck ]; then
  bash "${WEBCHECK_SRC:-../shared/webcheck}/setup.sh" .webcheck
fi
$py manage.py migrate --noinput -v0
$py manage.py collectstatic --noinput -v0
$py manage.py load_demo >/dev/null
digest="$($py manage.py import_digest --publish tests/fixtures/import/news-digest-2025-12-31.txt 2>/dev/null | tail -1)"
# Its Belarusian and Russian versions (they join the English one as its translations).
digest_be="$($py manage.py import_digest --publish tests/fixtures/import/news-digest-2025-12-31.be.txt 2>/dev/null | tail -1)"
digest_ru="$($py manage.py import_digest --publish tests/fixtures/import/news-digest-2025-12-31.ru.txt 2>/dev/null | tail -1)"
[ -f tests/fixtures/registry-sample.csv ] && $py manage.py import_entities tests/fixtures/registry-sample.csv >/dev/null 2>&1 || true
.venv/bin/gunicorn digestsite.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done

# The person and the organization named in the most published items (their pages show a
# timeline), a person's figures and a topic.
most_named() {  # model, fallback address
  $py manage.py shell -c "from django.db.models import Count; from people.models import $1 as M; from digests.models import public_entities; e = public_entities(M.objects).annotate(n=Count('mentions')).order_by('-n', 'name').first(); print(e.get_absolute_url() if e else '$2')" 2>/dev/null | tail -1
}
person="$(most_named Person /people/)"
organization="$(most_named Organization /organizations/)"
figures_of="$($py manage.py shell -c 'from digests.models import SocialMetric; from people.models import Person; from digests.models import public_entities; p = public_entities(Person.objects).filter(pk__in=SocialMetric.objects.published().values("people")).first(); print(f"/metrics/?person={p.slug}" if p else "/metrics/")' 2>/dev/null | tail -1)"
tag="$($py manage.py shell -c 'from digests.models import Digest; t = Digest.objects.published().filter(tags__isnull=False).values_list("tags__slug", flat=True).first(); print(f"/tags/{t}/" if t else "/")' 2>/dev/null | tail -1)"
status=0
# Lighthouse's trace recording fails now and then on a busy machine (NO_NAVSTART, "please run
# Lighthouse again": webcheck then exits 2 and marks the page ERROR). Such pages are checked
# again, at most twice; findings (exit 1) are never retried.
pages=(/ "$digest" "$person" "$organization" /search/ /metrics/ /tags/)
for attempt in 1 2 3; do
  lh_status=0
  .webcheck/webcheck --lh-min "$lh_min" --screenshots "$shots" "$@" "http://127.0.0.1:$port" \
    "${pages[@]}" | tee "$work/lh.out" || lh_status=${PIPESTATUS[0]}
  [ "$lh_status" = 2 ] && [ "$attempt" -lt 3 ] || break
  mapfile -t pages < <(sed -n 's/^ERROR \([^ ]*\) .*/\1/p' "$work/lh.out")
  [ "${#pages[@]}" -gt 0 ] || break
  echo "webcheck: checking again after a tool error: ${pages[*]}"
done
[ "$lh_status" = 0 ] || status=$lh_status
.webcheck/webcheck --screenshots "$shots/more" "$@" "http://127.0.0.1:$port" /digests/ \
  /digests/2025/ /digests/2025/12/ /people/ /organizations/ /privacy/ "$figures_of" "$tag" \
  "/search/?q=Latushka" /api/ || status=$?
# The Belarusian and Russian home, digest and person pages.
.webcheck/webcheck --screenshots "$shots/languages" "$@" "http://127.0.0.1:$port" \
  /be/ "$digest_be" "/be$person" /ru/ "$digest_ru" "/ru$person" || status=$?
# The not-found page answers 404 by design: check its HTML and accessibility only.
notfound="$(.webcheck/webcheck --no-observatory -q "http://127.0.0.1:$port" /no-such-page/ || true)"
echo "$notfound"
echo "$notfound" | grep -q "html_errors=0 axe_violations=0 console_errors=1 " || status=1
exit "$status"
