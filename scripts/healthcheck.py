"""Container health check: GET /healthz from this container's gunicorn; exit 0 when healthy.

Plain Python (the image has no curl). The request names the first host in
DJANGO_ALLOWED_HOSTS, since Django answers other host names with 400.
"""

import os
import sys
import urllib.request

hosts = [h.strip().lstrip(".") for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")]
host = next((h for h in hosts if h and h != "*"), "localhost")
port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed http URL)
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
