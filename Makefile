# Digest CMS: `make run` serves the site locally, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-e2e test-postgres lint format check-migrations check messages bench loadtest webcheck backup restore clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-e2e: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,e2e]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

run: export DJANGO_DEBUG = 1
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py local_staff --port $(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests (tests/e2e, Playwright with Debian's chromium); screenshots in test-artifacts/e2e/.
test-e2e: $(VENV)/.installed-e2e
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test
	bash scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py check

# The Belarusian and Russian catalogues: collect new strings into locale/*/django.po (needs GNU
# gettext's xgettext and msgmerge: Debian's gettext), then compile the .mo files with polib (pure
# Python). The .mo files are committed, so `make run` and `make test` need neither.
messages: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemessages -l be -l ru \
		--no-location --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=.webcheck \
		--ignore=staticfiles
	$(BIN)/python -c 'import polib; [polib.pofile(f"locale/{l}/LC_MESSAGES/django.po").save_as_mofile(f"locale/{l}/LC_MESSAGES/django.mo") for l in ("be", "ru")]'

webcheck: $(VENV)/.installed-test
	bash scripts/webcheck.sh $(WEBCHECK_ARGS)

backup: $(VENV)/.installed-run
	PYTHON=$(abspath $(BIN)/python) bash scripts/backup.sh

restore: $(VENV)/.installed-run
	PYTHON=$(abspath $(BIN)/python) bash scripts/restore.sh "$(BACKUP)" $(if $(filter 1,$(CONFIRM)),--force)

# BENCH_SCALE=0.1 for a quick run on a tenth of the dataset (default 1: 100,000 items).
bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.linker
	PG_SHARED_BUFFERS=1GB bash scripts/with-postgres.sh $(BIN)/python -m benchmarks.pages

loadtest: $(VENV)/.installed-test
	PG_SHARED_BUFFERS=1GB bash scripts/with-postgres.sh $(BIN)/python -m benchmarks.loadtest

clean-venv:
	rm -rf $(VENV)
