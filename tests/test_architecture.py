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
