# 和签 HeQian — two commands on a fresh Debian machine:
#   make run    set everything up and serve http://127.0.0.1:8000 (SQLite, in-process Celery, files in var/)
#   make test   set everything up the same way and run the whole test suite
# Every step is idempotent: stamps under .venv/ and var/ make a second run reuse what is there.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: CJK fonts for the PDFs, HarfBuzz subsetting (30x faster CJK renders),
# poppler for independent PDF checks, Chromium for browser tests, NSS tools for pdfsig trust.
DEB_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium libnss3-tools openssl gettext \
                libpango-1.0-0 libpangoft2-1.0-0 python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup deps venv migrate messages demo-data lint bench clean worker

run: setup demo-data
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: deps venv migrate

deps: var/.deps-stamp
var/.deps-stamp: Makefile
	@mkdir -p var
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@touch $@

venv: $(VENV)/.requirements-stamp
$(VENV)/.requirements-stamp: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	@touch $@

migrate: venv deps messages
	$(PY) manage.py migrate --noinput -v0

# The English catalogue is compiled from the committed .po (the .mo is a build product).
messages: locale/en/LC_MESSAGES/django.mo
locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po | venv deps
	$(PY) manage.py compilemessages -l en -v0 --ignore=.venv --ignore=var --ignore=node_modules

demo-data: migrate
	$(PY) manage.py seed_demo

worker: setup
	$(VENV)/bin/celery -A contracts_platform.celery worker -l info

lint: venv
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) bench/render.py
	$(PY) bench/sign.py

clean:
	rm -rf $(VENV) var
