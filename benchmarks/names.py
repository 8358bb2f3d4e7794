"""Timing of the "Names to review" queue (`suggest_entities`) over the benchmark archive.

    bash scripts/with-postgres.sh python -m benchmarks.names [--scale 1] [--memory]

Migrates the (throwaway) database in DATABASE_URL, generates the dataset
(`benchmarks/generate.py`, BENCH_SCALE) and times `names_to_review()` over every digest, as
`python manage.py suggest_entities` runs it. Target: under 2 minutes at scale 1 (100,000
items). With --memory a second run measures the Python heap's peak (tracemalloc, slower).
`benchmarks.pages` (`make bench`) runs `measure()` on its own dataset and prints the figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

TARGET_SECONDS = 120


def measure(*, memory: bool = False) -> dict:
    """Seconds (and with `memory` the heap's peak, in MB) of one full run of the queue."""
    from digests.models import Item
    from digests.review_names import names_to_review

    items = Item.objects.count()
    started = time.perf_counter()
    names = names_to_review()
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "items": items, "names": len(names), "peak_mb": None}
    if memory:
        import tracemalloc

        tracemalloc.start()
        names_to_review()
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def summary(result: dict) -> str:
    peak = f", heap peak {result['peak_mb']:.0f} MB" if result["peak_mb"] is not None else ""
    return (
        f"{result['seconds']:.1f} s over {result['items']:,} items, {result['names']:,} names{peak}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory", action="store_true", help="also measure the heap's peak")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.generate import generate

    call_command("migrate", "--noinput", verbosity=0)
    print(f"Generating the dataset (scale {args.scale})…", file=sys.stderr, flush=True)
    generate(args.scale, args.seed, log=lambda *a, **k: None)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = measure(memory=args.memory)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    met = "yes" if result["seconds"] < TARGET_SECONDS * args.scale else "NO"
    print(
        f"Names to review (scale {args.scale}): {summary(result)}; process peak RSS "
        f"{rss_after / 1024:.0f} MB (+{(rss_after - rss_before) / 1024:.0f} MB); target "
        f"< {TARGET_SECONDS * args.scale:.0f} s at this scale: {met}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
