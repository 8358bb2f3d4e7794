from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_defines_database_and_web():
    """`docker compose up` would start PostgreSQL with a volume and health check, then the web."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    web = services["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "gunicorn -c gunicorn.conf.py digestsite.wsgi" in web["command"]
    assert "migrate" in web["command"] and "collectstatic" in web["command"]
    assert set(compose["volumes"]) >= {"pgdata", "media"}


def test_env_example_documents_every_required_setting():
    """A deployer finds every variable the settings refuse to start without."""
    text = (ROOT / ".env.example").read_text()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD"):
        assert f"{name}=" in text
    assert "DJANGO_SECRET_KEY=\n" in text  # no secret committed
