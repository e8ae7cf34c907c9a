"""Benchmarks: `make bench` runs every module here that has a main().

Each benchmark works on a database of its own: an SQLite file under var/bench/ by
default (generated once per size and reused), or PostgreSQL when ZHAOSHANG_BENCH_DATABASE_URL
is set (e.g. postgres://postgres@127.0.0.1:5432/zhaoshang_bench).
"""

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


# The benchmarks' key for the encrypted phone fields (production mode wants one).
FIELD_KEY = "YmVuY2htYXJrcy1vbmx5LWZpZWxkLWtleS0zMmJ5dGU="


def setup_django(database_url: str | None = None) -> str:
    """Point Django at the benchmark database and set it up; returns the URL used."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url = database_url or os.environ.get("ZHAOSHANG_BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    os.environ["ZHAOSHANG_DATABASE_URL"] = url
    os.environ.setdefault("ZHAOSHANG_SECRET_KEY", "benchmarks-only")
    os.environ.setdefault("ZHAOSHANG_FIELD_KEY", FIELD_KEY)
    os.environ.setdefault("ZHAOSHANG_DEBUG", "0")
    os.environ.setdefault("ZHAOSHANG_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("ZHAOSHANG_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    import django

    django.setup()
    return url


def timed(function, repeat: int = 20, warmup: int = 2) -> list[float]:
    """Seconds per call over `repeat` calls, after `warmup` calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}
