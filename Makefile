# jobrec's two commands:  `make run`  runs the platform,  `make test`  runs every check.
# Both set up everything they need first (virtualenv, packages, embedded servers).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Any variable here can be overridden: `make test PYTEST_ARGS="-k healthz"`.
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck pytest system-packages clean-var

help:
	@echo "make run    - install, migrate and run web + worker + beat (Ctrl-C stops everything)"
	@echo "make test   - install, then ruff, mypy and the whole pytest suite"

$(BIN)/python:
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# A development .env (DEBUG on, a random SECRET_KEY) the first time; never overwritten.
.env: | $(BIN)/python
	@$(BIN)/python scripts/write_dev_env.py

run: $(VENV)/.runtime-installed .env
	$(BIN)/python manage.py runplatform

# System packages a few tests need (docker-compose to validate docker-compose.yml, chromium
# for browser tests); installed with apt where we can, otherwise those tests say why they skip.
system-packages:
	@sh scripts/install_system_packages.sh

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy imports the settings (django-stubs): placeholder URLs stop it starting the servers.
typecheck: $(VENV)/.dev-installed
	DATABASE_URL=postgres://typecheck@localhost/typecheck REDIS_URL=redis://localhost:1/0 \
		SECRET_KEY=typecheck $(BIN)/mypy .

pytest: $(VENV)/.dev-installed system-packages
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

clean-var:
	$(BIN)/python manage.py embedded stop || true
	rm -rf var
