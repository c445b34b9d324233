# delphi-site — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers suit CI's two cores; override with `make test PYTEST_WORKERS=1`.
PYTEST_WORKERS ?= 2

# The first Python >= 3.12 found: on PATH, then under pyenv (whose shims fail without
# PYENV_VERSION, so we look at the real binaries).
PYTHON_BOOT := $(shell for p in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: help run test test-fast test-browser lint format messages demo check-deploy clean chromium bench load faults faults-pg

help:
	@echo "make run    — install, migrate, load the demo study and serve http://$(HOST):$(PORT)"
	@echo "make test   — install test tools (and Debian chromium) and run the whole suite"
	@echo "make lint   — ruff check + format check, makemigrations --check"
	@echo "make bench  — benchmarks under bench/"
	@echo "make load   — 500 experts x 50 statements on gunicorn + PostgreSQL (LOAD_ARGS=\"--experts 50 --statements 10\" for a quick run)"
	@echo "make faults — gunicorn workers killed during submissions; make faults-pg also restarts PostgreSQL (root)"

$(PY):
	@if [ -z "$(PYTHON_BOOT)" ]; then \
		echo "ERROR: delphi-site needs Python 3.12 or newer, and none was found on PATH or under ~/.pyenv."; \
		echo "Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again."; \
		exit 1; fi
	@echo "Using $(PYTHON_BOOT) ($$($(PYTHON_BOOT) --version))"
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv

$(STAMP_RUN): requirements.txt | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	@touch $@

$(STAMP_TEST): requirements.txt requirements-dev.txt | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements-dev.txt
	@touch $@ $(STAMP_RUN)

messages: $(STAMP_RUN)
	@command -v msgfmt >/dev/null || { echo "Installing Debian's gettext to compile the translations…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

run: $(STAMP_RUN) messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_study --url http://$(HOST):$(PORT)/
	@# The worker sends invitation e-mails queued by the web server; it stops with the server.
	@$(PY) manage.py db_worker --reload >/dev/null 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
		echo "Installing Debian's chromium and poppler-utils for the browser and PDF tests…"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium poppler-utils >/dev/null; \
	fi

test: $(STAMP_TEST) messages chromium
	$(PY) manage.py makemigrations --check --dry-run
	@# Exit code 5 means "no test collected": not a failure of the code under test.
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-browser: $(STAMP_TEST) messages chromium
	$(PY) -m pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP_TEST)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: $(STAMP_RUN)
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=delphi.example.org DJANGO_EMAIL_URL=smtp://user:pass@smtp.example.org:587 \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: $(STAMP_TEST)
	$(PY) bench/analysis.py
	$(PY) bench/freeze.py
	$(PY) bench/reports.py

# These two need a PostgreSQL server (DATABASE_URL, default the local one); each run creates and
# drops a throw-away database of its own.
load: $(STAMP_TEST) messages
	$(PY) bench/load.py $(LOAD_ARGS)

faults: $(STAMP_TEST) messages
	$(PY) bench/faults.py --worker-kill $(FAULT_ARGS)

# Restarts the PostgreSQL server itself: never on a server others are using.
faults-pg: $(STAMP_TEST) messages
	$(PY) bench/faults.py --worker-kill --pg-restart $(FAULT_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
