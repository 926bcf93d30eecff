# `make run` serves the site with the seed article and its pictures; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

export PORT

.PHONY: run serve edge test lint check-migrations check-deploy audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Newsroom needs Python 3.12 or newer; $(PYTHON) is " + sys.version.split()[0] + ". Run: make PYTHON=python3.13 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

# A secret key for local runs and tests, generated once and kept out of git.
.secret_key: | $(BIN)/python
	@$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: export DJANGO_DEBUG ?= 1
run: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
run: $(VENV)/.requirements .secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_article --if-empty --publish --section World --tags "Venezuela, United States, Energy, Diplomacy" seeds/demo/ seeds/
	$(BIN)/python manage.py illustrate_seeds
	$(BIN)/python manage.py ensure_superuser
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# As in production: DEBUG off, fingerprinted and compressed static files, gunicorn with
# 2 x cores + 1 workers (GUNICORN_WORKERS), database connections kept for 10 minutes and checked
# before reuse. Migrations are a separate deploy step (docs/deploy.md).
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
serve: export DJANGO_CONN_MAX_AGE ?= 600
serve: $(VENV)/.requirements .secret_key
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn --config newsroom/gunicorn.conf.py newsroom.wsgi

# Varnish (deploy/varnish/default.vcl) on EDGE_PORT in front of `make serve` on PORT: pages
# for everyone kept and purged by surrogate key, slow clients buffered, the last good copy served
# while the database is down (docs/deploy.md). Needs varnish and varnish-modules (Debian).
EDGE_PORT ?= 6081
EDGE_HOST ?= 127.0.0.1
EDGE_MEMORY ?= 256m
edge: export NEWSROOM_EDGE_PURGE ?= varnish
edge: export NEWSROOM_VARNISH_URLS ?= http://127.0.0.1:$(EDGE_PORT)
edge: $(VENV)/.requirements .secret_key
	@command -v varnishd >/dev/null || { echo "make edge needs varnishd: apt-get install varnish varnish-modules"; exit 1; }
	@mkdir -p .varnish && chmod 755 .varnish
	@sed 's/\.port = "8000";/.port = "$(PORT)";/' deploy/varnish/default.vcl > .varnish/default.vcl
	varnishd -n $(CURDIR)/.varnish/work -P $(CURDIR)/.varnish/varnishd.pid -a $(EDGE_HOST):$(EDGE_PORT) \
		-f $(CURDIR)/.varnish/default.vcl -s main=malloc,$(EDGE_MEMORY) -s search=malloc,16m
	@trap 'kill $$(cat .varnish/varnishd.pid)' EXIT INT TERM; $(MAKE) serve

test: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
test: $(VENV)/.requirements-dev .secret_key
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .

check-migrations: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
check-migrations: $(VENV)/.requirements-dev .secret_key
	$(BIN)/python manage.py makemigrations --check --dry-run

# Django's deployment checklist against the production settings (debug off); no check silenced.
check-deploy: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
check-deploy: $(VENV)/.requirements .secret_key
	DJANGO_DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING

# Known vulnerabilities in the pinned dependencies (pip-audit, PyPI's advisory data); fails on
# any. AUDIT_ARGS=--strict also fails when a dependency could not be looked up.
audit: $(VENV)/.requirements-dev
	$(BIN)/python .ci/audit.py requirements.txt $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
