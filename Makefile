# The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
STAMP := var/.stamps

.PHONY: help run dev static deploy-check setup deps assets data test test-sqlite test-postgres test-es lint format bench eval services

help:
	@echo "make run    set everything up, load the BH demo listings and serve on 127.0.0.1:8000 (gunicorn)"
	@echo "make dev    the same, served by Django's autoreloading development server with DEBUG on"
	@echo "make test   lint, then the test suite on SQLite and on PostgreSQL"
	@echo "make lint   ruff and mypy"
	@echo "make test-es  the search contract and Elasticsearch tests against ELASTICSEARCH_URL"
	@echo "make bench  performance benchmarks"
	@echo "make eval   recommender, categorisation and search evaluation against baselines"

$(STAMP):
	@mkdir -p $(STAMP)

# Reinstall only when the dependency list changes, so a second `make run` is quick.
$(STAMP)/python: pyproject.toml | $(STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

$(STAMP)/npm: package.json package-lock.json | $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages: Pango and fonts for server-made PDFs (WeasyPrint) and the English
# word list for spelling correction (wbritish) when serving;
# Chromium (browser tests) and zbar (QR decoding) for tests. Installed when missing
# and we are root; otherwise the tests that need them skip with a reason.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core wbritish
TEST_PACKAGES := $(RUN_PACKAGES) chromium zbar-tools
define install_debian
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages (features needing them are skipped):" $$missing; fi; \
	fi
endef

$(STAMP)/system-run: | $(STAMP)
	$(call install_debian,$(RUN_PACKAGES))
	@touch $@

$(STAMP)/system-test: | $(STAMP)
	$(call install_debian,$(TEST_PACKAGES))
	@touch $@

deps: $(STAMP)/python $(STAMP)/npm $(STAMP)/system-run

var/build/css/council.css: $(STAMP)/npm $(wildcard cms/frontend/scss/*.scss)
	npm run --silent build:css

assets: var/build/css/council.css

# The demo council, set only while no council is set up (the admin's edits stay).
DEMO_COUNCIL := --name "Bournemouth, Christchurch and Poole Council" --area E06000058 \
	--home-place Bournemouth --example-postcode "BH1 1AA" --example-place Christchurch

# Idempotent data steps: each command skips work that is already done.
data: deps
	$(MANAGE) migrate --noinput
	$(MANAGE) build_gazetteer
	$(MANAGE) load_areas
	$(MANAGE) setup_council --if-unset $(DEMO_COUNCIL)
	$(MANAGE) import_warm_spaces
	$(MANAGE) rebuild_search_index
	$(MANAGE) build_recommender
	$(MANAGE) create_demo_users

setup: deps assets data

# Static files gathered into var/static, as a deployment does before serving.
static: deps assets
	$(MANAGE) collectstatic --noinput --verbosity 0

# The production server: gunicorn (settings and worker count in cms/gunicorn_config.py),
# WhiteNoise for static files. Several worker processes share sessions through a file
# cache unless CACHE_URL names one (Redis).
run: setup static
	@echo "Serving on http://127.0.0.1:8000/ (admin at /admin/)"
	CACHE_URL=$${CACHE_URL:-filecache://$(CURDIR)/var/cache} $(VENV)/bin/gunicorn -c python:cms.gunicorn_config

dev: setup
	@echo "Serving on http://127.0.0.1:8000/ (admin at /admin/), reloading on change"
	DJANGO_DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

# `check --deploy` under the production profile, with stand-in values for what a real
# deployment supplies (a throwaway key, a host name, a shared cache).
deploy-check: deps
	DJANGO_ENV=production \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=directory.example.org \
	CACHE_URL=redis://127.0.0.1:6379/1 \
	$(MANAGE) check --deploy --fail-level WARNING

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true

test: deps $(STAMP)/system-test assets lint services deploy-check
	$(MANAGE) build_gazetteer
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# Each browser module runs in its own process (see tests/browser/conftest.py).
test-sqlite:
	$(PY) -m pytest -q --ignore=tests/browser
	@for module in tests/browser/test_*.py; do echo "$$module"; $(PY) -m pytest -q $$module || exit 1; done

test-postgres: services
	DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -q --ignore=tests/browser

# The search contract suite and the Elasticsearch tests against a real cluster, so a
# council with one can prove it in one command: ELASTICSEARCH_URL=http://host:9200 make test-es
# (indices are prefixed test-<random> and deleted afterwards).
ES_TESTS := tests/search/test_es_request_bodies.py tests/search/test_es_bulk.py tests/search/test_es_cluster.py
test-es:
	@test -n "$$ELASTICSEARCH_URL" || { echo "make test-es: set ELASTICSEARCH_URL to the cluster, e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200 make test-es" >&2; exit 2; }
	$(PY) -m pytest -q tests/search/test_backend_contract.py -k elasticsearch
	$(PY) -m pytest -q $(ES_TESTS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The recommender against nearest-first and keyword-only baselines on labelled personas.
eval: deps
	$(MANAGE) build_gazetteer
	$(PY) -m evaluation.recommender
	$(PY) -m evaluation.categorisation
	$(PY) -m evaluation.search

bench: deps assets
	$(MANAGE) build_gazetteer
	$(PY) bench/run.py
