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


def test_request_log_keeps_no_search_terms(log_output):
    """What a reader searched for never reaches the site's log, whatever logs the address."""
    logging.getLogger("django.request").warning(
        "Not Found: %s", "/search/?q=opposition+leader&page=2"
    )
    output = log_output.getvalue()
    assert "opposition" not in output and "page=2" not in output
    assert json.loads(output)["message"] == "Not Found: /search/"


@pytest.mark.django_db
def test_request_log_keeps_no_preview_token(client, log_output):
    """A preview link's token never reaches a log, where anyone reading it could open the draft."""
    from digests.models import PreviewLink
    from tests.factories import make_digest

    link = PreviewLink.objects.create(digest=make_digest(status="draft"))
    link.revoked = True
    link.save()
    token = link.token
    assert client.get(f"/preview/{token}/").status_code == 404
    output = log_output.getvalue()
    assert token not in output and token.split(":")[-1] not in output
    assert json.loads(output)["path"] == "/preview/[token]/"


def test_access_log_keeps_no_query_string_or_preview_token(tmp_path):
    """gunicorn's access log line names the page but not the reader's search or a preview token."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from digestsite.privacy import ACCESS_LOG_FORMAT, PrivateLogger

    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("access_log_format", ACCESS_LOG_FORMAT)
    logger = PrivateLogger(cfg)
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    for uri in ("/search/?q=opposition+leader", "/be/preview/MQ:s1gnatur3/?x=1"):
        path, _, query = uri.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": uri,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "198.51.100.9",
        }
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0.01))
    for handler in logger.access_log.handlers:
        handler.flush()
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert '"GET /search/ HTTP/1.1" 200' in lines[0]
    assert '"GET /be/preview/[token]/ HTTP/1.1" 200' in lines[1]
    text = "\n".join(lines)
    for secret in ("opposition", "s1gnatur3", "x=1", "198.51.100.9"):
        assert secret not in text


def test_error_reports_carry_no_search_or_preview_token():
    """An error report (Sentry) names the page, never the reader's search or a preview token."""
    from digestsite.privacy import scrub_sentry_event

    event = {
        "request": {
            "url": "https://digest.example.org/be/preview/MQ:s1gnatur3/",
            "query_string": "q=opposition+leader",
        },
        "transaction": "/preview/MQ:s1gnatur3/",
    }
    scrubbed = scrub_sentry_event(event, None)
    assert "opposition" not in repr(scrubbed) and "s1gnatur3" not in repr(scrubbed)
    assert scrubbed["request"]["url"] == "https://digest.example.org/be/preview/[token]/"
