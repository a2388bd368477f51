# The developer's front door: `make demo` and `make test` are all a newcomer needs.
# Django 6 needs Python 3.12+; the first interpreter here that runs and is new enough wins.
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 \
            /root/.pyenv/versions/3.12*/bin/python3 python3; do \
            $$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$p; break; }; \
          done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: demo test test-postgres lint format install migrate demo-data bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12+ not found: install it or run make PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input

demo-data: migrate
	$(DEMO_ENV) $(BIN)/python manage.py load_reference_data
	$(DEMO_ENV) $(BIN)/python manage.py load_demo_data

demo: demo-data
	@echo "Serving the dashboard with ILLUSTRATIVE demo data on http://$(HOST)/"
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest

# The same suite against PostgreSQL; DATABASE_URL names the server (pytest makes test_<name>).
PG_URL ?= postgres://postgres@127.0.0.1:5432/wcc
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest --create-db

bench: install
	$(BIN)/python bench/league_page.py
	$(BIN)/python bench/chart_pages.py

clean:
	rm -rf $(VENV) var staticfiles
