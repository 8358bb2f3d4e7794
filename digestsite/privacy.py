"""What the server keeps about readers: no addresses, searches, preview tokens or bodies.

Used by the gunicorn configuration (`gunicorn.conf.py`) for its logs and by the optional
Sentry set-up for error reports.
"""

import logging
import re

from gunicorn.glogging import Logger

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])")

# A query string after a path (a reader's search, filters) and a preview link's token.
_QUERY = re.compile(r"(/[^\s?#\"']*)\?[^\s\"']*")
_PREVIEW_TOKEN = re.compile(r"(/preview/)[^/\s?#\"']+")

# gunicorn's access log without the client address, the user agent or the referrer; the
# request line (`%(r)s`) is rewritten by PrivateLogger to method, private path and protocol.
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'


def private_path(path: str) -> str:
    """`path` as a log may keep it: no query string, a preview token as "[token]"."""
    return _PREVIEW_TOKEN.sub(r"\1[token]", path.partition("?")[0])


def scrub(text: str) -> str:
    """`text` with every IPv4 and IPv6 address replaced by "[address]", query strings after
    paths removed and preview tokens replaced by "[token]"."""
    text = _PREVIEW_TOKEN.sub(r"\1[token]", _QUERY.sub(r"\1", text))
    return _IPV6.sub("[address]", _IPV4.sub("[address]", text))


class ScrubAddresses(logging.Filter):
    """Scrubs a log record's message (gunicorn's error log, the site's logs): see `scrub`."""

    def filter(self, record):
        record.msg, record.args = scrub(record.getMessage()), ()
        return True


class PrivateLogger(Logger):
    """gunicorn's logger, minus client addresses in its error log (e.g. "Invalid request from
    ip=…"), and with an access log whose request line and path carry no query string or
    preview token. The access log format above leaves out addresses."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, ScrubAddresses) for f in self.error_log.filters):
            self.error_log.addFilter(ScrubAddresses())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = private_path(environ.get("PATH_INFO") or "")
        atoms.update(
            r=f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
            U=path,
            q="",
            h="-",
            f="-",
        )
        return atoms


def scrub_sentry_event(event, hint):
    """Remove the reader's address, cookies, headers that identify them, the body, the query
    string and any preview token."""
    request = event.get("request") or {}
    request.pop("data", None)
    request.pop("cookies", None)
    request.pop("env", None)
    request.pop("query_string", None)
    if isinstance(request.get("url"), str):
        request["url"] = private_path(request["url"])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = private_path(event["transaction"])
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"cookie", "x-forwarded-for", "x-real-ip", "forwarded", "referer",
                            "user-agent", "authorization"}:  # fmt: skip
            headers.pop(name)
    user = event.get("user")
    if isinstance(user, dict):
        user.pop("ip_address", None)
    return event
