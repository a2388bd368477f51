# The developer's front door: `make demo` and `make test` are all a newcomer needs.
# Django 6 needs Python 3.12+; the first interpreter here that runs and is new enough wins.
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 \
            /root/.pyenv/versions/3.12*/bin/python3 python3; do \
            $$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$p; break; }; \
          done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# Emails carry absolute links: by default to where `make demo` serves (0.0.0.0 means this machine).
SITE_URL ?= http://$(subst 0.0.0.0,127.0.0.1,$(HOST))
DEMO_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: demo test browser test-postgres lint format install migrate demo-data serve bench bench-import bench-cache bench-datasette lighthouse plotly-bundle clean

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
	$(DEMO_ENV) $(BIN)/python manage.py create_demo_users

# The task worker (emails, page warming) runs in the background beside the server and stops
# with it: Ctrl-C, or the server failing to start, ends both.
demo: demo-data
	@echo "Serving the dashboard with ILLUSTRATIVE demo data on http://$(HOST)/ (task worker beside it)"
	@$(DEMO_ENV) $(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive Debian's Chromium (no browser downloads are possible here).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests (apt-get, needs root)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

browser: $(CHROMIUM)

# Everything: lint (ruff, the apps' import contracts), migrations check, then the whole suite on
# every core, real-browser journeys included (screenshots and axe results in test-artifacts/).
test: lint browser
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest

# The same suite against PostgreSQL (pytest makes test_<name>_gw0, … per worker) with the cache in
# Redis, as production runs: database 10 and up, one per worker, kept apart from anything else.
PG_URL ?= postgres://postgres@127.0.0.1:5432/wcc
REDIS_TEST_URL ?= redis://127.0.0.1:6379/10
test-postgres: install browser
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(REDIS_TEST_URL)} \
		$(BIN)/pytest --create-db

# Production-style: gunicorn + WhiteNoise. Needs the production environment (README), at least
# SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
serve: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/gunicorn -c wcc/gunicorn.py wcc.wsgi

bench: install
	$(BIN)/python bench/league_page.py
	$(BIN)/python bench/chart_pages.py
	$(BIN)/python bench/next_steps.py
	$(BIN)/python bench/rank_intervals.py
	$(BIN)/python bench/caterpillar_table.py
	$(BIN)/python bench/api_league.py

bench-import: install
	$(BIN)/python bench/import_results.py

# The page cache and the shared rankings, with Redis as production runs (the database is
# flushed: give the benchmarks one of their own).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/12
bench-cache: install
	$(BIN)/python bench/cached_page.py --redis-url $(BENCH_REDIS_URL)
	$(BIN)/python bench/cold_start.py --redis-url $(BENCH_REDIS_URL)

# The uncached league page's CPU against Datasette's table page on the same rows (152 and
# 15,000 PCTs). Datasette is in the `dev` extra, which `make install` installs.
bench-datasette: install
	$(BIN)/python bench/datasette_compare.py

# Lighthouse's four scores for /, /pct/5C4/, /overview/ and /compare/, phone and desktop, with the
# site served as in production (gunicorn, WhiteNoise, compressed static; SQLite demo data in
# var/lighthouse/) on a spare port. npm's lighthouse is a developer tool installed here into
# var/lighthouse/: never part of `make demo` or `make test`. Results: docs/benchmarks.md.
LIGHTHOUSE := var/lighthouse/node_modules/.bin/lighthouse
LIGHTHOUSE_PORT ?= 8765
$(LIGHTHOUSE):
	mkdir -p var/lighthouse
	npm install --prefix var/lighthouse --no-audit --no-fund --silent lighthouse@12

lighthouse: install browser $(LIGHTHOUSE)
	CHROMIUM=$(CHROMIUM) $(BIN)/python bench/lighthouse.py --port $(LIGHTHOUSE_PORT) $(LIGHTHOUSE_ARGS)

# Rebuilds static/vendor/plotly/plotly-wcc-<version>.min.js, plotly.js with only the charts' trace
# types (needs node, npm and the npm registry). A maintainer's step when plotly or the charts'
# trace types change, never part of `make demo` or `make test`: the bundle is committed.
plotly-bundle:
	sh static/vendor/plotly/build.sh

clean:
	rm -rf $(VENV) var staticfiles
