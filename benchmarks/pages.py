"""The page benchmark on PostgreSQL: queries and server time per page, then throughput under
gunicorn against three references (a bare Django view, a minimal view behind the site's
middleware, and a static file).

    bash scripts/with-postgres.sh python -m benchmarks.pages [--scale 1] [--seconds 15]

Migrates the (throwaway) database in DATABASE_URL, generates a tiny dataset and counts each
page's queries, replaces it with the large one (`benchmarks/generate.py`, BENCH_SCALE), and
measures every public page type (home, digest, the person named in 10,000 items and the
most-named organization, the archive and a year and a month of it, the people and organization
indexes, the topic index and a topic, the figures page, the feeds) and search, with Django's
test client and the cached pages retired before every request (server time, p50/p95, target
p95 <= 50 ms each), and the names-to-review queue over the whole archive
(`benchmarks/names.py`); then under gunicorn (2 workers, gunicorn.conf.py) with wrk:
requests/s and p99 for the sample digest (imported into the archive) never cached and cached,
the person page cached and a generated digest of 50 items never cached and cached, a bare
Django view (`benchmarks/bare.py`: 5 KB, CommonMiddleware only, served alone first), a 5 KB
minimal view behind the site's middleware (`benchmarks/urls.py`) and a static file served by
whitenoise. Prints one table with the targets, the ratios to the bare view among them.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import names as names_benchmark
from benchmarks import serve

SEARCH_REQUESTS = 210
FULL_TEXT_WORDS = """
    sanctions prisoners release court elections solidarity journalists repression statement
    conference volunteers detention colony evidence migration residency cooperation dialogue
    палітвязні сустрэча санкцыі выбары журналісты рэпрэсіі свабода
""".split()
FULL_TEXT_PHRASES = [
    "political prisoners",
    "democratic forces",
    "international community",
    "legal assistance",
    "press freedom",
    "дэмакратычныя сілы",
    "міжнародная супольнасць",
    "release of political prisoners",
    "nothingmatcheshere",
]


# Every public page type, uncached, at scale 1 (issue 18): server time p95.
PAGE_P95_MS = 50
BARE = "bare Django view (5 KB, CommonMiddleware only)"
# Requests per second against the bare view, measured in the same run (issue 18).
BARE_GOALS = {
    "sample digest, cached (files + per-process copies)": 0.80,
    "person page, cached (files + per-process copies)": 0.50,
    "sample digest, never cached": 0.15,
}
# The newsroom's sample digest (10 items, 61 mentions, 11 figures) and the registry of the names
# it mentions, imported into the generated archive: the page issue 18's ratios are about.
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SAMPLE_DIGEST = FIXTURES / "import" / "news-digest-2025-12-31.txt"
SAMPLE_REGISTRY = FIXTURES / "mentions" / "registry.csv"


def import_sample_registry() -> None:
    """The sample digest's people and organizations (before the archive is generated: on an
    empty archive registering them relinks nothing)."""
    from django.core.management import call_command

    call_command("import_entities", str(SAMPLE_REGISTRY), stdout=io.StringIO())


def import_sample_digest() -> str:
    """The sample digest, published, in place of the generated digest of its date; its
    address."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_digest", str(SAMPLE_DIGEST), publish=True, replace=True, stdout=out)
    return next(line for line in out.getvalue().splitlines() if line.startswith("/digests/"))


def _percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def search_queries(summary: dict, rng: random.Random) -> dict[str, list[str]]:
    """Name queries, transliterated/other-script queries and full-text words, by kind."""
    from benchmarks.linker import _cyrillic, _variant

    names, transliterated, words = [], [], []
    people = summary["people_names"]
    organizations = summary["organization_names"]
    for aliases in people:
        primary = aliases[0]
        names.append(primary)
        names.append(primary.split(" ", 1)[1])  # surname alone
        transliterated.append(_cyrillic(primary))  # Cyrillic spelling of a Latin name
        first, surname = primary.split(" ", 1)
        transliterated.append(f"{first} {_variant(surname)}")  # Lukashenko for Lukashenka
        transliterated.append(primary.lower())
    for aliases in organizations:
        names.append(aliases[0])
        transliterated.extend(a for a in aliases[1:])
    for word in FULL_TEXT_WORDS:
        words.append(word)
    words.extend(FULL_TEXT_PHRASES)
    third = SEARCH_REQUESTS // 3
    return {
        "names": rng.sample(names, min(third, len(names))),
        "other spellings": rng.sample(transliterated, min(third, len(transliterated))),
        "full-text words": [rng.choice(words) for _ in range(third)],
    }


def client_pages(summary: dict, rng: random.Random, sample: str) -> dict[str, list[str]]:
    """Every public page type, by label: the addresses each is measured at."""
    from urllib.parse import urlencode

    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from taggit.models import Tag

    from digests.models import Digest, Item, Mention

    slugs = list(
        Digest.objects.published()
        .exclude(slug=sample.strip("/").split("/")[-1])
        .values_list("slug", flat=True)
    )
    digests = [f"/digests/{slug}/" for slug in rng.sample(slugs, min(40, len(slugs)))]
    latest = Digest.objects.published().order_by("-date").values_list("date", flat=True).first()
    # The organization named in the most items, and the topic on the most digests.
    organization = (
        Mention.objects.filter(organization__isnull=False)
        .values("organization__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organization__slug", flat=True)
        .first()
    )
    # The topic on the most published items in English (the page lists digests and items).
    item_type = ContentType.objects.get_for_model(Item)
    tag = (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=item_type,
            taggit_taggeditem_items__object_id__in=Item.objects.published()
            .filter(section__digest__language="en")
            .values("pk"),
        )
        .annotate(n=Count("taggit_taggeditem_items"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    star = summary["star_slug"]
    return {
        "home page": ["/"],
        "sample digest": [sample],
        "digest page (50 items)": digests,
        "person page (most-named person)": [f"/people/{star}/"],
        "organization page (most-named organization)": [f"/organizations/{organization}/"],
        "archive": ["/digests/"],
        "archive, a year": [f"/digests/{latest.year}/"],
        "archive, a month": [f"/digests/{latest.year}/{latest.month}/"],
        "people index": ["/people/"],
        "organizations index": ["/organizations/"],
        "topics index": ["/tags/"],
        "topic page (most-used topic)": [f"/tags/{tag}/"],
        "figures page": ["/metrics/"],
        "digests feed": ["/feeds/digests/"],
        "person feed (most-named person)": [f"/people/{star}/feed/"],
        "organization feed": [f"/organizations/{organization}/feed/"],
        **{
            f"search: {kind}": ["/search/?" + urlencode({"q": q}) for q in queries]
            for kind, queries in search_queries(summary, rng).items()
        },
    }


@functools.cache
def _client():
    """One test client for every measurement: one handler and middleware chain, as a worker
    serves every page with one."""
    from django.test import Client

    return Client()


def measure_client(urls: list[str], repeat: int) -> dict:
    """Query counts (with the slowest query) and server time over `repeat` requests spread
    over `urls` (each URL once at least), every cached page retired before each request as an
    editor's change retires them: each request renders its page. One request before them is
    a warm-up and is not counted (the caches were just emptied: it stores the counters and
    looks up the schedule again, which an edit does not make the next request do)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digestsite.cache import content_changed, forget_counters

    client = _client()
    counts, statuses, slowest, times = [], set(), (0.0, ""), []
    for alias in caches:
        caches[alias].clear()
    forget_counters()
    client.get(urls[0])
    for n in range(max(repeat, len(urls))):
        url = urls[n % len(urls)]
        content_changed()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1e3
        times.append(elapsed)
        statuses.add(response.status_code)
        counts.append(len(captured.captured_queries))
        for query in captured.captured_queries:
            if float(query["time"]) > slowest[0]:
                slowest = (float(query["time"]), query["sql"])
    return {
        "queries": (min(counts), max(counts)),
        "statuses": sorted(statuses),
        "p50": _percentile(times, 50),
        "p95": _percentile(times, 95),
        "n": len(times),
        "times": times,
        "slowest": slowest,
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def page_cache_middleware() -> str | None:
    from django.conf import settings

    for name in settings.MIDDLEWARE:
        lowered = name.lower()
        if "cache" in lowered and "never" not in lowered:
            return name
    return None


UNIQUE_QUERY_LUA = Path(__file__).with_name("unique.lua")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 15)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn measurements")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "benchmarks.pages measures PostgreSQL: run it under scripts/with-postgres.sh.",
            file=sys.stderr,
        )
        return 2
    serve.prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate import generate, reset

    def log(message):
        print(message, file=sys.stderr, flush=True)

    log("Migrating…")
    call_command("migrate", "--noinput", verbosity=0)
    static_url = serve.collectstatic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(",")[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]

    log("Tiny dataset (query counts)…")
    import_sample_registry()
    tiny = generate(0.002, args.seed, log=lambda *a, **k: None)
    tiny_pages = client_pages(tiny, random.Random(args.seed), import_sample_digest())
    tiny_counts = {
        label: measure_client(urls[:20], 1)["queries"] for label, urls in tiny_pages.items()
    }
    reset()

    log(f"Generating the dataset (scale {args.scale})…")
    import_sample_registry()
    summary = generate(args.scale, args.seed)
    pages = client_pages(summary, random.Random(args.seed), import_sample_digest())
    # Server time as a worker of `digestsite.wsgi` has it once it has served pages (every page
    # type was requested on the tiny dataset): what the process holds is frozen out of the
    # garbage collector's walks (digestsite/wsgi.py).
    from digestsite.wsgi import settle

    settle()
    results = {}
    for label, urls in pages.items():
        repeat = (
            len(urls) if label.startswith("search") else 100 if label.startswith("digest") else 40
        )
        log(f"Measuring {label} ({repeat} requests)…")
        results[label] = measure_client(urls, repeat)
    searches = [r for label, r in results.items() if label.startswith("search")]
    times = [t for r in searches for t in r["times"]]
    results["search, all kinds"] = {
        "queries": (min(r["queries"][0] for r in searches), max(r["queries"][1] for r in searches)),
        "statuses": sorted({s for r in searches for s in r["statuses"]}),
        "p50": _percentile(times, 50),
        "p95": _percentile(times, 95),
        "n": len(times),
        "slowest": (0.0, ""),
    }
    tiny_counts["search, all kinds"] = (
        min(v[0] for k, v in tiny_counts.items() if k.startswith("search")),
        max(v[1] for k, v in tiny_counts.items() if k.startswith("search")),
    )

    log("Timing the names-to-review queue (suggest_entities)…")
    names = names_benchmark.measure()

    loads, notes = {}, []
    if not args.no_load:
        tool = serve.ensure_wrk()
        if not tool:
            notes.append("wrk not found and not installable: the Python load generator was used")
        cache_middleware = page_cache_middleware()
        sample_url = pages["sample digest"][0]
        digest_url = pages["digest page (50 items)"][0]
        with tempfile.TemporaryDirectory() as logs:
            log(f"gunicorn (2 workers), {args.connections} connections, {args.seconds} s each…")

            def run(label, url, *, script=None):  # against `base`, the server now running
                serve.load(base + url, connections=4, seconds=2, script=script)  # warm up
                loads[label] = serve.load(
                    base + url, connections=args.connections, seconds=args.seconds, script=script
                )
                log(f"  {label}: {loads[label].summary}")

            # The floor, in the same run: a bare Django view (CommonMiddleware only).
            with serve.gunicorn(
                log=Path(logs) / "gunicorn-bare.log",
                settings="benchmarks.bare",
                ready_path="/bench/bare/",
            ) as base:
                run(BARE, "/bench/bare/")
            with serve.gunicorn(log=Path(logs) / "gunicorn.log") as base:
                person_url = pages["person page (most-named person)"][0]

                run("minimal view (5 KB)", "/bench/minimal/")
                run("static file (whitenoise)", static_url)
                if cache_middleware:
                    run("sample digest, cached (files + per-process copies)", sample_url)
                    run("person page, cached (files + per-process copies)", person_url)
                    run("digest of 50 items, cached (files + per-process copies)", digest_url)
                    # Every request a new address: never a cache hit (nor stored).
                    run("sample digest, never cached", sample_url, script=UNIQUE_QUERY_LUA)
                    run("digest of 50 items, never cached", digest_url, script=UNIQUE_QUERY_LUA)
                else:
                    run("sample digest, never cached", sample_url)
                    notes.append("no page cache middleware in settings.MIDDLEWARE: cached n/a")
            with serve.redis_server() as redis_url:
                if cache_middleware and redis_url:
                    with serve.gunicorn(
                        log=Path(logs) / "gunicorn-redis.log", env={"REDIS_URL": redis_url}
                    ) as base:
                        run("minimal view (5 KB), Redis configured", "/bench/minimal/")
                        run("sample digest, cached (Redis)", sample_url)
                elif cache_middleware:
                    notes.append("redis-server not installed: cached with Redis n/a")

    # The table.
    rows = []

    def row(measure, value, target="", met=None):
        mark = "" if met is None else ("yes" if met else "NO")
        rows.append((measure, value, target, mark))

    row(
        "dataset",
        f"{summary['digests']:,} digests, {summary['items']:,} items, "
        f"{summary['mentions']:,} mentions, {summary['people']:,} people, "
        f"{summary['organizations']:,} organizations, {summary['aliases']:,} aliases",
    )
    row("generation time", f"{summary['seconds']:.0f} s", "< 300 s", summary["seconds"] < 300)
    row("database", f"{pg_version}; shared_buffers {shared_buffers}, work_mem {work_mem}")
    for label, result in results.items():
        low, high = result["queries"]
        tiny_low, tiny_high = tiny_counts[label]
        queries = f"{low}" if low == high else f"{low}-{high}"
        tiny_text = f"{tiny_low}" if tiny_low == tiny_high else f"{tiny_low}-{tiny_high}"
        row(
            f"{label}: queries (large / tiny data)",
            f"{queries} / {tiny_text}",
            "equal",
            (low, high) == (tiny_low, tiny_high),
        )
        target, met = "", None
        if label == "search, all kinds" or not label.startswith("search"):
            target, met = f"p95 <= {PAGE_P95_MS} ms", result["p95"] <= PAGE_P95_MS
        statuses = ",".join(str(s) for s in result["statuses"])
        row(
            f"{label}: server time p50 / p95",
            f"{result['p50']:.1f} / {result['p95']:.1f} ms ({result['n']} req., HTTP {statuses})",
            target,
            met,
        )
    row(
        "names to review (suggest_entities), whole archive",
        names_benchmark.summary(names),
        f"< {names_benchmark.TARGET_SECONDS} s at scale 1",
        names["seconds"] < names_benchmark.TARGET_SECONDS * max(args.scale, 0.01),
    )
    bare = loads.get(BARE)
    for label, goal in BARE_GOALS.items():
        if bare and label in loads:
            ratio = loads[label].rps / bare.rps
            row(f"{label} ÷ bare view", f"{ratio:.2f} ×", f">= {goal} ×", ratio >= goal)
    minimal = loads.get("minimal view (5 KB)")
    for label, measured in loads.items():
        target, met = "", None
        if minimal and label.startswith(("sample digest", "digest")):
            ratio = measured.rps / minimal.rps
            goal = 0.3 if "never cached" in label else 0.8
            target, met = f"÷ minimal >= {goal}", ratio >= goal
            label = f"{label} (÷ minimal = {ratio:.2f})"
        errors = f", {measured.errors} errors" if measured.errors else ""
        row(f"gunicorn: {label}", measured.summary + errors, target, met)
    for note in notes:
        row("note", note)

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print()
    print(
        f"Page benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, scale {args.scale}, wrk: {args.connections} connections × "
        f"{args.seconds} s)"
    )
    header = ("measure", "result", "target", "met")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())

    slow = [(label, r) for label, r in results.items() if r["slowest"][0] > 0.02]
    for label, result in slow:
        seconds, sql = result["slowest"]
        print(f"\nSlowest query of {label} ({seconds * 1e3:.0f} ms): EXPLAIN ANALYZE\n{sql}\n")
        print(explain(sql))
    return 0


if __name__ == "__main__":
    sys.exit(main())
