# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   virtualenv, install, migrate, demo data, serve on 127.0.0.1:8000
#   make test  the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve worker beat bench-fan-out test test-fast lint format messages compilemessages migrate demo bench bench-importer clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The checking tools of the browser and HTML tests (package.json): axe-core
# and the Nu HTML checker, which the machine's Java runs. Without npm the
# tests that need them are skipped (and fail under CI=true).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: accessibility and HTML checks will be skipped"; fi

install: $(STAMP) node_modules/.package-lock.json

compilemessages: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d locale -D django --statistics 2>&1 | tail -n 2 || true
	@test -n "$$(find locale -name django.mo 2>/dev/null)" || (echo "no compiled catalogue" && exit 1)

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

run: compilemessages demo
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: compilemessages migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(PY) manage.py collectstatic --no-input -v0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(BIN)/gunicorn forum.wsgi:application \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile - \
		--limit-request-line 0

# A Celery worker for queued work (notifications, e-mail, webhooks); needs
# CELERY_BROKER_URL or REDIS_URL. Run as many as the queue needs.
worker: compilemessages
	$(BIN)/celery -A forum worker --loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2}

# The periodic jobs (daily digest, retry of overdue work): exactly one per site.
beat: $(STAMP)
	$(BIN)/celery -A forum beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/forum-celerybeat-schedule}

test: compilemessages
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: compilemessages
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (apt-get install gettext) to extract new strings.
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l en --no-location --ignore=.venv --ignore=staticfiles

bench: compilemessages
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# How long the importer takes to read a 300 KB article (target: under 2 s).
bench-importer: $(STAMP)
	$(BIN)/python bench/importer.py $(BENCH_ARGS)

# What posting a reply costs the request with 10,000 followers, and what the
# fan-out costs the worker (needs CELERY_BROKER_URL or REDIS_URL).
bench-fan-out: compilemessages
	$(BIN)/python bench/fan_out.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
