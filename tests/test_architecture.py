"""The import graph stays as the docs draw it (docs/architecture.md): contracts in
pyproject.toml, checked by import-linter."""

from pathlib import Path

from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(monkeypatch, capsys):
    """No import circle in an app or the project package, the project package knows no app
    (its root URLconf aside), and the registry knows nothing of digests: a newcomer can read
    each layer without the one above it."""
    monkeypatch.chdir(ROOT)
    configure()
    kept = lint_imports(config_filename="pyproject.toml", cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out


PACKAGES = ("digests", "people", "api", "digestsite")
MAX_LINES = 500


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_of_the_apps_is_over_500_lines():
    """Each module does one job a newcomer can read in one sitting (rules live in docs/)."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_module_says_what_it_is_for():
    """A module docstring on every non-empty module of the apps and the project package."""
    import ast

    silent = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if (text := path.read_text(encoding="utf-8")).strip()
        and path.name != "__init__.py"
        and not ast.get_docstring(ast.parse(text))
    ]
    assert silent == []
