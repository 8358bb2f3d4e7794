"""Structured logs: one JSON object per line on stdout (DJANGO_LOG_FORMAT=json)."""

import json
import logging
from datetime import UTC, datetime

from digestsite.privacy import scrub


class JSONFormatter(logging.Formatter):
    """Each record as one line of JSON: time, level, logger, message; for request logs
    (django.request) also the method, path and status. Never the client's address, headers or
    body: only the fields named here are written, and addresses are scrubbed from them."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if hasattr(request, "method") and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        entry = {k: scrub(v) if isinstance(v, str) else v for k, v in entry.items()}
        return json.dumps(entry, ensure_ascii=False, default=str)
