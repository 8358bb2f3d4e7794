"""gunicorn settings for Digest CMS (`gunicorn -c gunicorn.conf.py digestsite.wsgi`).

Access and error logs go to stdout/stderr and never contain readers' IP addresses.
"""

import multiprocessing
import os

from gunicorn.http import wsgi

from digestsite.privacy import ACCESS_LOG_FORMAT, PrivateLogger

# gunicorn always sends `Server: gunicorn` and has no setting for it; the value comes from this
# module constant. Visitors are not told which software answers (nginx: server_tokens off).
wsgi.SERVER = ""


def cpu_count() -> int:
    """CPUs this process may use (a container's CPU set, not the whole host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return multiprocessing.cpu_count()


# An empty variable (as in .env.example) means the default.
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
workers = int(os.environ.get("GUNICORN_WORKERS") or 0) or cpu_count() * 2 + 1
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
limit_request_line = 4094
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = PrivateLogger
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1"
