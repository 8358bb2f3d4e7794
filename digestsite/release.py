"""The release a process runs: a hash of the code, templates, translations and static sources
that render its pages, part of the key of every cached page and kept part. During a rolling
deploy an old process and a new one share the cache, and neither serves what the other
rendered."""

import functools
import sysconfig
from hashlib import sha256
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings

# What renders a page: Python, templates, compiled translations, and the static sources
# whose hashed names the pages link to.
SOURCES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg"}


def _roots() -> list[Path]:
    """The project's own apps, the project package, and the template, locale and static
    directories the settings name: never the uploads or the collected static files; the
    installed libraries are stood for by their versions."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(config.path).resolve() for config in apps.get_app_configs()]
    libraries = [Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")]
    roots = [
        root
        for root in roots
        if root.is_relative_to(base) and not any(root.is_relative_to(lib) for lib in libraries)
    ]
    roots.append(base / settings.ROOT_URLCONF.split(".")[0])
    roots += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
    roots += [Path(d if isinstance(d, str | Path) else d[1]) for d in settings.STATICFILES_DIRS]
    return roots


@functools.cache
def fingerprint() -> str:
    """A short hash of the release (computed once per process, on the first page served)."""
    files = set()
    for root in _roots():
        files.update(
            path
            for path in root.resolve().rglob("*")
            if path.suffix in SOURCES and "__pycache__" not in path.parts and path.is_file()
        )
    installed = sorted(f"{dist.name}=={dist.version}" for dist in metadata.distributions())
    digest = sha256(repr(installed).encode())
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
