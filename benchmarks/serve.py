"""Shared by the page benchmark and the load test: static files, gunicorn, and the load
generator (wrk, or a small Python client when wrk is missing)."""

from __future__ import annotations

import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare_environment() -> Path:
    """Set the bench settings and a temporary STATIC_ROOT; call before `django.setup()`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    static_root = Path(tempfile.mkdtemp(prefix="digest-bench-static-"))
    atexit.register(shutil.rmtree, static_root, ignore_errors=True)
    os.environ["DJANGO_STATIC_ROOT"] = str(static_root)
    return static_root


def collectstatic() -> str:
    """Collect static files (hashed names, compressed); return the address of the stylesheet."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    css = next(name for name in manifest["paths"] if name.endswith(".css"))
    return settings.STATIC_URL + manifest["paths"][css]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_server():
    """A throwaway Redis (no persistence) on a free port: yield its URL, or None when
    redis-server is not installed."""
    binary = shutil.which("redis-server")
    if not binary:
        yield None
        return
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a local redis-server
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def prime(base: str, paths: list[str]) -> None:
    """Request every distinct address once (fills the shared page cache)."""
    for path in dict.fromkeys(paths):
        try:
            with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310
                response.read()
        except OSError:
            pass


@contextmanager
def gunicorn(
    *,
    workers: int = 2,
    production_recycling: bool = False,
    log: Path | None = None,
    env: dict | None = None,
    settings: str = "benchmarks.settings",
    ready_path: str = "/robots.txt",
):
    """Serve `settings` (the bench settings) with gunicorn.conf.py on a free port; yield the
    base URL once `ready_path` answers.

    Without `production_recycling` workers are not restarted every 2,000 requests (gunicorn's
    max_requests), so that short measurements do not time worker start-ups."""
    port = free_port()
    env = {
        **os.environ,
        **(env or {}),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "0",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "digestsite.wsgi",
    ]
    if not production_recycling:
        command += ["--max-requests", "0"]
    out = open(log or os.devnull, "w")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode} (log: {log})")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()


@dataclass
class Load:
    url: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses plus socket errors
    tool: str

    @property
    def summary(self) -> str:
        return f"{self.rps:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"


def wrk_path() -> str | None:
    return shutil.which("wrk") or (os.access("/usr/bin/wrk", os.X_OK) and "/usr/bin/wrk") or None


def ensure_wrk() -> str | None:
    """wrk, installed from Debian's packages when missing and running as root."""
    path = wrk_path()
    if path or os.geteuid() != 0 or not shutil.which("apt-get"):
        return path
    print("Installing wrk (apt-get install wrk)…", file=sys.stderr, flush=True)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    subprocess.run(install, check=False, capture_output=True)  # noqa: S603
    if not wrk_path():
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)  # noqa: S607
        subprocess.run(install, check=False, capture_output=True)  # noqa: S603
    return wrk_path()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str, url: str) -> Load:
    percentiles = {int(p): _ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)", output, re.M)}
    total, seconds = re.search(r"(\d+) requests in ([\d.]+\w+)", output).groups()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return Load(
        url, int(total), _ms(seconds) / 1e3, rps, percentiles[50], percentiles[99], errors, "wrk"
    )


def run_wrk(
    url: str,
    *,
    connections: int = 16,
    threads: int = 2,
    seconds: int = 15,
    script: Path | None = None,
    script_args: list[str] = (),
) -> Load:
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return parse_wrk(output, url)


def run_python_load(urls: list[str], *, connections: int = 16, seconds: int = 15) -> Load:
    """A fallback load generator: `connections` threads, each requesting `urls` in turn over
    its own connection. Python threads share one core's worth of interpreter, so this
    understates what the server can do; wrk is preferred."""
    from urllib.parse import urlsplit

    parts = urlsplit(urls[0])
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, n = [], offset
        while time.monotonic() < stop:
            target = urlsplit(urls[n % len(urls)])
            n += 1
            path = target.path + (f"?{target.query}" if target.query else "")
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    with lock:
                        errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1e3)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Load(
        urls[0],
        len(latencies),
        elapsed,
        len(latencies) / elapsed,
        cut[49],
        cut[98],
        errors[0],
        "python",
    )


def load(url_or_urls, *, connections=16, seconds=15, script=None, script_args=()) -> Load:
    """Measure with wrk when available, else with the Python fallback."""
    urls = [url_or_urls] if isinstance(url_or_urls, str) else list(url_or_urls)
    if wrk_path():
        return run_wrk(
            urls[0],
            connections=connections,
            seconds=seconds,
            script=script,
            script_args=script_args,
        )
    return run_python_load(urls, connections=connections, seconds=seconds)
