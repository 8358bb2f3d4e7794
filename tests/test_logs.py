"""Structured logs on stdout: one JSON object per line, never a reader's address."""

import io
import json
import logging

import pytest

from digestsite.logs import JSONFormatter
from digestsite.privacy import ScrubAddresses


@pytest.fixture
def log_output():
    """What the site's console handler (JSON format, address scrubbing) writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.addFilter(ScrubAddresses())
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_request_log_is_one_json_line_without_address(client, log_output):
    """A log collector gets one JSON object per request problem: when, how bad, which request,
    which status, and no IP address, neither the reader's nor one in the path."""
    client.get("/no-such-page/203.0.113.77/", REMOTE_ADDR="198.51.100.9")
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["method"] == "GET" and entry["status"] == 404
    assert entry["path"] == "/no-such-page/[address]/"
    assert entry["message"] == "Not Found: /no-such-page/[address]/"
    assert entry["time"].endswith("+00:00")
    assert "198.51.100.9" not in lines[0] and "203.0.113.77" not in lines[0]


def test_exception_stays_on_one_line(log_output):
    """A traceback is a field of the record, not a spray of lines the collector splits up."""
    try:
        raise ValueError("from 2001:db8::1")
    except ValueError:
        logging.getLogger("django.test").exception("failed")
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["message"] == "failed" and "ValueError" in entry["exception"]
    assert "2001:db8::1" not in lines[0]
