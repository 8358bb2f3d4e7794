"""The deployment files, checked by reading them (no Docker engine runs here)."""

import os
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example():
    """Names set in .env.example (commented or not)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.M))


def test_compose_runs_database_cache_web_and_proxy():
    """`docker compose up` starts PostgreSQL 16, Redis 7, the web image and nginx."""
    services = compose()["services"]
    assert set(services) == {"db", "redis", "web", "proxy"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["build"] == "."
    assert services["proxy"]["image"].startswith("nginx:")
    assert all(s["restart"] == "unless-stopped" for s in services.values())


def test_compose_keeps_data_in_named_volumes():
    """The database and uploads survive a container rebuild; nginx serves the same uploads."""
    spec = compose()
    services = spec["services"]
    assert set(spec["volumes"]) == {"pgdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "media:/app/media" in services["web"]["volumes"]
    assert "media:/srv/media:ro" in services["proxy"]["volumes"]
    assert services["web"]["environment"]["DJANGO_MEDIA_ROOT"] == "/app/media"


def test_compose_health_checks_and_start_order():
    """The web starts only once the database and cache answer; nginx once the web is healthy."""
    services = compose()["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "scripts/healthcheck.py" in services["web"]["healthcheck"]["test"]
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_compose_wires_settings_through_the_environment():
    """The web reads .env, and finds the database and the shared cache by their service names."""
    web = compose()["services"]["web"]
    assert web["env_file"] == ".env"
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["environment"]["DATABASE_URL"].endswith("@db:5432/digest")
    # Only the proxy is published, and only on the loopback interface.
    assert "ports" not in web
    assert compose()["services"]["proxy"]["ports"] == ["127.0.0.1:8000:80"]


def test_dockerfile_runs_gunicorn_as_an_unprivileged_user():
    """The image runs gunicorn with gunicorn.conf.py as a non-root user, migrating at start."""
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "digestsite.wsgi"]' in text
    assert 'ENTRYPOINT ["scripts/docker-entrypoint.sh"]' in text
    entrypoint = (ROOT / "scripts/docker-entrypoint.sh").read_text()
    assert "manage.py migrate --noinput" in entrypoint and 'exec "$@"' in entrypoint
    assert "HEALTHCHECK" in text and "scripts/healthcheck.py" in text
    assert "/healthz" in (ROOT / "scripts/healthcheck.py").read_text()


def test_dockerfile_installs_runtime_dependencies_and_collects_static_files():
    """No test tools in the image, object storage support in it, static files collected at
    build time with a throwaway key that never reaches the running container."""
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install '.[s3]'" in text and "[test]" not in text
    assert "collectstatic --noinput" in text
    assert not re.search(r"^(ENV|ARG)\b[^\n]*SECRET", text, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "db.sqlite3*", "media"} <= set(ignored)


def test_gunicorn_configuration():
    """Workers from the CPU count, a timeout, access and error logs on the console."""
    import runpy

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["workers"] == conf["cpu_count"]() * 2 + 1
    assert conf["timeout"] == 30 and conf["graceful_timeout"] == 30
    assert conf["accesslog"] == "-" and conf["errorlog"] == "-"


def test_the_served_application_is_out_of_the_collectors_reach(tmp_path):
    """Loading `digestsite.wsgi`, as every server does, freezes what the application holds,
    and again once it has served a first request (URL patterns, templates, translations): Python's
    full garbage collection then walks only what requests left, so no reader's request waits
    for a walk over the whole application."""
    import subprocess
    import sys

    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "deploy-test-not-secret",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
    }
    script = """
import gc, digestsite.wsgi
from django.test import RequestFactory
loaded = gc.get_freeze_count()
environ = RequestFactory().get("/robots.txt", secure=True).environ
statuses = []
response = digestsite.wsgi.application(environ, lambda status, headers: statuses.append(status))
b"".join(response)
response.close()
print(loaded, gc.get_freeze_count(), statuses[0].split()[0])
"""
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    loaded, served, status = map(int, run.stdout.split())
    assert status == 200
    # The loaded application (Django, the apps, their settings), then what the first page
    # loaded beside it (the URL patterns, the template, the middleware's first work).
    assert loaded > 50_000
    assert served > loaded + 10_000


def test_proxy_configuration_logs_no_reader_address():
    """nginx in front keeps readers' addresses out of its logs too."""
    lines = (ROOT / "deploy/nginx.conf").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert (
        "$remote_addr" not in text
        and "$proxy_add_x_forwarded_for" in text
        and "$http_user_agent" not in text
    )
    assert "$http_referer" not in text
    assert re.search(r"access_log \S+ digest_private;", text)
    assert "error_log /dev/stderr crit;" in text
    assert "server web:8000;" in text and "alias /srv/media/;" in text


def test_env_example_documents_every_setting():
    """Every variable the settings and gunicorn read is in .env.example, for the deployer."""
    sources = (ROOT / "digestsite/settings.py").read_text() + (
        ROOT / "gunicorn.conf.py"
    ).read_text()
    read = set(
        re.findall(
            r'(?:environ\.get|environ\[|getenv|env_bool|env_int|env_list)\(?"([A-Z][A-Z0-9_]+)"',
            sources,
        )
    )
    assert {"DJANGO_SECRET_KEY", "DATABASE_REPLICA_URL", "REDIS_URL", "SENTRY_DSN"} <= read
    assert read - env_example() == set()


def test_env_example_commits_no_secret():
    """The example carries empty secrets and a production (non-debug) configuration."""
    text = (ROOT / ".env.example").read_text()
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY"):
        assert f"\n{name}=\n" in text
    assert "\nDJANGO_DEBUG=0\n" in text


def test_proxy_access_log_keeps_no_query_string_or_preview_token():
    """nginx's access log names the page, never a reader's search or a preview link's token."""
    lines = (ROOT / "deploy/nginx.conf").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    (log_format,) = re.findall(r"log_format digest_private ([^;]+);", text)
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$uri"):
        assert variable not in log_format
    assert "$digest_log_path" in log_format
    assert re.search(r"map \$uri \$digest_log_path \{\s+\"~[^\n]*/preview/[^\n]*\[token\]", text)


def test_request_size_limit_is_one_number_everywhere():
    """nginx, Django and the README state the same request limit, and it leaves room for the
    largest image: an editor is never cut off by one layer while another says it is fine."""
    from django.conf import settings

    text = (ROOT / "deploy/nginx.conf").read_text()
    (nginx,) = re.findall(r"^\s*client_max_body_size (\d+)m;", text, re.MULTILINE)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert int(nginx) * 1024 * 1024 == limit
    assert limit > settings.IMAGE_MAX_BYTES
    readme = (ROOT / "docs" / "security-and-privacy.md").read_text()
    assert f"{limit // (1024 * 1024)} MB per request" in readme
    assert "5 MB" not in readme


def test_no_server_header_names_the_software(tmp_path):
    """Neither gunicorn nor nginx tells visitors which server software answers."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    assert re.search(r"^\s*server_tokens off;", (ROOT / "deploy/nginx.conf").read_text(), re.M)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "PATH": os.environ["PATH"],
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DJANGO_SECRET_KEY": "deploy-test-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "digestsite.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            except urllib.error.HTTPError as error:
                response = error
            except OSError:
                time.sleep(0.1)
                continue
            break
        else:
            raise AssertionError("gunicorn did not answer")
        assert "gunicorn" not in str(response.headers).lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_systemd_unit_keeps_the_page_cache_where_shell_commands_see_it():
    """With a private /tmp for gunicorn, the deployment guide's unit puts the page cache in a fixed
    folder, so a restore or import run from a shell retires the pages readers are served."""
    readme = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text()
    unit = readme[readme.index("[Service]") : readme.index("[Install]")]
    assert "PrivateTmp=true" in unit
    assert "Environment=DJANGO_CACHE_DIR=/var/cache/digest-cms" in unit
    assert "CacheDirectory=digest-cms" in unit
