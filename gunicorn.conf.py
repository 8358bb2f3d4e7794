"""gunicorn settings for Digest CMS (`gunicorn -c gunicorn.conf.py digestsite.wsgi`).

Access and error logs go to stdout/stderr and never contain readers' IP addresses.
"""

import multiprocessing
import os

from digestsite.privacy import ACCESS_LOG_FORMAT, PrivateLogger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 0)) or multiprocessing.cpu_count() * 2 + 1
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
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
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
