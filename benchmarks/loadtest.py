"""The load test: 50 concurrent clients for 60 s over a mix of public pages, against gunicorn
(gunicorn.conf.py, 2 workers, workers recycled as in production) and PostgreSQL with the
generated dataset.

    bash scripts/with-postgres.sh python -m benchmarks.loadtest [--scale 1] [--seconds 60]

The mix: home page, digest pages, person and organization pages, search and feeds (RSS, Atom,
a person's feed), chosen at random for every request (wrk with benchmarks/mix.lua). Reports
requests/s and p50/p99; exits 1 if any request failed (a response other than 2xx/3xx, or a
socket error or timeout).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import serve


def mix(summary: dict, rng: random.Random) -> dict[str, list[str]]:
    """The addresses requested, by kind; repeated addresses are requested more often."""
    from benchmarks.pages import search_queries
    from digests.models import Digest, public_entities
    from people.models import Organization, Person

    digests = list(Digest.objects.published().values_list("slug", flat=True)[:500])
    people = list(public_entities(Person.objects).values_list("slug", flat=True)[:2000])
    organizations = list(public_entities(Organization.objects).values_list("slug", flat=True)[:500])
    queries = [q for kind in search_queries(summary, rng).values() for q in kind[:20]]
    return {
        "home": ["/"] * 20,
        "digest": [f"/digests/{s}/" for s in rng.sample(digests, min(100, len(digests)))],
        "person": [f"/people/{s}/" for s in rng.sample(people, min(60, len(people)))],
        "most-named person": [f"/people/{summary['star_slug']}/"] * 5,
        "organization": [
            f"/organizations/{s}/" for s in rng.sample(organizations, min(20, len(organizations)))
        ],
        "search": ["/search/?" + urlencode({"q": q}) for q in queries],
        "feeds": ["/feeds/digests/", "/feeds/digests/atom/"] * 5
        + [f"/people/{s}/feed/" for s in rng.sample(people, min(10, len(people)))],
        "archive and indexes": ["/digests/", "/people/", "/organizations/"] * 3,
    }


def server_times(groups: dict[str, list[str]]) -> dict[str, tuple[float, float, int]]:
    """Server time of each distinct address once, cache cleared: (p50, max, count) by kind."""
    from django.core.cache import caches
    from django.test import Client

    from digestsite.cache import forget_counters

    client, result = Client(), {}
    for kind, paths in groups.items():
        times = []
        for path in dict.fromkeys(paths):
            for alias in caches:
                caches[alias].clear()
            forget_counters()
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1e3)
        result[kind] = (statistics.median(times), max(times), len(times))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOADTEST_SECONDS", 60)))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cold", action="store_true", help="do not prime the page cache before the run"
    )
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("benchmarks.loadtest needs PostgreSQL: run it under scripts/with-postgres.sh.",
              file=sys.stderr)  # fmt: skip
        return 2
    serve.prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.generate import generate, summary_from_database

    call_command("migrate", "--noinput", verbosity=0)
    serve.collectstatic()
    summary = summary_from_database()  # data left by the page benchmark in the same database
    if summary is None:
        print(f"Generating the dataset (scale {args.scale})…", file=sys.stderr, flush=True)
        summary = generate(args.scale, args.seed)
    groups = mix(summary, random.Random(args.seed))
    paths = [path for group in groups.values() for path in group]
    print("Server time of each address once (cache cleared)…", file=sys.stderr, flush=True)
    times = server_times(groups)
    tool = serve.ensure_wrk()
    with tempfile.TemporaryDirectory() as work:
        listing = Path(work) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        log = Path(work) / "gunicorn.log"
        with contextlib.ExitStack() as stack:
            redis_url = stack.enter_context(serve.redis_server())
            env = {"REDIS_URL": redis_url} if redis_url else {}
            base = stack.enter_context(serve.gunicorn(production_recycling=True, log=log, env=env))
            if not args.cold:
                print("Priming the page cache (every address once)…", file=sys.stderr)
                serve.prime(base, paths)
            print(
                f"{args.connections} clients for {args.seconds} s over {len(paths)} addresses…",
                file=sys.stderr,
                flush=True,
            )
            if tool:
                result = serve.load(
                    base + "/",
                    connections=args.connections,
                    seconds=args.seconds,
                    script=Path(__file__).with_name("mix.lua"),
                    script_args=[str(listing)],
                )
            else:
                urls = [base + p for p in random.Random(args.seed).sample(paths, len(paths))]
                result = serve.load(urls, connections=args.connections, seconds=args.seconds)
        server_errors = sum(
            " 500 " in line or " 502 " in line for line in log.read_text().splitlines()
        )
    load = os.getloadavg()[0]
    print(
        f"\nLoad test ({args.connections} clients, {args.seconds} s, {len(paths)} addresses, "
        f"scale {args.scale}, {result.tool}{'' if tool else ' (wrk missing: Python client)'}, "
        f"page cache {'Redis' if redis_url else 'local memory'}, "
        f"{'cold' if args.cold else 'primed: every address requested once before'}, "
        f"load average {load:.1f} on {os.cpu_count()} CPUs)\n"
        f"  requests   {result.requests:,} ({result.rps:,.0f}/s)\n"
        f"  latency    p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms\n"
        f"  errors     {result.errors} (non-2xx/3xx responses and socket errors; "
        f"{server_errors} 5xx in the access log)"
    )
    print("  server time by kind (each address once, uncached): p50 / max")
    for kind, (median, slowest, count) in times.items():
        share = len(groups[kind]) / len(paths)
        print(
            f"    {kind:<22} {median:7.0f} / {slowest:6.0f} ms  "
            f"({count} addresses, {share:.0%} of requests)"
        )
    if result.errors:
        print("FAILED: some requests failed.", file=sys.stderr)
        return 1
    print("OK: zero errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
